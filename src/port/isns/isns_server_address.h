// The iSNS servers an admin configures: "host[:port]" each, as itadm's
// `modify-defaults -I server[:port],...` writes them (at most kMaxServers).
//
// host is a DNS name, an IPv4 address or a bracketed IPv6 address ("[2001:db8::1]",
// "[::1]:3205"); an unbracketed IPv6 address without a port is accepted too. The port
// defaults to 3205 (RFC 4171 §5.1).
//
// Thread-safety: values and pure functions.
#ifndef OPENSTMF_PORT_ISNS_ISNS_SERVER_ADDRESS_H
#define OPENSTMF_PORT_ISNS_ISNS_SERVER_ADDRESS_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace openstmf::isns {

inline constexpr size_t kMaxServers = 8;  // as Solaris itadm allows

struct IsnsServerAddress {
  std::string host;  // name or address, without brackets
  uint16_t port = 3205;

  // "isns.example.com:3205", "192.0.2.7:3205", "[2001:db8::7]:3205".
  std::string ToString() const;
  bool operator==(const IsnsServerAddress&) const = default;
};

Result<IsnsServerAddress> ParseServerAddress(std::string_view text);
// Comma-separated list; empty entries are skipped; more than kMaxServers or a
// repeated server is an error.
Result<std::vector<IsnsServerAddress>> ParseServerList(std::string_view text);

}  // namespace openstmf::isns

#endif  // OPENSTMF_PORT_ISNS_ISNS_SERVER_ADDRESS_H
