// PortRegistry: the framework's local ports and their sessions, as COMSTAR's STMF
// keeps them for stmfadm list-target and list-target -v.
//
// A local port is what a port provider registers for each target it serves,
// named by its devid — for iSCSI the target's IQN, as in COMSTAR — with an
// alias, the provider's name and the protocol (libstmf: FC 0 ... iSCSI 5). It is
// online or offline; the provider decides what offline means for logins (for
// iSCSI: none accepted, existing sessions logged out). Sessions are the I_T
// nexuses the provider has in full feature phase, each with the initiator's name
// and alias and when it began.
//
// Thread-safety: every method may be called from any thread (one mutex).
#ifndef OPENSTMF_STMF_PORT_REGISTRY_H
#define OPENSTMF_STMF_PORT_REGISTRY_H

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace openstmf::stmf {

inline constexpr uint8_t kProtocolIscsi = 5;  // libstmf STMF_PROTOCOL_ISCSI

struct LocalPort {
  std::string name;  // devid: "iqn.2026-11.org.openstmf:default"
  std::string alias;
  std::string provider;  // "iscsit"
  uint8_t protocol = kProtocolIscsi;
  bool online = true;
};

struct SessionInfo {
  uint64_t id = 0;
  std::string port;           // the local port's name
  std::string initiator;      // "iqn.1994-05.com.redhat:..."
  std::string alias;          // the initiator's alias, may be empty
  int64_t creation_time = 0;  // unix seconds
};

class PortRegistry {
 public:
  // kAlreadyExists when a port of that name is registered.
  Status Register(LocalPort port);
  // kNotFound when absent; the port's sessions go with it.
  Status Deregister(const std::string& name);
  // kNotFound when absent.
  Status SetOnline(const std::string& name, bool online);
  std::optional<LocalPort> Find(const std::string& name) const;
  std::vector<LocalPort> Ports() const;  // ordered by name

  // Returns the session's id (never 0). The port need not be registered.
  uint64_t AddSession(const std::string& port, const std::string& initiator,
                      const std::string& alias);
  void RemoveSession(uint64_t id);
  std::vector<SessionInfo> Sessions(const std::string& port) const;  // oldest first

 private:
  mutable std::mutex mu_;
  std::map<std::string, LocalPort> ports_;    // guarded by mu_
  std::map<uint64_t, SessionInfo> sessions_;  // guarded by mu_
  uint64_t next_session_ = 1;                 // guarded by mu_
};

}  // namespace openstmf::stmf

#endif  // OPENSTMF_STMF_PORT_REGISTRY_H
