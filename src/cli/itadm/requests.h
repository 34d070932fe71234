// itadm's options turned into management requests (the "it-*" operations of
// src/daemon/mgmt_iscsi.h), checked before anything reaches stmfd: option values
// that are wrong on their face (an auth method, -i, more than 8 iSNS servers, a
// secret's length) are refused here with the sentence itadm prints.
//
// Secrets are read by the caller (secret.h) and passed in, so these stay pure.
//
// Thread-safety: pure functions.
#ifndef OPENSTMF_CLI_ITADM_REQUESTS_H
#define OPENSTMF_CLI_ITADM_REQUESTS_H

#include <optional>
#include <string>

#include "base/status.h"
#include "cli/common/args.h"
#include "mgmt/message.h"

namespace openstmf::cli {

// create-target [-a auth] [-u user] [-n name | name] [-l alias] [-t tpg,...]
Result<mgmt::Message> CreateTargetRequest(const ParsedArgs& args,
                                          const std::optional<std::string>& secret);
// modify-target [...] [-n new-name] name
Result<mgmt::Message> ModifyTargetRequest(const ParsedArgs& args,
                                          const std::optional<std::string>& secret);
// create-tpg name portal...
Result<mgmt::Message> CreateTpgRequest(const ParsedArgs& args);
// create-initiator / modify-initiator [-u user] name
Result<mgmt::Message> InitiatorRequest(const ParsedArgs& args, bool create,
                                       const std::optional<std::string>& secret);
// modify-defaults [-a auth] [-r server] [-i enable|disable] [-I server,...]
Result<mgmt::Message> ModifyDefaultsRequest(const ParsedArgs& args,
                                            const std::optional<std::string>& radius_secret);

}  // namespace openstmf::cli

#endif  // OPENSTMF_CLI_ITADM_REQUESTS_H
