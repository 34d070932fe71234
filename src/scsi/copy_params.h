// EXTENDED COPY (LID1) parameter lists (SPC-4 6.3.2): decoding and the checks
// that precede any data movement, plus the copy manager's advertised limits.
//
// ParseCopyParameters() validates the header, the CSCD (target) descriptor list
// and the segment descriptor list, and returns either the decoded plan or the
// ILLEGAL REQUEST result SPC-4 6.3.x asks for, with a field pointer into the
// parameter list. Conditions that depend on the copy targets themselves (a
// missing target descriptor index, an unreachable LU, capacity) are found while
// the segments run and end with COPY ABORTED instead (copy_job.cc).
//
// Supported descriptors: identification descriptor CSCD (E4h) for block devices;
// segments block -> block (02h) and block -> block with byte offsets (0Ah). No
// inline or embedded data is accepted (MAXIMUM INLINE DATA LENGTH is 0).
#ifndef OPENSTMF_SCSI_COPY_PARAMS_H
#define OPENSTMF_SCSI_COPY_PARAMS_H

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "scsi/copy_target.h"
#include "scsi/result.h"

namespace openstmf::scsi {

// The limits RECEIVE COPY RESULTS (OPERATING PARAMETERS) and VPD 8Fh report.
inline constexpr uint16_t kCopyMaxTargetDescriptors = 8;
inline constexpr uint16_t kCopyMaxSegmentDescriptors = 64;
inline constexpr uint32_t kCopyMaxDescriptorListLength = 4096;
inline constexpr uint32_t kCopyMaxSegmentBytes = 256u << 20;  // 65535 blocks of 4 KiB fit
inline constexpr uint16_t kCopyMaxConcurrent = 16;            // per LU
inline constexpr uint8_t kCopyDescriptorCodes[] = {0x02, 0x0A, 0xE4};

// SPC-4 6.3.2 LIST ID USAGE.
enum class ListIdUsage : uint8_t { kHold = 0, kNoHold = 2, kNone = 3 };

// An identification descriptor CSCD (SPC-4 6.3.6.2) for a block device.
struct CopyTargetDescriptor {
  uint8_t code_set = 0;
  uint8_t association = 0;
  uint8_t designator_type = 0;
  uint8_t designator_length = 0;
  std::array<uint8_t, 20> designator{};
  uint8_t device_type = 0;    // PERIPHERAL DEVICE TYPE
  uint32_t block_length = 0;  // DISK BLOCK LENGTH (SPC-4 6.3.6.4.2)
  CopyDesignator View() const {
    return {code_set, association, designator_type, {designator.data(), designator_length}};
  }
};

// A block -> block segment (SPC-4 6.3.7.5 for 02h, 6.3.7.7 for 0Ah).
struct CopySegment {
  uint8_t type = 0x02;
  bool dc = false;   // 02h: NUMBER OF BLOCKS counts destination blocks
  bool cat = false;  // residue handling (SPC-4 6.3.7.1)
  uint16_t source = 0;
  uint16_t destination = 0;
  uint32_t count = 0;  // 02h: blocks; 0Ah: bytes
  uint64_t source_lba = 0;
  uint64_t destination_lba = 0;
  uint16_t source_offset = 0;  // 0Ah only
  uint16_t destination_offset = 0;
};

struct CopyParameters {
  uint8_t list_id = 0;
  ListIdUsage usage = ListIdUsage::kHold;
  std::vector<CopyTargetDescriptor> targets;
  std::vector<CopySegment> segments;
};

// Decodes `list` (the whole parameter list; PARAMETER LIST LENGTH bytes). An
// empty list is valid and copies nothing (SPC-4 6.3.1).
ScsiResult ParseCopyParameters(std::span<const uint8_t> list, CopyParameters* out);

// RECEIVE COPY RESULTS OPERATING PARAMETERS data (SPC-4 6.18.4), whole.
std::vector<uint8_t> CopyOperatingParameters(uint32_t block_size);

// Third-party Copy VPD page descriptors (SPC-4 7.8.17) after the 4-byte header.
void AppendThirdPartyCopyDescriptors(std::vector<uint8_t>& d, uint32_t block_size);

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_COPY_PARAMS_H
