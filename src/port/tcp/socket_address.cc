#include "port/tcp/socket_address.h"

#include <arpa/inet.h>
#include <netdb.h>

#include <charconv>
#include <cstring>

namespace openstmf::tcp {

Result<SocketAddress> SocketAddress::Parse(std::string_view text, uint16_t default_port) {
  std::string host;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) {
      return Status(Code::kInvalidArgument, "missing ']' in address \"" + std::string(text) + "\"");
    }
    host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        return Status(Code::kInvalidArgument,
                      "unexpected text after ']' in \"" + std::string(text) + "\"");
      }
      port_text = rest.substr(1);
    }
  } else {
    const size_t colon = text.find(':');
    const bool one_colon =
        colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos;
    if (one_colon) {
      host = std::string(text.substr(0, colon));
      port_text = text.substr(colon + 1);
    } else {
      host = std::string(text);  // no port, or a bare IPv6 address
    }
  }
  uint16_t port = default_port;
  if (!port_text.empty() || (text.size() > 0 && text.back() == ':')) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value > 65535) {
      return Status(Code::kInvalidArgument,
                    "bad port \"" + std::string(port_text) + "\" in \"" + std::string(text) + "\"");
    }
    port = static_cast<uint16_t>(value);
  }
  if (host.empty()) {
    return Status(Code::kInvalidArgument, "no host in address \"" + std::string(text) + "\"");
  }
  addrinfo hints{};
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  const std::string service = std::to_string(port);
  const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &res);
  if (rc != 0 || res == nullptr) {
    return Status(Code::kInvalidArgument, "\"" + host + "\" is not a numeric IPv4 or IPv6 address");
  }
  SocketAddress out = FromSockaddr(res->ai_addr, res->ai_addrlen);
  freeaddrinfo(res);
  return out;
}

SocketAddress SocketAddress::FromSockaddr(const sockaddr* sa, socklen_t len) {
  SocketAddress out;
  if (len > sizeof out.storage_) len = sizeof out.storage_;
  std::memcpy(&out.storage_, sa, len);
  out.len_ = len;
  return out;
}

uint16_t SocketAddress::port() const {
  if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
  if (family() == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
  }
  return 0;
}

void SocketAddress::set_port(uint16_t port) {
  if (family() == AF_INET) reinterpret_cast<sockaddr_in*>(&storage_)->sin_port = htons(port);
  if (family() == AF_INET6) reinterpret_cast<sockaddr_in6*>(&storage_)->sin6_port = htons(port);
}

std::string SocketAddress::Host() const {
  char host[NI_MAXHOST] = {};
  if (len_ == 0 || getnameinfo(sa(), len_, host, sizeof host, nullptr, 0, NI_NUMERICHOST) != 0) {
    return "?";
  }
  return host;
}

std::string SocketAddress::ToString() const {
  const std::string host = Host();
  const std::string port = std::to_string(this->port());
  return family() == AF_INET6 ? "[" + host + "]:" + port : host + ":" + port;
}

}  // namespace openstmf::tcp
