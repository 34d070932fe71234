// Asymmetric logical unit access (SPC-4 5.11): target port group model, REPORT
// TARGET PORT GROUPS data, SET TARGET PORT GROUPS parsing and the per-state
// command filter.
//
// The caller owns the target port groups (which node owns which LU) and hands
// them to the LU (Lu::SetTargetPortGroups); this file only formats, parses and
// filters. Explicit transitions requested by SET TARGET PORT GROUPS are returned
// to the caller, who applies them (possibly after talking to the peer node).
#ifndef OPENSTMF_SCSI_ALUA_H
#define OPENSTMF_SCSI_ALUA_H

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "scsi/result.h"

namespace openstmf::scsi {

// SPC-4 6.27 Table 167 asymmetric access states.
enum class AluaState : uint8_t {
  kActiveOptimized = 0x0,
  kActiveNonOptimized = 0x1,
  kStandby = 0x2,
  kUnavailable = 0x3,
  kLbaDependent = 0x4,
  kOffline = 0xE,
  kTransitioning = 0xF,
};

// SPC-4 6.27 STATUS CODE of a target port group descriptor.
enum class AluaStatusCode : uint8_t { kNone = 0, kExplicitChange = 1, kImplicitChange = 2 };

struct TargetPortGroup {
  uint16_t id = 0;
  AluaState state = AluaState::kActiveOptimized;
  bool preferred = false;
  AluaStatusCode status_code = AluaStatusCode::kNone;
  std::vector<uint16_t> relative_port_ids;
};

// Supported-state bits of the descriptor byte 1 (T, O, LBD, U, S, AN, AO).
inline constexpr uint8_t kAluaSupportsAll = 0x80 | 0x40 | 0x08 | 0x04 | 0x02 | 0x01;

// Builds REPORT TARGET PORT GROUPS parameter data (SPC-4 6.27): length-only
// header when !extended, else the extended header with the implicit transition
// time. Returns the full length, which may exceed out.size() (data truncated).
size_t BuildReportTargetPortGroups(std::span<const TargetPortGroup> groups, bool extended,
                                   uint8_t implicit_transition_seconds, std::span<uint8_t> out);

// One requested change from SET TARGET PORT GROUPS (SPC-4 6.43).
struct TpgChange {
  uint16_t group_id = 0;
  AluaState state = AluaState::kActiveOptimized;
};

// Parses SET TARGET PORT GROUPS parameter data against the known groups; states
// other than AO/ANO/Standby/Unavailable/Offline and unknown group ids are INVALID
// FIELD IN PARAMETER LIST. On success appends the changes to *out.
ScsiResult ParseSetTargetPortGroups(std::span<const uint8_t> param,
                                    std::span<const TargetPortGroup> groups,
                                    std::vector<TpgChange>* out);

// Opcode-table flags that let a command run in the non-active states.
enum AluaAllow : uint32_t {
  kAluaAllowStandby = 1u << 0,
  kAluaAllowUnavailable = 1u << 1,
  kAluaAllowTransitioning = 1u << 2,
};

// SPC-4 5.11.2.4.4-5.11.2.4.6: GOOD when a command with `allow` flags may run in
// `state`, else NOT READY with 04/0B (standby), 04/0C (unavailable, offline) or
// 04/0A (transitioning).
ScsiResult AluaFilter(AluaState state, uint32_t allow);

// Which commands a LU in the Standby state accepts.
enum class StandbyFilter : uint8_t {
  kSpc4,     // the opcode table's kAluaAllowStandby flags (SPC-4 5.11.2.4.4)
  kComstar,  // COMSTAR sbd's list, whose commands an ALUA pair proxies to the owner
};

// COMSTAR sbd's standby list (illumos sbd_scsi.c): INQUIRY, MODE SENSE/SELECT 6
// and 10, RESERVE/RELEASE 6 and 10, PERSISTENT RESERVE IN/OUT, REQUEST SENSE,
// READ CAPACITY 10/16, TEST UNIT READY, START STOP UNIT, READ 6/10/12/16, REPORT
// IDENTIFYING INFORMATION and REPORT TARGET PORT GROUPS. REPORT LUNS is the
// framework's and always allowed; SET TARGET PORT GROUPS is added, as SPC-4
// requires in Standby (COMSTAR offered no explicit ALUA).
bool ComstarStandbyAllows(uint8_t opcode, uint16_t service_action);

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_ALUA_H
