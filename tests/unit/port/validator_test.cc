#include "port/iscsi/validator.h"

#include <gtest/gtest.h>

#include "port/iscsi/pdu_initiator.h"
#include "port/iscsi/pdu_target.h"

namespace openstmf::iscsi {
namespace {

ValidatorOptions Ffp() {
  ValidatorOptions o;
  o.phase = Phase::kFullFeature;
  o.max_recv_data_segment_length = 262144;
  o.initial_r2t = false;
  return o;
}

template <typename T>
std::optional<PduError> Check(const T& pdu, const ValidatorOptions& o) {
  uint8_t bhs[kBhsSize];
  pdu.Encode(bhs);
  return ValidateHeader(bhs, {}, o);
}

TEST(ValidatorTest, AcceptsOrdinaryFullFeaturePdus) {
  ScsiCommand c;
  c.read = true;
  c.expected_data_transfer_length = 4096;
  EXPECT_FALSE(Check(c, Ffp()));
  NopOut n;
  n.itt = 1;
  EXPECT_FALSE(Check(n, Ffp()));
  TextRequest t;
  EXPECT_FALSE(Check(t, Ffp()));
  LogoutRequest l;
  EXPECT_FALSE(Check(l, Ffp()));
  DataOut d;
  EXPECT_FALSE(Check(d, Ffp()));
  TaskMgmtRequest m;
  m.function = 1;
  EXPECT_FALSE(Check(m, Ffp()));
}

TEST(ValidatorTest, OnlyLoginRequestsDuringLogin) {
  ValidatorOptions o;
  NopOut n;
  auto e = Check(n, o);
  ASSERT_TRUE(e);
  EXPECT_EQ(PduAction::kLoginReject, e->action);
  EXPECT_EQ(LoginStatus::kInvalidDuringLogin, e->login_status);
  LoginRequest l;
  EXPECT_FALSE(Check(l, o));
}

TEST(ValidatorTest, RejectsLoginWithTransitAndContinue) {
  LoginRequest l;
  l.transit = true;
  l.continue_ = true;
  auto e = Check(l, ValidatorOptions{});
  ASSERT_TRUE(e);
  EXPECT_EQ(LoginStatus::kInitiatorError, e->login_status);
}

TEST(ValidatorTest, RejectsReservedLoginStages) {
  LoginRequest l;
  l.csg = 2;
  EXPECT_TRUE(Check(l, ValidatorOptions{}));
  l.csg = 1;
  l.transit = true;
  l.nsg = 2;
  EXPECT_TRUE(Check(l, ValidatorOptions{}));
}

TEST(ValidatorTest, RejectsLoginTextOver8192Bytes) {
  LoginRequest l;
  l.data_segment_length = 8193;
  auto e = Check(l, ValidatorOptions{});
  ASSERT_TRUE(e);
  EXPECT_EQ(PduAction::kLoginReject, e->action);
}

TEST(ValidatorTest, RejectsLoginRequestInFullFeaturePhaseAsProtocolError) {
  LoginRequest l;
  auto e = Check(l, Ffp());
  ASSERT_TRUE(e);
  EXPECT_EQ(PduAction::kReject, e->action);
  EXPECT_EQ(RejectReason::kProtocolError, e->reason);
}

TEST(ValidatorTest, RejectsTargetAndUnknownOpcodesAsCommandNotSupported) {
  NopIn n;
  auto e = Check(n, Ffp());
  ASSERT_TRUE(e);
  EXPECT_EQ(RejectReason::kCommandNotSupported, e->reason);
  uint8_t bhs[kBhsSize] = {0x1c, 0x80};
  e = ValidateHeader(bhs, {}, Ffp());
  ASSERT_TRUE(e);
  EXPECT_EQ(RejectReason::kCommandNotSupported, e->reason);
}

TEST(ValidatorTest, DiscoverySessionAllowsOnlyTextLogoutAndNop) {
  ValidatorOptions o = Ffp();
  o.discovery = true;
  ScsiCommand c;
  auto e = Check(c, o);
  ASSERT_TRUE(e);
  EXPECT_EQ(RejectReason::kProtocolError, e->reason);
  EXPECT_FALSE(Check(TextRequest{}, o));
  EXPECT_FALSE(Check(LogoutRequest{}, o));
}

TEST(ValidatorTest, RejectsDataSegmentOverMaxRecvDataSegmentLength) {
  NopOut n;
  n.itt = 1;
  n.data_segment_length = 262145;
  auto e = Check(n, Ffp());
  ASSERT_TRUE(e);
  EXPECT_EQ(RejectReason::kProtocolError, e->reason);
}

TEST(ValidatorTest, RejectsImmediateDataWithoutWriteBit) {
  ScsiCommand c;
  c.read = true;
  c.expected_data_transfer_length = 512;
  c.data_segment_length = 512;
  auto e = Check(c, Ffp());
  ASSERT_TRUE(e);
  EXPECT_EQ(RejectReason::kInvalidPduField, e->reason);
}

TEST(ValidatorTest, EnforcesNegotiatedUnsolicitedDataLimits) {
  ScsiCommand c;
  c.write = true;
  c.expected_data_transfer_length = 1 << 20;
  c.data_segment_length = 8192;
  ValidatorOptions o = Ffp();
  o.immediate_data = false;
  EXPECT_EQ(RejectReason::kProtocolError, Check(c, o)->reason);
  o = Ffp();
  o.first_burst_length = 4096;
  EXPECT_EQ(RejectReason::kProtocolError, Check(c, o)->reason);
  c.data_segment_length = 0;
  c.final_bit = false;
  o = Ffp();
  o.initial_r2t = true;
  EXPECT_EQ(RejectReason::kProtocolError, Check(c, o)->reason);
}

TEST(ValidatorTest, RejectsReservedTaskAttribute) {
  ScsiCommand c;
  c.attr = 6;
  EXPECT_EQ(RejectReason::kProtocolError, Check(c, Ffp())->reason);
}

TEST(ValidatorTest, RejectsTextRequestWithFinalAndContinue) {
  TextRequest t;
  t.final_bit = true;
  t.continue_ = true;
  EXPECT_EQ(RejectReason::kProtocolError, Check(t, Ffp())->reason);
}

TEST(ValidatorTest, RejectsReservedLogoutReasonAndSnackType) {
  LogoutRequest l;
  l.reason = 3;
  EXPECT_EQ(RejectReason::kProtocolError, Check(l, Ffp())->reason);
  SnackRequest s;
  s.type = 4;
  EXPECT_EQ(RejectReason::kProtocolError, Check(s, Ffp())->reason);
}

TEST(ValidatorTest, RejectsDataSnackAtErrorRecoveryLevelZero) {
  SnackRequest s;
  s.type = static_cast<uint8_t>(SnackType::kDataR2t);
  EXPECT_EQ(RejectReason::kSnackReject, Check(s, Ffp())->reason);
  s.type = static_cast<uint8_t>(SnackType::kStatus);
  EXPECT_FALSE(Check(s, Ffp()));
  ValidatorOptions o = Ffp();
  o.error_recovery_level = 1;
  s.type = static_cast<uint8_t>(SnackType::kDataR2t);
  EXPECT_FALSE(Check(s, o));
}

TEST(ValidatorTest, RejectsNopOutWithReservedIttThatIsNotImmediate) {
  NopOut n;
  n.itt = kReservedTag;
  n.immediate = false;
  EXPECT_EQ(RejectReason::kProtocolError, Check(n, Ffp())->reason);
  n.immediate = true;
  EXPECT_FALSE(Check(n, Ffp()));
}

TEST(ValidatorTest, RejectsAhsOnPdusOtherThanScsiCommand) {
  uint8_t bhs[kBhsSize];
  NopOut n;
  n.itt = 1;
  n.Encode(bhs);
  bhs[4] = 1;
  const uint8_t ahs[4] = {};
  EXPECT_EQ(RejectReason::kInvalidPduField, ValidateHeader(bhs, ahs, Ffp())->reason);
}

TEST(ValidatorTest, IgnoresReservedFieldsUnlessStrict) {
  uint8_t bhs[kBhsSize];
  NopOut n;
  n.itt = 1;
  n.Encode(bhs);
  bhs[40] = 0xff;
  EXPECT_FALSE(ValidateHeader(bhs, {}, Ffp()));
  ValidatorOptions strict = Ffp();
  strict.strict_reserved = true;
  auto e = ValidateHeader(bhs, {}, strict);
  ASSERT_TRUE(e);
  EXPECT_EQ(RejectReason::kInvalidPduField, e->reason);
}

TEST(ValidatorTest, RejectsFinalBitMissingOnSingletonPdus) {
  uint8_t bhs[kBhsSize];
  TaskMgmtRequest m;
  m.function = 1;
  m.Encode(bhs);
  bhs[1] &= 0x7f;
  EXPECT_EQ(RejectReason::kInvalidPduField, ValidateHeader(bhs, {}, Ffp())->reason);
}

}  // namespace
}  // namespace openstmf::iscsi
