// aluaadm: switches ALUA on and off for this node of an ALUA pair and moves LUs
// to Standby (COMSTAR's aluaadm), on libstmf's public C API.
//
//   aluaadm enable 0|1       stmfSetAluaState(B_TRUE, node)
//   aluaadm disable          stmfSetAluaState(B_FALSE, 0)
//   aluaadm standby LU-GUID  stmfLuStandby(guid)
//   aluaadm list-state [-o json]   stmfGetAluaState
//
// Thread-safety: runs once per process.
#ifndef OPENSTMF_CLI_ALUAADM_COMMANDS_H
#define OPENSTMF_CLI_ALUAADM_COMMANDS_H

#include <string>
#include <vector>

#include "cli/common/tool.h"

namespace openstmf::cli {

int RunAluaadm(const Context& ctx, const std::vector<std::string>& args);

}  // namespace openstmf::cli

#endif  // OPENSTMF_CLI_ALUAADM_COMMANDS_H
