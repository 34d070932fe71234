#include "ha/proxy_door.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <ucred.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "base/log.h"
#include "door/served_pipeline.h"
#include "mgmt/message.h"
#include "mgmt/status_codes.h"

namespace openstmf::ha {
namespace {

// door_return() does not return: replies live in thread-local storage.
struct ReplyBuffer {
  std::vector<uint8_t> bytes;
  door_desc_t desc{};
  uint32_t result = 0;
};

// Counts a running procedure for the destructor.
class ActiveGuard {
 public:
  explicit ActiveGuard(std::atomic<int>& n) : n_(n) { ++n_; }
  ~ActiveGuard() { --n_; }
  ActiveGuard(const ActiveGuard&) = delete;
  ActiveGuard& operator=(const ActiveGuard&) = delete;

 private:
  std::atomic<int>& n_;
};

ReplyBuffer& Buffer() {
  thread_local ReplyBuffer b;
  return b;
}

}  // namespace

Result<std::unique_ptr<ProxyDoor>> ProxyDoor::Start(const std::string& path,
                                                    ProxyDoorCallbacks callbacks,
                                                    event::EventLoop* loop) {
  std::unique_ptr<ProxyDoor> d(new ProxyDoor(path, std::move(callbacks)));
  if (loop != nullptr && d->cb_.on_loop_message) {
    LoopPipeServer::Handlers h;
    h.on_loop = d->cb_.on_loop_message;
    h.off_loop = [p = d.get()](std::span<const uint8_t> m) -> uint32_t {
      return p->cb_.on_message ? p->cb_.on_message(m) : mgmt::kStmfStatusError;
    };
    d->loop_server_ = LoopPipeServer::Start(loop, std::move(h));
  }
  d->door_ = door_create(&ProxyDoor::InstallProc, d.get(), 0);
  if (d->door_ < 0) return Status::FromErrno(errno, "door_create");
  if (unlink(path.c_str()) != 0 && errno != ENOENT) {
    return Status::FromErrno(errno, "remove stale " + path);
  }
  if (fattach(d->door_, path.c_str()) != 0) {
    return Status::FromErrno(errno, "publish the proxy door at " + path);
  }
  if (chmod(path.c_str(), 0666) != 0) return Status::FromErrno(errno, "chmod " + path);
  return d;
}

ProxyDoor::~ProxyDoor() {
  if (door_ >= 0) {
    fdetach(path_.c_str());
    door_revoke(door_);
  }
  {
    // The handle first: a revoked door gets no unreferenced call, so closing
    // stmfproxy's door below cannot start one here any more.
    std::lock_guard<std::mutex> lock(mu_);
    if (handle_ >= 0) door_revoke(handle_);
    handle_ = -1;
    proxy_.reset();
  }
  if (loop_server_) loop_server_->Stop();
  while (active_.load() != 0) usleep(1000);
}

bool ProxyDoor::installed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return proxy_ != nullptr;
}

bool ProxyDoor::CallerAllowed() {
  ucred_t* uc = nullptr;
  if (door_ucred(&uc) != 0) return false;
  const gid_t* groups = nullptr;
  int n = ucred_getgroups(uc, &groups);
  bool ok = cb_.allowed ? cb_.allowed(ucred_geteuid(uc), ucred_getegid(uc), groups, n)
                        : ucred_geteuid(uc) == 0;
  pid_t pid = ucred_getpid(uc);
  ucred_free(uc);
  if (!ok) Log(LogLevel::kWarn, "proxy", "refused the proxy service to pid %d", pid);
  return ok;
}

uint32_t ProxyDoor::Install(int proxy_fd, int* handle_out) {
  std::lock_guard<std::mutex> lock(mu_);
  if (proxy_ != nullptr) return mgmt::kStmfErrorDoorInstalled;
  int h = door_create(&ProxyDoor::PostProc, this, DOOR_UNREF | DOOR_REFUSE_DESC);
  if (h < 0) return mgmt::kStmfStatusError;
  if (loop_server_) {
    std::weak_ptr<LoopPipeServer> server = loop_server_;
    Status s = door::TakePipelines(h, [server](std::unique_ptr<door::ServedPipeline> p) {
      if (auto live = server.lock()) live->Adopt(std::move(p));
    });
    if (!s.ok()) {
      door_revoke(h);
      return mgmt::kStmfStatusError;
    }
  }
  proxy_ = std::make_shared<const UniqueFd>(proxy_fd);
  handle_ = h;
  *handle_out = h;
  return mgmt::kStmfStatusSuccess;
}

void ProxyDoor::Uninstall(const char* why) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (proxy_ == nullptr) return;
    proxy_.reset();  // closed when the last Send using it returns
    door_revoke(handle_);
    handle_ = -1;
  }
  if (loop_server_) loop_server_->CloseAll();
  Log(LogLevel::kWarn, "proxy", "proxy door removed: %s", why);
  if (cb_.on_uninstalled) cb_.on_uninstalled();
}

void ProxyDoor::InstallProc(void* cookie, char* argp, size_t arg_size, door_desc_t* dp,
                            uint_t n_desc) {
  ReplyBuffer& out = Buffer();
  uint_t reply_desc = 0;
  {
    auto* self = static_cast<ProxyDoor*>(cookie);
    ActiveGuard guard(self->active_);
    int received = (n_desc == 1 && (dp[0].d_attributes & DOOR_DESCRIPTOR) != 0)
                       ? dp[0].d_data.d_desc.d_descriptor
                       : -1;
    mgmt::Message reply;
    auto req = (argp == nullptr || argp == DOOR_UNREF_DATA)
                   ? Result<mgmt::Message>(Status(Code::kInvalidArgument, "no request"))
                   : mgmt::Decode({reinterpret_cast<const uint8_t*>(argp), arg_size});
    if (!self->CallerAllowed()) {
      reply = mgmt::Reply(mgmt::kStmfErrorPerm, "permission denied: the proxy service needs root");
    } else if (!req.ok() || req->Text("op") != "proxy-install" || received < 0 || n_desc != 1) {
      reply = mgmt::Reply(mgmt::kStmfErrorInvalidArg,
                          "a proxy install passes one door descriptor with {op: proxy-install}");
    } else {
      int handle = -1;
      uint32_t st = self->Install(received, &handle);
      reply = mgmt::Reply(
          st, st == mgmt::kStmfErrorDoorInstalled ? "a proxy door is already installed" : "");
      if (st == mgmt::kStmfStatusSuccess) {
        received = -1;  // kept
        out.desc = {};
        out.desc.d_attributes = DOOR_DESCRIPTOR;
        out.desc.d_data.d_desc.d_descriptor = handle;
        reply_desc = 1;
        Log(LogLevel::kInfo, "proxy", "proxy door installed");
        if (self->cb_.on_installed) self->cb_.on_installed();
      }
    }
    if (received >= 0) close(received);
    for (uint_t i = 1; i < n_desc; ++i) {
      if ((dp[i].d_attributes & DOOR_DESCRIPTOR) != 0) close(dp[i].d_data.d_desc.d_descriptor);
    }
    out.bytes = mgmt::Encode(reply);
  }
  door_return(reinterpret_cast<char*>(out.bytes.data()), out.bytes.size(),
              reply_desc ? &out.desc : nullptr, reply_desc);
}

void ProxyDoor::PostProc(void* cookie, char* argp, size_t arg_size, door_desc_t* /*dp*/,
                         uint_t /*n_desc*/) {
  ReplyBuffer& out = Buffer();
  {
    auto* self = static_cast<ProxyDoor*>(cookie);
    ActiveGuard guard(self->active_);
    if (argp == DOOR_UNREF_DATA) {
      self->Uninstall("stmfproxy closed its handle");
      return;
    }
    // No credential check here: the handle is a capability stmfd handed only to
    // the installer it checked, and it has no name to open.
    if (argp == nullptr || arg_size == 0) {
      out.result = mgmt::kStmfErrorInvalidArg;
    } else {
      out.result = self->cb_.on_message
                       ? self->cb_.on_message({reinterpret_cast<const uint8_t*>(argp), arg_size})
                       : mgmt::kStmfStatusError;
    }
  }
  door_return(reinterpret_cast<char*>(&out.result), sizeof out.result, nullptr, 0);
}

door::PipelinedCall* ProxyDoor::PipeLocked() {
  std::shared_ptr<const UniqueFd> proxy;
  {
    std::lock_guard<std::mutex> lock(mu_);
    proxy = proxy_;
  }
  if (proxy != pipe_door_) {
    // Another door (or none) since the connection was made: what it still owed
    // is lost with it.
    for (size_t n : pipe_counts_) pipe_lost_ += n;
    pipe_counts_.clear();
    pipe_.reset();
    pipe_door_ = proxy;
  }
  if (pipe_ == nullptr && pipe_door_ != nullptr) {
    auto opened = door::PipelinedCall::Open(pipe_door_->get());
    if (opened.ok()) pipe_ = std::move(opened).value();
  }
  return pipe_.get();
}

void ProxyDoor::ReapLocked(int timeout_ms) {
  if (pipe_ == nullptr || pipe_->outstanding() == 0) return;
  auto reaped = pipe_->Reap(
      [this](const Status& s, std::span<const uint8_t> data) {
        if (PostedResult(s, data, 1) != 0) pipe_lost_ += pipe_counts_.front();
        pipe_counts_.pop_front();
      },
      timeout_ms);
  if (!reaped.ok()) {
    for (size_t n : pipe_counts_) pipe_lost_ += n;
    pipe_counts_.clear();
    pipe_.reset();  // made again on the next post if the door is still there
  }
}

Status ProxyDoor::TryPost(std::span<const uint8_t> batch, size_t messages, size_t* lost) {
  *lost = 0;
  std::unique_lock<std::mutex> lock(pipe_mu_, std::try_to_lock);
  if (!lock.owns_lock()) return Status(Code::kResourceExhausted, "a door call is under way");
  door::PipelinedCall* pipe = PipeLocked();
  Status s(Code::kResourceExhausted, "no proxy door is installed");
  if (pipe != nullptr) {
    // Answers are taken a few at a time: one receive that finds nothing costs
    // as much as one that finds an answer.
    if (pipe->outstanding() >= kMaxPosted / 4) ReapLocked(0);
    pipe = pipe_.get();
  }
  if (pipe != nullptr && pipe->outstanding() < kMaxPosted) {
    s = pipe->Post(batch);
    if (s.ok()) {
      pipe_counts_.push_back(messages);
    } else {
      s = Status(Code::kResourceExhausted, s.message());
    }
  }
  *lost = pipe_lost_;
  pipe_lost_ = 0;
  return s;
}

Status ProxyDoor::Send(std::span<const uint8_t> message) {
  // Posted calls go first (see the header): wait for their answers.
  std::lock_guard<std::mutex> pipe_lock(pipe_mu_);
  while (pipe_ != nullptr && pipe_->outstanding() > 0) ReapLocked(1000);
  // The same descriptor for every call, so libdoor keeps its connection to
  // stmfproxy; the shared reference keeps it open while this call uses it even
  // if the door is dropped meanwhile.
  std::shared_ptr<const UniqueFd> proxy;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (proxy_ == nullptr) return Status(Code::kUnavailable, "no proxy door is installed");
    proxy = proxy_;
  }
  const int fd = proxy->get();
  uint32_t result = 0;
  door_arg_t a{};
  a.data_ptr = const_cast<char*>(reinterpret_cast<const char*>(message.data()));
  a.data_size = message.size();
  a.rbuf = reinterpret_cast<char*>(&result);
  a.rsize = sizeof result;
  int rc = door_call(fd, &a);
  int err = errno;
  proxy.reset();
  if (rc != 0) {
    if (err == EBADF || err == EINTR) {
      Uninstall("stmfproxy went away");
      return Status(Code::kUnavailable, "stmfproxy went away");
    }
    return Status::FromErrno(err, "door_call to stmfproxy");
  }
  if (a.data_size >= sizeof result && a.data_ptr != reinterpret_cast<char*>(&result)) {
    std::memcpy(&result, a.data_ptr, sizeof result);
  }
  if (a.rbuf != reinterpret_cast<char*>(&result)) munmap(a.rbuf, a.rsize);
  if (result != 0) {
    Log(LogLevel::kDebug, "proxy", "stmfproxy could not deliver a message: result %u", result);
    return Status(Code::kUnavailable, "stmfproxy could not deliver the message");
  }
  return Status::Ok();
}

}  // namespace openstmf::ha
