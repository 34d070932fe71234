// RECEIVE COPY RESULTS (SPC-4 6.18): COPY STATUS, RECEIVE DATA, OPERATING
// PARAMETERS and FAILED SEGMENT DETAILS for EXTENDED COPY (LID1) operations of
// the requesting I_T nexus (copy_manager.h).
#include <algorithm>

#include "base/byte_order.h"
#include "scsi/copy_params.h"
#include "scsi/dispatcher.h"
#include "scsi/handlers.h"
#include "scsi/sense.h"

namespace openstmf::scsi::handlers {
namespace {

void Finish(ScsiCommand& cmd, const std::vector<uint8_t>& d) {
  CopyToDataIn(cmd, d.data(), d.size());
  CompleteWithData(cmd, d.size());
}

// SPC-4 6.18.3: TRANSFER COUNT in the smallest unit that fits 32 bits.
void PutTransferCount(uint8_t* units, uint8_t* count, uint64_t bytes) {
  uint8_t unit = 0;  // 00h bytes, 01h KiB, 02h MiB, 03h GiB, ...
  while (bytes > 0xFFFFFFFFu && unit < 6) {
    bytes >>= 10;
    ++unit;
  }
  *units = unit;
  PutBe32(count, static_cast<uint32_t>(bytes));
}

}  // namespace

void ReceiveCopyResults(Lu& lu, ScsiCommand& cmd) {
  const uint8_t* b = cmd.cdb.bytes;
  uint8_t sa = b[1] & 0x1F;
  std::vector<uint8_t>& d = cmd.scratch;
  if (sa == 0x03) return Finish(cmd, CopyOperatingParameters(lu.config().block_size));
  CopyRecord* r = lu.copy_manager().Find(cmd.nexus, b[2]);
  // SPC-4 6.18.1: an unknown list identifier is an invalid CDB field.
  if (r == nullptr) return Complete(cmd, InvalidFieldInCdb(2));
  switch (sa) {
    case 0x00:  // COPY STATUS (SPC-4 6.18.3)
      d.assign(12, 0);
      PutBe32(&d[0], 8);
      d[4] = static_cast<uint8_t>(r->state);  // HDD 0: no held data discarded
      PutBe16(&d[5], r->segments_processed);
      PutTransferCount(&d[7], &d[8], r->bytes_transferred);
      return Finish(cmd, d);
    case 0x01:  // RECEIVE DATA (SPC-4 6.18.2): no segment type here holds data
      d.assign(4, 0);
      return Finish(cmd, d);
    case 0x04:  // FAILED SEGMENT DETAILS (SPC-4 6.18.5)
      d.assign(4, 0);
      if (r->state == CopyState::kFailed && !r->sense.empty()) {
        d.resize(60 + r->sense.size(), 0);
        d[57] = static_cast<uint8_t>(r->status);
        PutBe16(&d[58], static_cast<uint16_t>(r->sense.size()));
        std::copy(r->sense.begin(), r->sense.end(), d.begin() + 60);
        PutBe32(&d[0], static_cast<uint32_t>(d.size() - 4));
        // The details are discarded once transferred in full; the status stays.
        if (cmd.transfer_length >= d.size()) r->sense.clear();
      }
      return Finish(cmd, d);
    default:
      return Complete(cmd, InvalidFieldInCdb(1, 4));
  }
}

}  // namespace openstmf::scsi::handlers
