#include "ha/relay.h"

#include "base/log.h"

namespace openstmf::ha {
namespace {

// An empty frame is the relay's own keep-alive; it is never delivered. A link
// that brings nothing for kDeadIntervals echo intervals is considered dead.
constexpr int kDeadIntervals = 3;

}  // namespace

Result<std::unique_ptr<Relay>> Relay::Start(RelayOptions options) {
  if (options.node > 1) return Status(Code::kInvalidArgument, "the node must be 0 or 1");
  if (options.node == 0 && !options.peer) {
    return Status(Code::kInvalidArgument, "node 0 needs the peer's address to connect to");
  }
  if (options.node == 1 && !options.listen) {
    return Status(Code::kInvalidArgument, "node 1 needs an address to listen on");
  }
  // Checks the secret now rather than at the first connection.
  RETURN_IF_ERROR(PeerAuth::Create(options.secret, options.node).status());
  std::unique_ptr<Relay> r(new Relay(std::move(options)));
  if (r->options_.node == 1) {
    ASSIGN_OR_RETURN(r->listener_, ListenTcp(*r->options_.listen));
    ASSIGN_OR_RETURN(r->bound_, LocalAddress(r->listener_.get()));
  }
  r->thread_ = std::thread([p = r.get()] { p->Run(); });
  return r;
}

Relay::~Relay() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    if (link_) link_->Shutdown();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Status Relay::Send(std::span<const uint8_t> message) {
  std::shared_ptr<PeerLink> link;
  {
    std::lock_guard<std::mutex> lock(mu_);
    link = link_;
  }
  if (!link) return Status(Code::kUnavailable, "the peer link is down");
  if (message.empty()) return Status(Code::kInvalidArgument, "empty proxy message");
  Status s = link->Send(message);
  if (!s.ok()) link->Shutdown();  // the receive thread notices and reconnects
  return s;
}

bool Relay::connected() const {
  std::lock_guard<std::mutex> lock(mu_);
  return link_ != nullptr;
}

bool Relay::Sleep(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, d, [&] { return stopping_; });
  return !stopping_;
}

Result<std::unique_ptr<PeerLink>> Relay::NextLink() {
  ASSIGN_OR_RETURN(PeerAuth auth, PeerAuth::Create(options_.secret, options_.node));
  UniqueFd fd;
  std::string who;
  if (options_.node == 1) {
    ASSIGN_OR_RETURN(fd, AcceptTcp(listener_.get(), options_.retry_interval));
    who = "a connection";
  } else {
    ASSIGN_OR_RETURN(fd, ConnectTcp(*options_.peer, options_.retry_interval));
    who = options_.peer->ToString();
  }
  auto link = PeerLink::Establish(std::move(fd), std::move(auth), options_.io_timeout);
  if (!link.ok()) {
    Log(LogLevel::kWarn, "stmfproxy", "refused %s: %s", who.c_str(),
        link.status().message().c_str());
  }
  return link;
}

void Relay::Serve(PeerLink& link) {
  int idle = 0;
  const std::vector<uint8_t> keepalive;
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
    }
    // Frames that have already arrived go along in the same delivery (one
    // door call into stmfd for all of them).
    auto frame = link.Receive(options_.echo_interval, options_.coalesce);
    if (frame.ok()) {
      idle = 0;
      if (!frame->empty() && options_.deliver) options_.deliver(*frame);
      continue;
    }
    if (frame.status().code() != Code::kUnavailable) {
      if (options_.link_down) options_.link_down(frame.status());
      return;
    }
    if (++idle >= kDeadIntervals) {
      if (options_.link_down) {
        options_.link_down(Status(Code::kUnavailable, "the peer stopped answering"));
      }
      return;
    }
    if (Status s = link.Send(keepalive); !s.ok()) {
      if (options_.link_down) options_.link_down(s);
      return;
    }
  }
}

void Relay::Run() {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
    }
    auto link = NextLink();
    if (!link.ok()) {
      // Node 1's accept already waited; node 0 waits before the next attempt.
      if (options_.node == 0 && !Sleep(options_.retry_interval)) return;
      continue;
    }
    std::shared_ptr<PeerLink> shared(std::move(link).value());
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      link_ = shared;
    }
    Log(LogLevel::kInfo, "stmfproxy", "peer link up with node %u", shared->peer_node());
    if (options_.link_up) options_.link_up();
    Serve(*shared);
    {
      std::lock_guard<std::mutex> lock(mu_);
      link_.reset();
    }
    shared->Shutdown();
    Log(LogLevel::kWarn, "stmfproxy", "peer link down");
  }
}

}  // namespace openstmf::ha
