#include "scsi/cdb.h"

#include "base/byte_order.h"

namespace openstmf::scsi {

size_t CdbLengthForOpcode(uint8_t opcode) {
  switch (opcode >> 5) {
    case 0:
      return 6;
    case 1:
    case 2:
      return 10;
    case 4:
      return 16;
    case 5:
      return 12;
    default:
      return 0;
  }
}

Cdb DecodeCdb(CdbLayout layout, const uint8_t* b, size_t length, uint16_t service_action) {
  Cdb c;
  c.bytes = b;
  c.length = static_cast<uint8_t>(length);
  c.opcode = b[0];
  c.service_action = service_action;
  if (layout != CdbLayout::kNone && layout != CdbLayout::kRw6) {
    c.protect = b[1] >> 5;
    c.dpo = (b[1] & 0x10) != 0;
    c.fua = (b[1] & 0x08) != 0;
  }
  switch (layout) {
    case CdbLayout::kNone:
      break;
    case CdbLayout::kRw6:
      // SBC-3 5.12/5.39: a TRANSFER LENGTH of zero means 256 blocks.
      c.lba = GetBe24(b + 1) & 0x1FFFFF;
      c.blocks = b[4] == 0 ? 256 : b[4];
      break;
    case CdbLayout::kRw10:
      c.lba = GetBe32(b + 2);
      c.blocks = GetBe16(b + 7);
      break;
    case CdbLayout::kRw12:
      c.lba = GetBe32(b + 2);
      c.blocks = GetBe32(b + 6);
      break;
    case CdbLayout::kRw16:
      c.lba = GetBe64(b + 2);
      c.blocks = GetBe32(b + 10);
      break;
    case CdbLayout::kCompareWrite:
      c.lba = GetBe64(b + 2);
      c.blocks = b[13];
      break;
    case CdbLayout::kAtomic16:
      c.lba = GetBe64(b + 2);
      c.blocks = GetBe16(b + 12);
      break;
    case CdbLayout::kLbaStatus:
      c.lba = GetBe64(b + 2);
      break;
  }
  return c;
}

uint32_t CdbField(const Cdb& cdb, size_t offset, size_t size) {
  uint32_t v = 0;
  for (size_t i = 0; i < size && offset + i < cdb.length; ++i) v = (v << 8) | cdb.bytes[offset + i];
  return v;
}

}  // namespace openstmf::scsi
