// What stmfadm's list subcommands print, as pure functions of the data libstmf
// returned: COMSTAR's text layout, and the "-o json" documents (docs/stmfadm.md
// lists their keys, which stay stable).
//
// Thread-safety: pure functions.
#ifndef OPENSTMF_CLI_STMFADM_FORMAT_H
#define OPENSTMF_CLI_STMFADM_FORMAT_H

#include <libstmf.h>

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/common/json.h"

namespace openstmf::cli {

struct GroupInfo {
  std::string name;
  std::vector<std::string> members;
};
// "Host Group: hg1" (label "Host Group" / "Target Group"), members with -v.
std::string FormatGroups(std::string_view label, const std::vector<GroupInfo>& groups,
                         bool verbose);
Json GroupsJson(std::string_view key, const std::vector<GroupInfo>& groups);

struct ViewInfo {
  uint32_t index = 0;
  std::optional<std::string> host_group;    // nullopt: all hosts
  std::optional<std::string> target_group;  // nullopt: all targets
  uint32_t lun = 0;
};
ViewInfo ViewFromEntry(const stmfViewEntry& ve);
std::string FormatViews(const std::vector<ViewInfo>& views);
Json ViewsJson(std::string_view guid, const std::vector<ViewInfo>& views);

struct LuInfo {
  std::string guid;  // 32 upper-case hex digits
  std::optional<stmfLogicalUnitProperties> props;
  std::optional<uint32_t> view_count;
  // stmfGetLuProp values; nullopt: not set.
  struct Ext {
    std::optional<std::string> data_file, meta_file, size, block_size, mgmt_url, vendor, product,
        serial, write_protect, write_cache_disabled, access_state;
  };
  std::optional<Ext> ext;  // nullopt: the LU's properties could not be read
};
std::string FormatLu(const LuInfo& lu, bool verbose);
Json LuJson(const LuInfo& lu);
// "Active", "Active->Standby", "Standby", "Standby->Active", "Unknown".
std::string AccessStateText(std::string_view state);

struct SessionInfo {
  std::string initiator;
  std::string alias;
  time_t since = 0;
};
struct TargetInfo {
  std::string name;
  std::optional<stmfTargetProperties> props;
  std::optional<std::vector<SessionInfo>> sessions;
};
std::string FormatTarget(const TargetInfo& target, bool verbose);
Json TargetJson(const TargetInfo& target);

// ALUA as stmfGetAluaState reports it; known is false when that call failed.
struct AluaState {
  bool known = false;
  bool enabled = false;
  uint32_t node = 0;
};
std::string FormatState(const stmfState& state, const AluaState& alua);
Json StateJson(const stmfState& state, const AluaState& alua);

}  // namespace openstmf::cli

#endif  // OPENSTMF_CLI_STMFADM_FORMAT_H
