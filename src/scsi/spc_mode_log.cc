// MODE SENSE / MODE SELECT (6) and (10) (SPC-4 6.11-6.14) over ModePages, and
// LOG SENSE (SPC-4 6.8) with pages 00h (supported pages), 0Dh (temperature) and
// 2Fh (informational exceptions).
#include <algorithm>
#include <cstring>

#include "base/byte_order.h"
#include "scsi/dispatcher.h"
#include "scsi/handlers.h"
#include "scsi/sense.h"

namespace openstmf::scsi::handlers {
namespace {

ModeMedium MediumOf(const Lu& lu) {
  return ModeMedium{lu.config().block_size, lu.config().block_count, lu.config().write_protected};
}

struct LogParam {
  uint16_t code;
  uint8_t value[4];
  uint8_t length;
};

// Appends the parameters with codes at or above `pointer` (SPC-4 6.8.1).
void AppendParams(std::vector<uint8_t>& d, std::span<const LogParam> params, uint16_t pointer) {
  for (const LogParam& p : params) {
    if (p.code < pointer) continue;
    size_t at = d.size();
    d.resize(at + 4 + p.length, 0);
    PutBe16(&d[at], p.code);
    d[at + 2] = 0x03;  // FORMAT AND LINKING: binary list
    d[at + 3] = p.length;
    std::memcpy(&d[at + 4], p.value, p.length);
  }
}

}  // namespace

void ModeSense(Lu& lu, ScsiCommand& cmd) {
  size_t length = 0;
  std::span<uint8_t> out =
      cmd.data_in.first(std::min<size_t>(cmd.data_in.size(), cmd.transfer_length));
  ScsiResult r = lu.mode_pages().Sense({cmd.cdb.bytes, cmd.cdb.length}, MediumOf(lu), out, &length);
  if (!r.good()) return Complete(cmd, r);
  CompleteWithData(cmd, length);
}

void ModeSelect(Lu& lu, ScsiCommand& cmd) {
  bool changed = false;
  ScsiResult r =
      lu.mode_pages().Select({cmd.cdb.bytes, cmd.cdb.length},
                             cmd.data_out.first(cmd.transfer_length), MediumOf(lu), &changed);
  if (!r.good()) return Complete(cmd, r);
  // SPC-4 7.5.1: the other I_T nexuses learn that parameters changed.
  if (changed) lu.RaiseUnitAttention(UnitAttention::kModeParametersChanged, cmd.nexus);
  if ((cmd.cdb.bytes[1] & 0x01) && lu.listener() != nullptr) {
    lu.listener()->OnSavedModePagesChanged(lu.mode_pages());
  }
  Complete(cmd, Good());
}

void LogSense(Lu& lu, ScsiCommand& cmd) {
  const uint8_t* b = cmd.cdb.bytes;
  if (b[1] & 0x01) return Complete(cmd, InvalidFieldInCdb(1, 0));  // SP: nothing to save
  uint8_t page = b[2] & 0x3F;
  uint8_t subpage = b[3];
  uint16_t pointer = GetBe16(b + 5);
  std::vector<uint8_t>& d = cmd.scratch;
  d.assign(4, 0);
  d[0] = page;
  d[1] = subpage;
  static constexpr uint8_t kPages[] = {0x00, 0x0D, 0x2F};
  if (page == 0x00 && subpage == 0x00) {
    d.insert(d.end(), std::begin(kPages), std::end(kPages));
  } else if (page == 0x00 && subpage == 0xFF) {
    d[0] |= 0x40;  // SPF
    for (uint8_t p : kPages) {
      d.push_back(p);
      d.push_back(0x00);
    }
    d.push_back(0x00);
    d.push_back(0xFF);
  } else if (page == 0x0D && subpage == 0) {
    // SPC-4 7.3.21: temperature not measured (FFh), reference not given.
    static constexpr LogParam kTemp[] = {{0x0000, {0, 0xFF}, 2}, {0x0001, {0, 0xFF}, 2}};
    if (pointer > 0x0001) return Complete(cmd, InvalidFieldInCdb(5));
    AppendParams(d, kTemp, pointer);
  } else if (page == 0x2F && subpage == 0) {
    // SPC-4 7.3.8: no informational exception pending.
    static constexpr LogParam kIe[] = {{0x0000, {0x00, 0x00, 0xFF}, 3}};
    if (pointer > 0x0000) return Complete(cmd, InvalidFieldInCdb(5));
    AppendParams(d, kIe, pointer);
  } else {
    return Complete(cmd, InvalidFieldInCdb(2, 5));
  }
  (void)lu;
  PutBe16(&d[2], static_cast<uint16_t>(d.size() - 4));
  CopyToDataIn(cmd, d.data(), d.size());
  CompleteWithData(cmd, d.size());
}

}  // namespace openstmf::scsi::handlers
