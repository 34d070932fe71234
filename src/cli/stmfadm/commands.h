// stmfadm's subcommands, each a function of its parsed arguments that calls
// libstmf's public C API and prints COMSTAR's output. Every argument is checked
// before the first call to the daemon, so a bad argument changes nothing.
//
// Thread-safety: run once per process.
#ifndef OPENSTMF_CLI_STMFADM_COMMANDS_H
#define OPENSTMF_CLI_STMFADM_COMMANDS_H

#include <span>
#include <string>

#include "cli/common/tool.h"

namespace openstmf::cli {

// Host and target groups (groups.cc).
int CreateHg(const ParsedArgs& a, const Context& c);
int DeleteHg(const ParsedArgs& a, const Context& c);
int AddHgMember(const ParsedArgs& a, const Context& c);
int RemoveHgMember(const ParsedArgs& a, const Context& c);
int ListHg(const ParsedArgs& a, const Context& c);
int CreateTg(const ParsedArgs& a, const Context& c);
int DeleteTg(const ParsedArgs& a, const Context& c);
int AddTgMember(const ParsedArgs& a, const Context& c);
int RemoveTgMember(const ParsedArgs& a, const Context& c);
int ListTg(const ParsedArgs& a, const Context& c);

// Views (views.cc).
int AddView(const ParsedArgs& a, const Context& c);
int RemoveView(const ParsedArgs& a, const Context& c);
int ListView(const ParsedArgs& a, const Context& c);

// Logical units (lu.cc, list_lu.cc).
int CreateLu(const ParsedArgs& a, const Context& c);
int ModifyLu(const ParsedArgs& a, const Context& c);
int ImportLu(const ParsedArgs& a, const Context& c);
int DeleteLu(const ParsedArgs& a, const Context& c);
int OnlineLu(const ParsedArgs& a, const Context& c);
int OfflineLu(const ParsedArgs& a, const Context& c);
int ListLu(const ParsedArgs& a, const Context& c);

// Targets and the service (targets.cc).
int ListTarget(const ParsedArgs& a, const Context& c);
int OnlineTarget(const ParsedArgs& a, const Context& c);
int OfflineTarget(const ParsedArgs& a, const Context& c);
int ListState(const ParsedArgs& a, const Context& c);

// The whole table, and stmfadm's entry point (argv without argv[0]).
std::span<const Subcommand> StmfadmCommands();
int RunStmfadm(const Context& ctx, std::span<const std::string> args);

}  // namespace openstmf::cli

#endif  // OPENSTMF_CLI_STMFADM_COMMANDS_H
