// sbdadm's subcommands (create-lu, delete-lu, import-lu, list-lu, modify-lu) on
// libstmf's public C API, and its entry point (argv without argv[0]).
//
// Thread-safety: run once per process.
#ifndef OPENSTMF_CLI_SBDADM_COMMANDS_H
#define OPENSTMF_CLI_SBDADM_COMMANDS_H

#include <span>
#include <string>

#include "cli/common/tool.h"

namespace openstmf::cli {

std::span<const Subcommand> SbdadmCommands();
int RunSbdadm(const Context& ctx, std::span<const std::string> args);

}  // namespace openstmf::cli

#endif  // OPENSTMF_CLI_SBDADM_COMMANDS_H
