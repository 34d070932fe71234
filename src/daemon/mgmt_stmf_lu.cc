// Logical units (stmfadm/sbdadm create-lu, import-lu, modify-lu, delete-lu,
// list-lu, online-lu, offline-lu) and the LU and port provider lists.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "base/log.h"
#include "daemon/mgmt_lu_props.h"
#include "daemon/mgmt_reply.h"
#include "daemon/mgmt_stmf.h"
#include "ha/pair_node.h"
#include "lu/sbd/sbd_lu.h"
#include "mgmt/ops.h"
#include "mgmt/status_codes.h"

namespace openstmf::daemon {
namespace {

using mgmt::Caller;
using mgmt::Message;

class LuOps {
 public:
  LuOps(MgmtContext& ctx, StmfState& state) : fw_(*ctx.framework), state_(state), pair_(ctx.pair) {}

  Message Create(const Message& req) {
    auto props = PropsField(req);
    if (!props.ok()) return FailStatus(props.status());
    auto r = ParseCreateProps(*props);
    if (!r.ok()) return FailStatus(r.status());
    if (fw_.FindLuByPath(r->data) != nullptr) {
      return Fail(mgmt::kStmfErrorFileAlready, "file " + r->data + " is already in use by a LU");
    }
    if (r->guid && fw_.FindLu(*r->guid) != nullptr) {
      return Fail(mgmt::kStmfErrorExists, "GUID " + GuidHex(*r->guid) + " is already in use");
    }
    bool created = false;
    auto store = OpenStore(*r, &created);
    if (!store.ok()) return FailStatus(store.status());
    auto discard = [&] {
      if (created) unlink(r->data.c_str());
    };
    lu::LuMetadata md = (*store)->metadata();
    if (r->guid) md.guid = *r->guid;
    if (r->company_id) {
      md.company_id = *r->company_id;
      if (!r->guid) md.guid = lu::NewGuidWithCompanyId(*r->company_id);
    }
    if (!r->serial.empty()) md.serial = r->serial;
    if (r->guid || r->company_id) {
      if (r->serial.empty()) md.serial = GuidHex(md.guid).substr(16);
    }
    md.vendor = r->vendor;
    md.product = r->product;
    md.revision = r->revision;
    md.mgmt_url = r->mgmt_url;
    Status s = (*store)->SetProperties(md);
    if (!s.ok()) {
      discard();
      return FailStatus(s);
    }
    return Register(std::move(store).value(), discard);
  }

  Message Import(const Message& req) {
    const std::string file = req.Text("file");
    if (file.empty()) return Fail(mgmt::kStmfErrorInvalidArg, "import-lu needs a file");
    if (fw_.FindLuByPath(file) != nullptr) {
      return Fail(mgmt::kStmfErrorFileAlready, "file " + file + " is already in use by a LU");
    }
    auto store = lu::OpenLu(file);
    if (!store.ok()) {
      const Status& e = store.status();
      uint32_t code = e.sys_errno() == ENOENT      ? mgmt::kStmfErrorNotFound
                      : e.code() == Code::kCorrupt ? mgmt::kStmfErrorInvalidArg
                                                   : mgmt::kStmfStatusError;
      return Fail(code, e.message());
    }
    // The pair imports what the peer registers: that never undoes a delete on
    // the LU's owner (ha/pair_node.h), an administrator's import does.
    return Register(
        std::move(store).value(), [] {}, !req.Flag("from_peer"));
  }

  Message Modify(const Message& req) {
    stmf::LogicalUnit* u = Target(req);
    if (u == nullptr) return NotFound(req);
    if (pair_ != nullptr && !pair_->MayModify(u->guid())) {
      // Only the owner writes the shared metadata (ha/pair_node.h).
      return Fail(mgmt::kStmfErrorAccessStateSet,
                  "LU " + GuidHex(u->guid()) + " is owned by the peer node; modify it there");
    }
    auto props = PropsField(req);
    if (!props.ok()) return FailStatus(props.status());
    auto changes = ParseModifyProps(*props);
    if (!changes.ok()) return FailStatus(changes.status());
    const stmf::LuChanges undo = UndoOf(*changes, u->Metadata());
    Status s = fw_.ModifyLu(u->guid(), *changes);
    if (!s.ok()) return FailStatus(s);
    s = state_.Persist(LuBatch(u, fw_.LuOnline(u->guid()).value_or(true)));
    if (!s.ok()) {
      (void)fw_.ModifyLu(u->guid(), undo);
      return FailPersist(s);
    }
    return mgmt::Reply(0);
  }

  Message Delete(const Message& req) {
    auto guid = GuidField(req);
    if (!guid) return BadGuid();
    stmf::LogicalUnit* u = fw_.FindLu(*guid);
    if (u == nullptr) return Fail(mgmt::kStmfErrorNotFound, "LU " + GuidHex(*guid) + " not found");
    const bool keep_views = req.Flag("keep_views");
    std::vector<ConfigChange> batch;
    if (state_.transient_lus.count(*guid) == 0) {
      batch.push_back(ConfigChange::Delete("lu", GuidHex(*guid)));
    }
    if (!keep_views) {
      for (const stmf::ViewEntry& e :
           fw_.ReadViews([&](const stmf::Views& v) { return v.Entries(*guid); })) {
        batch.push_back(ConfigChange::Delete("view", ViewKey(*guid, e.index)));
      }
    }
    // Checked above and handlers run one at a time, so the in-memory part
    // cannot fail once the store has the change.
    Status s = state_.Persist(batch);
    if (!s.ok()) return FailPersist(s);
    if (pair_ != nullptr) pair_->Retire(*u);
    if (!keep_views) {
      fw_.WithViews([&](stmf::Views& v) {
        v.RemoveLu(*guid);
        return 0;
      });
    }
    (void)fw_.RemoveLu(*guid);
    state_.transient_lus.erase(*guid);
    return mgmt::Reply(0);
  }

  Message List(const Message&) {
    Message reply = mgmt::Reply(0);
    reply.Set("lus", Message::List{});
    for (stmf::LogicalUnit* u : fw_.Lus()) {
      reply.Append("lus", Message().Set("guid", GuidBytes(u->guid())));
    }
    return reply;
  }

  Message Get(const Message& req) {
    auto guid = GuidField(req);
    if (!guid) return BadGuid();
    stmf::LogicalUnit* u = fw_.FindLu(*guid);
    if (u == nullptr) return Fail(mgmt::kStmfErrorNotFound, "LU " + GuidHex(*guid) + " not found");
    Message reply = mgmt::Reply(0);
    for (const auto& [name, value] : LuPropsText(u->Metadata(), u->store().path())) {
      reply.Set(name, value);
    }
    reply.Set("guid", GuidBytes(*guid));
    reply.Set("provider", "sbd");
    reply.Set("state", fw_.LuOnline(*guid).value_or(false) ? "online" : "offline");
    if (pair_ != nullptr) {
      if (std::optional<ha::LuAccess> a = pair_->Access(*guid)) {
        // COMSTAR's access states (STMF_ACCESS_*): 0 active, 1 active->standby,
        // 2 standby, 3 standby->active; "alua_access" names the ALUA state.
        const bool owner = pair_->MayModify(*guid);
        reply.Set("access_state", *a == ha::LuAccess::kActive          ? "0"
                                  : *a != ha::LuAccess::kTransitioning ? "2"
                                  : owner                              ? "1"
                                                                       : "3");
        reply.Set("alua_access", ha::LuAccessName(*a));
      }
    }
    reply.Set(
        "view_count",
        uint64_t{fw_.ReadViews([&](const stmf::Views& v) { return v.Entries(*guid); }).size()});
    return reply;
  }

  Message SetOnline(const Message& req, bool online) {
    auto guid = GuidField(req);
    if (!guid) return BadGuid();
    stmf::LogicalUnit* u = fw_.FindLu(*guid);
    if (u == nullptr) return Fail(mgmt::kStmfErrorNotFound, "LU " + GuidHex(*guid) + " not found");
    const bool was = fw_.LuOnline(*guid).value_or(false);
    Status s = fw_.SetLuOnline(*guid, online);
    if (!s.ok()) return FailStatus(s);
    s = state_.Persist(LuBatch(u, online));
    if (!s.ok()) {
      (void)fw_.SetLuOnline(*guid, was);
      return FailPersist(s);
    }
    return mgmt::Reply(0);
  }

 private:
  Result<std::unique_ptr<lu::SbdStore>> OpenStore(const LuCreateRequest& r, bool* created) {
    lu::SbdCreateOptions o;
    o.size = r.size.value_or(0);
    o.block_size = r.block_size;
    o.alias = r.alias;
    o.write_protect = r.write_protect;
    o.write_cache_disabled = r.write_cache_disabled;
    o.removable = r.removable;
    struct stat st {};
    if (stat(r.data.c_str(), &st) != 0) {
      if (errno != ENOENT) return Status::FromErrno(errno, "stat of " + r.data);
      if (!r.size) {
        return Status(Code::kInvalidArgument, "file " + r.data + " does not exist; give a size")
            .WithDetail(static_cast<int>(mgmt::kStmfErrorMissingPropVal));
      }
      *created = true;
      return lu::CreateFileLu(r.data, o);
    }
    if (S_ISBLK(st.st_mode)) {
      RETURN_IF_ERROR(lu::FormatBlockDeviceLu(r.data, o));
      ASSIGN_OR_RETURN(auto store, lu::OpenLu(r.data));
      lu::LuMetadata md = store->metadata();
      md.alias = r.alias;
      RETURN_IF_ERROR(store->SetProperties(md));
      return store;
    }
    return lu::FormatFileLu(r.data, o);
  }

  // Stores and registers a new LU; `discard` undoes what creating it did.
  template <typename Discard>
  Message Register(std::unique_ptr<lu::SbdStore> store, Discard discard,
                   bool clear_retired = true) {
    const lu::LuMetadata md = store->metadata();
    const std::string path = store->path();
    if (fw_.FindLu(md.guid) != nullptr) {
      discard();
      return Fail(mgmt::kStmfErrorExists, "GUID " + GuidHex(md.guid) + " is already in use");
    }
    if (md.lease.retired && clear_retired) {
      // Brought back on purpose after its pair's owner deleted it: shared again,
      // held by no node yet (ha/pair_node.h).
      Status c = store->WriteLease({md.lease.owner_node, md.lease.generation, 0, false});
      if (!c.ok()) {
        discard();
        return FailStatus(c);
      }
    }
    const bool online = state_.default_lu_online;
    Status s = state_.Persist({LuObject(md, path, online)});
    if (!s.ok()) {
      discard();
      return FailPersist(s);
    }
    auto u = fw_.AddLu(std::move(store), online);
    if (!u.ok()) {
      Status undo = state_.Persist({ConfigChange::Delete("lu", GuidHex(md.guid))});
      if (!undo.ok()) Log(LogLevel::kError, "stmfd", "%s", undo.ToString().c_str());
      discard();
      return FailStatus(u.status());
    }
    Message reply = mgmt::Reply(0);
    reply.Set("guid", GuidBytes(md.guid));
    return reply;
  }

  std::vector<ConfigChange> LuBatch(stmf::LogicalUnit* u, bool online) {
    if (state_.transient_lus.count(u->guid()) != 0) return {};
    return {LuObject(u->Metadata(), u->store().path(), online)};
  }

  stmf::LogicalUnit* Target(const Message& req) {
    if (auto g = GuidField(req)) return fw_.FindLu(*g);
    return fw_.FindLuByPath(req.Text("file"));
  }
  Message NotFound(const Message& req) {
    if (auto g = GuidField(req)) {
      return Fail(mgmt::kStmfErrorNotFound, "LU " + GuidHex(*g) + " not found");
    }
    if (req.Has("file")) {
      return Fail(mgmt::kStmfErrorNotFound, "no LU is served from " + req.Text("file"));
    }
    return Fail(mgmt::kStmfErrorInvalidArg, "the request needs a LU GUID or file");
  }

  stmf::Framework& fw_;
  StmfState& state_;
  ha::PairNode* pair_;
};

}  // namespace

void RegisterLuOps(mgmt::Dispatcher& d, MgmtContext& ctx, StmfState& state) {
  auto ops = std::make_shared<LuOps>(ctx, state);
  auto bind = [&](const char* op, Message (LuOps::*fn)(const Message&)) {
    d.Register(op, [ops, fn](const Message& req, const Caller&) { return ((*ops).*fn)(req); });
  };
  bind(mgmt::kOpCreateLu, &LuOps::Create);
  bind(mgmt::kOpImportLu, &LuOps::Import);
  bind(mgmt::kOpModifyLu, &LuOps::Modify);
  bind(mgmt::kOpDeleteLu, &LuOps::Delete);
  bind(mgmt::kOpListLus, &LuOps::List);
  bind(mgmt::kOpGetLu, &LuOps::Get);
  d.Register(mgmt::kOpOnlineLu,
             [ops](const Message& req, const Caller&) { return ops->SetOnline(req, true); });
  d.Register(mgmt::kOpOfflineLu,
             [ops](const Message& req, const Caller&) { return ops->SetOnline(req, false); });
}

}  // namespace openstmf::daemon
