// The logical unit model SCSI handlers run against.
//
// LuConfig is what the LU provider decides (geometry, identity, limits,
// provisioning); Lu adds the state SCSI commands change: medium, mode pages,
// reservations (SPC-2 and persistent), unit attentions per I_T nexus and the ALUA
// target port groups. I/O goes to the BlockBackend the provider supplies; the
// layer itself makes no system calls.
//
// I_T nexuses are attached by the framework when a session first reaches the LU
// and named by a small NexusId afterwards, so commands carry no strings.
// Events the provider must act on (persist reservations or saved mode pages,
// abort tasks, apply an explicit ALUA change) go to an LuListener.
//
// Thread-safety: none. One event loop owns a Lu; others post to that loop.
#ifndef OPENSTMF_SCSI_LU_H
#define OPENSTMF_SCSI_LU_H

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "scsi/alua.h"
#include "scsi/block_backend.h"
#include "scsi/copy_manager.h"
#include "scsi/copy_target.h"
#include "scsi/mode_pages.h"
#include "scsi/persistent_reservation.h"
#include "scsi/sanitize.h"
#include "scsi/transport_id.h"
#include "scsi/unit_attention.h"

namespace openstmf::scsi {

using NexusId = uint32_t;

struct LuIdentity {
  std::array<uint8_t, 16> guid{};   // NAA IEEE Registered Extended (first nibble 6)
  std::string vendor = "OPENSTMF";  // up to 8 characters
  std::string product = "COMSTAR";  // up to 16
  std::string revision = "1.0";     // up to 4
  std::string serial;               // VPD 80
};

// Block limits reported in VPD B0 (SBC-3 6.5.3); 0 means "no limit reported".
struct LuLimits {
  uint32_t max_transfer_blocks = 0;
  uint32_t optimal_transfer_blocks = 0;
  uint16_t optimal_transfer_granularity = 0;
  uint8_t max_compare_write_blocks = 255;
  uint32_t max_unmap_blocks = 0xFFFFFFFF;
  uint32_t max_unmap_descriptors = 256;
  uint32_t unmap_granularity = 1;
  uint64_t max_write_same_blocks = 0x100000;
  uint32_t max_atomic_blocks = 0;  // 0: WRITE ATOMIC(16) not supported
  uint32_t atomic_alignment = 1;
  uint32_t atomic_granularity = 1;
};

struct LuConfig {
  uint32_t block_size = 512;  // 512 or 4096
  uint64_t block_count = 0;
  uint8_t physical_block_exponent = 0;  // SBC-3 5.16.2
  bool write_protected = false;
  bool removable = false;
  bool medium_present = true;  // removable LUs may start empty
  bool write_cache_enabled = true;
  bool thin_provisioned = false;  // UNMAP, WRITE SAME UNMAP, GET LBA STATUS
  bool mode_pages_savable = false;
  uint8_t implicit_transition_seconds = 10;
  bool explicit_alua = false;  // SET TARGET PORT GROUPS accepted
  // Pace of a sanitize operation (sanitize.h); 0: as fast as the store goes.
  uint64_t sanitize_bytes_per_second = 128u << 20;
  LuIdentity identity;
  LuLimits limits;
};

// An I_T nexus as one LU sees it (filled by the framework).
struct ItNexus {
  TransportId initiator;
  uint16_t relative_target_port = 1;
  uint16_t target_port_group = 0;
  std::string target_port_name;  // "iqn....,t,0x0001": VPD 83 target port name
  std::string target_name;       // "iqn....": VPD 83 target device name
  // A nexus of the other node of an ALUA pair whose commands this node runs for
  // it; that node reports its own access-state changes.
  bool proxy = false;
};

class LuListener {
 public:
  virtual ~LuListener() = default;
  // Persistent reservation state changed (persist when aptpl()).
  virtual void OnReservationChanged(const PersistentReservation& /*pr*/) {}
  // Saved mode pages changed (persist ModePages::saved_bytes()).
  virtual void OnSavedModePagesChanged(const ModePages& /*pages*/) {}
  // PREEMPT AND ABORT: abort every task of this I_T nexus.
  virtual void OnAbortTasksOf(NexusId /*nexus*/) {}
  // PREEMPT AND ABORT, saying how the aborted commands end (SPC-4 5.9.11.5,
  // SAM-5 5.6): with TASK ABORTED status when `report_task_aborted` (TAS=1 in
  // the control mode page); otherwise silently, and the nexus that had
  // commands aborted gets COMMANDS CLEARED BY ANOTHER INITIATOR. The default
  // forwards to OnAbortTasksOf(nexus).
  virtual void OnPreemptAndAbort(NexusId nexus, bool /*report_task_aborted*/) {
    OnAbortTasksOf(nexus);
  }
  // SET TARGET PORT GROUPS: the listener applies the changes (through
  // Lu::SetTargetPortGroups) and answers GOOD or a sense condition.
  virtual ScsiResult OnSetTargetPortGroups(std::span<const TpgChange> changes);
};

class Lu {
 public:
  Lu(LuConfig config, BlockBackend* backend, LuListener* listener = nullptr);

  const LuConfig& config() const { return config_; }
  BlockBackend* backend() const { return backend_; }
  LuListener* listener() { return listener_; }

  // I_T nexuses. A new nexus gets POWER ON, RESET OR BUS DEVICE RESET OCCURRED
  // when `power_on_ua` (SAM-5 6.3.1).
  NexusId AttachNexus(ItNexus nexus, bool power_on_ua = true);
  // I_T nexus loss: drops its SPC-2 reservation, its PREVENT and its held
  // copy results.
  void DetachNexus(NexusId id);
  bool IsAttached(NexusId id) const { return id < slots_.size() && slots_[id].attached; }
  const ItNexus& nexus(NexusId id) const { return slots_[id].nexus; }
  PrNexus PrNexusOf(NexusId id) const;
  UnitAttentionSet& unit_attentions(NexusId id) { return slots_[id].ua; }
  // Raises `ua` on every attached nexus except `except`.
  void RaiseUnitAttention(UnitAttention ua, std::optional<NexusId> except = std::nullopt);
  // Raises `ua` on every attached nexus that `initiator` (and the port unless
  // all_tg_pt) designates.
  void RaiseUnitAttentionFor(const TransportId& initiator, uint16_t rel_port, bool all_tg_pt,
                             UnitAttention ua);

  // Changes made by the provider or the administrator.
  void SetCapacity(uint64_t blocks);
  void SetWriteProtected(bool on) { config_.write_protected = on; }
  // SET TARGET PORT GROUPS accepted (TPGS 11b in INQUIRY) or not (01b).
  void SetExplicitAlua(bool on) { config_.explicit_alua = on; }
  void SetPhysicalBlockExponent(uint8_t e) { config_.physical_block_exponent = e; }
  void SetMediumPresent(bool present);
  void SetTargetPortGroups(std::vector<TargetPortGroup> groups,
                           std::optional<NexusId> initiated_by = std::nullopt);
  const std::vector<TargetPortGroup>& target_port_groups() const { return groups_; }
  // The relative target port identifiers of the target ports this LU is
  // reachable through (set by the framework). With none set, the ports listed
  // in the target port groups count; with neither, any non-zero identifier is
  // accepted (REGISTER AND MOVE, SPC-4 6.16.4).
  void SetRelativeTargetPorts(std::vector<uint16_t> ports) { ports_ = std::move(ports); }
  std::vector<uint16_t> RelativeTargetPorts() const;
  bool alua_enabled() const { return !groups_.empty(); }
  // The target port group of a nexus: the group listing its relative target
  // port, else the nexus's own target_port_group.
  uint16_t TargetPortGroupOf(NexusId id) const;
  AluaState AluaStateFor(NexusId id) const;
  void set_standby_filter(StandbyFilter f) { standby_filter_ = f; }
  StandbyFilter standby_filter() const { return standby_filter_; }
  // LUN RESET (SAM-5 7.7): SPC-2 reservation, PREVENTs and held copy results
  // cleared, mode pages back to saved values, BUS DEVICE RESET unit attention
  // everywhere.
  void Reset();
  // I_T NEXUS RESET on one nexus (SAM-5 7.6).
  void ResetNexus(NexusId id);

  // Third-party copy (EXTENDED COPY, copy_target.h): the resolver for
  // designators naming other LUs (not owned; nullptr: only this LU is reachable).
  void set_copy_target_resolver(CopyTargetResolver* resolver) { copy_resolver_ = resolver; }
  // The LU `designator` names: this LU for its own NAA designator, otherwise
  // whatever the resolver answers; nullptr when unreachable.
  Lu* ResolveCopyTarget(const CopyDesignator& designator);
  CopyManager& copy_manager() { return copy_manager_; }

  // State for the handlers.
  ModePages& mode_pages() { return mode_pages_; }
  PersistentReservation& pr() { return pr_; }
  void ApplyPrOutcome(const PrOutcome& outcome);
  std::optional<NexusId> legacy_holder() const { return legacy_holder_; }
  void set_legacy_holder(std::optional<NexusId> h) { legacy_holder_ = h; }
  bool medium_present() const { return config_.medium_present; }
  bool stopped() const { return stopped_; }
  void set_stopped(bool s) { stopped_ = s; }
  bool removal_prevented() const;
  void SetPrevent(NexusId id, bool prevent);
  // SANITIZE (SBC-3 4.11): the LU's sanitize operation, which outlives the
  // command that started it.
  SanitizeOperation& sanitize() { return sanitize_; }
  bool sanitize_in_progress() const { return sanitize_.in_progress(); }
  bool sanitize_failed() const { return sanitize_.failed(); }
  void set_sanitize_failed(bool f) { sanitize_.set_failed(f); }
  uint64_t capacity_bytes() const { return config_.block_count * config_.block_size; }
  // Counters for LOG SENSE.
  uint64_t blocks_read = 0;
  uint64_t blocks_written = 0;

 private:
  struct Slot {
    bool attached = false;
    bool prevent = false;
    ItNexus nexus;
    UnitAttentionSet ua;
  };

  LuConfig config_;
  BlockBackend* backend_;
  LuListener* listener_;
  ModePages mode_pages_;
  PersistentReservation pr_;
  std::vector<Slot> slots_;
  std::vector<TargetPortGroup> groups_;
  std::vector<uint16_t> ports_;
  StandbyFilter standby_filter_ = StandbyFilter::kSpc4;
  std::optional<NexusId> legacy_holder_;
  CopyTargetResolver* copy_resolver_ = nullptr;
  CopyManager copy_manager_;
  bool stopped_ = false;
  SanitizeOperation sanitize_;
};

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_LU_H
