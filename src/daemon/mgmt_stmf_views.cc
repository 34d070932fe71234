// Host groups, target groups and view entries (stmfadm create-hg ... list-view).
#include "daemon/mgmt_reply.h"
#include "daemon/mgmt_stmf.h"
#include "mgmt/ops.h"
#include "mgmt/status_codes.h"

namespace openstmf::daemon {
namespace {

using mgmt::Caller;
using mgmt::Message;
using stmf::GroupKind;
using stmf::Views;

Status CheckMemberName(const std::string& member) {
  // stmfDevid: 1..255 bytes; members are stored newline-separated.
  if (member.empty() || member.size() > 255 || member.find_first_of("\n\0", 0, 2) != member.npos) {
    return Status(Code::kInvalidArgument, "member name must be 1 to 255 bytes without newlines")
        .WithDetail(stmf::kViewInvalidArg);
  }
  return Status::Ok();
}

std::vector<std::string> MembersOf(stmf::Framework& fw, GroupKind kind, const std::string& group) {
  auto r = fw.ReadViews([&](const Views& v) { return v.Members(kind, group); });
  return r.ok() ? *r : std::vector<std::string>{};
}

class ViewOps {
 public:
  ViewOps(MgmtContext& ctx, StmfState& state) : fw_(*ctx.framework), state_(state) {}

  Message CreateGroup(const Message& req) {
    auto kind = GroupKindField(req);
    if (!kind) return BadKind();
    const std::string name = req.Text("name");
    Status s = fw_.WithViews([&](Views& v) { return v.CreateGroup(*kind, name); });
    if (!s.ok()) return FailStatus(s);
    s = state_.Persist({GroupObject(*kind, name, {})});
    if (!s.ok()) {
      (void)fw_.WithViews([&](Views& v) { return v.DeleteGroup(*kind, name); });
      return FailPersist(s);
    }
    return mgmt::Reply(0);
  }

  Message DeleteGroup(const Message& req) {
    auto kind = GroupKindField(req);
    if (!kind) return BadKind();
    const std::string name = req.Text("name");
    const std::vector<std::string> members = MembersOf(fw_, *kind, name);
    Status s = fw_.WithViews([&](Views& v) { return v.DeleteGroup(*kind, name); });
    if (!s.ok()) return FailStatus(s);
    s = state_.Persist({ConfigChange::Delete(GroupStoreKind(*kind), name)});
    if (!s.ok()) {
      (void)fw_.WithViews([&](Views& v) {
        Status c = v.CreateGroup(*kind, name);
        for (const std::string& m : members) (void)v.AddMember(*kind, name, m);
        return c;
      });
      return FailPersist(s);
    }
    return mgmt::Reply(0);
  }

  Message ChangeMember(const Message& req, bool add) {
    auto kind = GroupKindField(req);
    if (!kind) return BadKind();
    const std::string name = req.Text("name");
    const std::string member = req.Text("member");
    Status s = CheckMemberName(member);
    if (!s.ok()) return FailStatus(s);
    auto exists = fw_.ReadViews([&](const Views& v) { return v.Members(*kind, name); });
    if (!exists.ok()) return FailStatus(exists.status());
    // COMSTAR: a target group's membership changes only while the target is offline.
    if (*kind == GroupKind::kTarget && fw_.PortOnline(member)) {
      return Fail(mgmt::kStmfErrorTgOnline, "target " + member +
                                                " is online; take it offline before changing "
                                                "target group \"" +
                                                name + "\"");
    }
    s = fw_.WithViews([&](Views& v) {
      return add ? v.AddMember(*kind, name, member) : v.RemoveMember(*kind, name, member);
    });
    if (!s.ok()) return FailStatus(s);
    s = state_.Persist({GroupObject(*kind, name, MembersOf(fw_, *kind, name))});
    if (!s.ok()) {
      (void)fw_.WithViews([&](Views& v) {
        return add ? v.RemoveMember(*kind, name, member) : v.AddMember(*kind, name, member);
      });
      return FailPersist(s);
    }
    return mgmt::Reply(0);
  }

  Message ListGroups(const Message& req) {
    auto kind = GroupKindField(req);
    if (!kind) return BadKind();
    Message reply = mgmt::Reply(0);
    reply.Set("groups", Message::List{});
    for (const std::string& g : fw_.ReadViews([&](const Views& v) { return v.Groups(*kind); })) {
      reply.Append("groups", Message().Set("name", g));
    }
    return reply;
  }

  Message ListMembers(const Message& req) {
    auto kind = GroupKindField(req);
    if (!kind) return BadKind();
    const std::string name = req.Text("name");
    auto members = fw_.ReadViews([&](const Views& v) { return v.Members(*kind, name); });
    if (!members.ok()) return FailStatus(members.status());
    Message reply = mgmt::Reply(0);
    reply.Set("members", Message::List{});
    for (const std::string& m : *members) reply.Append("members", Message().Set("name", m));
    return reply;
  }

  Message AddView(const Message& req) {
    auto guid = GuidField(req);
    if (!guid) return BadGuid();
    auto request = ViewRequestOf(req);
    if (!request.ok()) return FailStatus(request.status());
    auto entry = fw_.WithViews([&](Views& v) { return v.AddEntry(*guid, *request); });
    if (!entry.ok()) return FailStatus(entry.status());
    Status s = state_.Persist({ViewObject(*guid, *entry)});
    if (!s.ok()) {
      (void)fw_.WithViews([&](Views& v) { return v.RemoveEntry(*guid, entry->index); });
      return FailPersist(s);
    }
    Message reply = mgmt::Reply(0);
    reply.Set("index", uint64_t{entry->index});
    reply.Set("lun", uint64_t{entry->lun});
    return reply;
  }

  Message RemoveView(const Message& req) {
    auto guid = GuidField(req);
    if (!guid) return BadGuid();
    auto index = req.Number("index");
    if (!index || *index > UINT32_MAX) {
      return Fail(mgmt::kStmfErrorInvalidArg, "remove-view needs a view entry index");
    }
    const uint32_t idx = static_cast<uint32_t>(*index);
    std::optional<stmf::ViewEntry> old;
    for (const stmf::ViewEntry& e :
         fw_.ReadViews([&](const Views& v) { return v.Entries(*guid); })) {
      if (e.index == idx) old = e;
    }
    if (!old) {
      return Fail(mgmt::kStmfErrorNotFound,
                  "view entry " + std::to_string(idx) + " of LU " + GuidHex(*guid) + " not found");
    }
    Status s = fw_.WithViews([&](Views& v) { return v.RemoveEntry(*guid, idx); });
    if (!s.ok()) return FailStatus(s);
    s = state_.Persist({ConfigChange::Delete("view", ViewKey(*guid, idx))});
    if (!s.ok()) {
      stmf::ViewRequest back{old->index, old->host_group, old->target_group, old->lun};
      (void)fw_.WithViews([&](Views& v) { return v.AddEntry(*guid, back).status(); });
      return FailPersist(s);
    }
    return mgmt::Reply(0);
  }

  Message ListViews(const Message& req) {
    auto guid = GuidField(req);
    if (!guid) return BadGuid();
    Message reply = mgmt::Reply(0);
    reply.Set("views", Message::List{});
    for (const stmf::ViewEntry& e :
         fw_.ReadViews([&](const Views& v) { return v.Entries(*guid); })) {
      Message m;
      m.Set("index", uint64_t{e.index});
      if (!e.host_group.empty()) m.Set("host_group", e.host_group);
      if (!e.target_group.empty()) m.Set("target_group", e.target_group);
      m.Set("lun", uint64_t{e.lun});
      reply.Append("views", std::move(m));
    }
    return reply;
  }

  Message ValidateView(const Message& req) {
    stmf::Guid guid{};
    if (req.Has("guid")) {
      auto g = GuidField(req);
      if (!g) return BadGuid();
      guid = *g;
    }
    auto request = ViewRequestOf(req);
    if (!request.ok()) return FailStatus(request.status());
    // Add to a copy: the answer is the LUN and index AddEntry would choose.
    auto entry = fw_.ReadViews([&](const Views& v) {
      Views copy = v;
      return copy.AddEntry(guid, *request);
    });
    if (!entry.ok()) return FailStatus(entry.status());
    Message reply = mgmt::Reply(0);
    reply.Set("index", uint64_t{entry->index});
    reply.Set("lun", uint64_t{entry->lun});
    return reply;
  }

 private:
  static Result<stmf::ViewRequest> ViewRequestOf(const Message& req) {
    stmf::ViewRequest r;
    r.host_group = req.Text("host_group");
    r.target_group = req.Text("target_group");
    if (auto lun = req.Number("lun")) {
      if (*lun > stmf::kMaxLun) {
        return Status(Code::kInvalidArgument,
                      "LUN " + std::to_string(*lun) + " is above " + std::to_string(stmf::kMaxLun))
            .WithDetail(stmf::kViewInvalidArg);
      }
      r.lun = static_cast<uint32_t>(*lun);
    }
    if (auto index = req.Number("index")) {
      if (*index > UINT32_MAX) {
        return Status(Code::kInvalidArgument, "view entry index too large")
            .WithDetail(stmf::kViewInvalidArg);
      }
      r.index = static_cast<uint32_t>(*index);
    }
    return r;
  }
  static Message BadKind() {
    return Fail(mgmt::kStmfErrorInvalidArg, "group kind must be \"host\" or \"target\"");
  }

  stmf::Framework& fw_;
  StmfState& state_;
};

}  // namespace

void RegisterViewOps(mgmt::Dispatcher& d, MgmtContext& ctx, StmfState& state) {
  auto ops = std::make_shared<ViewOps>(ctx, state);
  auto bind = [&](const char* op, Message (ViewOps::*fn)(const Message&)) {
    d.Register(op, [ops, fn](const Message& req, const Caller&) { return ((*ops).*fn)(req); });
  };
  bind(mgmt::kOpCreateGroup, &ViewOps::CreateGroup);
  bind(mgmt::kOpDeleteGroup, &ViewOps::DeleteGroup);
  d.Register(mgmt::kOpAddMember,
             [ops](const Message& req, const Caller&) { return ops->ChangeMember(req, true); });
  d.Register(mgmt::kOpRemoveMember,
             [ops](const Message& req, const Caller&) { return ops->ChangeMember(req, false); });
  bind(mgmt::kOpListGroups, &ViewOps::ListGroups);
  bind(mgmt::kOpListMembers, &ViewOps::ListMembers);
  bind(mgmt::kOpAddView, &ViewOps::AddView);
  bind(mgmt::kOpRemoveView, &ViewOps::RemoveView);
  bind(mgmt::kOpListViews, &ViewOps::ListViews);
  bind(mgmt::kOpValidateView, &ViewOps::ValidateView);
}

}  // namespace openstmf::daemon
