// IscsiPort: the iSCSI port provider (COMSTAR's iscsit) — portals listening for
// initiators, and the connections they accept, spread over the event loops.
//
// Listeners live on the first loop; each accepted connection is placed on the
// next loop (round-robin) and stays there — except that a login adding a
// connection to a session (MC/S, RFC 7143 §6.3) moves it, before its first PDU
// is processed, to the loop of that session, so all connections of a session
// share one loop. Stop() closes the portals, lets every connection finish the
// commands it has started (draining), then closes them.
//
// Thread-safety: Listen/Stop from the owning (main) thread after the loops run;
// connection bookkeeping is locked.
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

  // Opens a portal; returns the bound address (port 0 picks a free port).
  Result<tcp::SocketAddress> Listen(const tcp::SocketAddress& address);
  // Closes the portals and drains every connection; waits at most `timeout`.
  void Stop(std::chrono::milliseconds timeout);
  size_t connection_count() const;

  // Any thread: the views or LUs changed. Every session re-reads its LUN map
  // (Framework::LunMap); where it changed, each LU the session sees reports
  // REPORTED LUNS DATA HAS CHANGED (SPC-4 6.37) and the session gets an Async
  // Message carrying that sense data (RFC 7143 §11.9). Returns at once.
  void NotifyLunsChanged();

 private:
  void Accept(UniqueFd fd, const tcp::SocketAddress& peer);
  // On `loop`: a connection for fd, fed `received` once started (a connection
  // handed over to its session's loop).
  void Adopt(event::EventLoop* loop, UniqueFd fd, const tcp::SocketAddress& peer,
             std::vector<uint8_t> received);
  void Finished(Connection* c);

  stmf::Framework* framework_;
  event::LoopGroup* loops_;
  IscsiPortOptions options_;
  TargetTable targets_;
  SessionDirectory sessions_;
  std::vector<std::unique_ptr<tcp::Listener>> listeners_;  // first loop's thread

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;                                               // guarded by mu_
  std::unordered_map<Connection*, std::shared_ptr<Connection>> conns_;  // guarded by mu_
};

}  // namespace openstmf::iscsit

#endif  // OPENSTMF_PORT_ISCSIT_ISCSI_PORT_H
