#include "port/isns/isns_server_address.h"

#include <algorithm>
#include <charconv>

namespace openstmf::isns {
namespace {

Status Invalid(std::string_view text, std::string_view why) {
  return Status(Code::kInvalidArgument,
                "iSNS server '" + std::string(text) + "': " + std::string(why));
}

Result<uint16_t> ParsePort(std::string_view text, std::string_view all) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) {
    return Invalid(all, "bad port '" + std::string(text) + "'");
  }
  return static_cast<uint16_t>(value);
}

}  // namespace

std::string IsnsServerAddress::ToString() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<IsnsServerAddress> ParseServerAddress(std::string_view text) {
  IsnsServerAddress a;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return Invalid(text, "missing ']'");
    a.host = std::string(text.substr(1, close - 1));
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return Invalid(text, "junk after ']'");
      port = rest.substr(1);
      if (port.empty()) return Invalid(text, "empty port");
    }
  } else if (std::count(text.begin(), text.end(), ':') > 1) {
    a.host = std::string(text);  // a bare IPv6 address, no port
  } else {
    const size_t colon = text.find(':');
    a.host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = text.substr(colon + 1);
      if (port.empty()) return Invalid(text, "empty port");
    }
  }
  if (a.host.empty()) return Invalid(text, "empty host");
  for (char c : a.host) {
    if (c == ' ' || c == ',' || c == '/' || c == '[' || c == ']') {
      return Invalid(text, "bad character in host");
    }
  }
  if (!port.empty()) {
    ASSIGN_OR_RETURN(a.port, ParsePort(port, text));
  }
  return a;
}

Result<std::vector<IsnsServerAddress>> ParseServerList(std::string_view text) {
  std::vector<IsnsServerAddress> servers;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) {
      ASSIGN_OR_RETURN(IsnsServerAddress a, ParseServerAddress(item));
      if (std::find(servers.begin(), servers.end(), a) != servers.end()) {
        return Invalid(item, "listed twice");
      }
      servers.push_back(std::move(a));
      if (servers.size() > kMaxServers) {
        return Status(Code::kInvalidArgument,
                      "more than " + std::to_string(kMaxServers) + " iSNS servers");
      }
    }
    start = comma + 1;
  }
  return servers;
}

}  // namespace openstmf::isns
