// stmfproxy's command line.
//
//   stmfproxy -n 0|1 -s SECRET-FILE [-p PORT] [-l LISTEN-ADDR] [-R RUN-DIR]
//             [-c CPUS] [-f] [PEER-ADDR]
//
//   -n NODE   this node's number; node 1 listens for the peer, node 0 connects
//   -s FILE   the pair's shared secret (first line; at least 12 characters; the
//             file must not be readable by group or others)
//   -p PORT   the peer link's TCP port (default 6543, as COMSTAR's)
//   -l ADDR   node 1: the address to listen on (default 0.0.0.0; [::] for IPv6)
//   -R DIR    stmfd's run directory (default $OPENSTMF_RUN_DIR or /run/openstmf)
//   -c CPUS   run only on these CPUs ("0", "0-3", "1,3"; default: any); give it
//             the CPUs of stmfd's --cpus so that a hand-off to stmfd is a
//             context switch, not a wake-up on another CPU
//   -f        stay in the foreground (the only mode; accepted for scripts)
//   PEER-ADDR node 0: node 1's numeric address, with an optional :PORT
//
// Thread-safety: values.
#ifndef OPENSTMF_STMFPROXY_OPTIONS_H
#define OPENSTMF_STMFPROXY_OPTIONS_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "port/tcp/socket_address.h"

namespace openstmf::stmfproxy {

struct Options {
  uint8_t node = 0;
  std::string secret;
  std::optional<tcp::SocketAddress> peer;    // node 0
  std::optional<tcp::SocketAddress> listen;  // node 1
  std::string run_dir;
  std::vector<unsigned> cpus;  // empty: any CPU
  bool help = false;
};

// Parses argv and reads the secret file; InvalidArgument naming what is wrong.
Result<Options> ParseOptions(int argc, char** argv);
// Reads and checks a secret file.
Result<std::string> ReadSecretFile(const std::string& path);
const char* Usage();

}  // namespace openstmf::stmfproxy

#endif  // OPENSTMF_STMFPROXY_OPTIONS_H
