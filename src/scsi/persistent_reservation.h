// Persistent reservations (SPC-4 5.9, 6.15, 6.16) as a state machine object.
//
// The object holds registrations and the reservation of one LU and executes
// PERSISTENT RESERVE IN/OUT service actions for an I_T nexus named by its
// initiator port TransportID and relative target port. It never touches other
// LU state: each OUT action returns a PrOutcome listing the unit attentions to
// raise and the I_T nexuses whose tasks are to be aborted (PREEMPT AND ABORT);
// the LU applies them. Serialize()/Deserialize() give a stable byte form the LU
// provider keeps in the LU's metadata (APTPL, SPC-4 5.9.5).
//
// Thread-safety: none; the LU serialises access.
#ifndef OPENSTMF_SCSI_PERSISTENT_RESERVATION_H
#define OPENSTMF_SCSI_PERSISTENT_RESERVATION_H

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/status.h"
#include "scsi/result.h"
#include "scsi/transport_id.h"
#include "scsi/unit_attention.h"

namespace openstmf::scsi {

// SPC-4 6.15.3.3 Table 173 reservation types.
enum class PrType : uint8_t {
  kWriteExclusive = 0x1,
  kExclusiveAccess = 0x3,
  kWriteExclusiveRegistrantsOnly = 0x5,
  kExclusiveAccessRegistrantsOnly = 0x6,
  kWriteExclusiveAllRegistrants = 0x7,
  kExclusiveAccessAllRegistrants = 0x8,
};

// An I_T nexus as persistent reservations see it.
struct PrNexus {
  TransportId initiator;
  uint16_t relative_target_port = 0;
};

struct PrRegistration {
  TransportId initiator;
  uint16_t relative_target_port = 0;
  bool all_tg_pt = false;  // registered through every target port
  bool holder = false;     // holds the reservation (single-holder types)
  uint64_t key = 0;
};

// Side effects of an OUT action for the LU to apply.
struct PrEvent {
  TransportId initiator;
  uint16_t relative_target_port = 0;
  bool all_tg_pt = false;
  UnitAttention ua = UnitAttention::kReservationsPreempted;
  bool abort_tasks = false;  // PREEMPT AND ABORT
};

struct PrOutcome {
  ScsiResult result;
  std::vector<PrEvent> events;
  bool state_changed = false;  // persist the new state if APTPL
};

// Commands' access classes for the reservation check (SPC-4 5.9.1 Table 63,
// SBC-3 4.17 Table 14): allowed from a non-holder under Write Exclusive and/or
// Exclusive Access reservations.
enum PrAccess : uint32_t {
  kPrAllowWriteExclusive = 1u << 0,
  kPrAllowExclusiveAccess = 1u << 1,
};

class PersistentReservation {
 public:
  // PERSISTENT RESERVE OUT. `cdb` is the 10-byte CDB; `param` the parameter data
  // (already checked to be PARAMETER LIST LENGTH long).
  PrOutcome Out(const PrNexus& nexus, std::span<const uint8_t> cdb, std::span<const uint8_t> param);
  // The same, knowing the LU's relative target port identifiers: REGISTER AND
  // MOVE to a port not in `target_ports` is an invalid field in the parameter
  // list (SPC-4 6.16.4). An empty list accepts any non-zero identifier.
  PrOutcome Out(const PrNexus& nexus, std::span<const uint8_t> cdb, std::span<const uint8_t> param,
                std::span<const uint16_t> target_ports);
  // PERSISTENT RESERVE IN: writes up to out.size() bytes, returns the full length
  // of the parameter data (service action already validated: 0..3).
  size_t In(uint8_t service_action, std::span<uint8_t> out) const;
  // Reservation check for a command from `nexus` with PrAccess flags.
  bool Allows(const PrNexus& nexus, uint32_t access) const;

  bool any_registrations() const { return !regs_.empty(); }
  bool reserved() const { return reserved_; }
  PrType type() const { return type_; }
  bool aptpl() const { return aptpl_; }
  uint32_t generation() const { return generation_; }
  const std::vector<PrRegistration>& registrations() const { return regs_; }
  // True when `nexus` is registered.
  bool IsRegistered(const PrNexus& nexus) const { return Find(nexus) >= 0; }
  // Drops everything (LU reset does not do this; only a LU re-creation does).
  void Reset();

  std::vector<uint8_t> Serialize() const;
  static Result<PersistentReservation> Deserialize(std::span<const uint8_t> bytes);

 private:
  int Find(const PrNexus& nexus) const;
  bool IsHolder(const PrNexus& nexus) const;
  bool AllRegistrantsType() const;
  void Release();
  PrOutcome Register(const PrNexus& nexus, std::span<const uint8_t> p, bool ignore_key,
                     bool spec_i_pt, bool all_tg_pt, bool aptpl);
  PrOutcome Reserve(const PrNexus& nexus, uint8_t scope, uint8_t type);
  PrOutcome ReleaseAction(const PrNexus& nexus, uint8_t scope, uint8_t type);
  PrOutcome Clear(const PrNexus& nexus);
  PrOutcome Preempt(const PrNexus& nexus, uint64_t sa_key, uint8_t type, bool abort);
  PrOutcome RegisterAndMove(const PrNexus& nexus, std::span<const uint8_t> p,
                            std::span<const uint16_t> target_ports);
  void RemoveWhere(const PrNexus& except, uint64_t key, bool all_keys, bool abort,
                   std::vector<PrEvent>* events);
  size_t ReadKeys(std::span<uint8_t> out) const;
  size_t ReadReservation(std::span<uint8_t> out) const;
  size_t ReportCapabilities(std::span<uint8_t> out) const;
  size_t ReadFullStatus(std::span<uint8_t> out) const;

  uint32_t generation_ = 0;
  bool aptpl_ = false;
  bool reserved_ = false;
  PrType type_ = PrType::kWriteExclusive;
  std::vector<PrRegistration> regs_;
};

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_PERSISTENT_RESERVATION_H
