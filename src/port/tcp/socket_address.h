// SocketAddress: an IPv4 or IPv6 address and port, parsed from and printed as the
// text admins write ("127.0.0.1:3260", "[::1]:3260", "0.0.0.0", "[fe80::1%eth0]").
//
// Thread-safety: a value.
#ifndef OPENSTMF_PORT_TCP_SOCKET_ADDRESS_H
#define OPENSTMF_PORT_TCP_SOCKET_ADDRESS_H

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace openstmf::tcp {

class SocketAddress {
 public:
  SocketAddress() = default;
  // "host", "host:port", "[v6]", "[v6]:port"; numeric hosts only. Without a port,
  // default_port is used.
  static Result<SocketAddress> Parse(std::string_view text, uint16_t default_port);
  static SocketAddress FromSockaddr(const sockaddr* sa, socklen_t len);

  const sockaddr* sa() const { return reinterpret_cast<const sockaddr*>(&storage_); }
  socklen_t len() const { return len_; }
  int family() const { return storage_.ss_family; }
  uint16_t port() const;
  void set_port(uint16_t port);
  // The host part alone ("127.0.0.1", "::1").
  std::string Host() const;
  // "127.0.0.1:3260" or "[::1]:3260", the form iSCSI TargetAddress uses
  // (RFC 7143 §13.8).
  std::string ToString() const;

 private:
  sockaddr_storage storage_{};
  socklen_t len_ = 0;
};

}  // namespace openstmf::tcp

#endif  // OPENSTMF_PORT_TCP_SOCKET_ADDRESS_H
