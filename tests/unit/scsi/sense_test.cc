#include "scsi/sense.h"

#include <gtest/gtest.h>

namespace openstmf::scsi {
namespace {

TEST(SenseTest, InvalidFieldInCdbCarriesBitPointerInFixedFormat) {
  ScsiResult r = InvalidFieldInCdb(9, 2);
  uint8_t buf[kMaxSenseLength];
  ASSERT_EQ(BuildSense(r, SenseFormat::kFixed, buf), 18u);
  EXPECT_EQ(buf[0], 0x70);
  EXPECT_EQ(buf[2], 0x05);
  EXPECT_EQ(buf[7], 10);
  EXPECT_EQ(buf[12], 0x24);
  EXPECT_EQ(buf[13], 0x00);
  EXPECT_EQ(buf[15], 0x80 | 0x40 | 0x08 | 0x02);  // SKSV, C/D, BPV, bit 2
  EXPECT_EQ(buf[16], 0);
  EXPECT_EQ(buf[17], 9);
}

TEST(SenseTest, ParameterListPointerClearsCommandDataBit) {
  ScsiResult r = InvalidFieldInParameterList(300);
  uint8_t buf[kMaxSenseLength];
  BuildSense(r, SenseFormat::kFixed, buf);
  EXPECT_EQ(buf[12], 0x26);
  EXPECT_EQ(buf[15], 0x80);
  EXPECT_EQ(buf[16], 0x01);
  EXPECT_EQ(buf[17], 0x2C);
}

TEST(SenseTest, DescriptorFormatHasInformationAndSenseKeySpecificDescriptors) {
  ScsiResult r = Miscompare(0x123456789ull);
  r.field = InvalidFieldInCdb(1).field;
  uint8_t buf[kMaxSenseLength];
  size_t n = BuildSense(r, SenseFormat::kDescriptor, buf);
  ASSERT_EQ(n, 28u);
  EXPECT_EQ(buf[0], 0x72);
  EXPECT_EQ(buf[1], 0x0E);
  EXPECT_EQ(buf[2], 0x1D);
  EXPECT_EQ(buf[7], 20);
  EXPECT_EQ(buf[8], 0x00);
  EXPECT_EQ(buf[9], 0x0A);
  EXPECT_EQ(buf[10], 0x80);
  EXPECT_EQ(buf[15], 0x01);
  EXPECT_EQ(buf[19], 0x89);
  EXPECT_EQ(buf[20], 0x02);
}

TEST(SenseTest, FixedFormatDropsInformationThatDoesNotFit) {
  uint8_t buf[kMaxSenseLength];
  BuildSense(Miscompare(1ull << 40), SenseFormat::kFixed, buf);
  EXPECT_EQ(buf[0], 0x70);
  BuildSense(Miscompare(77), SenseFormat::kFixed, buf);
  EXPECT_EQ(buf[0], 0xF0);
  EXPECT_EQ(buf[6], 77);
}

TEST(SenseTest, GoodResultHasNoSense) {
  uint8_t buf[kMaxSenseLength];
  EXPECT_EQ(BuildSense(Good(), SenseFormat::kFixed, buf), 0u);
  EXPECT_EQ(BuildSense(ReservationConflict(), SenseFormat::kFixed, buf), 0u);
}

TEST(SenseTest, EveryNamedConditionMapsToItsTriple) {
  EXPECT_EQ(SenseFor(Asc::kLbaOutOfRange).asc_ascq(), 0x2100);
  EXPECT_EQ(SenseFor(Asc::kNotReadyAluaStandby).key, SenseKey::kNotReady);
  EXPECT_EQ(SenseFor(Asc::kNotReadyAluaStandby).asc_ascq(), 0x040B);
  EXPECT_EQ(SenseFor(Asc::kWriteProtected).key, SenseKey::kDataProtect);
  EXPECT_EQ(SenseFor(Asc::kReportedLunsDataChanged).asc_ascq(), 0x3F0E);
  EXPECT_EQ(SenseFor(Asc::kCapacityDataChanged).asc_ascq(), 0x2A09);
  EXPECT_EQ(SenseFor(Asc::kInvalidReleaseOfPersistentReservation).asc_ascq(), 0x2604);
}

TEST(SenseTest, SmallBufferGetsNothingRatherThanATruncatedHeader) {
  uint8_t buf[8];
  EXPECT_EQ(BuildSense(SenseFor(Asc::kLbaOutOfRange), SenseFormat::kFixed, buf), 0u);
}

}  // namespace
}  // namespace openstmf::scsi
