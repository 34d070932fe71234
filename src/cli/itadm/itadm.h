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
#include "cli/common/daemon_call.h"
#include "cli/common/tool.h"
#include "mgmt/message.h"

namespace openstmf::cli {

int RunItadm(const Context& ctx, std::span<const std::string> args);

// The list subcommands (list.cc).
int ListTarget(const ParsedArgs& args, const Context& ctx);
int ListTpg(const ParsedArgs& args, const Context& ctx);
int ListInitiator(const ParsedArgs& args, const Context& ctx);
int ListDefaults(const ParsedArgs& args, const Context& ctx);

}  // namespace openstmf::cli

#endif  // OPENSTMF_CLI_ITADM_ITADM_H
