#include "scsi/alua.h"

#include <algorithm>
#include <cstring>

#include "base/byte_order.h"
#include "scsi/sense.h"

namespace openstmf::scsi {

size_t BuildReportTargetPortGroups(std::span<const TargetPortGroup> groups, bool extended,
                                   uint8_t implicit_transition_seconds, std::span<uint8_t> out) {
  size_t total = extended ? 8 : 4;
  for (const auto& g : groups) total += 8 + 4 * g.relative_port_ids.size();
  auto put = [&](size_t at, uint8_t v) {
    if (at < out.size()) out[at] = v;
  };
  auto put16 = [&](size_t at, uint16_t v) {
    put(at, static_cast<uint8_t>(v >> 8));
    put(at + 1, static_cast<uint8_t>(v));
  };
  auto put32 = [&](size_t at, uint32_t v) {
    put16(at, static_cast<uint16_t>(v >> 16));
    put16(at + 2, static_cast<uint16_t>(v));
  };
  std::fill(out.begin(), out.end(), 0);
  // RETURN DATA LENGTH excludes the 4-byte length field itself.
  put32(0, static_cast<uint32_t>(total - 4));
  size_t at = 4;
  if (extended) {
    put(4, 0x10);  // FORMAT TYPE 001b
    put(5, implicit_transition_seconds);
    at = 8;
  }
  for (const auto& g : groups) {
    put(at, static_cast<uint8_t>((g.preferred ? 0x80 : 0) | static_cast<uint8_t>(g.state)));
    put(at + 1, kAluaSupportsAll);
    put16(at + 2, g.id);
    put(at + 5, static_cast<uint8_t>(g.status_code));
    put(at + 7, static_cast<uint8_t>(g.relative_port_ids.size()));
    at += 8;
    for (uint16_t rel : g.relative_port_ids) {
      put16(at + 2, rel);
      at += 4;
    }
  }
  return total;
}

ScsiResult ParseSetTargetPortGroups(std::span<const uint8_t> param,
                                    std::span<const TargetPortGroup> groups,
                                    std::vector<TpgChange>* out) {
  // SPC-4 6.43: 4 reserved bytes, then 4-byte descriptors.
  if (param.size() < 4) return param.empty() ? Good() : ParameterListLengthError(6);
  if ((param.size() - 4) % 4 != 0) return ParameterListLengthError(6);
  std::vector<TpgChange> changes;
  for (size_t at = 4; at + 4 <= param.size(); at += 4) {
    uint8_t state = param[at] & 0x0F;
    uint16_t id = GetBe16(&param[at + 2]);
    switch (static_cast<AluaState>(state)) {
      case AluaState::kActiveOptimized:
      case AluaState::kActiveNonOptimized:
      case AluaState::kStandby:
      case AluaState::kUnavailable:
      case AluaState::kOffline:
        break;
      default:
        return InvalidFieldInParameterList(static_cast<uint16_t>(at), 3);
    }
    bool known = std::any_of(groups.begin(), groups.end(),
                             [id](const TargetPortGroup& g) { return g.id == id; });
    if (!known) return InvalidFieldInParameterList(static_cast<uint16_t>(at + 2));
    changes.push_back({id, static_cast<AluaState>(state)});
  }
  out->insert(out->end(), changes.begin(), changes.end());
  return Good();
}

ScsiResult AluaFilter(AluaState state, uint32_t allow) {
  switch (state) {
    case AluaState::kActiveOptimized:
    case AluaState::kActiveNonOptimized:
    case AluaState::kLbaDependent:
      return Good();
    case AluaState::kStandby:
      return (allow & kAluaAllowStandby) ? Good() : SenseFor(Asc::kNotReadyAluaStandby);
    case AluaState::kUnavailable:
    case AluaState::kOffline:
      return (allow & kAluaAllowUnavailable) ? Good() : SenseFor(Asc::kNotReadyAluaUnavailable);
    case AluaState::kTransitioning:
      return (allow & kAluaAllowTransitioning) ? Good() : SenseFor(Asc::kNotReadyAluaTransition);
  }
  return Good();
}

bool ComstarStandbyAllows(uint8_t opcode, uint16_t service_action) {
  switch (opcode) {
    case 0x00:  // TEST UNIT READY
    case 0x03:  // REQUEST SENSE
    case 0x08:  // READ(6)
    case 0x12:  // INQUIRY
    case 0x15:  // MODE SELECT(6)
    case 0x16:  // RESERVE(6)
    case 0x17:  // RELEASE(6)
    case 0x1A:  // MODE SENSE(6)
    case 0x1B:  // START STOP UNIT
    case 0x25:  // READ CAPACITY(10)
    case 0x28:  // READ(10)
    case 0x55:  // MODE SELECT(10)
    case 0x56:  // RESERVE(10)
    case 0x57:  // RELEASE(10)
    case 0x5A:  // MODE SENSE(10)
    case 0x5E:  // PERSISTENT RESERVE IN
    case 0x5F:  // PERSISTENT RESERVE OUT
    case 0x88:  // READ(16)
    case 0xA0:  // REPORT LUNS
    case 0xA8:  // READ(12)
      return true;
    case 0x9E:  // SERVICE ACTION IN(16): READ CAPACITY(16)
      return service_action == 0x10;
    case 0xA3:  // MAINTENANCE IN: REPORT IDENTIFYING INFORMATION, REPORT TARGET PORT GROUPS
      return service_action == 0x05 || service_action == 0x0A;
    case 0xA4:  // MAINTENANCE OUT: SET TARGET PORT GROUPS (SPC-4 5.11.2.4.4 allows it)
      return service_action == 0x0A;
    default:
      return false;
  }
}

}  // namespace openstmf::scsi
