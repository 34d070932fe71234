#include "port/isns/isns_session.h"

#include <netdb.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/log.h"

namespace openstmf::isns {
namespace {

using std::chrono::milliseconds;

std::string Seconds(milliseconds d) {
  const auto tenths = d.count() / 100;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "s";
}

}  // namespace

IsnsSession::IsnsSession(event::EventLoop* loop, IsnsServerAddress server,
                         const IsnsRegistration* registration, IsnsSessionOptions options,
                         StateCallback on_state)
    : loop_(loop),
      server_(std::move(server)),
      registration_(registration),
      options_(options),
      on_state_(std::move(on_state)) {
  state_.server = server_.ToString();
}

IsnsSession::~IsnsSession() {
  CancelTimer(retry_timer_);
  CancelTimer(timeout_timer_);
  CloseConnection();
}

void IsnsSession::Register() {
  if (stopping_) return;
  CancelTimer(retry_timer_);
  if (pending_ != Pending::kNone) {
    register_again_ = true;
    return;
  }
  register_again_ = false;
  if (registration_->targets.empty()) {
    // Nothing to announce: take down what an earlier description registered.
    if (!registered_source_.empty()) {
      const uint16_t t = NextTransaction();
      Send(Pending::kDeregister, BuildDevDereg(registered_source_, registration_->entity_id, t), t);
    } else {
      Publish(false, "");
    }
    return;
  }
  const uint16_t t = NextTransaction();
  auto request = BuildDevAttrReg(*registration_, t);
  if (!request.ok()) {
    // Retrying cannot fix a bad description; the next Update() will.
    Log(LogLevel::kError, "isns", "%s: cannot register: %s", state_.server.c_str(),
        request.status().message().c_str());
    Publish(false, request.status().message());
    return;
  }
  Send(Pending::kRegister, std::move(request).value(), t);
}

void IsnsSession::Deregister(std::function<void()> done) {
  stopping_ = true;
  CancelTimer(retry_timer_);
  if (pending_ != Pending::kNone) {
    // Abandon the request in flight; a fresh connection carries the deregistration.
    CancelTimer(timeout_timer_);
    CloseConnection();
    pending_ = Pending::kNone;
  }
  std::string source = registered_source_;
  if (source.empty() && !registration_->targets.empty() && state_.last_error.empty()) {
    source = registration_->targets.front().name;  // a registration may be in place
  }
  if (source.empty()) {
    done();
    return;
  }
  deregistered_ = std::move(done);
  const uint16_t t = NextTransaction();
  Send(Pending::kDeregister, BuildDevDereg(source, registration_->entity_id, t), t);
}

void IsnsSession::Send(Pending kind, std::vector<uint8_t> request, uint16_t transaction_id) {
  pending_ = kind;
  pending_transaction_ = transaction_id;
  out_ = std::move(request);
  CancelTimer(timeout_timer_);
  timeout_timer_ = loop_->RunAfter(options_.request_timeout, [this] {
    timeout_timer_ = 0;
    CloseConnection();
    OnRequestDone(
        Status(Code::kUnavailable, "no answer within " + Seconds(options_.request_timeout)), 0);
  });
  if (!fd_.valid()) {
    Status s = Connect();
    if (!s.ok()) {
      CloseConnection();
      OnRequestDone(s, 0);
      return;
    }
  }
  if (!connecting_) Flush();
}

Status IsnsSession::Connect() {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  const std::string port = std::to_string(server_.port);
  // Blocking by nature; this loop serves iSNS only (see isns_client.h).
  const int rc = getaddrinfo(server_.host.c_str(), port.c_str(), &hints, &list);
  if (rc != 0) {
    return Status(Code::kUnavailable, std::string("cannot resolve host: ") + gai_strerror(rc));
  }
  Status status(Code::kUnavailable, "no address");
  for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    UniqueFd fd(socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.valid()) {
      status = Status::FromErrno(errno, "socket");
      continue;
    }
    if (connect(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
      status = Status::FromErrno(errno, "connect");
      continue;
    }
    connecting_ = true;  // completion (or failure) shows as EPOLLOUT
    status = loop_->Add(fd.get(), EPOLLIN | EPOLLOUT, this);
    if (status.ok()) fd_ = std::move(fd);
    break;
  }
  freeaddrinfo(list);
  if (!status.ok()) connecting_ = false;
  return status;
}

void IsnsSession::Flush() {
  if (!fd_.valid()) return;
  while (!out_.empty()) {
    const ssize_t n = send(fd_.get(), out_.data(), out_.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      (void)loop_->Modify(fd_.get(), EPOLLIN | EPOLLOUT, this);
      return;
    }
    if (n < 0) {
      ConnectionLost(std::string("send: ") + std::strerror(errno));
      return;
    }
    out_.erase(out_.begin(), out_.begin() + n);
  }
  (void)loop_->Modify(fd_.get(), EPOLLIN, this);
}

void IsnsSession::OnEvents(uint32_t events) {
  if (!fd_.valid()) return;  // closed earlier in this turn
  if (connecting_) {
    int error = 0;
    socklen_t len = sizeof(error);
    if (getsockopt(fd_.get(), SOL_SOCKET, SO_ERROR, &error, &len) != 0) error = errno;
    if (error != 0) {
      ConnectionLost(std::string("connect: ") + std::strerror(error));
      return;
    }
    if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
    connecting_ = false;
    Flush();
    return;
  }
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
    ReadResponses();
    if (!fd_.valid()) return;
  }
  if (events & EPOLLOUT) Flush();
}

void IsnsSession::ReadResponses() {
  uint8_t buf[16384];
  for (;;) {
    const ssize_t n = recv(fd_.get(), buf, sizeof(buf), MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n < 0) {
      ConnectionLost(std::string("recv: ") + std::strerror(errno));
      return;
    }
    if (n == 0) {
      ConnectionLost("connection closed by the server");
      return;
    }
    Status s = assembler_.Push(std::span<const uint8_t>(buf, static_cast<size_t>(n)));
    if (!s.ok()) {
      ConnectionLost("malformed response: " + s.message());
      return;
    }
    while (auto message = assembler_.Next()) {
      OnResponse(*message);
      if (!fd_.valid()) return;
    }
  }
}

void IsnsSession::OnResponse(const Message& message) {
  if (pending_ == Pending::kNone || message.transaction_id != pending_transaction_) {
    // A late answer to a request that already timed out, or a server message we do
    // not subscribe to (SCN, ESI): not ours to act on.
    Log(LogLevel::kDebug, "isns", "%s: ignoring function 0x%04x transaction %u",
        state_.server.c_str(), message.function, message.transaction_id);
    return;
  }
  const Function request =
      pending_ == Pending::kRegister ? Function::kDevAttrReg : Function::kDevDereg;
  auto response = CheckResponse(message, request, pending_transaction_);
  if (!response.ok()) {
    OnRequestDone(response.status(), 0);
    return;
  }
  OnRequestDone(Status::Ok(), GrantedRegistrationPeriod(*response));
}

void IsnsSession::OnRequestDone(const Status& status, uint32_t granted_period) {
  CancelTimer(timeout_timer_);
  const Pending kind = pending_;
  pending_ = Pending::kNone;
  out_.clear();
  if (kind == Pending::kDeregister) {
    if (status.ok()) {
      Log(LogLevel::kInfo, "isns", "%s: deregistered entity %s", state_.server.c_str(),
          registration_->entity_id.c_str());
      registered_source_.clear();
    } else {
      Log(LogLevel::kWarn, "isns", "%s: deregistration of entity %s failed: %s",
          state_.server.c_str(), registration_->entity_id.c_str(), status.message().c_str());
    }
    Publish(false, status.ok() ? "" : status.message());
    if (auto done = std::move(deregistered_)) {
      deregistered_ = nullptr;
      done();
      return;
    }
    if (register_again_) Register();
    return;
  }
  if (kind != Pending::kRegister) return;
  if (!status.ok()) {
    Fail(status.message());
    return;
  }
  backoff_ = milliseconds(0);
  registered_source_ = registration_->targets.front().name;
  if (!state_.registered) {
    Log(LogLevel::kInfo, "isns", "%s: registered entity %s: %zu targets, %zu portals",
        state_.server.c_str(), registration_->entity_id.c_str(), registration_->targets.size(),
        registration_->portals.size());
  }
  Publish(true, "");
  // RFC 4171 §6.2.6: the entity expires unless refreshed within the period; refresh
  // at two thirds of it so one lost attempt still leaves time for a retry.
  milliseconds refresh = options_.default_refresh;
  if (granted_period != 0) {
    refresh = std::min(refresh, milliseconds(uint64_t{granted_period} * 1000 * 2 / 3));
  }
  if (register_again_) refresh = milliseconds(0);
  ScheduleRegister(refresh);
}

void IsnsSession::ConnectionLost(const std::string& why) {
  CloseConnection();
  if (pending_ != Pending::kNone) {
    OnRequestDone(Status(Code::kUnavailable, why), 0);
    return;
  }
  if (stopping_) return;
  // Idle connection gone: the server may have restarted with an empty database.
  Log(LogLevel::kInfo, "isns", "%s: %s; registering again", state_.server.c_str(), why.c_str());
  Publish(false, why);
  ScheduleRegister(options_.min_retry);
}

void IsnsSession::CloseConnection() {
  if (fd_.valid()) loop_->Remove(fd_.get());
  fd_.Reset();
  connecting_ = false;
  assembler_ = MessageAssembler();
}

void IsnsSession::Fail(const std::string& why) {
  if (stopping_) {
    Publish(false, why);
    return;
  }
  backoff_ =
      backoff_.count() == 0 ? options_.min_retry : std::min(backoff_ * 2, options_.max_retry);
  Log(LogLevel::kWarn, "isns", "%s: registration of entity %s failed: %s; retrying in %s",
      state_.server.c_str(), registration_->entity_id.c_str(), why.c_str(),
      Seconds(backoff_).c_str());
  Publish(false, why);
  ScheduleRegister(register_again_ ? milliseconds(0) : backoff_);
}

void IsnsSession::ScheduleRegister(milliseconds delay) {
  CancelTimer(retry_timer_);
  retry_timer_ = loop_->RunAfter(delay, [this] {
    retry_timer_ = 0;
    Register();
  });
}

void IsnsSession::CancelTimer(event::TimerId& id) {
  if (id != 0) loop_->CancelTimer(id);
  id = 0;
}

void IsnsSession::Publish(bool registered, std::string error) {
  state_.registered = registered;
  state_.last_error = std::move(error);
  if (on_state_) on_state_(state_);
}

uint16_t IsnsSession::NextTransaction() {
  if (++last_transaction_ == 0) last_transaction_ = 1;
  return last_transaction_;
}

}  // namespace openstmf::isns
