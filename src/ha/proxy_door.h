// ProxyDoor: stmfd's end of the STMF proxy service — where stmfproxy installs
// its door (stmfInitProxyDoor) and posts the peer's messages (stmfPostProxyMsg).
//
// COMSTAR does this with ioctls on the pppt driver. openstmf publishes a door at
// <run-dir>/stmfd-proxy.door instead:
//   - install: a door call carrying the request {op: "proxy-install"} and exactly
//     one descriptor, stmfproxy's door. stmfd keeps that door and answers with a
//     new door of its own, the handle; a second install while one is in place is
//     refused with STMF_ERROR_DOOR_INSTALLED.
//   - post: a door call on the handle with a proxy message's bytes; the reply is
//     a uint32_t result, 0 when stmfd accepted the message.
//   - uninstall: when stmfproxy closes the handle (stmfDestroyProxyDoor) or dies,
//     the handle's last outside reference goes and stmfd drops the installed door.
// To the peer, stmfd calls stmfproxy's door as the stmfInitProxyDoor man page
// specifies: data_ptr/data_size carry the message, no descriptors, and the door
// returns a uint32_t result; a non-zero result is logged.
//
// Only root (or the admin group) may install: the caller is checked with
// door_ucred like the management door's. The handle it gets back is a
// capability (it has no name in the file system), so posts are not checked
// again — that check read /proc on every call, on the data path of every
// proxied command.
//
// Posting: Send() makes one door call and waits for its answer. TryPost() is for
// event loops, which must not wait: it sends on a connection of its own to
// stmfproxy's door (door/pipelined_call.h) and collects the answers on later
// posts. stmfproxy runs that connection's calls in the order they were sent, and
// Send() first waits until every posted call is answered, so the peer gets the
// messages of both in the order they were handed over.
//
// Serving posts on a loop: given an event loop and on_loop_message, stmfd serves
// stmfproxy's posting connection to the handle on that loop (ha/loop_pipe_server.h),
// so a posted message is handled where it is run, without a door server thread
// waking first. A message on_loop_message declines (one that may block) is
// handled by on_message on a thread of its own, and the connection waits for it.
// Door calls (messages too large to post) still run on door server threads.
//
// Thread-safety: Send(), TryPost() and installed() from any thread (TryPost never
// blocks); callbacks run on door server threads or the loop, one message at a
// time per handle.
#ifndef OPENSTMF_HA_PROXY_DOOR_H
#define OPENSTMF_HA_PROXY_DOOR_H

#include <door.h>
#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>

#include "base/status.h"
#include "base/unique_fd.h"
#include "door/pipelined_call.h"
#include "event/event_loop.h"
#include "ha/loop_pipe_server.h"

namespace openstmf::ha {

inline constexpr const char* kProxyDoorFileName = "stmfd-proxy.door";
// Posted calls that may wait for their answers (well below what the
// connection's socket buffers hold, so stmfproxy's answers always fit).
inline constexpr size_t kMaxPosted = 16;

// The uint32_t result a posted proxy call was answered with (both proxy doors
// answer one), or `otherwise` when the answer failed or is too short.
inline uint32_t PostedResult(const Status& answer, std::span<const uint8_t> data,
                             uint32_t otherwise) {
  uint32_t result = otherwise;
  if (answer.ok() && data.size() >= sizeof result) std::memcpy(&result, data.data(), sizeof result);
  return result;
}

struct ProxyDoorCallbacks {
  // Whether a caller with these credentials may use the proxy service.
  std::function<bool(uid_t euid, gid_t egid, const gid_t* groups, int ngroups)> allowed;
  // A message from the peer node; returns 0 or a non-zero failure code.
  std::function<uint32_t(std::span<const uint8_t> message)> on_message;
  // The same on the serving loop: nullopt when the message must not be handled
  // there (it then goes to on_message, off the loop).
  std::function<std::optional<uint32_t>(std::span<const uint8_t> message)> on_loop_message;
  std::function<void()> on_installed;
  std::function<void()> on_uninstalled;
};

class ProxyDoor {
 public:
  // loop: where posted messages are handled (with on_loop_message), or null.
  static Result<std::unique_ptr<ProxyDoor>> Start(const std::string& path,
                                                  ProxyDoorCallbacks callbacks,
                                                  event::EventLoop* loop = nullptr);
  // Revokes both doors, then waits for procedures already running to end.
  ~ProxyDoor();
  ProxyDoor(const ProxyDoor&) = delete;
  ProxyDoor& operator=(const ProxyDoor&) = delete;

  // Sends a message to the peer through stmfproxy's door. Unavailable when no
  // door is installed or stmfproxy is gone (the door is then dropped).
  Status Send(std::span<const uint8_t> message);
  // Sends a batch of `messages` without waiting. kResourceExhausted when it
  // cannot now (no door, a Send() under way, kMaxPosted calls unanswered, or the
  // connection full): the caller then uses Send(). *lost gets how many messages
  // earlier posts' answers said were not delivered.
  Status TryPost(std::span<const uint8_t> batch, size_t messages, size_t* lost);
  bool installed() const;

 private:
  ProxyDoor(std::string path, ProxyDoorCallbacks cb) : path_(std::move(path)), cb_(std::move(cb)) {}
  static void InstallProc(void* cookie, char* argp, size_t arg_size, door_desc_t* dp,
                          uint_t n_desc);
  static void PostProc(void* cookie, char* argp, size_t arg_size, door_desc_t* dp, uint_t n_desc);
  bool CallerAllowed();
  // Fills reply_ (thread-local in the procedures) and returns the handle or -1.
  uint32_t Install(int proxy_fd, int* handle_out);
  void Uninstall(const char* why);
  // The posting connection for the installed door, opened when needed; null
  // when none can be. pipe_mu_ held.
  door::PipelinedCall* PipeLocked();
  // Collects answers (waiting up to timeout_ms for the first); adds the
  // messages of failed ones to pipe_lost_. pipe_mu_ held.
  void ReapLocked(int timeout_ms);

  const std::string path_;
  const ProxyDoorCallbacks cb_;
  std::shared_ptr<LoopPipeServer> loop_server_;  // set by Start() when serving on a loop
  int door_ = -1;                                // the published install door
  // Procedures running on this object; the destructor waits for them to end.
  std::atomic<int> active_{0};

  mutable std::mutex mu_;
  std::shared_ptr<const UniqueFd> proxy_;  // stmfproxy's door; guarded by mu_
  int handle_ = -1;                        // our door handed to stmfproxy; guarded by mu_

  std::mutex pipe_mu_;  // the posting connection; Send() holds it for its whole call
  std::unique_ptr<door::PipelinedCall> pipe_;  // guarded by pipe_mu_
  std::shared_ptr<const UniqueFd> pipe_door_;  // the door pipe_ goes to; guarded by pipe_mu_
  std::deque<size_t> pipe_counts_;             // messages per unanswered post; pipe_mu_
  size_t pipe_lost_ = 0;                       // guarded by pipe_mu_
};

}  // namespace openstmf::ha

#endif  // OPENSTMF_HA_PROXY_DOOR_H
