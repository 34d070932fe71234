#include "scsi/cdb.h"

#include <gtest/gtest.h>

#include "scsi/opcode_table.h"

namespace openstmf::scsi {
namespace {

TEST(CdbTest, LengthFollowsGroupCode) {
  EXPECT_EQ(CdbLengthForOpcode(0x08), 6u);
  EXPECT_EQ(CdbLengthForOpcode(0x28), 10u);
  EXPECT_EQ(CdbLengthForOpcode(0x5A), 10u);
  EXPECT_EQ(CdbLengthForOpcode(0x7F), 0u);
  EXPECT_EQ(CdbLengthForOpcode(0x88), 16u);
  EXPECT_EQ(CdbLengthForOpcode(0xA8), 12u);
  EXPECT_EQ(CdbLengthForOpcode(0xC0), 0u);
}

TEST(CdbTest, Read6ZeroLengthMeans256Blocks) {
  uint8_t b[6] = {0x08, 0x1F, 0xFF, 0xFF, 0, 0};
  Cdb c = DecodeCdb(CdbLayout::kRw6, b, 6, 0);
  EXPECT_EQ(c.lba, 0x1FFFFFu);
  EXPECT_EQ(c.blocks, 256u);
}

TEST(CdbTest, Rw10DecodesFlagsLbaAndLength) {
  uint8_t b[10] = {0x2A, 0x18, 0x12, 0x34, 0x56, 0x78, 0, 0x01, 0x00, 0};
  Cdb c = DecodeCdb(CdbLayout::kRw10, b, 10, 0);
  EXPECT_EQ(c.lba, 0x12345678u);
  EXPECT_EQ(c.blocks, 256u);
  EXPECT_TRUE(c.fua);
  EXPECT_TRUE(c.dpo);
}

TEST(CdbTest, Rw12AndRw16UseWideFields) {
  uint8_t b12[12] = {0xA8, 0, 0, 0, 0, 9, 0x00, 0x01, 0x00, 0x00, 0, 0};
  EXPECT_EQ(DecodeCdb(CdbLayout::kRw12, b12, 12, 0).blocks, 65536u);
  uint8_t b16[16] = {0x88, 0, 0x01, 0, 0, 0, 0, 0, 0, 0x05, 0, 0, 0, 8, 0, 0};
  Cdb c = DecodeCdb(CdbLayout::kRw16, b16, 16, 0);
  EXPECT_EQ(c.lba, (1ull << 56) | 5);
  EXPECT_EQ(c.blocks, 8u);
}

TEST(CdbTest, CompareAndWriteAndAtomicHaveTheirOwnLengthFields) {
  uint8_t caw[16] = {0x89, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 3, 0, 0};
  EXPECT_EQ(DecodeCdb(CdbLayout::kCompareWrite, caw, 16, 0).blocks, 3u);
  uint8_t atomic[16] = {0x9C, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0x01, 0x02, 0, 0};
  EXPECT_EQ(DecodeCdb(CdbLayout::kAtomic16, atomic, 16, 0).blocks, 0x102u);
}

TEST(CdbTest, CdbFieldStopsAtTheCdbEnd) {
  uint8_t b[6] = {0x12, 0, 0, 0x01, 0x02, 0};
  Cdb c = DecodeCdb(CdbLayout::kNone, b, 6, 0);
  EXPECT_EQ(CdbField(c, 3, 2), 0x0102u);
  EXPECT_EQ(CdbField(c, 5, 4), 0u);
}

TEST(OpcodeTableTest, EntriesAgreeWithGroupCodeLengthAndUsageOpcode) {
  for (const OpcodeEntry& e : OpcodeTable()) {
    EXPECT_EQ(e.cdb_length, CdbLengthForOpcode(e.opcode)) << e.name;
    EXPECT_EQ(e.usage[0], e.opcode) << e.name;
    EXPECT_NE(e.handler, nullptr) << e.name;
    EXPECT_EQ(e.has_service_action, OpcodeHasServiceAction(e.opcode)) << e.name;
  }
}

TEST(OpcodeTableTest, FindsServiceActionsAndTellsUnknownOnesApart) {
  bool known = false;
  const OpcodeEntry* e = FindOpcode(0x9E, 0x10, &known);
  ASSERT_NE(e, nullptr);
  EXPECT_STREQ(e->name, "READ CAPACITY(16)");
  EXPECT_EQ(FindOpcode(0x9E, 0x11, &known), nullptr);
  EXPECT_TRUE(known);
  EXPECT_EQ(FindOpcode(0xC7, 0, &known), nullptr);
  EXPECT_FALSE(known);
}

}  // namespace
}  // namespace openstmf::scsi
