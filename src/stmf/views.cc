#include "stmf/views.h"

#include <algorithm>

namespace openstmf::stmf {
namespace {

const char* KindName(GroupKind kind) { return kind == GroupKind::kHost ? "host" : "target"; }

Status Err(Code code, ViewError detail, std::string message) {
  return Status(code, std::move(message)).WithDetail(detail);
}

// Members belong to at most one group of a kind, so two distinct groups never
// share a member: sides overlap when either is "all" or both name the same group.
bool SideOverlaps(const std::string& a, const std::string& b) {
  return a.empty() || b.empty() || a == b;
}

bool ReachOverlaps(const ViewEntry& e, const std::string& hg, const std::string& tg) {
  return SideOverlaps(e.host_group, hg) && SideOverlaps(e.target_group, tg);
}

std::string Describe(const std::string& hg, const std::string& tg) {
  return "host group " + (hg.empty() ? std::string("(all)") : "\"" + hg + "\"") +
         ", target group " + (tg.empty() ? std::string("(all)") : "\"" + tg + "\"");
}

}  // namespace

std::map<std::string, std::set<std::string>>& Views::GroupMap(GroupKind kind) {
  return kind == GroupKind::kHost ? host_groups_ : target_groups_;
}

const std::map<std::string, std::set<std::string>>& Views::GroupMap(GroupKind kind) const {
  return kind == GroupKind::kHost ? host_groups_ : target_groups_;
}

Status Views::CreateGroup(GroupKind kind, const std::string& name) {
  if (name.empty() || name.size() > 255) {
    return Err(Code::kInvalidArgument, kViewInvalidArg,
               std::string(KindName(kind)) + " group name must be 1 to 255 bytes");
  }
  if (!GroupMap(kind).emplace(name, std::set<std::string>{}).second) {
    return Err(Code::kAlreadyExists, kViewExists,
               std::string(KindName(kind)) + " group \"" + name + "\" already exists");
  }
  return Status::Ok();
}

bool Views::GroupInUse(GroupKind kind, const std::string& name) const {
  for (const auto& [guid, list] : entries_) {
    for (const ViewEntry& e : list) {
      if ((kind == GroupKind::kHost ? e.host_group : e.target_group) == name) return true;
    }
  }
  return false;
}

Status Views::DeleteGroup(GroupKind kind, const std::string& name) {
  auto& groups = GroupMap(kind);
  auto it = groups.find(name);
  if (it == groups.end()) {
    return Err(Code::kNotFound, kViewGroupNotFound,
               std::string(KindName(kind)) + " group \"" + name + "\" not found");
  }
  if (GroupInUse(kind, name)) {
    return Err(Code::kInvalidArgument, kViewGroupInUse,
               std::string(KindName(kind)) + " group \"" + name + "\" is used by a view entry");
  }
  groups.erase(it);
  return Status::Ok();
}

Status Views::AddMember(GroupKind kind, const std::string& group, const std::string& member) {
  auto& groups = GroupMap(kind);
  auto it = groups.find(group);
  if (it == groups.end()) {
    return Err(Code::kNotFound, kViewGroupNotFound,
               std::string(KindName(kind)) + " group \"" + group + "\" not found");
  }
  for (const auto& [name, members] : groups) {
    if (members.count(member) != 0) {
      std::string why = "\"" + member + "\" is already a member of ";
      why += std::string(KindName(kind)) + " group \"" + name + "\"";
      return Err(Code::kAlreadyExists, kViewExists, why);
    }
  }
  it->second.insert(member);
  if (GroupInUse(kind, group)) ++generation_;
  return Status::Ok();
}

Status Views::RemoveMember(GroupKind kind, const std::string& group, const std::string& member) {
  auto& groups = GroupMap(kind);
  auto it = groups.find(group);
  if (it == groups.end()) {
    return Err(Code::kNotFound, kViewGroupNotFound,
               std::string(KindName(kind)) + " group \"" + group + "\" not found");
  }
  if (it->second.erase(member) == 0) {
    return Err(
        Code::kNotFound, kViewMemberNotFound,
        "\"" + member + "\" is not a member of " + KindName(kind) + " group \"" + group + "\"");
  }
  if (GroupInUse(kind, group)) ++generation_;
  return Status::Ok();
}

std::vector<std::string> Views::Groups(GroupKind kind) const {
  std::vector<std::string> names;
  for (const auto& [name, members] : GroupMap(kind)) names.push_back(name);
  return names;
}

Result<std::vector<std::string>> Views::Members(GroupKind kind, const std::string& group) const {
  const auto& groups = GroupMap(kind);
  auto it = groups.find(group);
  if (it == groups.end()) {
    return Err(Code::kNotFound, kViewGroupNotFound,
               std::string(KindName(kind)) + " group \"" + group + "\" not found");
  }
  return std::vector<std::string>(it->second.begin(), it->second.end());
}

Result<ViewEntry> Views::Check(const Guid& guid, const ViewRequest& req) const {
  if (!req.host_group.empty() && host_groups_.count(req.host_group) == 0) {
    return Err(Code::kNotFound, kViewInvalidHostGroup,
               "host group \"" + req.host_group + "\" not found");
  }
  if (!req.target_group.empty() && target_groups_.count(req.target_group) == 0) {
    return Err(Code::kNotFound, kViewInvalidTargetGroup,
               "target group \"" + req.target_group + "\" not found");
  }
  if (req.lun && *req.lun > kMaxLun) {
    return Err(Code::kInvalidArgument, kViewInvalidArg,
               "LUN " + std::to_string(*req.lun) + " is out of range (0 to 16383)");
  }
  auto own = entries_.find(guid);
  if (own != entries_.end()) {
    for (const ViewEntry& e : own->second) {
      if (ReachOverlaps(e, req.host_group, req.target_group)) {
        return Err(Code::kAlreadyExists, kViewConflict,
                   "view entry " + std::to_string(e.index) + " of this LU already covers " +
                       Describe(req.host_group, req.target_group));
      }
      if (req.index && e.index == *req.index) {
        return Err(Code::kAlreadyExists, kViewExists,
                   "view entry " + std::to_string(e.index) + " already exists");
      }
    }
  }
  // LUNs taken by other LUs within this entry's reach.
  std::set<uint32_t> taken;
  for (const auto& [other, list] : entries_) {
    if (other == guid) continue;
    for (const ViewEntry& e : list) {
      if (ReachOverlaps(e, req.host_group, req.target_group)) taken.insert(e.lun);
    }
  }
  ViewEntry entry;
  entry.host_group = req.host_group;
  entry.target_group = req.target_group;
  if (req.lun) {
    if (taken.count(*req.lun) != 0) {
      return Err(Code::kAlreadyExists, kViewLunInUse,
                 "LUN " + std::to_string(*req.lun) + " is already used by another LU for " +
                     Describe(req.host_group, req.target_group));
    }
    entry.lun = *req.lun;
  } else {
    uint32_t lun = 0;
    while (lun <= kMaxLun && taken.count(lun) != 0) ++lun;
    if (lun > kMaxLun) {
      return Err(Code::kResourceExhausted, kViewLunInUse, "no free LUN left for this view");
    }
    entry.lun = lun;
  }
  if (req.index) {
    entry.index = *req.index;
  } else {
    std::set<uint32_t> used;
    if (own != entries_.end()) {
      for (const ViewEntry& e : own->second) used.insert(e.index);
    }
    while (used.count(entry.index) != 0) ++entry.index;
  }
  return entry;
}

Status Views::Validate(const Guid& guid, const ViewRequest& request) const {
  return Check(guid, request).status();
}

Result<ViewEntry> Views::AddEntry(const Guid& guid, const ViewRequest& request) {
  ASSIGN_OR_RETURN(ViewEntry entry, Check(guid, request));
  auto& list = entries_[guid];
  list.push_back(entry);
  std::sort(list.begin(), list.end(),
            [](const ViewEntry& a, const ViewEntry& b) { return a.index < b.index; });
  ++generation_;
  return entry;
}

Status Views::RemoveEntry(const Guid& guid, uint32_t index) {
  auto it = entries_.find(guid);
  if (it != entries_.end()) {
    auto& list = it->second;
    auto e = std::find_if(list.begin(), list.end(),
                          [&](const ViewEntry& v) { return v.index == index; });
    if (e != list.end()) {
      list.erase(e);
      if (list.empty()) entries_.erase(it);
      ++generation_;
      return Status::Ok();
    }
  }
  return Err(Code::kNotFound, kViewNotFound,
             "view entry " + std::to_string(index) + " not found for this LU");
}

void Views::RemoveLu(const Guid& guid) {
  if (entries_.erase(guid) != 0) ++generation_;
}

std::vector<ViewEntry> Views::Entries(const Guid& guid) const {
  auto it = entries_.find(guid);
  return it == entries_.end() ? std::vector<ViewEntry>{} : it->second;
}

std::vector<LunMapping> Views::LunMap(const std::string& initiator,
                                      const std::string& target_port) const {
  auto contains = [](const std::map<std::string, std::set<std::string>>& groups,
                     const std::string& group, const std::string& member) {
    if (group.empty()) return true;
    auto it = groups.find(group);
    return it != groups.end() && it->second.count(member) != 0;
  };
  std::vector<LunMapping> map;
  for (const auto& [guid, list] : entries_) {
    for (const ViewEntry& e : list) {
      if (contains(host_groups_, e.host_group, initiator) &&
          contains(target_groups_, e.target_group, target_port)) {
        map.push_back({e.lun, guid});
      }
    }
  }
  std::sort(map.begin(), map.end(),
            [](const LunMapping& a, const LunMapping& b) { return a.lun < b.lun; });
  return map;
}

}  // namespace openstmf::stmf
