#include "ha/loop_pipe_server.h"

#include <sys/epoll.h>

#include "base/log.h"

namespace openstmf::ha {
namespace {

// Calls taken from one connection per loop turn; then other descriptors get
// their turn (the connection stays readable, so the next turn goes on).
constexpr int kCallsPerTurn = 64;

}  // namespace

// One connection; its members are touched only on the loop's thread.
class LoopPipeServer::Pipe final : public event::FdHandler,
                                   public std::enable_shared_from_this<Pipe> {
 public:
  Pipe(std::weak_ptr<LoopPipeServer> owner, event::EventLoop* loop,
       std::unique_ptr<door::ServedPipeline> served)
      : owner_(std::move(owner)), loop_(loop), served_(std::move(served)) {}

  void OnEvents(uint32_t /*events*/) override {
    if (auto owner = owner_.lock()) return owner->Serve(shared_from_this());
    Close();  // the server is gone: nothing may run any more
  }

  // Registers the connection and takes what has arrived already.
  void Open() {
    if (closed_) return;
    if (Status s = loop_->Add(served_->fd(), EPOLLIN, this); !s.ok()) {
      Log(LogLevel::kWarn, "proxy", "cannot serve a proxy connection: %s", s.message().c_str());
      return Close();
    }
    registered_ = true;
    OnEvents(EPOLLIN);
  }

  // Stops reading until Resume() (a call runs off the loop).
  void Pause() {
    paused_ = true;
    if (registered_) loop_->Remove(served_->fd());
    registered_ = false;
  }

  // Answers the call that ran off the loop and goes on reading.
  void Resume(uint32_t result) {
    paused_ = false;
    if (closed_) return;
    if (!Answer(result)) return;
    Open();
  }

  // False when the connection had to be closed.
  bool Answer(uint32_t result) {
    const auto* p = reinterpret_cast<const uint8_t*>(&result);
    if (served_->Answer({p, sizeof result}).ok()) return true;
    Close();
    return false;
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    if (registered_) loop_->Remove(served_->fd());
    registered_ = false;
    // Events of this turn may still name this handler: it goes after them.
    loop_->Defer([self = shared_from_this()] { (void)self; });
    if (auto owner = owner_.lock()) owner->Forget(shared_from_this());
  }

  bool closed() const { return closed_; }
  bool paused() const { return paused_; }
  door::ServedPipeline& served() { return *served_; }

 private:
  const std::weak_ptr<LoopPipeServer> owner_;
  event::EventLoop* const loop_;
  const std::unique_ptr<door::ServedPipeline> served_;
  bool registered_ = false;
  bool paused_ = false;
  bool closed_ = false;
};

std::shared_ptr<LoopPipeServer> LoopPipeServer::Start(event::EventLoop* loop, Handlers handlers) {
  std::shared_ptr<LoopPipeServer> s(new LoopPipeServer(loop, std::move(handlers)));
  s->thread_ = std::thread([p = s.get()] { p->RunThread(); });
  return s;
}

LoopPipeServer::~LoopPipeServer() {
  Stop();  // no-op when stopped already
}

template <typename Fn>
bool LoopPipeServer::Guarded(Fn&& fn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return false;
    ++running_;
  }
  fn();
  std::lock_guard<std::mutex> lock(mu_);
  // Only Stop() waits for this, and only once stopped_ is set: waking the
  // thread after every call would cost a futex call and a switch per message.
  if (--running_ == 0 && stopped_) idle_cv_.notify_all();
  return true;
}

void LoopPipeServer::Adopt(std::unique_ptr<door::ServedPipeline> served) {
  auto pipe = std::make_shared<Pipe>(weak_from_this(), loop_, std::move(served));
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;  // closed as it goes
    pipes_.insert(pipe);
  }
  loop_->Post([pipe] { pipe->Open(); });
}

void LoopPipeServer::CloseAll() {
  std::unordered_set<std::shared_ptr<Pipe>> pipes;
  {
    std::lock_guard<std::mutex> lock(mu_);
    pipes.swap(pipes_);
  }
  if (pipes.empty()) return;
  loop_->Post([pipes = std::move(pipes)] {
    for (const std::shared_ptr<Pipe>& p : pipes) p->Close();
  });
}

void LoopPipeServer::Stop() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    stopped_ = true;
    off_loop_.clear();
    cv_.notify_all();
    idle_cv_.wait(lock, [&] { return running_ == 0; });
  }
  CloseAll();
  if (thread_.joinable()) thread_.join();
}

size_t LoopPipeServer::connections() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pipes_.size();
}

void LoopPipeServer::Forget(const std::shared_ptr<Pipe>& pipe) {
  std::lock_guard<std::mutex> lock(mu_);
  pipes_.erase(pipe);
}

void LoopPipeServer::Serve(const std::shared_ptr<Pipe>& pipe) {
  for (int i = 0; i < kCallsPerTurn && !pipe->closed() && !pipe->paused(); ++i) {
    Result<std::span<const uint8_t>> call = pipe->served().Read();
    if (!call.ok()) {
      if (call.status().code() != Code::kResourceExhausted) pipe->Close();
      return;
    }
    std::optional<uint32_t> result;
    if (!Guarded([&] { result = handlers_.on_loop(*call); })) return pipe->Close();
    if (result) {
      if (!pipe->Answer(*result)) return;
      continue;
    }
    // Runs on the thread; the connection waits (calls keep their order).
    pipe->Pause();
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    off_loop_.push_back(OffLoopCall{pipe, std::vector<uint8_t>(call->begin(), call->end())});
    cv_.notify_all();
    return;
  }
}

void LoopPipeServer::RunThread() {
  for (;;) {
    OffLoopCall call;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stopped_ || !off_loop_.empty(); });
      if (stopped_) return;
      call = std::move(off_loop_.front());
      off_loop_.pop_front();
    }
    uint32_t result = 0;
    if (!Guarded([&] { result = handlers_.off_loop(call.data); })) return;
    loop_->Post([pipe = std::move(call.pipe), result] { pipe->Resume(result); });
  }
}

}  // namespace openstmf::ha
