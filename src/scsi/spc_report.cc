// REPORT SUPPORTED OPERATION CODES (SPC-4 6.35), REPORT SUPPORTED TASK
// MANAGEMENT FUNCTIONS (6.36), REPORT / SET TARGET PORT GROUPS (6.27, 6.43).
// The first is generated from the opcode table, so it cannot drift from what
// the dispatcher accepts.
#include <algorithm>
#include <cstring>

#include "base/byte_order.h"
#include "scsi/dispatcher.h"
#include "scsi/handlers.h"
#include "scsi/opcode_table.h"
#include "scsi/sense.h"

namespace openstmf::scsi::handlers {
namespace {

void PutTimeouts(std::vector<uint8_t>& d, const OpcodeEntry& e) {
  size_t at = d.size();
  d.resize(at + 12, 0);
  PutBe16(&d[at], 0x000A);
  PutBe32(&d[at + 8], e.timeout);  // nominal processing time unknown (0)
}

void Finish(ScsiCommand& cmd, const std::vector<uint8_t>& d) {
  CopyToDataIn(cmd, d.data(), d.size());
  CompleteWithData(cmd, d.size());
}

}  // namespace

void ReportSupportedOpcodes(Lu& /*lu*/, ScsiCommand& cmd) {
  const uint8_t* b = cmd.cdb.bytes;
  bool rctd = (b[2] & 0x80) != 0;
  uint8_t options = b[2] & 0x07;
  uint8_t opcode = b[3];
  uint16_t sa = GetBe16(b + 4);
  std::vector<uint8_t>& d = cmd.scratch;
  d.clear();
  if (options == 0) {
    d.assign(4, 0);
    for (const OpcodeEntry& e : OpcodeTable()) {
      size_t at = d.size();
      d.resize(at + 8, 0);
      d[at] = e.opcode;
      PutBe16(&d[at + 2], e.service_action);
      d[at + 5] = static_cast<uint8_t>((rctd ? 0x02 : 0) | (e.has_service_action ? 0x01 : 0));
      PutBe16(&d[at + 6], e.cdb_length);
      if (rctd) PutTimeouts(d, e);
    }
    PutBe32(&d[0], static_cast<uint32_t>(d.size() - 4));
    return Finish(cmd, d);
  }
  if (options > 3) return Complete(cmd, InvalidFieldInCdb(2, 2));
  bool has_sa = OpcodeHasServiceAction(opcode);
  // SPC-4 6.35.1: option 1 is for opcodes without service actions, option 2
  // for those with; option 3 takes either.
  if (options == 1 && has_sa) return Complete(cmd, InvalidFieldInCdb(2, 2));
  if (options == 2 && !has_sa) return Complete(cmd, InvalidFieldInCdb(2, 2));
  bool known = false;
  const OpcodeEntry* e = FindOpcode(opcode, has_sa ? sa : 0, &known);
  if (e != nullptr && !has_sa && sa != 0 && options == 3) e = nullptr;
  d.assign(4, 0);
  if (e == nullptr) {
    d[1] = 0x01;  // SUPPORT: not supported
    return Finish(cmd, d);
  }
  d[1] = static_cast<uint8_t>((rctd ? 0x80 : 0) | 0x03);  // CTDP, SUPPORT: standard
  PutBe16(&d[2], e->cdb_length);
  d.insert(d.end(), e->usage, e->usage + e->cdb_length);
  if (rctd) PutTimeouts(d, *e);
  Finish(cmd, d);
}

void ReportSupportedTmf(Lu& /*lu*/, ScsiCommand& cmd) {
  bool repd = (cmd.cdb.bytes[2] & 0x80) != 0;
  std::vector<uint8_t>& d = cmd.scratch;
  d.assign(repd ? 16 : 4, 0);
  // ATS, ATSS, CTSS, LURS, QTS, TRS; QAES, QTSS, ITNRS (task_management.h).
  d[0] = 0x80 | 0x40 | 0x10 | 0x08 | 0x04 | 0x02;
  d[1] = 0x04 | 0x02 | 0x01;
  if (repd) d[3] = 0x0C;
  Finish(cmd, d);
}

void ReportTargetPortGroups(Lu& lu, ScsiCommand& cmd) {
  uint8_t format = cmd.cdb.bytes[1] >> 5;
  if (format > 1) return Complete(cmd, InvalidFieldInCdb(1, 7));
  std::vector<TargetPortGroup> synthetic;
  std::span<const TargetPortGroup> groups = lu.target_port_groups();
  if (groups.empty()) {
    // Without ALUA the LU is reachable through one active/optimized group.
    const ItNexus& n = lu.nexus(cmd.nexus);
    synthetic.push_back({n.target_port_group,
                         AluaState::kActiveOptimized,
                         false,
                         AluaStatusCode::kNone,
                         {n.relative_target_port}});
    groups = synthetic;
  }
  std::span<uint8_t> out =
      cmd.data_in.first(std::min<size_t>(cmd.data_in.size(), cmd.transfer_length));
  size_t length = BuildReportTargetPortGroups(groups, format == 1,
                                              lu.config().implicit_transition_seconds, out);
  CompleteWithData(cmd, length);
}

void SetTargetPortGroups(Lu& lu, ScsiCommand& cmd) {
  if (!lu.config().explicit_alua || !lu.alua_enabled()) {
    return Complete(cmd, SenseFor(Asc::kInvalidOpcode));
  }
  std::vector<TpgChange> changes;
  ScsiResult r = ParseSetTargetPortGroups(cmd.data_out.first(cmd.transfer_length),
                                          lu.target_port_groups(), &changes);
  if (!r.good() || changes.empty()) return Complete(cmd, r);
  if (lu.listener() != nullptr) return Complete(cmd, lu.listener()->OnSetTargetPortGroups(changes));
  std::vector<TargetPortGroup> groups = lu.target_port_groups();
  for (const TpgChange& c : changes) {
    for (auto& g : groups) {
      if (g.id != c.group_id) continue;
      g.state = c.state;
      g.status_code = AluaStatusCode::kExplicitChange;
    }
  }
  lu.SetTargetPortGroups(std::move(groups), cmd.nexus);
  Complete(cmd, Good());
}

}  // namespace openstmf::scsi::handlers
