// PairNode: stmfd's half of an ALUA pair — which node owns each LU, what every
// target port group reports, and what the two nodes tell each other through the
// proxy service (proxy_door.h, stmfproxy).
//
// Model (docs/ha.md has the administrator's view):
//  - Node n's target ports form target port group n+1; node 1's relative port
//    identifiers start at 256 (stmf::Framework::SetRelativePortBase), so the two
//    nodes' identifiers never collide and REPORT TARGET PORT GROUPS lists the
//    same groups, ports and states on both nodes.
//  - Exactly one node owns a LU and runs its commands; the owner's group is
//    Active/Optimized. The other node's group is Standby (mode kStandby: COMSTAR's
//    command filter, the listed commands proxied, others NOT READY 04/0B) or
//    Active/Non-optimized (mode kActiveNonOptimized: every command proxied, as
//    FreeBSD CTL's XFER mode), Unavailable while the peer cannot be reached, and
//    Transitioning while ownership moves.
//  - Ownership is a lease in the LU's own metadata (lu::OwnershipLease), which
//    both nodes see on the shared backing store. The owner renews it every
//    lease/4 and checks, before each renewal, that the record still names it
//    (else it stops: it was fenced). The other node watches the record; when it
//    has not changed for a whole lease period the owner is dead or cut off from
//    the store, and only then does the other node take the LU, writing its own
//    lease. A node cut off from its peer but not from the store keeps renewing,
//    so the other never takes over: no split brain. The watch uses the watcher's
//    own monotonic clock, never the two nodes' wall clocks.
//  - Moves on request (SET TARGET PORT GROUPS, aluaadm standby/active): the
//    owner goes Transitioning, forwards new commands, waits for its running
//    commands (at most drain_timeout), writes the lease for the peer, and sends
//    it the reservations with LUN_ACTIVE; the peer reloads the metadata, loads
//    the reservations and becomes Active/Optimized.
//  - Persistent reservations are copied to the non-owner after every change
//    (REGISTER_LUN), so they survive a failover.
//  - Deleting a LU on its owner retires the lease (lu::OwnershipLease::retired)
//    before the LU goes: the other node removes its copy when it sees that,
//    never takes the LU over, and removes a copy it restores at start-up. An
//    explicit create-lu or import-lu clears the mark.
//
// Messages (COMSTAR's set, proxy_msg.h): REGISTER_PROXY_PORT for each target
// port; REGISTER_LUN (provider "sbd"; data: a mgmt::Message with the backing
// file's path and the reservations) for each LU the node owns — the peer imports
// a LU it does not know (the daemon stores it) and keeps the reservations;
// DEREGISTER_LUN when the owner deletes a LU (the peer removes its copy, keeping
// its views); LUN_ACTIVE to ask for a LU ("request") or to
// hand it over ("grant"); SCSI_CMD / SCSI_STATUS / SESSION_DESTROY for proxied
// commands; ECHO_REQUEST / ECHO_REPLY as the end-to-end liveness check (each
// ECHO_REQUEST carries the node's boot id; a new boot id makes the receiver send
// all its registrations again).
//
// Thread-safety: every public method from any thread. Internally one mutex
// guards the pair state; it is never held while a LU's lock is taken (LU locks
// come first). A worker thread does the lease work and a heartbeat thread the
// hellos, so slow storage never makes the peer look dead.
#ifndef OPENSTMF_HA_PAIR_NODE_H
#define OPENSTMF_HA_PAIR_NODE_H

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "event/event_loop.h"
#include "ha/command_forwarder.h"
#include "ha/peer_command_runner.h"
#include "ha/proxy_msg.h"
#include "lu/sbd/lu_metadata.h"
#include "stmf/framework.h"

namespace openstmf::ha {

enum class ProxyMode : uint8_t { kStandby, kActiveNonOptimized };
const char* ProxyModeName(ProxyMode m);  // "standby", "active-nonoptimized"
std::optional<ProxyMode> ParseProxyMode(std::string_view text);

// A LU's access state on this node, as stmfadm list-lu -v shows it.
enum class LuAccess : uint8_t {
  kActive,
  kStandby,
  kActiveNonOptimized,
  kTransitioning,
  kUnavailable
};
const char* LuAccessName(LuAccess a);

inline constexpr uint16_t kNode1PortBase = 255;

struct PairOptions {
  stmf::Framework* framework = nullptr;
  std::vector<event::EventLoop*> loops;
  ProxyMode mode = ProxyMode::kActiveNonOptimized;
  std::chrono::milliseconds lease{1000};
  std::chrono::milliseconds tick{50};
  std::chrono::milliseconds echo_interval{200};
  // The peer counts as lost when nothing came from it for this long. Generous:
  // one 32 MiB command holds the link for about a second on small machines, and
  // taking a LU over does not wait for it (only for the lease).
  std::chrono::milliseconds peer_timeout{3000};
  std::chrono::milliseconds drain_timeout{2000};
  // Sends one message to the peer (through stmfproxy's door; batch_sender.h);
  // with `wait`, returns once it has been handed to the proxy service.
  std::function<Status(MessageParts message, bool wait)> send;
  // Imports the LU whose backing store the peer registered; the daemon keeps it
  // in its configuration. nullptr result with OK: not importable here.
  std::function<Result<stmf::LogicalUnit*>(const std::string& path)> import_lu;
  // Removes a LU whose owner deleted it (the peer's DEREGISTER_LUN) from this
  // node and its configuration, keeping its views, as stmfadm delete-lu -k.
  std::function<Status(const Guid& guid)> delete_lu;
};

class PairNode {
 public:
  explicit PairNode(PairOptions options);
  ~PairNode();  // stops the worker; LUs keep their last state
  PairNode(const PairNode&) = delete;
  PairNode& operator=(const PairNode&) = delete;

  // stmfSetAluaState. Enabling (again) re-sends every registration; node 1
  // rebases its relative port identifiers. Disabling stops proxying: LUs this
  // node owns stay active, the others unavailable.
  Status SetAluaState(bool enabled, uint8_t node);
  struct State {
    bool enabled = false;
    uint8_t node = 0;
    bool peer_alive = false;
    ProxyMode mode = ProxyMode::kActiveNonOptimized;
  };
  State state() const;

  // Classifies the LUs now (owner or not, from their leases) and applies their
  // target port groups: stmfd calls it before it starts listening, so a node
  // that restarts never serves a LU its peer owns.
  void SyncNow();

  // Messages from the peer (the proxy door's on_message: one message or a
  // batch); 0 or an errno-like code.
  uint32_t OnMessage(std::span<const uint8_t> bytes);
  // The same on proxy_loop() (the proxy door's on_loop_message): nullopt, with
  // nothing done, when the batch holds more than commands and their answers
  // (those may block: they go to OnMessage on a thread).
  std::optional<uint32_t> OnLoopMessage(std::span<const uint8_t> bytes);
  // The loop that runs the peer's commands here, and should serve the proxy
  // door's posted messages: the first of the options' loops.
  event::EventLoop* proxy_loop() const { return options_.loops.front(); }

  // stmfLuStandby: hands a LU this node owns to the peer (kNotFound: no such
  // LU; kUnavailable: the peer is not reachable). A LU the peer owns: OK.
  Status MakeStandby(const Guid& guid);
  // Asks the peer for a LU (the reverse of MakeStandby).
  Status MakeActive(const Guid& guid);
  // The access state of a LU here; nullopt while ALUA is disabled and the LU
  // was never shared.
  std::optional<LuAccess> Access(const Guid& guid) const;
  // Whether this node may change the LU (administrative writes to its metadata).
  bool MayModify(const Guid& guid) const;
  // The administrator deletes the LU on this node (call just before it leaves
  // the framework). When this node owns it, the lease in the shared metadata is
  // retired, so the other node removes its copy instead of taking the LU over,
  // also when it learns of the deletion only later (link down, node stopped).
  void Retire(stmf::LogicalUnit& lu);

 private:
  enum class Role : uint8_t { kOwner, kHandingOver, kPeer, kTakingOver };
  struct LuRecord {
    Role role = Role::kPeer;
    uint64_t generation = 0;
    std::vector<uint8_t> pr_replica;
    bool have_replica = false;
    uint64_t seen_seq = 0;
    std::chrono::steady_clock::time_point seen_at{};
    std::chrono::steady_clock::time_point renewed_at{};
    std::chrono::steady_clock::time_point last_renew_ok{};
    std::chrono::steady_clock::time_point requested_at{};
    bool requested = false;   // we asked the peer for it
    bool hand_over = false;   // the peer asked for it / standby requested
    bool local_only = false;  // a RAM LU: never shared
    std::chrono::steady_clock::time_point watched_at{};
    std::optional<std::vector<uint8_t>> grant;  // LUN_ACTIVE grant: the reservations
  };

  // Requires mu_: this node's copy of a LU its owner deleted goes on the
  // worker's next round (RemoveDeregistered); false when already queued.
  bool QueueRemovalLocked(const Guid& guid);
  // The same when the retired lease of node `owner` said so (logged once).
  void QueueRetiredRemovalLocked(const Guid& guid, uint32_t owner);
  // Under mu_: the node and the LU's generation when its record has role
  // `from` (which then becomes `to`, if given); nullopt otherwise.
  std::optional<std::pair<uint8_t, uint64_t>> Claim(const Guid& guid, Role from,
                                                    std::optional<Role> to);
  lu::OwnershipLease LeaseFor(uint8_t node, uint64_t generation) const;
  void Run();
  void Tick();
  // Its own thread: hellos and the peer's liveness never wait for lease I/O.
  void Heartbeat();
  void SyncLus();
  void Classify(stmf::LogicalUnit* lu);
  void Renew(stmf::LogicalUnit* lu);
  void Watch(stmf::LogicalUnit* lu);
  void TakeOver(stmf::LogicalUnit* lu, const char* why, std::optional<std::vector<uint8_t>> pr);
  void HandOver(stmf::LogicalUnit* lu);
  void ApplyGroups();
  void SendRegistrations();
  void RegisterLu(stmf::LogicalUnit* lu);
  void SendRegisterLun(const Guid& guid, const std::string& path, const std::vector<uint8_t>& pr,
                       bool wait = false);
  void SendPort(const stmf::TargetPortInfo& p);
  void SendHello(bool reply);
  void OnPeerLost();
  // The peer's work in flight is gone: commands waiting for it end (04/0C) and
  // the nexuses it had here are lost.
  void ForgetPeerWork();
  // OnMessage and OnLoopMessage.
  std::optional<uint32_t> Receive(std::span<const uint8_t> bytes, bool on_loop);
  Status Send(const ProxyMsg& m, bool wait = false);
  void Dispatch(ProxyMsg m);
  std::vector<scsi::TargetPortGroup> GroupsFor(const Guid& guid) const;  // requires mu_
  scsi::ScsiResult OnTpgRequest(stmf::LogicalUnit& lu, std::span<const scsi::TpgChange> changes);
  void OnRegisterLun(const ProxyMsg& m);
  void OnDeregisterLun(const ProxyMsg& m);
  void RemoveDeregistered();
  void OnLunActive(const ProxyMsg& m);
  // Requires mu_: asks the peer for the LU (LUN_ACTIVE "request").
  void RequestLu(const Guid& guid, LuRecord& rec);
  bool PeerAliveLocked() const;  // requires mu_
  uint16_t PeerPortId(const std::string& port) const;

  const PairOptions options_;
  const uint64_t boot_id_;
  std::shared_ptr<CommandForwarder> forwarder_;
  std::unique_ptr<PeerCommandRunner> runner_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;                              // guarded by mu_
  bool enabled_ = false;                               // guarded by mu_
  bool ever_enabled_ = false;                          // guarded by mu_
  uint8_t node_ = 0;                                   // guarded by mu_
  bool resend_ = false;                                // guarded by mu_
  bool peer_was_alive_ = false;                        // guarded by mu_
  uint64_t peer_boot_ = 0;                             // guarded by mu_
  std::chrono::steady_clock::time_point last_rx_{};    // guarded by mu_
  std::chrono::steady_clock::time_point last_echo_{};  // guarded by mu_
  std::map<std::string, uint16_t> peer_ports_;         // guarded by mu_
  std::map<Guid, LuRecord> lus_;                       // guarded by mu_
  std::map<Guid, std::vector<uint8_t>> replicas_;      // guarded by mu_: peer's reservations
  std::set<Guid> learned_;                             // guarded by mu_: registered by the peer
  std::set<Guid> deregistered_;  // guarded by mu_: deleted on the peer, to remove here
  // ApplyGroups runs whole under apply_mu_ (taken before any LU lock), so the
  // groups a LU holds are always the newest computed.
  std::mutex apply_mu_;
  std::map<Guid, std::vector<scsi::TargetPortGroup>> applied_;  // guarded by apply_mu_
  std::thread thread_;
  std::thread heartbeat_;
};

}  // namespace openstmf::ha

#endif  // OPENSTMF_HA_PAIR_NODE_H
