#include "scsi/lun.h"

#include <algorithm>

#include "base/byte_order.h"
#include "scsi/sense.h"

namespace openstmf::scsi {

uint64_t EncodeLun(uint16_t lun) {
  if (lun < 256) return uint64_t{lun} << 48;
  return (uint64_t{0x4000u | (lun & 0x3FFFu)}) << 48;
}

std::optional<uint16_t> DecodeLun(uint64_t lun) {
  if ((lun & 0x0000FFFFFFFFFFFFull) != 0) return std::nullopt;
  auto top = static_cast<uint16_t>(lun >> 48);
  switch (top >> 14) {
    case 0:  // peripheral device, bus 0
      return (top >> 8) == 0 ? std::optional<uint16_t>(top & 0xFF) : std::nullopt;
    case 1:  // flat space
      return top & 0x3FFF;
    default:
      return std::nullopt;
  }
}

ScsiResult BuildReportLuns(std::span<const uint64_t> luns, uint8_t select_report,
                           std::span<uint8_t> out, size_t* length) {
  // SPC-4 6.33 Table 166: 00h and 02h list the LUs; 01h only well-known LUs,
  // of which there are none.
  if (select_report > 0x02) return InvalidFieldInCdb(2);
  size_t count = select_report == 0x01 ? 0 : luns.size();
  *length = 8 + 8 * count;
  std::fill(out.begin(), out.end(), 0);
  uint8_t head[4];
  PutBe32(head, static_cast<uint32_t>(8 * count));
  std::copy_n(head, std::min<size_t>(4, out.size()), out.begin());
  for (size_t i = 0; i < count; ++i) {
    uint8_t lun[8];
    PutBe64(lun, EncodeLun(static_cast<uint16_t>(luns[i])));
    size_t at = 8 + 8 * i;
    if (at >= out.size()) break;
    std::copy_n(lun, std::min<size_t>(8, out.size() - at), out.begin() + at);
  }
  return Good();
}

}  // namespace openstmf::scsi
