#include "ha/pair_node.h"

#include <random>
#include <utility>

#include "base/log.h"
#include "lu/sbd/sbd_lu.h"
#include "mgmt/message.h"
#include "scsi/sense.h"

namespace openstmf::ha {
namespace {

using Clock = std::chrono::steady_clock;

uint64_t WallMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

uint64_t RandomId() {
  std::random_device rd;
  uint64_t v = (uint64_t{rd()} << 32) ^ rd();
  return v == 0 ? 1 : v;
}

std::string GuidText(const Guid& g) { return lu::GuidToString(g); }

uint16_t GroupOf(uint8_t node) { return static_cast<uint16_t>(node + 1); }

}  // namespace

const char* ProxyModeName(ProxyMode m) {
  return m == ProxyMode::kStandby ? "standby" : "active-nonoptimized";
}

std::optional<ProxyMode> ParseProxyMode(std::string_view text) {
  if (text == "standby") return ProxyMode::kStandby;
  if (text == "active-nonoptimized") return ProxyMode::kActiveNonOptimized;
  return std::nullopt;
}

const char* LuAccessName(LuAccess a) {
  switch (a) {
    case LuAccess::kActive:
      return "Active";
    case LuAccess::kStandby:
      return "Standby";
    case LuAccess::kActiveNonOptimized:
      return "Active/Non-optimized";
    case LuAccess::kTransitioning:
      return "Transitioning";
    case LuAccess::kUnavailable:
      return "Unavailable";
  }
  return "Unavailable";
}

PairNode::PairNode(PairOptions options) : options_(std::move(options)), boot_id_(RandomId()) {
  std::function<Status(MessageParts, bool)> send = options_.send;
  PeerSender sender = [send](MessageParts parts) { return send(parts, false); };
  forwarder_ = std::make_shared<CommandForwarder>(sender, options_.loops);
  PeerCommandRunner::Hooks hooks;
  hooks.may_run = [this](const Guid& g) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = lus_.find(g);
    return it == lus_.end() || it->second.role == Role::kOwner;
  };
  hooks.peer_port_id = [this](const std::string& port) { return PeerPortId(port); };
  runner_ = std::make_unique<PeerCommandRunner>(options_.framework, proxy_loop(), sender,
                                                std::move(hooks));
  options_.framework->SetTargetPortListener([this](const stmf::TargetPortInfo& p) {
    bool enabled;
    {
      std::lock_guard<std::mutex> lock(mu_);
      enabled = enabled_;
    }
    if (!enabled) return;
    // The new port joins this node's group before its first session attaches.
    ApplyGroups();
    SendPort(p);
  });
  thread_ = std::thread([this] { Run(); });
  heartbeat_ = std::thread([this] { Heartbeat(); });
}

PairNode::~PairNode() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (heartbeat_.joinable()) heartbeat_.join();
  options_.framework->SetTargetPortListener(nullptr);
  for (stmf::LogicalUnit* lu : options_.framework->Lus()) {
    std::lock_guard<std::recursive_mutex> lock(lu->mu());
    lu->SetReservationObserver(nullptr);
    lu->SetTpgRequestHandler(nullptr);
  }
  runner_.reset();
}

Status PairNode::SetAluaState(bool enabled, uint8_t node) {
  if (enabled && node > 1) return Status(Code::kInvalidArgument, "the node must be 0 or 1");
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (enabled) {
      node_ = node;
      ever_enabled_ = true;
      resend_ = true;
      peer_boot_ = 0;
    }
    enabled_ = enabled;
  }
  // Enabling again re-initialises the pair; stmfproxy does it after every
  // reconnection of the peer link, on which a command or its answer may have
  // been lost. Disabled, the node ignores the peer's answers. Either way the
  // commands waiting for the peer end now (04/0C) and their initiators retry.
  forwarder_->FailPending(std::nullopt, scsi::Asc::kNotReadyAluaUnavailable);
  if (enabled) options_.framework->SetRelativePortBase(node == 1 ? kNode1PortBase : 0);
  Log(LogLevel::kInfo, "alua", enabled ? "ALUA enabled as node %u (%s)" : "ALUA disabled",
      unsigned{node}, ProxyModeName(options_.mode));
  cv_.notify_all();
  return Status::Ok();
}

PairNode::State PairNode::state() const {
  std::lock_guard<std::mutex> lock(mu_);
  return State{enabled_, node_, PeerAliveLocked(), options_.mode};
}

bool PairNode::PeerAliveLocked() const {
  return enabled_ && last_rx_ != Clock::time_point{} &&
         Clock::now() - last_rx_ < options_.peer_timeout;
}

uint16_t PairNode::PeerPortId(const std::string& port) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = peer_ports_.find(port);
  return it == peer_ports_.end() ? 0 : it->second;
}

Status PairNode::Send(const ProxyMsg& m, bool wait) {
  std::vector<uint8_t> bytes = Encode(m);
  const std::span<const uint8_t> one[] = {bytes};
  return options_.send(MessageParts(one), wait);
}

// --- Worker

void PairNode::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, options_.tick, [&] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    Tick();
    lock.lock();
  }
}

void PairNode::Heartbeat() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, options_.echo_interval, [&] { return stopping_; });
    if (stopping_) break;
    const bool enabled = enabled_;
    const bool alive = PeerAliveLocked();
    const bool was_alive = peer_was_alive_;
    peer_was_alive_ = alive;
    lock.unlock();
    if (enabled) SendHello(false);
    if (was_alive && !alive) OnPeerLost();
    if (!was_alive && alive) Log(LogLevel::kInfo, "alua", "the peer node is reachable");
    lock.lock();
  }
}

void PairNode::Tick() {
  bool enabled, alive, resend;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!ever_enabled_) return;
    enabled = enabled_;
    alive = PeerAliveLocked();
    resend = enabled && resend_;
    resend_ = false;
  }
  if (enabled) RemoveDeregistered();
  if (enabled) SyncLus();
  if (resend) SendRegistrations();

  struct Work {
    stmf::LogicalUnit* lu;
    Role role;
    bool renew, watch, hand_over;
    std::optional<std::vector<uint8_t>> grant;
  };
  std::vector<Work> work;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const auto now = Clock::now();
    for (auto& [guid, rec] : lus_) {
      stmf::LogicalUnit* lu = options_.framework->FindLu(guid);
      if (lu == nullptr || rec.local_only) continue;
      Work w{lu, rec.role, false, false, false, std::nullopt};
      if (rec.role == Role::kOwner) {
        w.renew = now - rec.renewed_at >= options_.lease / 4;
        if (w.renew) rec.renewed_at = now;
        w.hand_over = rec.hand_over && enabled && alive;
        rec.hand_over = false;  // done now, or not possible without the peer
      } else if (rec.role == Role::kPeer && enabled) {
        if (rec.grant) {
          w.grant = std::move(rec.grant);
          rec.grant.reset();
        }
        w.watch = now - rec.watched_at >= 2 * options_.tick;
        if (rec.requested && now - rec.requested_at > options_.drain_timeout * 2) {
          rec.requested = false;
        }
      }
      if (w.renew || w.watch || w.hand_over || w.grant) work.push_back(std::move(w));
    }
  }
  for (Work& w : work) {
    if (w.grant) {
      TakeOver(w.lu, "the peer handed it over", std::move(w.grant));
    } else if (w.hand_over) {
      HandOver(w.lu);
    } else if (w.renew) {
      Renew(w.lu);
    } else if (w.watch) {
      Watch(w.lu);
    }
  }
  ApplyGroups();
}

void PairNode::SyncNow() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!enabled_) return;
  }
  SyncLus();
  ApplyGroups();
}

void PairNode::SyncLus() {
  std::vector<stmf::LogicalUnit*> lus = options_.framework->Lus();
  std::vector<stmf::LogicalUnit*> fresh;
  std::vector<Guid> deleted;  // LUs this node owned and no longer has
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::map<Guid, LuRecord> kept;
    for (stmf::LogicalUnit* lu : lus) {
      auto it = lus_.find(lu->guid());
      if (it == lus_.end()) {
        fresh.push_back(lu);
      } else {
        kept.insert(lus_.extract(it));
      }
    }
    for (const auto& [guid, rec] : lus_) {
      if (!rec.local_only && (rec.role == Role::kOwner || rec.role == Role::kHandingOver)) {
        deleted.push_back(guid);
        replicas_.erase(guid);
        learned_.erase(guid);  // imported again, it is claimed as a new LU
      }
    }
    lus_.swap(kept);
  }
  for (const Guid& guid : deleted) {
    // The peer would otherwise keep serving its copy, and take the LU over once
    // the lease this node no longer renews runs out.
    ProxyMsg m;
    m.type = MsgType::kDeregisterLun;
    m.guid = guid;
    m.provider = "sbd";
    Status s = Send(m, true);
    Log(s.ok() ? LogLevel::kInfo : LogLevel::kWarn, "alua", "LU %s: deleted here; %s",
        GuidText(guid).c_str(),
        s.ok() ? "the peer node removes its copy"
               : ("the peer node was not told: " + s.message()).c_str());
  }
  for (stmf::LogicalUnit* lu : fresh) Classify(lu);
}

void PairNode::Classify(stmf::LogicalUnit* lu) {
  const Guid guid = lu->guid();
  uint8_t node;
  bool learned;
  std::optional<std::vector<uint8_t>> replica;
  {
    std::lock_guard<std::mutex> lock(mu_);
    node = node_;
    learned = learned_.count(guid) != 0;
    if (auto it = replicas_.find(guid); it != replicas_.end()) replica = it->second;
  }
  LuRecord rec;
  rec.seen_at = Clock::now();
  std::string path;
  std::optional<uint32_t> retired_by;  // the LU's owner deleted it
  {
    std::lock_guard<std::recursive_mutex> lock(lu->mu());
    lu::SbdStore& store = lu->mutable_store();
    path = store.path();
    if (store.kind() == lu::StoreKind::kRam) {
      rec.role = Role::kOwner;
      rec.local_only = true;
    } else {
      auto view = store.ReadLease();
      if (!view.ok()) {
        Log(LogLevel::kError, "alua", "LU %s: reading its lease: %s", GuidText(guid).c_str(),
            view.status().message().c_str());
        return;  // tried again on the next round
      }
      const lu::OwnershipLease& l = view->lease;
      rec.seen_seq = view->seq;
      rec.generation = l.generation;
      bool held = l.expires_unix_ms != 0;
      if (l.retired) {
        // A copy restored from this node's configuration after its owner
        // deleted the LU: it goes too.
        rec.role = Role::kPeer;
        lu->SetProxy(forwarder_);
        retired_by = l.owner_node;
      } else if ((held && l.owner_node == node) || (!held && !learned && node == 0)) {
        // A LU nobody holds yet goes to node 0 at once; node 1 claims it only
        // if it stays unheld for a whole lease period (Watch), so two nodes
        // that both have it configured never both take it.
        lu::OwnershipLease mine = LeaseFor(node, held ? l.generation : l.generation + 1);
        Status s = store.WriteLease(mine);
        if (!s.ok()) {
          Log(LogLevel::kError, "alua", "LU %s: writing its lease: %s", GuidText(guid).c_str(),
              s.message().c_str());
          return;
        }
        rec.role = Role::kOwner;
        rec.generation = mine.generation;
        rec.renewed_at = rec.last_renew_ok = Clock::now();
        lu->SetProxy(nullptr);
      } else {
        rec.role = Role::kPeer;
        lu->SetProxy(forwarder_);
        if (replica) (void)lu->LoadReservations(*replica);
      }
    }
    lu->SetReservationObserver([this, guid, path](const std::vector<uint8_t>& pr) {
      bool owner;
      {
        std::lock_guard<std::mutex> state_lock(mu_);
        auto it = lus_.find(guid);
        owner = enabled_ && it != lus_.end() && it->second.role == Role::kOwner;
      }
      // Before the PERSISTENT RESERVE OUT completes, the peer has the change.
      if (owner) SendRegisterLun(guid, path, pr, true);
    });
    lu->SetTpgRequestHandler([this](stmf::LogicalUnit& u, std::span<const scsi::TpgChange> c) {
      return OnTpgRequest(u, c);
    });
    lu->scsi().SetExplicitAlua(true);
    lu->scsi().set_standby_filter(options_.mode == ProxyMode::kStandby
                                      ? scsi::StandbyFilter::kComstar
                                      : scsi::StandbyFilter::kSpc4);
  }
  Log(LogLevel::kInfo, "alua", "LU %s: %s", GuidText(guid).c_str(),
      rec.role == Role::kOwner ? "owned by this node" : "owned by the peer node");
  const bool owner = rec.role == Role::kOwner && !rec.local_only;
  {
    std::lock_guard<std::mutex> lock(mu_);
    lus_[guid] = std::move(rec);
    if (retired_by) QueueRetiredRemovalLocked(guid, *retired_by);
  }
  if (owner) RegisterLu(lu);
}

std::optional<std::pair<uint8_t, uint64_t>> PairNode::Claim(const Guid& guid, Role from,
                                                            std::optional<Role> to) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = lus_.find(guid);
  if (it == lus_.end() || it->second.role != from) return std::nullopt;
  if (to) it->second.role = *to;
  return std::make_pair(node_, it->second.generation);
}

lu::OwnershipLease PairNode::LeaseFor(uint8_t node, uint64_t generation) const {
  return lu::OwnershipLease{node, generation,
                            WallMs() + static_cast<uint64_t>(options_.lease.count())};
}

void PairNode::Renew(stmf::LogicalUnit* lu) {
  const Guid guid = lu->guid();
  auto claim = Claim(guid, Role::kOwner, std::nullopt);
  if (!claim) return;
  const auto [node, gen] = *claim;
  bool fenced = false;
  Status s;
  {
    std::lock_guard<std::recursive_mutex> lock(lu->mu());
    lu::SbdStore& store = lu->mutable_store();
    auto view = store.ReadLease();
    if (view.ok() && view->lease.owner_node != node && view->lease.generation > gen) {
      fenced = true;  // the other node took the LU: stop at once
      lu->SetProxy(forwarder_);
    } else if (view.ok() && view->lease.retired) {
      return;  // being deleted here (Retire)
    } else {
      s = view.ok() ? store.WriteLease(LeaseFor(node, gen)) : view.status();
    }
  }
  bool stop = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = lus_.find(guid);
    if (it == lus_.end()) return;
    LuRecord& rec = it->second;
    const auto now = Clock::now();
    if (fenced) {
      Log(LogLevel::kError, "alua", "LU %s: the peer node holds its lease now; this node stops",
          GuidText(guid).c_str());
      rec.role = Role::kPeer;
      rec.seen_at = now;
      return;
    }
    if (s.ok()) {
      rec.last_renew_ok = now;
      return;
    }
    Log(LogLevel::kError, "alua", "LU %s: renewing its lease: %s", GuidText(guid).c_str(),
        s.message().c_str());
    if (now - rec.last_renew_ok > options_.lease * 3 / 4) {
      // The peer may take the LU once the lease runs out; stop writing before.
      Log(LogLevel::kError, "alua", "LU %s: lease not renewed in time; this node stops serving it",
          GuidText(guid).c_str());
      rec.role = Role::kPeer;
      rec.seen_at = now;
      stop = true;
    }
  }
  if (stop) {
    std::lock_guard<std::recursive_mutex> lock(lu->mu());
    lu->SetProxy(forwarder_);
  }
}

void PairNode::Watch(stmf::LogicalUnit* lu) {
  const Guid guid = lu->guid();
  Result<lu::SbdStore::LeaseView> view = Status(Code::kInternal, "");
  {
    std::lock_guard<std::recursive_mutex> lock(lu->mu());
    view = lu->mutable_store().ReadLease();
  }
  std::optional<std::vector<uint8_t>> replica;
  bool stale = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = lus_.find(guid);
    if (it == lus_.end() || it->second.role != Role::kPeer) return;
    LuRecord& rec = it->second;
    const auto now = Clock::now();
    rec.watched_at = now;
    if (!view.ok()) {
      Log(LogLevel::kError, "alua", "LU %s: reading its lease: %s", GuidText(guid).c_str(),
          view.status().message().c_str());
      return;
    }
    if (view->lease.retired) {
      QueueRetiredRemovalLocked(guid, view->lease.owner_node);
      return;
    }
    if (view->seq != rec.seen_seq) {
      rec.seen_seq = view->seq;
      rec.seen_at = now;
      rec.generation = std::max(rec.generation, view->lease.generation);
      return;
    }
    stale = now - rec.seen_at >= options_.lease;
    if (auto r = replicas_.find(guid); r != replicas_.end()) replica = r->second;
  }
  if (stale) TakeOver(lu, "the owner's lease expired", std::move(replica));
}

void PairNode::TakeOver(stmf::LogicalUnit* lu, const char* why,
                        std::optional<std::vector<uint8_t>> pr) {
  const Guid guid = lu->guid();
  auto claim = Claim(guid, Role::kPeer, Role::kTakingOver);
  if (!claim) return;
  auto [node, gen] = *claim;
  Status s;
  std::optional<uint32_t> retired_by;
  {
    std::lock_guard<std::recursive_mutex> lock(lu->mu());
    s = lu->ReloadStore();
    lu::SbdStore& store = lu->mutable_store();
    if (s.ok() && store.metadata().lease.retired) {
      retired_by = store.metadata().lease.owner_node;
      s = Status(Code::kNotFound, "its owner deleted it");
    }
    if (s.ok()) {
      gen = std::max(gen, store.metadata().lease.generation) + 1;
      s = store.WriteLease(LeaseFor(node, gen));
    }
    if (s.ok()) {
      const std::vector<uint8_t>& bytes = pr ? *pr : store.metadata().pr_state;
      Status p = lu->LoadReservations(bytes);
      if (!p.ok()) {
        Log(LogLevel::kError, "alua", "LU %s: reservations from the peer do not load: %s",
            GuidText(guid).c_str(), p.message().c_str());
      }
      lu->SetProxy(nullptr);
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = lus_.find(guid);
    if (it == lus_.end()) return;
    LuRecord& rec = it->second;
    const auto now = Clock::now();
    if (!s.ok()) {
      rec.role = Role::kPeer;
      rec.seen_at = now;
      if (retired_by) {
        QueueRetiredRemovalLocked(guid, *retired_by);
      } else {
        Log(LogLevel::kError, "alua", "LU %s: taking it over failed: %s", GuidText(guid).c_str(),
            s.message().c_str());
      }
      return;
    }
    rec.role = Role::kOwner;
    rec.generation = gen;
    rec.renewed_at = rec.last_renew_ok = now;
    rec.requested = false;
    rec.hand_over = false;
  }
  Log(LogLevel::kInfo, "alua", "LU %s: this node is the owner now (%s)", GuidText(guid).c_str(),
      why);
  // Commands still waiting for the old owner are retried by the initiator.
  forwarder_->FailPending(guid, scsi::Asc::kNotReadyAluaTransition);
  cv_.notify_all();
  RegisterLu(lu);
}

void PairNode::HandOver(stmf::LogicalUnit* lu) {
  const Guid guid = lu->guid();
  auto claim = Claim(guid, Role::kOwner, Role::kHandingOver);
  if (!claim) return;
  auto [node, gen] = *claim;
  ApplyGroups();  // Transitioning while the LU moves
  {
    std::lock_guard<std::recursive_mutex> lock(lu->mu());
    lu->SetProxy(forwarder_);  // the peer answers 04/0A until it owns the LU
  }
  const auto deadline = Clock::now() + options_.drain_timeout;
  for (;;) {
    size_t running;
    {
      std::lock_guard<std::recursive_mutex> lock(lu->mu());
      running = lu->tasks().size();
    }
    if (running == 0 || Clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const uint8_t other = static_cast<uint8_t>(1 - node);
  Status s;
  std::vector<uint8_t> pr;
  uint64_t seq = 0;
  {
    std::lock_guard<std::recursive_mutex> lock(lu->mu());
    lu::SbdStore& store = lu->mutable_store();
    pr = lu->scsi().pr().Serialize();
    ++gen;
    // Only Retire, on this node and under this lock, writes the mark.
    s = store.metadata().lease.retired ? Status(Code::kNotFound, "it is being deleted here")
                                       : store.WriteLease(LeaseFor(other, gen));
    if (s.ok()) {
      auto view = store.ReadLease();
      if (view.ok()) seq = view->seq;
    } else {
      lu->SetProxy(nullptr);
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = lus_.find(guid);
    if (it == lus_.end()) return;
    LuRecord& rec = it->second;
    if (!s.ok()) {
      Log(LogLevel::kError, "alua", "LU %s: handing it over failed: %s", GuidText(guid).c_str(),
          s.message().c_str());
      rec.role = Role::kOwner;
      return;
    }
    rec.role = Role::kPeer;
    rec.generation = gen;
    rec.seen_seq = seq;
    rec.seen_at = Clock::now();
    replicas_[guid] = pr;
  }
  mgmt::Message data("grant");
  data.Set("pr", std::string_view(reinterpret_cast<const char*>(pr.data()), pr.size()));
  data.Set("generation", gen);
  ProxyMsg m;
  m.type = MsgType::kLunActive;
  m.guid = guid;
  m.provider = "sbd";
  m.data = mgmt::Encode(data);
  Status sent = Send(m);
  Log(LogLevel::kInfo, "alua", "LU %s: handed over to node %u%s", GuidText(guid).c_str(),
      unsigned{other}, sent.ok() ? "" : " (the message did not go out; it takes the lease)");
  cv_.notify_all();
}

// --- Target port groups

std::vector<scsi::TargetPortGroup> PairNode::GroupsFor(const Guid& guid) const {
  auto it = lus_.find(guid);
  if (it == lus_.end()) return {};
  const LuRecord& rec = it->second;
  const bool alive = PeerAliveLocked();
  const uint8_t other = static_cast<uint8_t>(1 - node_);
  scsi::TargetPortGroup mine{GroupOf(node_),
                             scsi::AluaState::kActiveOptimized,
                             false,
                             scsi::AluaStatusCode::kImplicitChange,
                             {}};
  scsi::TargetPortGroup theirs{GroupOf(other),
                               scsi::AluaState::kActiveOptimized,
                               false,
                               scsi::AluaStatusCode::kImplicitChange,
                               {}};
  for (const stmf::TargetPortInfo& p : options_.framework->TargetPorts()) {
    mine.relative_port_ids.push_back(p.relative_port_id);
  }
  for (const auto& [name, id] : peer_ports_) theirs.relative_port_ids.push_back(id);
  const scsi::AluaState non_owner = !alive ? scsi::AluaState::kUnavailable
                                    : options_.mode == ProxyMode::kStandby
                                        ? scsi::AluaState::kStandby
                                        : scsi::AluaState::kActiveNonOptimized;
  switch (rec.role) {
    case Role::kOwner:
      theirs.state = non_owner;
      break;
    case Role::kHandingOver:
    case Role::kTakingOver:
      mine.state = scsi::AluaState::kTransitioning;
      theirs.state = alive ? scsi::AluaState::kTransitioning : scsi::AluaState::kUnavailable;
      break;
    case Role::kPeer:
      mine.state = non_owner;
      break;
  }
  std::vector<scsi::TargetPortGroup> groups;
  if (node_ == 0) {
    groups = {std::move(mine), std::move(theirs)};
  } else {
    groups = {std::move(theirs), std::move(mine)};
  }
  return groups;
}

void PairNode::ApplyGroups() {
  std::lock_guard<std::mutex> apply_lock(apply_mu_);
  std::vector<std::pair<stmf::LogicalUnit*, std::vector<scsi::TargetPortGroup>>> changes;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [guid, rec] : lus_) {
      if (rec.local_only) continue;
      stmf::LogicalUnit* lu = options_.framework->FindLu(guid);
      if (lu == nullptr) continue;
      std::vector<scsi::TargetPortGroup> g = GroupsFor(guid);
      auto a = applied_.find(guid);
      bool same = a != applied_.end() && a->second.size() == g.size();
      for (size_t i = 0; same && i < g.size(); ++i) {
        same = a->second[i].state == g[i].state &&
               a->second[i].relative_port_ids == g[i].relative_port_ids;
      }
      if (same) continue;
      applied_[guid] = g;
      changes.emplace_back(lu, std::move(g));
    }
  }
  for (auto& [lu, groups] : changes) {
    std::lock_guard<std::recursive_mutex> lock(lu->mu());
    lu->scsi().SetTargetPortGroups(std::move(groups));  // 2A/06 when a state changed
  }
}

// --- Registrations

void PairNode::SendPort(const stmf::TargetPortInfo& p) {
  ProxyMsg m;
  m.type = MsgType::kRegisterProxyPort;
  m.rtpid = p.relative_port_id;
  m.port = p.name;
  (void)Send(m);
}

void PairNode::SendRegisterLun(const Guid& guid, const std::string& path,
                               const std::vector<uint8_t>& pr, bool wait) {
  mgmt::Message data("register");
  data.Set("path", path);
  data.Set("pr", std::string_view(reinterpret_cast<const char*>(pr.data()), pr.size()));
  ProxyMsg m;
  m.type = MsgType::kRegisterLun;
  m.guid = guid;
  m.provider = "sbd";
  m.data = mgmt::Encode(data);
  (void)Send(m, wait);
}

void PairNode::RegisterLu(stmf::LogicalUnit* lu) {
  std::string path;
  std::vector<uint8_t> pr;
  {
    std::lock_guard<std::recursive_mutex> lock(lu->mu());
    path = lu->store().path();
    pr = lu->scsi().pr().Serialize();
  }
  SendRegisterLun(lu->guid(), path, pr);
}

void PairNode::SendRegistrations() {
  for (const stmf::TargetPortInfo& p : options_.framework->TargetPorts()) SendPort(p);
  std::vector<stmf::LogicalUnit*> owned;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [guid, rec] : lus_) {
      if (rec.role != Role::kOwner || rec.local_only) continue;
      if (stmf::LogicalUnit* lu = options_.framework->FindLu(guid)) owned.push_back(lu);
    }
  }
  for (stmf::LogicalUnit* lu : owned) RegisterLu(lu);
}

void PairNode::SendHello(bool reply) {
  uint8_t node;
  {
    std::lock_guard<std::mutex> lock(mu_);
    node = node_;
  }
  mgmt::Message hello("hello");
  hello.Set("boot", boot_id_);
  hello.Set("node", uint64_t{node});
  ProxyMsg m;
  m.type = reply ? MsgType::kEchoReply : MsgType::kEchoRequest;
  m.data = mgmt::Encode(hello);
  (void)Send(m);
}

void PairNode::OnPeerLost() {
  Log(LogLevel::kWarn, "alua",
      "the peer node is not answering; its paths are unavailable, its LUs are taken over "
      "when their leases expire");
  ForgetPeerWork();
  std::lock_guard<std::mutex> lock(mu_);
  peer_boot_ = 0;
}

void PairNode::ForgetPeerWork() {
  forwarder_->FailPending(std::nullopt, scsi::Asc::kNotReadyAluaUnavailable);
  runner_->DetachAll();
}

// --- Messages from the peer

uint32_t PairNode::OnMessage(std::span<const uint8_t> bytes) {
  return Receive(bytes, false).value_or(0);
}

std::optional<uint32_t> PairNode::OnLoopMessage(std::span<const uint8_t> bytes) {
  return Receive(bytes, true);
}

std::optional<uint32_t> PairNode::Receive(std::span<const uint8_t> bytes, bool on_loop) {
  // Data stays in the door's buffer until it is copied to where it goes (the
  // waiting command's Data-In buffer, or the command that carries it).
  auto decoded = DecodeBatchInPlace(bytes);
  if (!decoded.ok()) {
    Log(LogLevel::kWarn, "alua", "malformed message from the peer node: %s",
        decoded.status().message().c_str());
    return EINVAL;
  }
  if (on_loop) {
    // Everything else may block (LU import, handover, replies that wait).
    for (const MsgInPlace& v : *decoded) {
      const bool data =
          v.msg.type == MsgType::kScsiStatus || (v.msg.type == MsgType::kScsiCmd && v.msg.tmf == 0);
      if (!data) return std::nullopt;
    }
  }
  bool enabled;
  {
    std::lock_guard<std::mutex> lock(mu_);
    enabled = enabled_;
    if (enabled) last_rx_ = Clock::now();
  }
  // Commands and their answers go to the loops in groups (one wake-up per loop).
  // The batch keeps its order: a group is flushed before any other message.
  std::vector<ProxyMsg> commands;
  std::vector<MsgInPlace> statuses;
  auto flush = [&] {
    if (!commands.empty()) runner_->OnCommands(std::exchange(commands, {}));
    if (!statuses.empty()) forwarder_->OnStatuses(std::exchange(statuses, {}));
  };
  for (MsgInPlace& v : *decoded) {
    ProxyMsg& m = v.msg;
    if (m.type == MsgType::kScsiStatus && enabled) {
      statuses.push_back(std::move(v));
      continue;
    }
    m.data.assign(v.data.begin(), v.data.end());
    if (m.type == MsgType::kScsiCmd && m.tmf == 0) {
      // COMSTAR ignores the peer while ALUA is off; a command still gets an answer.
      commands.push_back(std::move(m));
    } else if (enabled || m.type == MsgType::kScsiCmd) {
      flush();
      Dispatch(std::move(m));
    }
  }
  flush();
  return 0;
}

void PairNode::Dispatch(ProxyMsg m) {
  switch (m.type) {
    case MsgType::kRegisterProxyPort: {
      std::lock_guard<std::mutex> lock(mu_);
      peer_ports_[m.port] = m.rtpid;
      return;
    }
    case MsgType::kDeregisterProxyPort: {
      std::lock_guard<std::mutex> lock(mu_);
      peer_ports_.erase(m.port);
      return;
    }
    case MsgType::kRegisterLun:
      OnRegisterLun(m);
      return;
    case MsgType::kDeregisterLun:
      OnDeregisterLun(m);
      return;
    case MsgType::kLunActive:
      OnLunActive(m);
      return;
    case MsgType::kScsiCmd:
      runner_->OnCommand(std::move(m));
      return;
    case MsgType::kSessionDestroy:
      runner_->OnSessionDestroy(m);
      return;
    case MsgType::kEchoRequest:
    case MsgType::kEchoReply: {
      auto hello = mgmt::Decode(m.data);
      uint64_t boot = hello.ok() ? hello->NumberOr("boot", 0) : 0;
      bool fresh, restarted;
      {
        std::lock_guard<std::mutex> lock(mu_);
        fresh = boot != 0 && boot != peer_boot_;
        // A new boot id without the peer having been lost: it restarted
        // within the liveness timeout, and what it was doing is gone.
        restarted = fresh && peer_boot_ != 0;
        if (fresh) {
          peer_boot_ = boot;
          resend_ = true;  // a restarted or reconnected peer needs everything again
        }
      }
      if (restarted) {
        Log(LogLevel::kWarn, "alua", "the peer node restarted; its proxied commands end here");
        ForgetPeerWork();
      }
      if (fresh && m.type == MsgType::kEchoRequest) SendHello(true);
      if (fresh) cv_.notify_all();
      return;
    }
    case MsgType::kStatus:
      if (m.status != 0) {
        Log(LogLevel::kWarn, "alua", "the peer reports status %u for a %s message", m.status,
            MsgTypeName(m.acked_type));
      }
      return;
    default:
      Log(LogLevel::kDebug, "alua", "ignoring a %s message from the peer", MsgTypeName(m.type));
      return;
  }
}

void PairNode::OnRegisterLun(const ProxyMsg& m) {
  auto data = mgmt::Decode(m.data);
  if (!data.ok()) {
    Log(LogLevel::kWarn, "alua", "LU %s: the peer's registration does not parse: %s",
        GuidText(m.guid).c_str(), data.status().message().c_str());
    return;
  }
  std::string pr_text = data->Text("pr");
  std::vector<uint8_t> pr(pr_text.begin(), pr_text.end());
  {
    std::lock_guard<std::mutex> lock(mu_);
    replicas_[m.guid] = pr;
    learned_.insert(m.guid);
    auto it = lus_.find(m.guid);
    if (it != lus_.end() && it->second.role == Role::kOwner) {
      Log(LogLevel::kWarn, "alua",
          "LU %s: the peer node registers it too; the lease on the shared store decides",
          GuidText(m.guid).c_str());
    }
  }
  if (options_.framework->FindLu(m.guid) != nullptr) return;
  const std::string path = data->Text("path");
  if (path.empty() || !options_.import_lu) {
    Log(LogLevel::kWarn, "alua", "LU %s: the peer registered it without a backing store path",
        GuidText(m.guid).c_str());
    return;
  }
  auto lu = options_.import_lu(path);
  if (!lu.ok()) {
    Log(LogLevel::kError, "alua", "LU %s: cannot import %s from the peer's registration: %s",
        GuidText(m.guid).c_str(), path.c_str(), lu.status().message().c_str());
    return;
  }
  Log(LogLevel::kInfo, "alua", "LU %s: imported %s for the peer node", GuidText(m.guid).c_str(),
      path.c_str());
  cv_.notify_all();
}

void PairNode::OnDeregisterLun(const ProxyMsg& m) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = lus_.find(m.guid);
  if (it != lus_.end() && it->second.role != Role::kPeer) {
    // Only the owner deletes a LU for the pair; a stale message cannot.
    Log(LogLevel::kWarn, "alua", "LU %s: the peer node deregisters it, but this node owns it",
        GuidText(m.guid).c_str());
    return;
  }
  QueueRemovalLocked(m.guid);
}

bool PairNode::QueueRemovalLocked(const Guid& guid) {
  replicas_.erase(guid);
  learned_.erase(guid);
  if (!deregistered_.insert(guid).second) return false;
  cv_.notify_all();
  return true;
}

// On the worker: the peer's configuration calls may take the management lock,
// which a door thread delivering messages must never wait for.
void PairNode::RemoveDeregistered() {
  std::set<Guid> guids;
  {
    std::lock_guard<std::mutex> lock(mu_);
    guids.swap(deregistered_);
    for (auto it = guids.begin(); it != guids.end();) {
      auto rec = lus_.find(*it);
      // Taken over since (the lease ran out first): this node owns it now.
      it = rec != lus_.end() && rec->second.role != Role::kPeer ? guids.erase(it) : std::next(it);
    }
  }
  for (const Guid& guid : guids) {
    if (options_.framework->FindLu(guid) == nullptr) continue;
    Status s = options_.delete_lu ? options_.delete_lu(guid)
                                  : Status(Code::kInternal, "stmfd gave no way to delete LUs");
    if (s.ok()) {
      Log(LogLevel::kInfo, "alua", "LU %s: deleted on the peer node, removed here (views kept)",
          GuidText(guid).c_str());
    } else {
      Log(LogLevel::kError, "alua", "LU %s: deleted on the peer node, but not here: %s",
          GuidText(guid).c_str(), s.message().c_str());
    }
  }
}

void PairNode::QueueRetiredRemovalLocked(const Guid& guid, uint32_t owner) {
  if (!QueueRemovalLocked(guid)) return;  // logged already
  Log(LogLevel::kInfo, "alua", "LU %s: node %u deleted it while it owned it; removing this copy",
      GuidText(guid).c_str(), unsigned{owner});
}

void PairNode::Retire(stmf::LogicalUnit& lu) {
  const Guid guid = lu.guid();
  uint8_t node;
  uint64_t gen;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = lus_.find(guid);
    if (!ever_enabled_ || it == lus_.end() || it->second.local_only ||
        (it->second.role != Role::kOwner && it->second.role != Role::kHandingOver)) {
      return;  // not this node's to delete for the pair
    }
    node = node_;
    gen = it->second.generation;
  }
  Status s;
  {
    std::lock_guard<std::recursive_mutex> lock(lu.mu());
    lu::SbdStore& store = lu.mutable_store();
    auto view = store.ReadLease();
    if (view.ok() && view->lease.owner_node != node) return;  // handed over meanwhile
    s = view.ok() ? store.WriteLease({node, std::max(gen, view->lease.generation), 0, true})
                  : view.status();
  }
  if (s.ok()) {
    Log(LogLevel::kInfo, "alua", "LU %s: lease retired; the peer node removes its copy",
        GuidText(guid).c_str());
  } else {
    Log(LogLevel::kError, "alua",
        "LU %s: retiring its lease: %s; unless told, the peer node takes it over",
        GuidText(guid).c_str(), s.message().c_str());
  }
}

void PairNode::OnLunActive(const ProxyMsg& m) {
  auto data = mgmt::Decode(m.data);
  if (!data.ok()) return;
  const std::string op = data->Text("op");
  std::lock_guard<std::mutex> lock(mu_);
  auto it = lus_.find(m.guid);
  if (it == lus_.end()) return;
  LuRecord& rec = it->second;
  if (op == "request") {
    if (rec.role == Role::kOwner) rec.hand_over = true;
  } else if (op == "grant") {
    std::string pr = data->Text("pr");
    rec.generation = std::max(rec.generation, data->NumberOr("generation", 0));
    if (rec.role == Role::kPeer) rec.grant = std::vector<uint8_t>(pr.begin(), pr.end());
  }
  cv_.notify_all();
}

// --- Requests

scsi::ScsiResult PairNode::OnTpgRequest(stmf::LogicalUnit& lu,
                                        std::span<const scsi::TpgChange> changes) {
  // SPC-4 6.43: the group asked to become Active/Optimized gets the LU; a group
  // asked to leave Active/Optimized gives it to the other.
  std::lock_guard<std::mutex> lock(mu_);
  auto it = lus_.find(lu.guid());
  if (!enabled_ || it == lus_.end() || it->second.local_only) {
    return scsi::SenseFor(scsi::Asc::kInvalidFieldInParameterList);
  }
  std::optional<uint8_t> want;
  for (const scsi::TpgChange& c : changes) {
    if (c.group_id != 1 && c.group_id != 2) continue;
    uint8_t node = static_cast<uint8_t>(c.group_id - 1);
    if (c.state == scsi::AluaState::kActiveOptimized) {
      want = node;
    } else if (c.state == scsi::AluaState::kStandby || c.state == scsi::AluaState::kUnavailable ||
               c.state == scsi::AluaState::kOffline) {
      if (!want) want = static_cast<uint8_t>(1 - node);
    }
  }
  LuRecord& rec = it->second;
  if (!want) return scsi::Good();
  const bool mine = rec.role == Role::kOwner;
  if (*want == node_ && !mine) {
    if (!PeerAliveLocked()) return scsi::SenseFor(scsi::Asc::kNotReadyAluaUnavailable);
    RequestLu(lu.guid(), rec);
  } else if (*want != node_ && mine) {
    if (!PeerAliveLocked()) return scsi::SenseFor(scsi::Asc::kNotReadyAluaUnavailable);
    rec.hand_over = true;
    cv_.notify_all();
  }
  return scsi::Good();
}

void PairNode::RequestLu(const Guid& guid, LuRecord& rec) {
  ProxyMsg m;
  m.type = MsgType::kLunActive;
  m.guid = guid;
  m.provider = "sbd";
  m.data = mgmt::Encode(mgmt::Message("request"));
  rec.requested = true;
  rec.requested_at = Clock::now();
  (void)Send(m, false);  // only queues (batch_sender.h)
}

Status PairNode::MakeStandby(const Guid& guid) {
  std::unique_lock<std::mutex> lock(mu_);
  auto it = lus_.find(guid);
  if (it == lus_.end()) return Status(Code::kNotFound, "LU " + GuidText(guid) + " is not shared");
  if (it->second.role == Role::kPeer) return Status::Ok();
  if (it->second.local_only) {
    return Status(Code::kInvalidArgument, "LU " + GuidText(guid) + " is a RAM LU");
  }
  if (!PeerAliveLocked()) return Status(Code::kUnavailable, "the peer node is not reachable");
  it->second.hand_over = true;
  cv_.notify_all();
  bool done = cv_.wait_for(lock, options_.drain_timeout + std::chrono::seconds(2), [&] {
    auto i = lus_.find(guid);
    return i == lus_.end() || i->second.role == Role::kPeer;
  });
  if (!done) return Status(Code::kUnavailable, "the LU did not move in time");
  return Status::Ok();
}

Status PairNode::MakeActive(const Guid& guid) {
  std::unique_lock<std::mutex> lock(mu_);
  auto it = lus_.find(guid);
  if (it == lus_.end()) return Status(Code::kNotFound, "LU " + GuidText(guid) + " is not shared");
  if (it->second.role == Role::kOwner) return Status::Ok();
  if (!PeerAliveLocked()) {
    return Status(Code::kUnavailable,
                  "the peer node is not reachable; the LU moves here when its lease expires");
  }
  RequestLu(guid, it->second);
  bool done = cv_.wait_for(lock, options_.drain_timeout + std::chrono::seconds(2), [&] {
    auto i = lus_.find(guid);
    return i == lus_.end() || i->second.role == Role::kOwner;
  });
  if (!done) return Status(Code::kUnavailable, "the LU did not move in time");
  return Status::Ok();
}

std::optional<LuAccess> PairNode::Access(const Guid& guid) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = lus_.find(guid);
  if (it == lus_.end()) return std::nullopt;
  switch (it->second.role) {
    case Role::kOwner:
      return LuAccess::kActive;
    case Role::kHandingOver:
    case Role::kTakingOver:
      return LuAccess::kTransitioning;
    case Role::kPeer:
      if (!PeerAliveLocked()) return LuAccess::kUnavailable;
      return options_.mode == ProxyMode::kStandby ? LuAccess::kStandby
                                                  : LuAccess::kActiveNonOptimized;
  }
  return std::nullopt;
}

bool PairNode::MayModify(const Guid& guid) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = lus_.find(guid);
  return it == lus_.end() || it->second.role == Role::kOwner;
}

}  // namespace openstmf::ha
