// IscsiPort: the iSCSI port provider (COMSTAR's iscsit) — portals listening for
// initiators, and the connections they accept, spread over the event loops.
//
// Listeners live on the first loop; each accepted connection is placed on the
// next loop (round-robin) and stays there. Stop() closes the portals, lets every
// connection finish the commands it has started (draining), then closes them.
// Portals belong to portal groups (RFC 7143 §4.4.1: the tag a login reports);
// groups open and close at run time as the configuration changes.
//
// Thread-safety: Listen, CloseTpg and Stop from any thread but the loops' (they
// wait for the first loop, where listeners live); the rest from any thread.
#ifndef OPENSTMF_PORT_ISCSIT_ISCSI_PORT_H
#define OPENSTMF_PORT_ISCSIT_ISCSI_PORT_H

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "event/loop_group.h"
#include "port/iscsit/connection.h"
#include "port/iscsit/session_directory.h"
#include "port/iscsit/target_table.h"
#include "port/isns/isns_client.h"
#include "port/tcp/listener.h"
#include "stmf/framework.h"

namespace openstmf::iscsit {

struct IscsiPortOptions {
  uint16_t tpgt = 1;
  std::chrono::seconds nop_interval{30};
};

class IscsiPort {
 public:
  IscsiPort(stmf::Framework* framework, event::LoopGroup* loops, IscsiPortOptions options);
  ~IscsiPort();

  TargetTable& targets() { return targets_; }

  // Opens a portal in the default portal group (options.tpgt); returns the bound
  // address (port 0 picks a free port).
  Result<tcp::SocketAddress> Listen(const tcp::SocketAddress& address);
  // Opens a portal of portal group `tpgt`: logins through it carry that tag.
  Result<tcp::SocketAddress> Listen(const tcp::SocketAddress& address, uint16_t tpgt);
  // Closes every portal of group `tpgt`; connections already made stay.
  void CloseTpg(uint16_t tpgt);
  // The open portals (bound addresses) with their tags, in the order opened.
  std::vector<iscsi::Portal> Portals() const;
  uint16_t default_tpgt() const { return options_.tpgt; }

  // iSNS (RFC 4171): with servers, keeps every online target and every portal
  // registered with them (isns/isns_client.h); with none, deregisters and
  // stops. UpdateIsns() re-sends the registration after targets or portals
  // changed. entity_id names this node (the host name).
  Status SetIsnsServers(std::vector<isns::IsnsServerAddress> servers, std::string entity_id);
  void UpdateIsns();
  std::vector<isns::IsnsServerState> IsnsStates() const;
  // Closes the portals and drains every connection; waits at most `timeout`.
  void Stop(std::chrono::milliseconds timeout);
  size_t connection_count() const;

  // Any thread: the views or LUs changed. Every session re-reads its LUN map
  // (Framework::LunMap); where it changed, each LU the session sees reports
  // REPORTED LUNS DATA HAS CHANGED (SPC-4 6.37) and the session gets an Async
  // Message carrying that sense data (RFC 7143 §11.9). Returns at once.
  void NotifyLunsChanged();

 private:
  void Accept(UniqueFd fd, const tcp::SocketAddress& peer, uint16_t tpgt);
  // On `loop`: a connection for fd through portal group tpgt, fed `received`
  // once started (a connection handed over to its session's loop). It counts
  // on the loop (LoopGroup::Hold) until it ends.
  void Adopt(event::EventLoop* loop, UniqueFd fd, const tcp::SocketAddress& peer, uint16_t tpgt,
             std::vector<uint8_t> received);
  isns::IsnsRegistration IsnsDescription() const;
  void Finished(Connection* c);
  using ConnMap = std::unordered_map<Connection*, std::shared_ptr<Connection>>;
  // Takes a connection out of conns_ and its loop's count; mu_ held.
  std::shared_ptr<Connection> Forget(ConnMap::iterator it);

  stmf::Framework* framework_;
  event::LoopGroup* loops_;
  IscsiPortOptions options_;
  TargetTable targets_;
  SessionDirectory sessions_;
  struct OpenPortal {
    iscsi::Portal portal;  // bound address and tag
    std::unique_ptr<tcp::Listener> listener;
  };
  std::vector<OpenPortal> listeners_;  // first loop's thread

  mutable std::mutex isns_mu_;
  std::unique_ptr<isns::IsnsClient> isns_;  // guarded by isns_mu_
  std::string isns_entity_;                 // guarded by isns_mu_

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;               // guarded by mu_
  std::vector<iscsi::Portal> portals_;  // guarded by mu_
  ConnMap conns_;                       // guarded by mu_
};

}  // namespace openstmf::iscsit

#endif  // OPENSTMF_PORT_ISCSIT_ISCSI_PORT_H
