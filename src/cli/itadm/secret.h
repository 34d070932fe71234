// How itadm takes CHAP and RADIUS secrets, as Solaris itadm does: -s prompts on
// the terminal without echo and asks again to confirm (when standard input is
// not a terminal it reads one line from it instead, for scripts); -S / -D read
// the file named (a final newline is dropped). Secrets are 12..255 characters
// (RFC 7143 §12.1.3 recommends at least 12; illumos enforces it).
//
// Thread-safety: ReadSecretPrompt changes the terminal's echo while it reads.
#ifndef OPENSTMF_CLI_ITADM_SECRET_H
#define OPENSTMF_CLI_ITADM_SECRET_H

#include <string>
#include <string_view>

#include "base/status.h"

namespace openstmf::cli {

// Length check; the sentence names no secret.
Status CheckSecretLength(std::string_view secret);
// The file's contents without one trailing newline (a regular file at most 1 KiB).
Result<std::string> ReadSecretFile(const std::string& path);
// Prompt (on a terminal, twice) or one line of standard input.
Result<std::string> ReadSecretPrompt(const char* prompt);

}  // namespace openstmf::cli

#endif  // OPENSTMF_CLI_ITADM_SECRET_H
