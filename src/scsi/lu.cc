#include "scsi/lu.h"

#include <algorithm>
#include <cstring>

#include "scsi/sense.h"

namespace openstmf::scsi {

ScsiResult LuListener::OnSetTargetPortGroups(std::span<const TpgChange> /*changes*/) {
  return InvalidFieldInCdb(0);
}

Lu::Lu(LuConfig config, BlockBackend* backend, LuListener* listener)
    : config_(std::move(config)),
      backend_(backend),
      listener_(listener),
      mode_pages_(config_.write_cache_enabled, config_.mode_pages_savable) {}

NexusId Lu::AttachNexus(ItNexus nexus, bool power_on_ua) {
  auto free = std::find_if(slots_.begin(), slots_.end(), [](const Slot& s) { return !s.attached; });
  if (free == slots_.end()) free = slots_.insert(slots_.end(), Slot{});
  *free = Slot{};
  free->attached = true;
  free->nexus = std::move(nexus);
  if (power_on_ua) free->ua.Raise(UnitAttention::kPowerOnReset);
  return static_cast<NexusId>(free - slots_.begin());
}

void Lu::DetachNexus(NexusId id) {
  if (!IsAttached(id)) return;
  if (legacy_holder_ == id) legacy_holder_.reset();
  slots_[id] = Slot{};
  copy_manager_.DiscardHeld(id);
}

Lu* Lu::ResolveCopyTarget(const CopyDesignator& d) {
  // SPC-4 7.8.6.6: our NAA designator (binary, logical unit association).
  const auto& guid = config_.identity.guid;
  if (d.code_set == 0x01 && d.association == 0 && d.designator_type == 0x03 &&
      d.designator.size() == guid.size() &&
      std::memcmp(d.designator.data(), guid.data(), guid.size()) == 0) {
    return this;
  }
  return copy_resolver_ != nullptr ? copy_resolver_->ResolveCopyTarget(d, *this) : nullptr;
}

PrNexus Lu::PrNexusOf(NexusId id) const {
  return PrNexus{slots_[id].nexus.initiator, slots_[id].nexus.relative_target_port};
}

void Lu::RaiseUnitAttention(UnitAttention ua, std::optional<NexusId> except) {
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].attached && except != static_cast<NexusId>(i)) slots_[i].ua.Raise(ua);
  }
}

void Lu::RaiseUnitAttentionFor(const TransportId& initiator, uint16_t rel_port, bool all_tg_pt,
                               UnitAttention ua) {
  for (Slot& s : slots_) {
    if (!s.attached || !TransportIdCovers(initiator, s.nexus.initiator)) continue;
    if (all_tg_pt || s.nexus.relative_target_port == rel_port) s.ua.Raise(ua);
  }
}

void Lu::SetCapacity(uint64_t blocks) {
  if (blocks == config_.block_count) return;
  config_.block_count = blocks;
  RaiseUnitAttention(UnitAttention::kCapacityDataChanged);  // SBC-3 4.6
}

void Lu::SetMediumPresent(bool present) {
  if (present == config_.medium_present) return;
  config_.medium_present = present;
  if (present) RaiseUnitAttention(UnitAttention::kMediumMayHaveChanged);
}

void Lu::SetTargetPortGroups(std::vector<TargetPortGroup> groups,
                             std::optional<NexusId> initiated_by) {
  bool changed = groups.size() != groups_.size();
  for (size_t i = 0; !changed && i < groups.size(); ++i) {
    changed = groups[i].id != groups_[i].id || groups[i].state != groups_[i].state;
  }
  groups_ = std::move(groups);
  // SPC-4 5.11.2.7/5.11.2.8: every other I_T nexus hears about the change.
  if (!changed) return;
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].attached && !slots_[i].nexus.proxy && initiated_by != static_cast<NexusId>(i)) {
      slots_[i].ua.Raise(UnitAttention::kAsymmetricAccessStateChanged);
    }
  }
}

std::vector<uint16_t> Lu::RelativeTargetPorts() const {
  if (!ports_.empty()) return ports_;
  std::vector<uint16_t> ports;
  for (const auto& g : groups_) {
    ports.insert(ports.end(), g.relative_port_ids.begin(), g.relative_port_ids.end());
  }
  return ports;
}

uint16_t Lu::TargetPortGroupOf(NexusId id) const {
  const ItNexus& n = slots_[id].nexus;
  for (const auto& g : groups_) {
    for (uint16_t p : g.relative_port_ids) {
      if (p == n.relative_target_port) return g.id;
    }
  }
  return n.target_port_group;
}

AluaState Lu::AluaStateFor(NexusId id) const {
  uint16_t tpg = TargetPortGroupOf(id);
  for (const auto& g : groups_) {
    if (g.id == tpg) return g.state;
  }
  return AluaState::kActiveOptimized;
}

void Lu::Reset() {
  legacy_holder_.reset();
  for (Slot& s : slots_) s.prevent = false;
  stopped_ = false;
  mode_pages_.LoadSaved();
  copy_manager_.DiscardAllHeld();
  RaiseUnitAttention(UnitAttention::kBusDeviceReset);
}

void Lu::ResetNexus(NexusId id) {
  if (!IsAttached(id)) return;
  if (legacy_holder_ == id) legacy_holder_.reset();
  slots_[id].prevent = false;
  copy_manager_.DiscardHeld(id);
  slots_[id].ua.Raise(UnitAttention::kItNexusLoss);
}

bool Lu::removal_prevented() const {
  return std::any_of(slots_.begin(), slots_.end(),
                     [](const Slot& s) { return s.attached && s.prevent; });
}

void Lu::SetPrevent(NexusId id, bool prevent) {
  if (IsAttached(id)) slots_[id].prevent = prevent;
}

void Lu::ApplyPrOutcome(const PrOutcome& outcome) {
  for (const PrEvent& e : outcome.events) {
    RaiseUnitAttentionFor(e.initiator, e.relative_target_port, e.all_tg_pt, e.ua);
    if (!e.abort_tasks) continue;
    if (listener_ == nullptr) continue;
    bool tas = mode_pages_.task_aborted_status();
    for (size_t i = 0; i < slots_.size(); ++i) {
      const Slot& s = slots_[i];
      if (s.attached && TransportIdCovers(e.initiator, s.nexus.initiator) &&
          (e.all_tg_pt || s.nexus.relative_target_port == e.relative_target_port)) {
        listener_->OnPreemptAndAbort(static_cast<NexusId>(i), tas);
      }
    }
  }
  if (outcome.state_changed && listener_ != nullptr) listener_->OnReservationChanged(pr_);
}

}  // namespace openstmf::scsi
