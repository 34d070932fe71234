// Parameter lists and CDBs for the EXTENDED COPY / RECEIVE COPY RESULTS tests.
#ifndef OPENSTMF_TESTS_UNIT_SCSI_XCOPY_TEST_UTIL_H
#define OPENSTMF_TESTS_UNIT_SCSI_XCOPY_TEST_UTIL_H

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <vector>

#include "base/byte_order.h"
#include "scsi_test_util.h"

namespace openstmf::scsi::testing {

// A parameter list built the way an initiator does (SPC-4 6.3.2).
struct XcopyList {
  std::vector<uint8_t> targets;
  std::vector<uint8_t> segments;
  uint8_t list_id = 1;
  uint8_t usage = 0;  // LIST ID USAGE

  void Target(const std::array<uint8_t, 16>& naa, uint32_t block_length = 512, uint8_t type = 0xE4,
              uint8_t device_type = 0) {
    uint8_t d[32] = {};
    d[0] = type;
    d[1] = device_type;
    d[4] = 0x01;  // binary
    d[5] = 0x03;  // LU association, NAA
    d[7] = 16;
    std::memcpy(d + 8, naa.data(), 16);
    PutBe24(d + 29, block_length);
    targets.insert(targets.end(), d, d + 32);
  }
  void BlockToBlock(uint16_t src, uint16_t dst, uint16_t blocks, uint64_t src_lba, uint64_t dst_lba,
                    uint8_t type = 0x02) {
    uint8_t d[28] = {};
    d[0] = type;
    PutBe16(d + 2, 0x18);
    PutBe16(d + 4, src);
    PutBe16(d + 6, dst);
    PutBe16(d + 10, blocks);
    PutBe64(d + 12, src_lba);
    PutBe64(d + 20, dst_lba);
    segments.insert(segments.end(), d, d + 28);
  }
  void WithOffsets(uint32_t bytes, uint64_t src_lba, uint16_t src_off, uint64_t dst_lba,
                   uint16_t dst_off) {
    uint8_t d[32] = {};
    d[0] = 0x0A;
    PutBe16(d + 2, 0x1C);
    PutBe32(d + 8, bytes);
    PutBe64(d + 12, src_lba);
    PutBe64(d + 20, dst_lba);
    PutBe16(d + 28, src_off);
    PutBe16(d + 30, dst_off);
    segments.insert(segments.end(), d, d + 32);
  }
  std::vector<uint8_t> Bytes() const {
    std::vector<uint8_t> b(16, 0);
    b[0] = list_id;
    b[1] = static_cast<uint8_t>(usage << 3);
    PutBe16(&b[2], static_cast<uint16_t>(targets.size()));
    PutBe32(&b[8], static_cast<uint32_t>(segments.size()));
    b.insert(b.end(), targets.begin(), targets.end());
    b.insert(b.end(), segments.begin(), segments.end());
    return b;
  }
};

inline std::vector<uint8_t> XcopyCdb(size_t length) {
  auto c = Cdb({0x83, 0}, 16);
  PutBe32(&c[10], static_cast<uint32_t>(length));
  return c;
}

inline std::vector<uint8_t> RcrCdb(uint8_t sa, uint8_t list_id, uint32_t alloc = 1024) {
  auto c = Cdb({0x84, sa, list_id}, 16);
  PutBe32(&c[10], alloc);
  return c;
}

inline testing::Outcome Xcopy(TestLu& t, const XcopyList& l, NexusId n = UINT32_MAX) {
  auto bytes = l.Bytes();
  return t.Run(XcopyCdb(bytes.size()), bytes, n);
}

inline void Fill(TestLu& t, uint32_t lba, uint16_t blocks, uint8_t value) {
  ASSERT_TRUE(t.Run(testing::Write10(lba, blocks), std::vector<uint8_t>(blocks * 512u, value))
                  .result.good());
}

inline std::vector<uint8_t> ReadBack(TestLu& t, uint32_t lba, uint16_t blocks) {
  return t.Run(testing::Read10(lba, blocks)).data;
}

}  // namespace openstmf::scsi::testing

#endif  // OPENSTMF_TESTS_UNIT_SCSI_XCOPY_TEST_UTIL_H
