// CallDaemon: one request to stmfd's management door for the admin tools that
// speak the door's named-field messages directly (itadm, aluaadm).
#ifndef OPENSTMF_CLI_COMMON_DAEMON_CALL_H
#define OPENSTMF_CLI_COMMON_DAEMON_CALL_H

#include <optional>

#include "cli/common/tool.h"
#include "mgmt/message.h"

namespace openstmf::cli {

// The daemon's reply when its status is success; otherwise prints the daemon's
// error (or why the door could not be reached) through ctx and returns nullopt.
std::optional<mgmt::Message> CallDaemon(const Context& ctx, const mgmt::Message& request);

}  // namespace openstmf::cli

#endif  // OPENSTMF_CLI_COMMON_DAEMON_CALL_H
