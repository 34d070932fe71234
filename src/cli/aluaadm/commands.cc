#include "cli/aluaadm/commands.h"

#include <libstmf.h>

#include <array>
#include <ostream>

#include "cli/common/json.h"
#include "cli/common/values.h"

namespace openstmf::cli {
namespace {

int Enable(const ParsedArgs& a, const Context& c) {
  const std::string& n = a.operands[0];
  if (n != "0" && n != "1") return c.Error("node \"" + n + "\": must be 0 or 1");
  int rc = stmfSetAluaState(B_TRUE, static_cast<uint32_t>(n[0] - '0'));
  if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc);
  return 0;
}

int Disable(const ParsedArgs& /*a*/, const Context& c) {
  int rc = stmfSetAluaState(B_FALSE, 0);
  if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc);
  return 0;
}

int Standby(const ParsedArgs& a, const Context& c) {
  auto guid = ParseGuid(a.operands[0]);
  if (!guid) return c.Error(a.operands[0] + ": invalid LU name (32 hexadecimal digits)");
  int rc = stmfLuStandby(&*guid);
  if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc, "LU " + a.operands[0]);
  return 0;
}

int ListState(const ParsedArgs& a, const Context& c) {
  boolean_t enabled = B_FALSE;
  uint32_t node = 0;
  int rc = stmfGetAluaState(&enabled, &node);
  if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc);
  if (WantsJson(a)) {
    c.out() << Json::Object()
                   .Add("alua_status", Json::String(enabled == B_TRUE ? "enabled" : "disabled"))
                   .Add("alua_node", Json::Number(node))
                   .Dump()
            << "\n";
  } else {
    c.out() << "ALUA Status       : " << (enabled == B_TRUE ? "enabled" : "disabled") << "\n"
            << "ALUA Node         : " << node << "\n";
  }
  return 0;
}

}  // namespace

int RunAluaadm(const Context& ctx, const std::vector<std::string>& args) {
  static const std::array<Subcommand, 4> kCommands = {{
      {"enable",
       {},
       1,
       1,
       "0|1",
       "Enables ALUA with this node as node 0 or 1 of the pair.",
       Enable},
      {"disable", {}, 0, 0, "", "Disables ALUA on this node.", Disable},
      {"standby",
       {},
       1,
       1,
       "LU-GUID",
       "Makes this node's LU Standby; the peer takes it over.",
       Standby},
      {"list-state",
       {kOutputOption},
       0,
       0,
       "[-o json]",
       "Shows the ALUA status and node.",
       ListState},
  }};
  return RunTool(ctx, kCommands, args);
}

}  // namespace openstmf::cli
