// IsnsSession: the conversation with one iSNS server, on one event loop.
//
// Keeps a TCP connection to the server and the registration current on it:
//   - registers (DevAttrReg, Replace) as soon as it can;
//   - registers again before the granted registration period runs out (at 2/3 of it),
//     or every Options::default_refresh when the server grants none, so a server
//     that lost its database without dropping the connection learns again;
//   - when the connection drops (server restart, network) reconnects and registers
//     again, at once if the connection had been idle, else after a backoff that
//     doubles from min_retry to max_retry while attempts keep failing;
//   - a refused registration (status code != 0), a malformed answer or no answer
//     within request_timeout is logged ("isns" component, with the server and the
//     reason) and retried after the backoff.
// Nothing blocks but name resolution (getaddrinfo), which is why IsnsClient gives
// sessions a loop of their own.
//
// Thread-safety: everything on the loop's thread.
#ifndef OPENSTMF_PORT_ISNS_ISNS_SESSION_H
#define OPENSTMF_PORT_ISNS_ISNS_SESSION_H

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/unique_fd.h"
#include "event/event_loop.h"
#include "port/isns/isns_assembler.h"
#include "port/isns/isns_messages.h"
#include "port/isns/isns_server_address.h"

namespace openstmf::isns {

struct IsnsSessionOptions {
  std::chrono::milliseconds request_timeout{10000};  // connect and each request
  std::chrono::milliseconds min_retry{1000};
  std::chrono::milliseconds max_retry{60000};
  std::chrono::milliseconds default_refresh{300000};  // when no period is granted
};

// Reported after every change, for status listings.
struct IsnsServerState {
  std::string server;       // "host:port"
  bool registered = false;  // the server acknowledged the current description
  std::string last_error;   // empty after a success
};

class IsnsSession final : public event::FdHandler {
 public:
  using StateCallback = std::function<void(const IsnsServerState&)>;

  // registration must outlive the session; on_state runs on the loop thread.
  IsnsSession(event::EventLoop* loop, IsnsServerAddress server,
              const IsnsRegistration* registration, IsnsSessionOptions options,
              StateCallback on_state);
  ~IsnsSession() override;
  IsnsSession(const IsnsSession&) = delete;
  IsnsSession& operator=(const IsnsSession&) = delete;

  // Registers *registration now (or as soon as the request in flight is answered).
  void Register();
  // Deregisters the entity if it was ever registered on this server and calls done
  // once answered, failed or timed out; no more registrations afterwards.
  void Deregister(std::function<void()> done);

  const IsnsServerState& state() const { return state_; }

  void OnEvents(uint32_t events) override;

 private:
  enum class Pending { kNone, kRegister, kDeregister };

  void Send(Pending kind, std::vector<uint8_t> request, uint16_t transaction_id);
  Status Connect();
  void Flush();
  void ReadResponses();
  void OnResponse(const Message& message);
  void OnRequestDone(const Status& status, uint32_t granted_period);
  void ConnectionLost(const std::string& why);
  void CloseConnection();
  void Fail(const std::string& why);
  void ScheduleRegister(std::chrono::milliseconds delay);
  void CancelTimer(event::TimerId& id);
  void Publish(bool registered, std::string error);
  uint16_t NextTransaction();

  event::EventLoop* const loop_;
  const IsnsServerAddress server_;
  const IsnsRegistration* const registration_;
  const IsnsSessionOptions options_;
  const StateCallback on_state_;

  UniqueFd fd_;
  bool connecting_ = false;
  MessageAssembler assembler_;
  std::vector<uint8_t> out_;  // bytes of the request not yet written
  Pending pending_ = Pending::kNone;
  uint16_t pending_transaction_ = 0;
  uint16_t last_transaction_ = 0;
  bool register_again_ = false;  // Register() called while a request was in flight
  bool stopping_ = false;
  std::function<void()> deregistered_;
  std::string registered_source_;  // source of the last accepted registration
  std::chrono::milliseconds backoff_{0};
  event::TimerId retry_timer_ = 0;    // next registration (refresh or retry)
  event::TimerId timeout_timer_ = 0;  // the request in flight
  IsnsServerState state_;
};

}  // namespace openstmf::isns

#endif  // OPENSTMF_PORT_ISNS_ISNS_SESSION_H
