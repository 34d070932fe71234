// PeerCommandRunner: the owner side of a proxied command. The peer's SCSI_CMD
// runs here on the LU this node owns, through an I_T nexus that stands for the
// initiator's nexus on the peer (same initiator port, the peer's relative target
// port), so reservations, unit attentions and the task set treat it like any
// local nexus. The answer goes back as SCSI_STATUS with the Data-In.
//
// Every proxied command runs on one event loop, the one that serves the proxy
// door's posted messages (ha/proxy_door.h), so a command handed over there runs
// at once, with no other thread woken; commands of a nexus keep their order.
// SESSION_DESTROY or the loss of the peer detaches a nexus (I_T nexus loss: its
// SPC-2 reservation goes, persistent reservations stay).
//
// Thread-safety: OnCommand, OnSessionDestroy and DetachAll from any thread; the
// work runs on the loop (at once when called there).
#ifndef OPENSTMF_HA_PEER_COMMAND_RUNNER_H
#define OPENSTMF_HA_PEER_COMMAND_RUNNER_H

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "event/event_loop.h"
#include "ha/command_forwarder.h"
#include "ha/proxy_msg.h"
#include "stmf/framework.h"

namespace openstmf::ha {

class PeerCommandRunner {
 public:
  struct Hooks {
    // Whether this node may run commands on the LU now (it owns it and is not
    // handing it over); otherwise the command ends NOT READY 04/0A.
    std::function<bool(const Guid&)> may_run;
    // The relative target port identifier the peer registered for a port name.
    std::function<uint16_t(const std::string& port)> peer_port_id;
  };
  PeerCommandRunner(stmf::Framework* framework, event::EventLoop* loop, PeerSender send,
                    Hooks hooks);
  ~PeerCommandRunner();

  void OnCommand(ProxyMsg m);
  // Several at once (a batch from the peer): one wake-up at most.
  void OnCommands(std::vector<ProxyMsg> commands);
  void OnSessionDestroy(const ProxyMsg& m);
  // The peer is gone: every proxied nexus is lost.
  void DetachAll();

 private:
  class LoopRunner;
  stmf::Framework* const framework_;
  const PeerSender send_;
  const Hooks hooks_;
  std::shared_ptr<LoopRunner> runner_;
};

}  // namespace openstmf::ha

#endif  // OPENSTMF_HA_PEER_COMMAND_RUNNER_H
