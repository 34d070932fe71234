// ProxyService: what stmfproxy does — joins the local stmfd's proxy door to the
// peer link.
//
//  - It creates a door (door_create) and installs it in the local stmfd
//    (stmfInitProxyDoor's mechanism, ha/proxy_client.h). stmfd calls that door
//    with each message for the peer; the door sends it on the link and returns a
//    uint32_t result (0: sent), as the stmfInitProxyDoor man page specifies.
//    Calls carrying descriptors are refused (EINVAL) and calls without data
//    (EFAULT), like COMSTAR's stmfproxy. stmfd's posts (its pipelined
//    connection) are read by one thread of the service's own, which takes
//    every post that has arrived before it sleeps again; a pool thread would
//    wake for each post that came while another was busy.
//  - Messages from the peer are posted to stmfd (stmfPostProxyMsg), in order.
//    Deliveries that fit a record go on a connection of their own to the handle
//    without waiting for stmfd's answer (door/pipelined_call.h), so the relay
//    reads the next frames while stmfd works; stmfd runs them in order, and a
//    larger delivery waits for every posted one to be answered first.
//  - When the link is up and the door installed, it enables ALUA on the local
//    node (stmfSetAluaState(B_TRUE, node)) — again after every reconnection or
//    stmfd restart, which re-initialises the pair as the man page allows.
//  - If stmfd stops (the door loses stmfd's reference, or a post fails), it
//    installs the door again as soon as stmfd is back.
//
// Thread-safety: Start/destructor from one thread; the rest is internal.
#ifndef OPENSTMF_STMFPROXY_PROXY_SERVICE_H
#define OPENSTMF_STMFPROXY_PROXY_SERVICE_H

#include <door.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>

#include "base/status.h"
#include "base/unique_fd.h"
#include "door/pipelined_call.h"
#include "event/event_loop.h"
#include "ha/loop_pipe_server.h"
#include "ha/relay.h"

namespace openstmf::stmfproxy {

struct ProxyServiceOptions {
  ha::RelayOptions relay;       // node, secret, peer/listen, timings (callbacks are set here)
  std::string proxy_door_path;  // stmfd's proxy door
  std::chrono::milliseconds install_retry{500};
  // Enables ALUA on the local stmfd for this node; returns an STMF_* status.
  std::function<uint32_t(uint8_t node)> enable_alua;
};

class ProxyService {
 public:
  static Result<std::unique_ptr<ProxyService>> Start(ProxyServiceOptions options);
  ~ProxyService();

  bool installed() const { return Handle() != nullptr; }
  bool linked() const { return relay_ && relay_->connected(); }
  // Messages stmfd posted (its pipelined connection) that the service's own
  // thread took and sent on; door calls are not counted.
  uint64_t posts_forwarded() const { return posts_forwarded_.load(std::memory_order_relaxed); }
  std::optional<tcp::SocketAddress> listen_address() const { return relay_->listen_address(); }

 private:
  explicit ProxyService(ProxyServiceOptions o) : options_(std::move(o)) {}
  static void DoorProc(void* cookie, char* argp, size_t arg_size, door_desc_t* dp, uint_t n_desc);
  // One message from stmfd for the peer: the door's uint32_t result.
  uint32_t Forward(std::span<const uint8_t> message);
  // Serves stmfd's pipelined connections on posts_loop_.
  Status StartPostServer();
  void Maintain();
  void Deliver(std::span<const uint8_t> message);
  // Posts a delivery on pipe_ without waiting; false when it must go by door_call.
  bool PostDelivery(const std::shared_ptr<const UniqueFd>& h, std::span<const uint8_t> message);
  // Takes stmfd's answers to posted deliveries (waiting up to timeout_ms for
  // the first); false when the connection failed.
  bool ReapDeliveries(int timeout_ms);
  // stmfd's answer to one delivery on handle (null: a handle already dropped).
  void Answered(uint32_t status, const UniqueFd* handle);
  // The handle stmfd gave us, kept open by whoever holds a reference.
  std::shared_ptr<const UniqueFd> Handle() const;
  // Closes the handle (once no call uses it); with `which`, only if it is
  // still that one (a newer install stays).
  void DropHandle(const char* why, const UniqueFd* which = nullptr);
  void MaybeEnableAlua();
  void Wake();

  ProxyServiceOptions options_;
  std::unique_ptr<ha::Relay> relay_;
  int door_ = -1;
  std::unique_ptr<event::EventLoop> posts_loop_;
  std::thread posts_thread_;
  std::shared_ptr<ha::LoopPipeServer> posts_;
  std::atomic<uint64_t> posts_forwarded_{0};
  mutable std::mutex handle_mu_;
  std::shared_ptr<const UniqueFd> handle_;  // guarded by handle_mu_; null: not installed
  std::atomic<bool> want_alua_{false};      // link or install changed since last enable
  std::atomic<int> active_{0};              // door procedures running; the destructor waits
  uint64_t dropped_ = 0;                    // relay thread only: messages stmfd was not there for
  std::chrono::steady_clock::time_point dropped_logged_{};  // relay thread only
  std::unique_ptr<door::PipelinedCall> pipe_;               // relay thread only: to pipe_handle_
  // relay thread only; weak, so the handle still closes when it is dropped
  std::weak_ptr<const UniqueFd> pipe_handle_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  bool poke_ = false;      // guarded by mu_
  std::thread thread_;
};

}  // namespace openstmf::stmfproxy

#endif  // OPENSTMF_STMFPROXY_PROXY_SERVICE_H
