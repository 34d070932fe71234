// Views: which initiators see which logical units, through which target ports, at
// which LUN — the COMSTAR access-control model.
//
// A host group is a named set of initiator names; a target group a named set of
// target port names. A view entry exposes one LU (by GUID) to a host group (or all
// hosts) through a target group (or all targets) at a LUN. The LUN map of an I_T
// nexus is the union of the entries whose host side contains the initiator and
// whose target side contains the target port.
//
// Rules enforced here (the libstmf return codes they become are in parentheses):
//  - names of groups are 1..255 bytes, unique per kind (EXISTS / NOT_FOUND);
//  - a member is in at most one group of its kind (EXISTS);
//  - a group used by a view entry cannot be deleted (GROUP_IN_USE);
//  - two entries of one LU may not overlap in host x target (VE_CONFLICT);
//  - one LUN number may not reach two LUs for any overlapping host x target
//    (LUN_IN_USE); LUNs are 0..16383;
//  - without an explicit LUN, the lowest LUN free for the entry's reach is chosen.
// Every change that alters what an initiator sees bumps generation(), so callers
// can raise REPORTED LUNS DATA HAS CHANGED.
//
// Thread-safety: none; the framework serialises changes and publishes snapshots.
#ifndef OPENSTMF_STMF_VIEWS_H
#define OPENSTMF_STMF_VIEWS_H

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"

namespace openstmf::stmf {

using Guid = std::array<uint8_t, 16>;

constexpr uint32_t kMaxLun = 16383;  // SAM-5 flat space addressing

struct ViewEntry {
  uint32_t index = 0;        // per LU, assigned on add
  std::string host_group;    // empty: all hosts
  std::string target_group;  // empty: all targets
  uint32_t lun = 0;
  bool operator==(const ViewEntry&) const = default;
};

// A requested view entry: an absent LUN or index asks for the lowest free one.
struct ViewRequest {
  std::optional<uint32_t> index;
  std::string host_group;
  std::string target_group;
  std::optional<uint32_t> lun;
};

// One LU reachable by an I_T nexus.
struct LunMapping {
  uint32_t lun = 0;
  Guid guid{};
  bool operator==(const LunMapping&) const = default;
};

enum class GroupKind { kHost, kTarget };

// Status::detail() of the errors below, one per libstmf return code they map to.
enum ViewError : int {
  kViewGroupNotFound = 1,   // STMF_ERROR_GROUP_NOT_FOUND
  kViewMemberNotFound,      // STMF_ERROR_MEMBER_NOT_FOUND
  kViewExists,              // STMF_ERROR_EXISTS
  kViewNotFound,            // STMF_ERROR_NOT_FOUND
  kViewGroupInUse,          // STMF_ERROR_GROUP_IN_USE
  kViewConflict,            // STMF_ERROR_VE_CONFLICT
  kViewLunInUse,            // STMF_ERROR_LUN_IN_USE
  kViewInvalidHostGroup,    // STMF_ERROR_INVALID_HG
  kViewInvalidTargetGroup,  // STMF_ERROR_INVALID_TG
  kViewInvalidArg,          // STMF_ERROR_INVALID_ARG
};

class Views {
 public:
  Status CreateGroup(GroupKind kind, const std::string& name);
  Status DeleteGroup(GroupKind kind, const std::string& name);
  Status AddMember(GroupKind kind, const std::string& group, const std::string& member);
  Status RemoveMember(GroupKind kind, const std::string& group, const std::string& member);
  std::vector<std::string> Groups(GroupKind kind) const;
  Result<std::vector<std::string>> Members(GroupKind kind, const std::string& group) const;

  // Adds an entry for LU guid; returns it with its index and LUN filled in.
  Result<ViewEntry> AddEntry(const Guid& guid, const ViewRequest& request);
  Status RemoveEntry(const Guid& guid, uint32_t index);
  // Removes every entry of the LU (when it is deleted without -k).
  void RemoveLu(const Guid& guid);
  std::vector<ViewEntry> Entries(const Guid& guid) const;
  // Checks a request as AddEntry would, without adding it.
  Status Validate(const Guid& guid, const ViewRequest& request) const;

  // The LUs an initiator reaches through a target port, ordered by LUN.
  std::vector<LunMapping> LunMap(const std::string& initiator,
                                 const std::string& target_port) const;

  uint64_t generation() const { return generation_; }

 private:
  Result<ViewEntry> Check(const Guid& guid, const ViewRequest& request) const;
  std::map<std::string, std::set<std::string>>& GroupMap(GroupKind kind);
  const std::map<std::string, std::set<std::string>>& GroupMap(GroupKind kind) const;
  bool GroupInUse(GroupKind kind, const std::string& name) const;

  std::map<std::string, std::set<std::string>> host_groups_;
  std::map<std::string, std::set<std::string>> target_groups_;
  std::map<Guid, std::vector<ViewEntry>> entries_;
  uint64_t generation_ = 0;
};

}  // namespace openstmf::stmf

#endif  // OPENSTMF_STMF_VIEWS_H
