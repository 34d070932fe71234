// CDB decoding: length by group code and the fields medium-access commands share.
//
// DecodeCdb() never fails on content; it reads only bytes inside the length the
// opcode table gives (callers check the received length first). Field validation
// (reserved bits, ranges) is the dispatcher's and the handlers' job, so every
// error gets a precise field pointer.
#ifndef OPENSTMF_SCSI_CDB_H
#define OPENSTMF_SCSI_CDB_H

#include <cstddef>
#include <cstdint>

namespace openstmf::scsi {

inline constexpr size_t kMaxCdbLength = 16;

// Length of the CDB of `opcode` from its group code (SPC-4 4.2.5.1): 6, 10, 12 or
// 16; 0 for the reserved/variable/vendor groups (3, 6, 7).
size_t CdbLengthForOpcode(uint8_t opcode);

// Where a command keeps its LBA and transfer length.
enum class CdbLayout : uint8_t {
  kNone,          // no LBA: handler reads its own fields
  kRw6,           // 21-bit LBA at 1..3, 8-bit length at 4 (0 means 256 for READ/WRITE 6)
  kRw10,          // LBA 2..5, length 7..8
  kRw12,          // LBA 2..5, length 6..9
  kRw16,          // LBA 2..9, length 10..13
  kCompareWrite,  // LBA 2..9, NUMBER OF LOGICAL BLOCKS at 13
  kAtomic16,      // LBA 2..9, ATOMIC BOUNDARY 10..11, length 12..13
  kLbaStatus,     // LBA 2..9, ALLOCATION LENGTH 10..13
};

// The pre-decoded view handlers run on.
struct Cdb {
  const uint8_t* bytes = nullptr;
  uint8_t length = 0;
  uint8_t opcode = 0;
  uint16_t service_action = 0;
  uint64_t lba = 0;
  uint32_t blocks = 0;
  uint8_t protect = 0;  // RDPROTECT/WRPROTECT/VRPROTECT (byte 1 bits 7..5)
  bool fua = false;
  bool dpo = false;
};

// Fills a Cdb from `bytes` (at least CdbLengthForOpcode(bytes[0]) long).
Cdb DecodeCdb(CdbLayout layout, const uint8_t* bytes, size_t length, uint16_t service_action);

// Reads an n-byte (1..4) big-endian field at `offset` of the CDB.
uint32_t CdbField(const Cdb& cdb, size_t offset, size_t size);

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_CDB_H
