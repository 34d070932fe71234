// Medium handling: START STOP UNIT (SBC-3 5.25), PREVENT ALLOW MEDIUM REMOVAL
// (SBC-3 5.12 / SPC-4 6.13), READ DEFECT DATA (SBC-3 5.19, 5.20) and SANITIZE
// (SBC-3 5.30), which becomes whole-medium WRITE SAME or UNMAP calls.
#include <algorithm>
#include <cstring>

#include "base/byte_order.h"
#include "scsi/dispatcher.h"
#include "scsi/handlers.h"
#include "scsi/opcodes.h"
#include "scsi/sense.h"

namespace openstmf::scsi::handlers {
namespace {

void Done(void* arg, IoResult io) {
  auto& cmd = *static_cast<ScsiCommand*>(arg);
  Lu& lu = *cmd.lu;
  if (!io.ok()) {
    lu.set_sanitize_failed(true);
    return Complete(cmd, ResultForIo(io, lu.config().block_size, true));
  }
  Complete(cmd, Good());
}

ByteRange WholeMedium(const Lu& lu) { return ByteRange{0, lu.capacity_bytes()}; }

void Erase(Lu& lu, ScsiCommand& cmd) {
  // Block and cryptographic erase leave no old data readable: deallocate thin
  // LUs (which then read zeros), zero-fill the others.
  if (lu.config().thin_provisioned) {
    cmd.ranges.assign(1, WholeMedium(lu));
    lu.backend()->Unmap(cmd.ranges, IoDone{Done, &cmd});
    return;
  }
  cmd.scratch.assign(lu.config().block_size, 0);
  lu.backend()->WriteSame(WholeMedium(lu), cmd.scratch, kIoFua, IoDone{Done, &cmd});
}

}  // namespace

void StartStopUnit(Lu& lu, ScsiCommand& cmd) {
  const uint8_t* b = cmd.cdb.bytes;
  uint8_t power_condition = b[4] >> 4;
  bool loej = (b[4] & 0x02) != 0;
  bool start = (b[4] & 0x01) != 0;
  switch (power_condition) {
    case 0x0:  // START_VALID
      break;
    case 0x1:  // ACTIVE, IDLE, STANDBY, LU_CONTROL, FORCE_IDLE_0, FORCE_STANDBY_0
    case 0x2:
    case 0x3:
    case 0x7:
    case 0xA:
    case 0xB:
      return Complete(cmd, Good());
    default:
      return Complete(cmd, InvalidFieldInCdb(4, 7));
  }
  lu.set_stopped(!start);
  if (!loej || !lu.config().removable) return Complete(cmd, Good());
  if (!start) {
    if (lu.removal_prevented()) return Complete(cmd, SenseFor(Asc::kMediumRemovalPrevented));
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
  if (b[1] & 0x20) return Complete(cmd, InvalidFieldInCdb(1, 5));  // AUSE: no failure mode
  std::span<const uint8_t> p = cmd.data_out.first(cmd.transfer_length);
  switch (cmd.cdb.service_action) {
    case op::kSaSanitizeOverwrite: {
      // SBC-3 5.30.2: the list is a 4-byte header plus the pattern, 1..block size.
      if (p.size() < 4) return Complete(cmd, InvalidFieldInCdb(7));
      uint16_t plen = GetBe16(&p[2]);
      if ((p[0] & 0x1F) == 0) return Complete(cmd, InvalidFieldInCdb(7));  // OVERWRITE COUNT
      if (plen == 0 || plen > lu.config().block_size) return Complete(cmd, InvalidFieldInCdb(7));
      if (p.size() != plen + 4u) return Complete(cmd, InvalidFieldInCdb(7));
      bool invert = (p[0] & 0x80) != 0;
      cmd.scratch.resize(lu.config().block_size);
      for (size_t i = 0; i < cmd.scratch.size(); ++i) {
        uint8_t v = p[4 + i % plen];
        cmd.scratch[i] = invert ? static_cast<uint8_t>(~v) : v;
      }
      lu.backend()->WriteSame(WholeMedium(lu), cmd.scratch, kIoFua, IoDone{Done, &cmd});
      return;
    }
    case op::kSaSanitizeBlockErase:
    case op::kSaSanitizeCryptoErase:
      if (!p.empty()) return Complete(cmd, InvalidFieldInCdb(7));
      return Erase(lu, cmd);
    default:  // EXIT FAILURE MODE
      if (!p.empty()) return Complete(cmd, InvalidFieldInCdb(7));
      lu.set_sanitize_failed(false);
      return Complete(cmd, Good());
  }
}

}  // namespace openstmf::scsi::handlers
