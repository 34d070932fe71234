#include "stmfproxy/proxy_service.h"

#include <unistd.h>

#include <cerrno>

#include "base/log.h"
#include "door/wire.h"
#include "ha/proxy_client.h"
#include "ha/proxy_door.h"
#include "mgmt/status_codes.h"

namespace openstmf::stmfproxy {

Result<std::unique_ptr<ProxyService>> ProxyService::Start(ProxyServiceOptions options) {
  std::unique_ptr<ProxyService> s(new ProxyService(std::move(options)));
  ProxyService* self = s.get();
  ha::RelayOptions r = s->options_.relay;
  // stmfd takes batches (proxy_msg.h DecodeBatchInPlace); this much can be
  // posted without waiting.
  r.coalesce = door::kMaxInline;
  r.deliver = [self](std::span<const uint8_t> m) { self->Deliver(m); };
  r.link_up = [self] {
    self->want_alua_ = true;
    self->Wake();
  };
  r.link_down = [](const Status& why) {
    Log(LogLevel::kWarn, "stmfproxy", "peer link lost: %s", why.message().c_str());
  };
  // stmfd holds a reference to the door while it is installed; losing it
  // (stmfd stopped) is an unreferenced call, every time (DOOR_UNREF_MULTI).
  s->door_ = door_create(&ProxyService::DoorProc, self, DOOR_REFUSE_DESC | DOOR_UNREF_MULTI);
  if (s->door_ < 0) return Status::FromErrno(errno, "door_create");
  ASSIGN_OR_RETURN(s->relay_, ha::Relay::Start(std::move(r)));
  RETURN_IF_ERROR(s->StartPostServer());
  s->thread_ = std::thread([self] { self->Maintain(); });
  return s;
}

Status ProxyService::StartPostServer() {
  ASSIGN_OR_RETURN(posts_loop_, event::EventLoop::Create({}));
  event::EventLoop* loop = posts_loop_.get();
  posts_thread_ = std::thread([loop] { loop->Run(); });
  ha::LoopPipeServer::Handlers h;
  h.on_loop = [this](std::span<const uint8_t> m) -> std::optional<uint32_t> {
    const uint32_t result = Forward(m);
    if (result == 0) posts_forwarded_.fetch_add(1, std::memory_order_relaxed);
    return result;
  };
  h.off_loop = [this](std::span<const uint8_t> m) { return Forward(m); };  // not used
  posts_ = ha::LoopPipeServer::Start(loop, std::move(h));
  std::weak_ptr<ha::LoopPipeServer> server = posts_;
  return door::TakePipelines(door_, [server](std::unique_ptr<door::ServedPipeline> p) {
    if (auto live = server.lock()) live->Adopt(std::move(p));
  });
}

ProxyService::~ProxyService() {
  // The door goes first: a revoked door gets no more calls and no unreferenced
  // call, so once the procedures already running have ended nothing can reach
  // this object through it.
  if (door_ >= 0) door_revoke(door_);
  while (active_.load() != 0) usleep(1000);
  if (posts_) posts_->Stop();  // no post is served after this
  if (posts_loop_) posts_loop_->Stop();
  if (posts_thread_.joinable()) posts_thread_.join();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  relay_.reset();
  pipe_.reset();
  pipe_handle_.reset();
  std::lock_guard<std::mutex> lock(handle_mu_);
  handle_.reset();  // stmfDestroyProxyDoor
}

std::shared_ptr<const UniqueFd> ProxyService::Handle() const {
  std::lock_guard<std::mutex> lock(handle_mu_);
  return handle_;
}

void ProxyService::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    poke_ = true;
  }
  cv_.notify_all();
}

void ProxyService::DoorProc(void* cookie, char* argp, size_t arg_size, door_desc_t* /*dp*/,
                            uint_t n_desc) {
  thread_local uint32_t result;
  {
    auto* self = static_cast<ProxyService*>(cookie);
    ++self->active_;
    struct Leave {
      std::atomic<int>& n;
      ~Leave() { --n; }
    } leave{self->active_};
    if (argp == DOOR_UNREF_DATA) {
      self->DropHandle("stmfd released the proxy door");
      return;
    }
    if (n_desc != 0) {
      // Unreachable with DOOR_REFUSE_DESC; kept as the contract says.
      errno = EINVAL;
      result = EINVAL;
    } else if (argp == nullptr) {
      result = EFAULT;
    } else {
      result = self->Forward({reinterpret_cast<const uint8_t*>(argp), arg_size});
    }
  }
  door_return(reinterpret_cast<char*>(&result), sizeof result, nullptr, 0);
}

uint32_t ProxyService::Forward(std::span<const uint8_t> message) {
  if (message.empty()) return EFAULT;
  return relay_->Send(message).ok() ? 0 : 1;
}

void ProxyService::Deliver(std::span<const uint8_t> message) {
  // The reference keeps the handle open for this call even if stmfd's going
  // drops it meanwhile (closing it under the call could hand its number to
  // another descriptor).
  std::shared_ptr<const UniqueFd> h = Handle();
  if (h == nullptr) {
    // Once, then every 10 s while stmfd is away (the peer keeps sending hellos).
    const auto now = std::chrono::steady_clock::now();
    if (dropped_++ == 0 || now - dropped_logged_ >= std::chrono::seconds(10)) {
      Log(LogLevel::kWarn, "stmfproxy",
          "dropped %llu messages from the peer: stmfd is not attached",
          static_cast<unsigned long long>(dropped_));
      dropped_logged_ = now;
    }
    return;
  }
  dropped_ = 0;
  if (PostDelivery(h, message)) return;
  // Too large to post, or posting failed: a door call, after everything posted
  // before it has been taken.
  while (pipe_ != nullptr && pipe_->outstanding() > 0 && ReapDeliveries(1000)) {
  }
  Answered(ha::PostProxyMessage(h->get(), message), h.get());
}

void ProxyService::Answered(uint32_t status, const UniqueFd* handle) {
  if (status == mgmt::kStmfStatusSuccess) return;
  Log(LogLevel::kError, "stmfproxy", "stmfd did not take a message from the peer (0x%x)", status);
  if (status == mgmt::kStmfErrorPostMsgFailed && handle != nullptr) {
    DropHandle("posting to stmfd failed", handle);
  }
}

bool ProxyService::ReapDeliveries(int timeout_ms) {
  const std::shared_ptr<const UniqueFd> current = pipe_handle_.lock();
  const UniqueFd* handle = current.get();
  auto reaped = pipe_->Reap(
      [&](const Status& s, std::span<const uint8_t> data) {
        Answered(ha::PostedResult(s, data, mgmt::kStmfErrorPostMsgFailed), handle);
      },
      timeout_ms);
  if (reaped.ok()) return true;
  pipe_.reset();
  Answered(mgmt::kStmfErrorPostMsgFailed, handle);
  return false;
}

bool ProxyService::PostDelivery(const std::shared_ptr<const UniqueFd>& h,
                                std::span<const uint8_t> message) {
  if (message.size() > door::kMaxInline) return false;
  if (pipe_handle_.lock() != h) {
    pipe_.reset();  // a new install: the old handle's connection goes with it
    pipe_handle_ = h;
  }
  if (pipe_ == nullptr) {
    auto opened = door::PipelinedCall::Open(h->get());
    if (!opened.ok()) return false;
    pipe_ = std::move(opened).value();
  }
  // Answers are taken a few at a time; with kMaxPosted unanswered the relay
  // waits, as it would in a door call.
  if (pipe_->outstanding() >= ha::kMaxPosted / 4 && !ReapDeliveries(0)) return false;
  for (;;) {
    while (pipe_->outstanding() >= ha::kMaxPosted) {
      if (!ReapDeliveries(1000)) return false;
    }
    Status s = pipe_->Post(message);
    if (s.ok()) return true;
    if (s.code() != Code::kResourceExhausted) {
      pipe_.reset();
      return false;
    }
    if (pipe_->outstanding() == 0 || !ReapDeliveries(1000)) return false;
  }
}

void ProxyService::DropHandle(const char* why, const UniqueFd* which) {
  {
    std::lock_guard<std::mutex> lock(handle_mu_);
    if (handle_ == nullptr || (which != nullptr && handle_.get() != which)) return;
    handle_.reset();  // closed when the last call using it returns
  }
  Log(LogLevel::kWarn, "stmfproxy", "%s; installing the door again when stmfd is back", why);
  Wake();
}

void ProxyService::MaybeEnableAlua() {
  if (!want_alua_ || Handle() == nullptr || !relay_->connected()) return;
  want_alua_ = false;
  uint32_t st =
      options_.enable_alua ? options_.enable_alua(options_.relay.node) : mgmt::kStmfStatusSuccess;
  if (st != mgmt::kStmfStatusSuccess) {
    Log(LogLevel::kError, "stmfproxy", "enabling ALUA as node %u failed (0x%x)",
        options_.relay.node, st);
    want_alua_ = true;  // try again on the next round
  } else {
    Log(LogLevel::kInfo, "stmfproxy", "ALUA enabled as node %u", options_.relay.node);
  }
}

void ProxyService::Maintain() {
  bool warned = false;
  for (;;) {
    if (Handle() == nullptr) {
      int h = -1;
      uint32_t st = ha::InstallProxyDoor(options_.proxy_door_path, door_, &h);
      if (st == mgmt::kStmfStatusSuccess) {
        {
          std::lock_guard<std::mutex> lock(handle_mu_);
          handle_ = std::make_shared<const UniqueFd>(h);
        }
        want_alua_ = true;
        warned = false;
        Log(LogLevel::kInfo, "stmfproxy", "proxy door installed in stmfd");
      } else if (!warned) {
        Log(LogLevel::kWarn, "stmfproxy", "cannot install the proxy door at %s (0x%x); retrying",
            options_.proxy_door_path.c_str(), st);
        warned = true;
      }
    }
    MaybeEnableAlua();
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, options_.install_retry, [&] { return stopping_ || poke_; });
    poke_ = false;
    if (stopping_) return;
  }
}

}  // namespace openstmf::stmfproxy
