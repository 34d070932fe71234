// PeerLink: the authenticated TCP connection between the two nodes' stmfproxy
// daemons, over which proxy messages (proxy_msg.h) travel.
//
// Establish() runs the PeerAuth exchange (peer_auth.h) on a connected socket and
// returns a link only when both sides proved they know the pair's secret. After
// that the link carries frames: a 4-byte big-endian length (at most kMaxFrame)
// followed by that many bytes, as COMSTAR's stmfproxy frames kernel messages.
// A peer that sends garbage, a frame longer than kMaxFrame, or stops in the
// middle of a frame gets an error (and the caller drops the link), never a hang:
// every read and write is bounded by a timeout.
//
// Thread-safety: Send() may be called from several threads at once (frames never
// interleave); Receive() from one thread at a time.
#ifndef OPENSTMF_HA_PEER_LINK_H
#define OPENSTMF_HA_PEER_LINK_H

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "base/status.h"
#include "base/unique_fd.h"
#include "ha/peer_auth.h"
#include "port/tcp/socket_address.h"

namespace openstmf::ha {

inline constexpr uint16_t kDefaultPeerPort = 6543;  // COMSTAR stmfproxy's port
inline constexpr size_t kMaxFrame = size_t{34} << 20;

class PeerLink {
 public:
  static Result<std::unique_ptr<PeerLink>> Establish(UniqueFd fd, PeerAuth auth,
                                                     std::chrono::milliseconds timeout);

  // Sends one frame; an error means the link is broken.
  Status Send(std::span<const uint8_t> frame);
  // Waits up to `idle` for the next frame to start (Unavailable on timeout with
  // the link intact), then reads it whole within the link's I/O timeout.
  // NotFound at a clean end of the link. With coalesce > 0, the frames that
  // have already arrived whole follow it back to back (without their lengths),
  // up to coalesce bytes in all; empty frames add nothing. The bytes live in
  // the link's receive buffer until the next Receive().
  Result<std::span<const uint8_t>> Receive(std::chrono::milliseconds idle, size_t coalesce = 0);
  // Wakes a Receive() in another thread and ends the link.
  void Shutdown();

  uint8_t peer_node() const { return peer_node_; }

 private:
  PeerLink(UniqueFd fd, uint8_t peer_node, std::chrono::milliseconds io_timeout)
      : fd_(std::move(fd)), peer_node_(peer_node), io_timeout_(io_timeout) {}

  // Reads what the socket has into rx_ (at least one byte), waiting until
  // deadline; NotFound / InvalidArgument when the peer closed.
  Status Fill(std::chrono::steady_clock::time_point deadline, const char* what);
  // The length of the frame starting at rx_[at], when its length is in.
  std::optional<uint32_t> FrameAt(size_t at) const;

  UniqueFd fd_;
  uint8_t peer_node_;
  std::chrono::milliseconds io_timeout_;
  std::mutex send_mu_;  // frames never interleave
  // Receive buffer: bytes [rx_start_, rx_end_) arrived and are not handed out.
  // One recv takes whatever is there, often several frames at once.
  std::vector<uint8_t> rx_;
  size_t rx_start_ = 0;
  size_t rx_end_ = 0;
};

// Blocking socket helpers for stmfproxy (numeric addresses, as SocketAddress).
Result<UniqueFd> ListenTcp(const tcp::SocketAddress& address);
Result<tcp::SocketAddress> LocalAddress(int fd);
// Waits up to timeout for a connection (Unavailable when none came).
Result<UniqueFd> AcceptTcp(int listen_fd, std::chrono::milliseconds timeout);
Result<UniqueFd> ConnectTcp(const tcp::SocketAddress& address, std::chrono::milliseconds timeout);

}  // namespace openstmf::ha

#endif  // OPENSTMF_HA_PEER_LINK_H
