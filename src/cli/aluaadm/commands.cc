#include "cli/aluaadm/commands.h"

#include <libstmf.h>

#include <array>
#include <ostream>

#include "cli/common/daemon_call.h"
#include "cli/common/json.h"
#include "cli/common/values.h"
#include "mgmt/ops.h"

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

int Active(const ParsedArgs& a, const Context& c) {
  auto guid = ParseGuid(a.operands[0]);
  if (!guid) return c.Error(a.operands[0] + ": invalid LU name (32 hexadecimal digits)");
  mgmt::Message req(mgmt::kOpLuActive);
  req.Set("guid", std::string_view(reinterpret_cast<const char*>(guid->guid), 16));
  return CallDaemon(c, req) ? 0 : 1;
}

int ListState(const ParsedArgs& a, const Context& c) {
  auto state = CallDaemon(c, mgmt::Message(mgmt::kOpAluaGetState));
  if (!state) return 1;
  auto lus = CallDaemon(c, mgmt::Message(mgmt::kOpAluaListLu));
  if (!lus) return 1;
  const bool enabled = state->Flag("enabled");
  const uint64_t node = state->NumberOr("node", 0);
  const std::string peer = !enabled ? "-" : state->Flag("peer") ? "reachable" : "unreachable";
  const std::string mode = state->Text("mode", "-");
  std::vector<std::pair<std::string, std::string>> rows;
  if (const mgmt::Message::List* list = lus->ListOf("lus")) {
    for (const mgmt::Message& m : *list) {
      std::string g = m.Text("guid");
      if (g.size() != 16) continue;
      stmfGuid guid{};
      std::copy(g.begin(), g.end(), guid.guid);
      rows.emplace_back(GuidText(guid), m.Text("access"));
    }
  }
  if (WantsJson(a)) {
    Json list = Json::Array();
    for (const auto& [g, access] : rows) {
      list.Push(
          Json::Object().Add("lu", Json::String(g)).Add("access_state", Json::String(access)));
    }
    c.out() << Json::Object()
                   .Add("alua_status", Json::String(enabled ? "enabled" : "disabled"))
                   .Add("alua_node", Json::Number(node))
                   .Add("peer", Json::String(peer))
                   .Add("mode", Json::String(mode))
                   .Add("lus", std::move(list))
                   .Dump()
            << "\n";
  } else {
    c.out() << "ALUA Status       : " << (enabled ? "enabled" : "disabled") << "\n"
            << "ALUA Node         : " << node << "\n"
            << "Peer Node         : " << peer << "\n"
            << "Proxy Mode        : " << mode << "\n";
    for (const auto& [g, access] : rows) {
      c.out() << "LU " << g << " : " << access << "\n";
    }
  }
  return 0;
}

}  // namespace

int RunAluaadm(const Context& ctx, const std::vector<std::string>& args) {
  static const std::array<Subcommand, 5> kCommands = {{
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
      {"active",
       {},
       1,
       1,
       "LU-GUID",
       "Asks the peer for the LU; this node becomes its owner.",
       Active},
      {"list-state",
       {kOutputOption},
       0,
       0,
       "[-o json]",
       "Shows the ALUA status, node, peer, proxy mode and each LU's access state.",
       ListState},
  }};
  return RunTool(ctx, kCommands, args);
}

}  // namespace openstmf::cli
