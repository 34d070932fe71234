// TEST UNIT READY (SPC-4 6.47), REQUEST SENSE (6.39), REPORT LUNS (6.33) and
// the SPC-2 RESERVE / RELEASE (6) and (10) commands.
#include <algorithm>
#include <cstring>

#include "scsi/dispatcher.h"
#include "scsi/handlers.h"
#include "scsi/lun.h"
#include "scsi/sense.h"

namespace openstmf::scsi::handlers {

void TestUnitReady(Lu& /*lu*/, ScsiCommand& cmd) {
  // Medium and ALUA readiness were checked by the dispatcher.
  Complete(cmd, Good());
}

void RequestSense(Lu& lu, ScsiCommand& cmd) {
  bool desc = (cmd.cdb.bytes[1] & 0x01) != 0;
  // SPC-4 6.39: a pending unit attention is returned as parameter data and
  // cleared; otherwise the pollable condition of the LU, or NO SENSE.
  ScsiResult sense;
  UnitAttentionSet& ua = lu.unit_attentions(cmd.nexus);
  if (!ua.empty()) {
    sense = ua.Take();
  } else if (lu.alua_enabled() && !AluaFilter(lu.AluaStateFor(cmd.nexus), 0).good()) {
    sense = AluaFilter(lu.AluaStateFor(cmd.nexus), 0);
  } else if (lu.sanitize_in_progress()) {
    // SBC-3 4.11.2: the progress of the operation (SPC-4 4.5.2.4.4).
    sense = SenseWithProgress(Asc::kNotReadySanitizeInProgress, lu.sanitize().progress());
  } else if (lu.sanitize_failed()) {
    sense = SenseFor(Asc::kSanitizeCommandFailed);
  } else if (!lu.medium_present()) {
    sense = SenseFor(Asc::kMediumNotPresent);
  } else {
    sense = SenseFor(Asc::kNone);
  }
  uint8_t buf[kMaxSenseLength];
  size_t n = BuildSense(sense, desc ? SenseFormat::kDescriptor : SenseFormat::kFixed, buf);
  CopyToDataIn(cmd, buf, n);
  CompleteWithData(cmd, n);
}

void ReportLuns(Lu& lu, ScsiCommand& cmd) {
  size_t length = 0;
  ScsiResult r = BuildReportLuns(
      cmd.luns, cmd.cdb.bytes[2],
      cmd.data_in.first(std::min<size_t>(cmd.data_in.size(), cmd.transfer_length)), &length);
  if (!r.good()) return Complete(cmd, r);
  // SPC-4 6.33: reporting the LUN inventory clears REPORTED LUNS DATA CHANGED.
  lu.unit_attentions(cmd.nexus).Clear(UnitAttention::kReportedLunsDataChanged);
  CompleteWithData(cmd, length);
}

void Reserve(Lu& lu, ScsiCommand& cmd) {
  // SPC-2 7.21: the dispatcher already refused a nexus other than the holder.
  lu.set_legacy_holder(cmd.nexus);
  Complete(cmd, Good());
}

void Release(Lu& lu, ScsiCommand& cmd) {
  // SPC-2 7.17: releasing someone else's (or no) reservation is GOOD, no effect.
  if (lu.legacy_holder() == cmd.nexus) lu.set_legacy_holder(std::nullopt);
  Complete(cmd, Good());
}

}  // namespace openstmf::scsi::handlers
