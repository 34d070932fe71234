// itadm: the iSCSI target's administration (Solaris/illumos itadm(8)), talking to
// stmfd's management door with the "it-*" operations (src/daemon/mgmt_iscsi.h).
// See docs/itadm.md and docs/man/itadm.1.
//
// Thread-safety: one run per process.
#ifndef OPENSTMF_CLI_ITADM_ITADM_H
#define OPENSTMF_CLI_ITADM_ITADM_H

#include <span>
#include <string>

#include "base/status.h"
#include "cli/common/tool.h"
#include "mgmt/message.h"

namespace openstmf::cli {

int RunItadm(const Context& ctx, std::span<const std::string> args);

// Sends a request to stmfd. A daemon that is not running, or a reply whose
// status is not 0, is printed as an error; nullopt then.
std::optional<mgmt::Message> CallDaemon(const Context& ctx, const mgmt::Message& request);

// The list subcommands (list.cc).
int ListTarget(const ParsedArgs& args, const Context& ctx);
int ListTpg(const ParsedArgs& args, const Context& ctx);
int ListInitiator(const ParsedArgs& args, const Context& ctx);
int ListDefaults(const ParsedArgs& args, const Context& ctx);

}  // namespace openstmf::cli

#endif  // OPENSTMF_CLI_ITADM_ITADM_H
