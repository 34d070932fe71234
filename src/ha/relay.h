// Relay: the heart of stmfproxy — keeps an authenticated link to the peer node
// up and moves proxy messages across it in both directions.
//
// Roles follow COMSTAR's stmfproxy: node 1 listens for the peer, node 0
// connects to it, retrying every retry_interval while the peer is not there.
// When a link breaks, both sides go back to that: node 0 reconnects, node 1
// accepts the next connection. A connection that fails authentication (wrong
// secret, garbage, silence) is dropped and logged and the relay keeps waiting.
//
// Messages from the local framework go out with Send(); messages from the peer
// are handed to the deliver callback on the relay's receive thread, in order.
// link_up / link_down are called on that thread when the link comes and goes
// (stmfproxy enables ALUA on link_up, as COMSTAR's does after connecting).
//
// Thread-safety: Send() from any thread; callbacks on the relay's thread.
#ifndef OPENSTMF_HA_RELAY_H
#define OPENSTMF_HA_RELAY_H

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "base/unique_fd.h"
#include "ha/peer_link.h"
#include "port/tcp/socket_address.h"

namespace openstmf::ha {

struct RelayOptions {
  uint8_t node = 0;                          // 0 connects, 1 listens
  std::string secret;                        // the pair's shared secret
  std::optional<tcp::SocketAddress> peer;    // node 0: where node 1 listens
  std::optional<tcp::SocketAddress> listen;  // node 1: where to listen
  std::chrono::milliseconds retry_interval{2000};
  std::chrono::milliseconds io_timeout{5000};
  std::chrono::milliseconds echo_interval{1000};  // liveness ping while idle
  // A message (or with coalesce, several) from the peer; the bytes are the
  // link's until deliver returns.
  std::function<void(std::span<const uint8_t>)> deliver;
  // With a limit, deliver may hand over the bytes of several frames that
  // arrived together, back to back, up to that many bytes (proxy messages
  // delimit themselves: proxy_msg.h); a larger frame still comes alone. 0: one
  // frame each.
  size_t coalesce = 0;
  std::function<void()> link_up;
  std::function<void(const Status& why)> link_down;
};

class Relay {
 public:
  static Result<std::unique_ptr<Relay>> Start(RelayOptions options);
  ~Relay();  // stops the thread and drops the link

  // Sends a message to the peer. Unavailable when the link is down.
  Status Send(std::span<const uint8_t> message);
  bool connected() const;
  // Node 1: the address actually listened on (port 0 picks one).
  std::optional<tcp::SocketAddress> listen_address() const { return bound_; }

 private:
  explicit Relay(RelayOptions options) : options_(std::move(options)) {}
  void Run();
  Result<std::unique_ptr<PeerLink>> NextLink();
  void Serve(PeerLink& link);
  bool Sleep(std::chrono::milliseconds d);

  RelayOptions options_;
  UniqueFd listener_;
  std::optional<tcp::SocketAddress> bound_;
  std::thread thread_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;           // guarded by mu_
  std::shared_ptr<PeerLink> link_;  // guarded by mu_
};

}  // namespace openstmf::ha

#endif  // OPENSTMF_HA_RELAY_H
