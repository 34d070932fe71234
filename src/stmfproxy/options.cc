#include "stmfproxy/options.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <string_view>

#include "base/cpu_list.h"
#include "ha/peer_auth.h"
#include "ha/peer_link.h"
#include "mgmt/client.h"

namespace openstmf::stmfproxy {
namespace {

Status Bad(const std::string& why) { return Status(Code::kInvalidArgument, why); }

}  // namespace

const char* Usage() {
  return "usage: stmfproxy -n 0|1 -s SECRET-FILE [-p PORT] [-l LISTEN-ADDR] [-R RUN-DIR]\n"
         "                 [-c CPUS] [-f] [PEER-ADDR[:PORT]]\n"
         "  node 1 listens for the peer (default 0.0.0.0:6543); node 0 connects to PEER-ADDR\n";
}

Result<std::string> ReadSecretFile(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return Status::FromErrno(errno, "secret file " + path);
  if ((st.st_mode & 077) != 0) {
    return Bad("secret file " + path + " is readable by others; chmod 600 it");
  }
  std::ifstream in(path);
  std::string secret;
  if (!in || !std::getline(in, secret)) return Bad("cannot read the secret from " + path);
  while (!secret.empty() && (secret.back() == '\r' || secret.back() == ' ')) secret.pop_back();
  if (secret.size() < ha::kMinSecret) {
    return Bad("the secret in " + path + " is shorter than " + std::to_string(ha::kMinSecret) +
               " characters");
  }
  return secret;
}

Result<Options> ParseOptions(int argc, char** argv) {
  Options o;
  std::optional<int> node;
  std::string secret_file, listen = "0.0.0.0", peer;
  uint16_t port = ha::kDefaultPeerPort;
  const char* env = getenv("OPENSTMF_RUN_DIR");
  o.run_dir = (env != nullptr && *env != '\0') ? env : mgmt::kDefaultRunDir;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    const bool takes_value =
        a == "-n" || a == "-s" || a == "-p" || a == "-l" || a == "-R" || a == "-c";
    std::string v;
    if (takes_value) {
      if (i + 1 >= argc) return Bad(std::string(a) + " needs a value");
      v = argv[++i];
    }
    if (a == "-h" || a == "--help" || a == "-?") {
      o.help = true;
      return o;
    }
    if (a == "-f" || a == "-d") {
      continue;
    }
    if (a == "-n") {
      if (v != "0" && v != "1") return Bad("-n must be 0 or 1, not \"" + v + "\"");
      node = v[0] - '0';
    } else if (a == "-s") {
      secret_file = v;
    } else if (a == "-p") {
      char* end = nullptr;
      long p = strtol(v.c_str(), &end, 10);
      if (end == v.c_str() || *end != '\0' || p < 1 || p > 65535) {
        return Bad("-p needs a TCP port, not \"" + v + "\"");
      }
      port = static_cast<uint16_t>(p);
    } else if (a == "-l") {
      listen = v;
    } else if (a == "-R") {
      o.run_dir = v;
    } else if (a == "-c") {
      auto cpus = ParseCpuList(v);
      if (!cpus.ok()) return Bad("-c: " + cpus.status().message());
      o.cpus = std::move(cpus).value();
    } else if (!a.empty() && a[0] == '-') {
      return Bad("unknown option " + std::string(a));
    } else if (peer.empty()) {
      peer = a;
    } else {
      return Bad("more than one peer address");
    }
  }
  if (!node) return Bad("-n 0|1 is required");
  o.node = static_cast<uint8_t>(*node);
  if (secret_file.empty()) return Bad("-s SECRET-FILE is required");
  ASSIGN_OR_RETURN(o.secret, ReadSecretFile(secret_file));
  if (o.node == 0) {
    if (peer.empty()) return Bad("node 0 needs the peer's address");
    auto p = tcp::SocketAddress::Parse(peer, port);
    if (!p.ok()) return Bad("peer address " + peer + ": " + p.status().message());
    o.peer = *p;
  } else {
    auto l = tcp::SocketAddress::Parse(listen, port);
    if (!l.ok()) return Bad("listen address " + listen + ": " + l.status().message());
    o.listen = *l;
  }
  return o;
}

}  // namespace openstmf::stmfproxy
