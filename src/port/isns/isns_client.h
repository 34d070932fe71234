// IsnsClient: keeps openstmf's iSCSI targets and portals registered with iSNS
// servers (RFC 4171), as `itadm modify-defaults -i enable -I server[:port],...` asks.
//
// Every configured server (at most kMaxServers) gets the same registration: one
// Network Entity with the target nodes, the portals and the portal groups, sent as
// DevAttrReg with the Replace flag so each registration states the whole truth. Each
// server has its own IsnsSession (isns_session.h) that refreshes the registration
// before it expires, registers again after the connection drops, and retries
// failures with a backoff, logging every failure with the server and the reason.
//
// The client runs its sessions on an EventLoop of its own, on one thread it starts:
// resolving server names and waiting on a slow server must never stall the I/O
// loops, and the thread sleeps between refreshes. The caller is never blocked except
// by Stop(), for at most Options::stop_timeout.
//
// Thread-safety: all methods may be called from any thread; Stop() and the
// destructor not concurrently with other calls.
#ifndef OPENSTMF_PORT_ISNS_ISNS_CLIENT_H
#define OPENSTMF_PORT_ISNS_ISNS_CLIENT_H

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "base/status.h"
#include "event/event_loop.h"
#include "port/isns/isns_messages.h"
#include "port/isns/isns_server_address.h"
#include "port/isns/isns_session.h"

namespace openstmf::isns {

struct IsnsClientOptions {
  IsnsSessionOptions session;
  // How long Stop() waits for the servers to acknowledge the deregistration.
  std::chrono::milliseconds stop_timeout{3000};
};

class IsnsClient {
 public:
  // Validates the arguments (1..kMaxServers distinct servers; ValidateRegistration)
  // and starts registering in the background. Errors: kInvalidArgument for bad
  // arguments, or what creating the loop and thread reported.
  static Result<std::unique_ptr<IsnsClient>> Start(std::vector<IsnsServerAddress> servers,
                                                   IsnsRegistration registration,
                                                   IsnsClientOptions options = {});
  // Stop()s if not stopped.
  ~IsnsClient();
  IsnsClient(const IsnsClient&) = delete;
  IsnsClient& operator=(const IsnsClient&) = delete;

  // Replaces the registration on every server (targets or portals changed). A
  // description without targets deregisters the entity. Returns at once;
  // kInvalidArgument for a bad description (the old one stays registered), kUnavailable
  // after Stop().
  Status Update(IsnsRegistration registration);

  // Deregisters the entity from every server where it was registered (DevDereg),
  // waiting at most stop_timeout for the answers, then ends the thread. Idempotent.
  void Stop();

  // The last known state per server, in the order of the servers given to Start().
  std::vector<IsnsServerState> States() const;

 private:
  IsnsClient(std::unique_ptr<event::EventLoop> loop, IsnsRegistration registration,
             IsnsClientOptions options);
  void SetState(size_t index, const IsnsServerState& state);

  const IsnsClientOptions options_;
  std::unique_ptr<event::EventLoop> loop_;
  IsnsRegistration registration_;                       // loop thread only (sessions point at it)
  std::vector<std::unique_ptr<IsnsSession>> sessions_;  // loop thread only
  std::thread thread_;
  std::atomic<bool> stopped_{false};

  mutable std::mutex mu_;
  std::vector<IsnsServerState> states_;  // guarded by mu_
};

}  // namespace openstmf::isns

#endif  // OPENSTMF_PORT_ISNS_ISNS_CLIENT_H
