#include "port/iscsit/iscsi_port.h"

#include <future>

#include "base/log.h"

namespace openstmf::iscsit {

IscsiPort::IscsiPort(stmf::Framework* framework, event::LoopGroup* loops, IscsiPortOptions options)
    : framework_(framework), loops_(loops), options_(options) {
  targets_.SetFramework(framework);
}

IscsiPort::~IscsiPort() { Stop(std::chrono::milliseconds(0)); }

Result<tcp::SocketAddress> IscsiPort::Listen(const tcp::SocketAddress& address) {
  return Listen(address, options_.tpgt);
}

Result<tcp::SocketAddress> IscsiPort::Listen(const tcp::SocketAddress& address, uint16_t tpgt) {
  event::EventLoop* loop = loops_->loop(0);
  std::promise<Result<tcp::SocketAddress>> done;
  loop->Post([&] {
    auto l = tcp::Listener::Listen(
        loop, address,
        [this, tpgt](UniqueFd fd, const tcp::SocketAddress& p) { Accept(std::move(fd), p, tpgt); });
    if (!l.ok()) {
      done.set_value(l.status());
      return;
    }
    tcp::SocketAddress bound = (*l)->address();
    listeners_.push_back({{bound.Host(), bound.port(), tpgt}, std::move(l).value()});
    done.set_value(bound);
  });
  auto bound = done.get_future().get();
  if (bound.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    portals_.push_back({bound->Host(), bound->port(), tpgt});
  }
  return bound;
}

void IscsiPort::CloseTpg(uint16_t tpgt) {
  std::promise<void> closed;
  loops_->loop(0)->Post([&] {
    std::erase_if(listeners_, [tpgt](const OpenPortal& p) { return p.portal.tpgt == tpgt; });
    closed.set_value();
  });
  closed.get_future().wait();
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(portals_, [tpgt](const iscsi::Portal& p) { return p.tpgt == tpgt; });
}

std::vector<iscsi::Portal> IscsiPort::Portals() const {
  std::lock_guard<std::mutex> lock(mu_);
  return portals_;
}

void IscsiPort::Accept(UniqueFd fd, const tcp::SocketAddress& peer, uint16_t tpgt) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
  }
  Adopt(loops_->LeastLoaded(), std::move(fd), peer, tpgt, {});
}

void IscsiPort::Adopt(event::EventLoop* loop, UniqueFd fd, const tcp::SocketAddress& peer,
                      uint16_t tpgt, std::vector<uint8_t> received) {
  int raw = fd.Release();
  loops_->Hold(loop);  // until the connection leaves conns_ (Forget)
  loop->Post([this, loop, raw, peer, tpgt, received = std::move(received)] {
    ConnectionContext ctx;
    ctx.framework = framework_;
    ctx.targets = &targets_;
    ctx.sessions = &sessions_;
    ctx.tpgt = tpgt;
    ctx.nop_interval = options_.nop_interval;
    ctx.on_finished = [this](Connection* c) { Finished(c); };
    ctx.hand_over = [this, tpgt](event::EventLoop* to, UniqueFd moved, std::vector<uint8_t> bytes,
                                 const tcp::SocketAddress& from) {
      Adopt(to, std::move(moved), from, tpgt, std::move(bytes));
    };
    auto c = std::make_shared<Connection>(loop, UniqueFd(raw), peer, ctx);
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) {
        loops_->Release(loop);
        return;
      }
      conns_.emplace(c.get(), c);
    }
    Status s = c->Start();
    if (!s.ok()) {
      Log(LogLevel::kWarn, "iscsit", "%s: %s", peer.ToString().c_str(), s.ToString().c_str());
      std::lock_guard<std::mutex> lock(mu_);
      Forget(conns_.find(c.get()));
      return;
    }
    c->Feed(received);
  });
}

void IscsiPort::NotifyLunsChanged() {
  for (const std::shared_ptr<Session>& s : sessions_.All()) s->NotifyLunsChanged();
}

void IscsiPort::Finished(Connection* c) {
  std::shared_ptr<Connection> keep;  // destroyed outside the lock, on c's loop
  std::lock_guard<std::mutex> lock(mu_);
  auto it = conns_.find(c);
  if (it == conns_.end()) return;
  keep = Forget(it);
  cv_.notify_all();
}

std::shared_ptr<Connection> IscsiPort::Forget(ConnMap::iterator it) {
  std::shared_ptr<Connection> c = std::move(it->second);
  conns_.erase(it);
  loops_->Release(c->loop());
  return c;
}

size_t IscsiPort::connection_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return conns_.size();
}

void IscsiPort::Stop(std::chrono::milliseconds timeout) {
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    for (auto& [raw, c] : conns_) live.push_back(c);
  }
  {
    std::unique_lock<std::mutex> isns_lock(isns_mu_);
    std::unique_ptr<isns::IsnsClient> client = std::move(isns_);
    isns_lock.unlock();
    if (client) client->Stop();  // deregisters
  }
  if (!listeners_.empty()) {
    std::promise<void> closed;
    loops_->loop(0)->Post([&] {
      listeners_.clear();
      closed.set_value();
    });
    closed.get_future().wait();
  }
  for (const auto& c : live) {
    std::weak_ptr<Connection> w = c;
    c->loop()->Post([w] {
      if (auto conn = w.lock()) conn->Shutdown("target stopping");
    });
  }
  live.clear();
  std::unique_lock<std::mutex> lock(mu_);
  if (!cv_.wait_for(lock, timeout, [this] { return conns_.empty(); })) {
    Log(LogLevel::kWarn, "iscsit", "%zu connections still open at shutdown", conns_.size());
  }
}

}  // namespace openstmf::iscsit
