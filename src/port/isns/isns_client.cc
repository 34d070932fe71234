#include "port/isns/isns_client.h"

#include <algorithm>
#include <condition_variable>

#include "base/log.h"

namespace openstmf::isns {

Result<std::unique_ptr<IsnsClient>> IsnsClient::Start(std::vector<IsnsServerAddress> servers,
                                                      IsnsRegistration registration,
                                                      IsnsClientOptions options) {
  if (servers.empty()) return Status(Code::kInvalidArgument, "no iSNS server given");
  if (servers.size() > kMaxServers) {
    return Status(Code::kInvalidArgument,
                  "more than " + std::to_string(kMaxServers) + " iSNS servers");
  }
  for (size_t i = 0; i < servers.size(); ++i) {
    if (servers[i].host.empty()) return Status(Code::kInvalidArgument, "empty iSNS server");
    if (std::find(servers.begin(), servers.begin() + static_cast<ptrdiff_t>(i), servers[i]) !=
        servers.begin() + static_cast<ptrdiff_t>(i)) {
      return Status(Code::kInvalidArgument, "iSNS server listed twice: " + servers[i].ToString());
    }
  }
  RETURN_IF_ERROR(ValidateRegistration(registration));
  ASSIGN_OR_RETURN(auto loop, event::EventLoop::Create({}));

  std::unique_ptr<IsnsClient> client(
      new IsnsClient(std::move(loop), std::move(registration), options));
  IsnsClient* self = client.get();
  for (size_t i = 0; i < servers.size(); ++i) {
    self->states_.push_back(IsnsServerState{servers[i].ToString(), false, ""});
    self->sessions_.push_back(std::make_unique<IsnsSession>(
        self->loop_.get(), servers[i], &self->registration_, options.session,
        [self, i](const IsnsServerState& state) { self->SetState(i, state); }));
  }
  self->loop_->Post([self] {
    for (auto& session : self->sessions_) session->Register();
  });
  self->thread_ = std::thread([self] { self->loop_->Run(); });
  return client;
}

IsnsClient::IsnsClient(std::unique_ptr<event::EventLoop> loop, IsnsRegistration registration,
                       IsnsClientOptions options)
    : options_(options), loop_(std::move(loop)), registration_(std::move(registration)) {}

IsnsClient::~IsnsClient() { Stop(); }

Status IsnsClient::Update(IsnsRegistration registration) {
  if (stopped_) return Status(Code::kUnavailable, "iSNS client stopped");
  RETURN_IF_ERROR(ValidateRegistration(registration));
  loop_->Post([this, r = std::move(registration)]() mutable {
    if (r == registration_) return;  // nothing changed: the refresh timer suffices
    registration_ = std::move(r);
    for (auto& session : sessions_) session->Register();
  });
  return Status::Ok();
}

void IsnsClient::Stop() {
  if (stopped_.exchange(true)) return;
  struct Countdown {
    std::mutex mu;
    std::condition_variable cv;
    size_t remaining;
  };
  auto countdown = std::make_shared<Countdown>();
  countdown->remaining = sessions_.size();
  loop_->Post([this, countdown] {
    for (auto& session : sessions_) {
      session->Deregister([countdown] {
        std::lock_guard lock(countdown->mu);
        if (--countdown->remaining == 0) countdown->cv.notify_all();
      });
    }
  });
  {
    std::unique_lock lock(countdown->mu);
    if (!countdown->cv.wait_for(lock, options_.stop_timeout,
                                [&] { return countdown->remaining == 0; })) {
      Log(LogLevel::kWarn, "isns", "%zu iSNS servers did not acknowledge the deregistration",
          countdown->remaining);
    }
  }
  loop_->Stop();
  if (thread_.joinable()) thread_.join();
  sessions_.clear();  // the loop no longer runs: safe from this thread
}

std::vector<IsnsServerState> IsnsClient::States() const {
  std::lock_guard lock(mu_);
  return states_;
}

void IsnsClient::SetState(size_t index, const IsnsServerState& state) {
  std::lock_guard lock(mu_);
  states_[index] = state;
}

}  // namespace openstmf::isns
