// Medium handling: START STOP UNIT (SBC-3 5.25), PREVENT ALLOW MEDIUM REMOVAL
// (SBC-3 5.12 / SPC-4 6.13), READ DEFECT DATA (SBC-3 5.19, 5.20) and SANITIZE
// (SBC-3 5.30), which validates its parameters and starts the LU's sanitize
// operation (sanitize.h).
#include <algorithm>
#include <cstring>

#include "base/byte_order.h"
#include "scsi/dispatcher.h"
#include "scsi/handlers.h"
#include "scsi/opcodes.h"
#include "scsi/sanitize.h"
#include "scsi/sense.h"

namespace openstmf::scsi::handlers {

void StartStopUnit(Lu& lu, ScsiCommand& cmd) {
  const uint8_t* b = cmd.cdb.bytes;
  uint8_t power_condition = b[4] >> 4;
  bool loej = (b[4] & 0x02) != 0;
  bool start = (b[4] & 0x01) != 0;
  // SBC-3 5.25: with a POWER CONDITION other than START_VALID the START and
  // LOEJ bits are ignored. A LU without power management has nothing to change,
  // so every such value — the defined ones (ACTIVE, IDLE, STANDBY, LU_CONTROL,
  // FORCE_IDLE_0, FORCE_STANDBY_0) and the rest alike — completes with GOOD and
  // leaves the medium where it is, as Linux targets do (libiscsi's
  // StartStopUnit.PwrCnd expects exactly that for 1..15).
  if (power_condition != 0) return Complete(cmd, Good());
  lu.set_stopped(!start);
  if (!loej || !lu.config().removable) return Complete(cmd, Good());
  // SBC-3 5.25 / SPC-4 6.13: PREVENT locks the medium where it is, so neither
  // eject nor load moves it (libiscsi PreventAllow.Eject checks both).
  if (lu.removal_prevented()) return Complete(cmd, SenseFor(Asc::kMediumRemovalPrevented));
  if (!start) {
    lu.SetMediumPresent(false);
  } else if (!lu.medium_present()) {
    lu.SetMediumPresent(true);
    // The nexus that loaded the medium knows it changed.
    lu.unit_attentions(cmd.nexus).Clear(UnitAttention::kMediumMayHaveChanged);
  }
  Complete(cmd, Good());
}

void PreventAllowMediumRemoval(Lu& lu, ScsiCommand& cmd) {
  uint8_t prevent = cmd.cdb.bytes[4] & 0x03;
  if (prevent > 1) return Complete(cmd, InvalidFieldInCdb(4, 1));
  lu.SetPrevent(cmd.nexus, prevent == 1);
  Complete(cmd, Good());
}

void ReadDefectData(Lu& /*lu*/, ScsiCommand& cmd) {
  // No defects: a header with an empty list in the requested format.
  const uint8_t* b = cmd.cdb.bytes;
  uint8_t d[8] = {};
  size_t len;
  if (b[0] == op::kReadDefectData10) {
    d[1] = b[2] & 0x1F;
    len = 4;
  } else {
    d[1] = b[1] & 0x1F;
    len = 8;
  }
  CopyToDataIn(cmd, d, len);
  CompleteWithData(cmd, len);
}

void Sanitize(Lu& lu, ScsiCommand& cmd) {
  const uint8_t* b = cmd.cdb.bytes;
  bool immed = (b[1] & 0x80) != 0;
  SanitizeOperation& op = lu.sanitize();
  std::span<const uint8_t> p = cmd.data_out.first(cmd.transfer_length);
  SanitizeRequest request;
  request.ause = (b[1] & 0x20) != 0;
  switch (cmd.cdb.service_action) {
    case op::kSaSanitizeOverwrite: {
      // SBC-3 5.30.2: a 4-byte header plus the pattern, 1..block size bytes.
      if (p.size() < 4) return Complete(cmd, InvalidFieldInCdb(7));
      uint16_t plen = GetBe16(&p[2]);
      request.passes = p[0] & 0x1F;
      request.invert = (p[0] & 0x80) != 0;
      if (request.passes == 0) return Complete(cmd, InvalidFieldInCdb(7));
      if (plen == 0 || plen > lu.config().block_size) return Complete(cmd, InvalidFieldInCdb(7));
      if (p.size() != plen + 4u) return Complete(cmd, InvalidFieldInCdb(7));
      request.method = SanitizeMethod::kOverwrite;
      request.pattern.resize(lu.config().block_size);
      for (size_t i = 0; i < request.pattern.size(); ++i) request.pattern[i] = p[4 + i % plen];
      break;
    }
    case op::kSaSanitizeBlockErase:
    case op::kSaSanitizeCryptoErase:
      if (!p.empty()) return Complete(cmd, InvalidFieldInCdb(7));
      request.method = cmd.cdb.service_action == op::kSaSanitizeBlockErase
                           ? SanitizeMethod::kBlockErase
                           : SanitizeMethod::kCryptoErase;
      break;
    default:  // EXIT FAILURE MODE (SBC-3 5.30.3)
      if (!p.empty()) return Complete(cmd, InvalidFieldInCdb(7));
      // Only an operation that failed in unrestricted completion mode (AUSE=1)
      // may be left this way (SBC-3 4.11.3).
      if (op.failed() && !op.unrestricted()) return Complete(cmd, InvalidFieldInCdb(1));
      op.ExitFailureMode();
      return Complete(cmd, Good());
  }
  // SBC-3 4.11.3: after a failure in restricted completion mode, only a new
  // restricted (AUSE=0) operation is accepted.
  if (op.failed() && !op.unrestricted() && request.ause) {
    return Complete(cmd, InvalidFieldInCdb(1, 5));
  }
  if (!immed) return op.Start(lu, std::move(request), &cmd);
  // SBC-3 5.30.1: IMMED returns status once the CDB and parameters are valid.
  op.Start(lu, std::move(request), nullptr);
  Complete(cmd, Good());
}

}  // namespace openstmf::scsi::handlers
