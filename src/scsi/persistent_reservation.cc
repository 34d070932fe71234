// PERSISTENT RESERVE OUT service actions (SPC-4 5.9.7-5.9.11, 6.16).
#include "scsi/persistent_reservation.h"

#include <algorithm>

#include "base/byte_order.h"
#include "scsi/opcodes.h"
#include "scsi/sense.h"

namespace openstmf::scsi {
namespace {

PrOutcome Fail(ScsiResult r) { return PrOutcome{r, {}, false}; }
PrOutcome Conflict() { return Fail(ReservationConflict()); }

bool ValidType(uint8_t t) { return t == 1 || t == 3 || (t >= 5 && t <= 8); }

bool SameNexus(const PrRegistration& r, const PrNexus& n) {
  return r.initiator == n.initiator && r.relative_target_port == n.relative_target_port;
}

}  // namespace

int PersistentReservation::Find(const PrNexus& n) const {
  for (size_t i = 0; i < regs_.size(); ++i) {
    const PrRegistration& r = regs_[i];
    if (TransportIdCovers(r.initiator, n.initiator) &&
        (r.all_tg_pt || r.relative_target_port == n.relative_target_port)) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

bool PersistentReservation::AllRegistrantsType() const {
  return type_ == PrType::kWriteExclusiveAllRegistrants ||
         type_ == PrType::kExclusiveAccessAllRegistrants;
}

bool PersistentReservation::IsHolder(const PrNexus& n) const {
  if (!reserved_) return false;
  int i = Find(n);
  if (i < 0) return false;
  return AllRegistrantsType() || regs_[i].holder;
}

void PersistentReservation::Release() {
  reserved_ = false;
  for (auto& r : regs_) r.holder = false;
}

void PersistentReservation::Reset() { *this = PersistentReservation(); }

bool PersistentReservation::Allows(const PrNexus& n, uint32_t access) const {
  if (!reserved_ || IsHolder(n)) return true;
  bool registered = Find(n) >= 0;
  bool exclusive_access = false;
  switch (type_) {
    case PrType::kWriteExclusive:
      break;
    case PrType::kExclusiveAccess:
      exclusive_access = true;
      break;
    case PrType::kWriteExclusiveRegistrantsOnly:
    case PrType::kWriteExclusiveAllRegistrants:
      if (registered) return true;
      break;
    case PrType::kExclusiveAccessRegistrantsOnly:
    case PrType::kExclusiveAccessAllRegistrants:
      if (registered) return true;
      exclusive_access = true;
      break;
  }
  return (access & (exclusive_access ? kPrAllowExclusiveAccess : kPrAllowWriteExclusive)) != 0;
}

PrOutcome PersistentReservation::Out(const PrNexus& nexus, std::span<const uint8_t> cdb,
                                     std::span<const uint8_t> p) {
  return Out(nexus, cdb, p, {});
}

PrOutcome PersistentReservation::Out(const PrNexus& nexus, std::span<const uint8_t> cdb,
                                     std::span<const uint8_t> p,
                                     std::span<const uint16_t> target_ports) {
  uint8_t sa = cdb[1] & 0x1F;
  uint8_t scope = cdb[2] >> 4;
  uint8_t type = cdb[2] & 0x0F;
  // SPC-4 6.16.3: every service action but REGISTER AND MOVE uses the 24-byte
  // basic parameter list; only REGISTER with SPEC_I_PT may be longer.
  if (sa == op::kSaPrRegisterAndMove) {
    if (p.size() < 24) return Fail(ParameterListLengthError(5));
    return RegisterAndMove(nexus, p, target_ports);
  }
  if (p.size() < 24) return Fail(ParameterListLengthError(5));
  bool spec_i_pt = (p[20] & 0x08) != 0;
  bool all_tg_pt = (p[20] & 0x04) != 0;
  bool aptpl = (p[20] & 0x01) != 0;
  if (p.size() != 24 && !(sa == op::kSaPrRegister && spec_i_pt)) {
    return Fail(ParameterListLengthError(5));
  }
  uint64_t key = GetBe64(&p[0]);
  uint64_t sa_key = GetBe64(&p[8]);
  if (sa == op::kSaPrRegister || sa == op::kSaPrRegisterAndIgnore) {
    return Register(nexus, p, sa == op::kSaPrRegisterAndIgnore, spec_i_pt, all_tg_pt, aptpl);
  }
  // The remaining actions need a registered nexus presenting its key.
  if (sa > op::kSaPrPreemptAndAbort) return Fail(InvalidFieldInCdb(1, 4));
  int me = Find(nexus);
  if (me < 0 || regs_[me].key != key) return Conflict();
  // SPC-4 6.16.3: SPEC_I_PT and ALL_TG_PT are only for registering.
  if (spec_i_pt) return Fail(InvalidFieldInParameterList(20, 3));
  if (all_tg_pt) return Fail(InvalidFieldInParameterList(20, 2));
  switch (sa) {
    case op::kSaPrReserve:
      return Reserve(nexus, scope, type);
    case op::kSaPrRelease:
      return ReleaseAction(nexus, scope, type);
    case op::kSaPrClear:
      return Clear(nexus);
    case op::kSaPrPreempt:
    case op::kSaPrPreemptAndAbort:
      if (scope != 0) return Fail(InvalidFieldInCdb(2, 7));
      return Preempt(nexus, sa_key, type, sa == op::kSaPrPreemptAndAbort);
    default:
      return Fail(InvalidFieldInCdb(1, 4));
  }
}

PrOutcome PersistentReservation::Register(const PrNexus& nexus, std::span<const uint8_t> p,
                                          bool ignore_key, bool spec_i_pt, bool all_tg_pt,
                                          bool aptpl) {
  uint64_t key = GetBe64(&p[0]);
  uint64_t sa_key = GetBe64(&p[8]);
  int me = Find(nexus);
  // SPC-4 5.9.7.2 Table 49 / 5.9.7.3 Table 50.
  if (!ignore_key) {
    if (me < 0 && key != 0) return Conflict();
    if (me >= 0 && regs_[me].key != key) return Conflict();
  }
  if (spec_i_pt && (ignore_key || me >= 0)) return Fail(InvalidFieldInParameterList(20, 3));
  PrOutcome out;
  if (me >= 0) {
    if (sa_key != 0) {
      regs_[me].key = sa_key;
    } else {
      bool was_holder = IsHolder(nexus);
      bool all_reg = AllRegistrantsType();
      regs_.erase(regs_.begin() + me);
      // SPC-4 5.9.11.2: losing the holder releases the reservation; registrants
      // of a registrants-only reservation hear about it.
      if (was_holder && (!all_reg || regs_.empty())) {
        bool notify = type_ == PrType::kWriteExclusiveRegistrantsOnly ||
                      type_ == PrType::kExclusiveAccessRegistrantsOnly;
        Release();
        if (notify) {
          for (const auto& r : regs_) {
            out.events.push_back({r.initiator, r.relative_target_port, r.all_tg_pt,
                                  UnitAttention::kReservationsReleased, false});
          }
        }
      }
    }
    aptpl_ = aptpl;
    ++generation_;
    out.state_changed = true;
    return out;
  }
  if (sa_key == 0) return out;  // unregistered nexus unregistering: nothing to do
  std::vector<PrRegistration> added;
  added.push_back({nexus.initiator, nexus.relative_target_port, all_tg_pt, false, sa_key});
  if (spec_i_pt) {
    // SPC-4 6.16.3: TRANSPORTID PARAMETER DATA LENGTH at 24, then TransportIDs.
    if (p.size() < 28) return Fail(ParameterListLengthError(5));
    size_t len = GetBe32(&p[24]);
    if (len != p.size() - 28) return Fail(ParameterListLengthError(5));
    size_t at = 28;
    while (at < p.size()) {
      size_t used = 0;
      auto id = ParseTransportId(p.subspan(at), &used);
      if (!id) return Fail(InvalidFieldInParameterList(static_cast<uint16_t>(at)));
      PrNexus other{*id, nexus.relative_target_port};
      if (Find(other) >= 0) return Fail(InvalidFieldInParameterList(static_cast<uint16_t>(at)));
      bool dup = std::any_of(added.begin(), added.end(), [&](const PrRegistration& r) {
        return r.initiator == *id &&
               (r.all_tg_pt || all_tg_pt || r.relative_target_port == nexus.relative_target_port);
      });
      if (!dup) {
        added.push_back({*id, nexus.relative_target_port, all_tg_pt, false, sa_key});
      }
      at += used;
    }
  }
  regs_.insert(regs_.end(), added.begin(), added.end());
  aptpl_ = aptpl;
  ++generation_;
  out.state_changed = true;
  return out;
}

PrOutcome PersistentReservation::Reserve(const PrNexus& nexus, uint8_t scope, uint8_t type) {
  if (scope != 0) return Fail(InvalidFieldInCdb(2, 7));
  if (!ValidType(type)) return Fail(InvalidFieldInCdb(2, 3));
  if (reserved_) {
    // SPC-4 5.9.9: the holder may repeat its reservation; anyone else conflicts.
    if (!IsHolder(nexus) || static_cast<uint8_t>(type_) != type) return Conflict();
    return PrOutcome{};
  }
  reserved_ = true;
  type_ = static_cast<PrType>(type);
  if (!AllRegistrantsType()) regs_[Find(nexus)].holder = true;
  return PrOutcome{Good(), {}, true};
}

PrOutcome PersistentReservation::ReleaseAction(const PrNexus& nexus, uint8_t scope, uint8_t type) {
  // SPC-4 5.9.11.2: releasing nothing, or someone else's reservation, is GOOD.
  if (!reserved_ || !IsHolder(nexus)) return PrOutcome{};
  if (scope != 0) return Fail(InvalidFieldInCdb(2, 7));
  if (static_cast<uint8_t>(type_) != type) {
    return Fail(SenseFor(Asc::kInvalidReleaseOfPersistentReservation));
  }
  PrOutcome out{Good(), {}, true};
  bool notify = type_ != PrType::kWriteExclusive && type_ != PrType::kExclusiveAccess;
  Release();
  if (notify) {
    for (const auto& r : regs_) {
      if (SameNexus(r, nexus)) continue;
      out.events.push_back({r.initiator, r.relative_target_port, r.all_tg_pt,
                            UnitAttention::kReservationsReleased, false});
    }
  }
  return out;
}

PrOutcome PersistentReservation::Clear(const PrNexus& nexus) {
  PrOutcome out{Good(), {}, true};
  for (const auto& r : regs_) {
    if (SameNexus(r, nexus)) continue;
    out.events.push_back({r.initiator, r.relative_target_port, r.all_tg_pt,
                          UnitAttention::kReservationsPreempted, false});
  }
  regs_.clear();
  Release();
  ++generation_;
  return out;
}

void PersistentReservation::RemoveWhere(const PrNexus& except, uint64_t key, bool all_keys,
                                        bool abort, std::vector<PrEvent>* events) {
  std::vector<PrRegistration> kept;
  for (auto& r : regs_) {
    bool self =
        SameNexus(r, except) || (r.all_tg_pt && TransportIdCovers(r.initiator, except.initiator));
    if (!self && (all_keys || r.key == key)) {
      events->push_back({r.initiator, r.relative_target_port, r.all_tg_pt,
                         UnitAttention::kRegistrationsPreempted, abort});
    } else {
      kept.push_back(r);
    }
  }
  regs_.swap(kept);
}

PrOutcome PersistentReservation::Preempt(const PrNexus& nexus, uint64_t sa_key, uint8_t type,
                                         bool abort) {
  PrOutcome out{Good(), {}, true};
  auto key_present = [&] {
    return std::any_of(regs_.begin(), regs_.end(),
                       [&](const PrRegistration& r) { return r.key == sa_key; });
  };
  // SPC-4 5.9.11.4.
  if (reserved_ && AllRegistrantsType() && sa_key == 0) {
    if (!ValidType(type)) return Fail(InvalidFieldInCdb(2, 3));
    RemoveWhere(nexus, 0, true, abort, &out.events);
    Release();
    reserved_ = true;
    type_ = static_cast<PrType>(type);
    if (!AllRegistrantsType()) regs_[Find(nexus)].holder = true;
  } else if (reserved_ && !AllRegistrantsType() &&
             std::any_of(regs_.begin(), regs_.end(),
                         [&](const PrRegistration& r) { return r.holder && r.key == sa_key; })) {
    if (!ValidType(type)) return Fail(InvalidFieldInCdb(2, 3));
    RemoveWhere(nexus, sa_key, false, abort, &out.events);
    // Registrants that stay but lose the reservation learn of it.
    for (const auto& r : regs_) {
      if (!SameNexus(r, nexus) && r.holder) {
        out.events.push_back({r.initiator, r.relative_target_port, r.all_tg_pt,
                              UnitAttention::kReservationsReleased, false});
      }
    }
    Release();
    reserved_ = true;
    type_ = static_cast<PrType>(type);
    if (!AllRegistrantsType()) regs_[Find(nexus)].holder = true;
  } else {
    if (sa_key == 0) return Fail(InvalidFieldInParameterList(8));
    if (!key_present()) return Conflict();
    RemoveWhere(nexus, sa_key, false, abort, &out.events);
    if (reserved_ && AllRegistrantsType() && regs_.empty()) Release();
  }
  ++generation_;
  return out;
}

PrOutcome PersistentReservation::RegisterAndMove(const PrNexus& nexus, std::span<const uint8_t> p,
                                                 std::span<const uint16_t> target_ports) {
  uint64_t key = GetBe64(&p[0]);
  uint64_t sa_key = GetBe64(&p[8]);
  bool unreg = (p[17] & 0x02) != 0;
  bool aptpl = (p[17] & 0x01) != 0;
  uint16_t rel_port = GetBe16(&p[18]);
  size_t tid_len = GetBe32(&p[20]);
  if (tid_len + 24 > p.size()) return Fail(ParameterListLengthError(5));
  // SPC-4 5.9.8: only the holder of a single-holder reservation may move it.
  int me = Find(nexus);
  if (me < 0) return Conflict();
  if (regs_[me].key != key) return Conflict();
  if (!reserved_ || AllRegistrantsType() || !regs_[me].holder) return Conflict();
  if (sa_key == 0) return Fail(InvalidFieldInParameterList(8));
  size_t used = 0;
  auto id = ParseTransportId(p.subspan(24, tid_len), &used);
  if (!id) return Fail(InvalidFieldInParameterList(24));
  PrNexus dest{*id, rel_port};
  if (id->isid.empty() && id->protocol == Protocol::kIscsi) {
    return Fail(InvalidFieldInParameterList(24));
  }
  if (dest.initiator == nexus.initiator && rel_port == nexus.relative_target_port) {
    return Fail(InvalidFieldInParameterList(24));
  }
  // SPC-4 6.16.4: the RELATIVE TARGET PORT IDENTIFIER must name a port of the
  // target (0 is never one, SPC-4 7.8.6.7).
  if (rel_port == 0) return Fail(InvalidFieldInParameterList(18));
  if (!target_ports.empty() &&
      std::find(target_ports.begin(), target_ports.end(), rel_port) == target_ports.end()) {
    return Fail(InvalidFieldInParameterList(18));
  }
  PrType type = type_;
  Release();
  int d = Find(dest);
  if (d < 0) {
    regs_.push_back({dest.initiator, rel_port, false, false, sa_key});
    d = static_cast<int>(regs_.size()) - 1;
  } else {
    regs_[d].key = sa_key;
  }
  regs_[d].holder = true;
  reserved_ = true;
  type_ = type;
  if (unreg) {
    me = Find(nexus);
    if (me >= 0 && me != d) regs_.erase(regs_.begin() + me);
  }
  aptpl_ = aptpl;
  ++generation_;
  return PrOutcome{Good(), {}, true};
}

}  // namespace openstmf::scsi
