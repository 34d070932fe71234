#include "port/iscsi/framer.h"

#include <gtest/gtest.h>

#include <string>

#include "port/iscsi/pdu_initiator.h"
#include "wire_util.h"

namespace openstmf::iscsi {
namespace {

using testing::Header;
using testing::Wire;

FramerConfig FullFeature(DigestConfig digests = {}) {
  FramerConfig c;
  c.digests = digests;
  c.validation.phase = Phase::kFullFeature;
  c.validation.max_recv_data_segment_length = 262144;
  c.validation.initial_r2t = false;
  return c;
}

std::vector<uint8_t> WriteCommand(std::string_view immediate_data) {
  ScsiCommand c;
  c.write = true;
  c.itt = 1;
  c.expected_data_transfer_length = 4096;
  c.cdb[0] = 0x2a;
  return Wire(Header(c), immediate_data);
}

TEST(FramerTest, YieldsPduWithSpansIntoTheBuffer) {
  const auto wire = WriteCommand("hello");
  Framer f(FullFeature());
  const FrameResult r = f.Next(wire);
  ASSERT_EQ(FrameStatus::kPdu, r.status);
  EXPECT_EQ(wire.size(), r.length);
  EXPECT_EQ(kBhsSize + 8, r.length);  // 5 bytes + 3 padding
  EXPECT_EQ(wire.data(), r.pdu.bhs);
  EXPECT_EQ(wire.data() + kBhsSize, r.pdu.data.data());
  EXPECT_EQ("hello", std::string(r.pdu.data.begin(), r.pdu.data.end()));
  EXPECT_EQ(static_cast<uint8_t>(Opcode::kScsiCommand), r.pdu.opcode());
}

TEST(FramerTest, AsksForTheBytesItNeeds) {
  const auto wire = WriteCommand("hello");
  Framer f(FullFeature());
  FrameResult r = f.Next(std::span<const uint8_t>(wire.data(), 10));
  EXPECT_EQ(FrameStatus::kNeedMore, r.status);
  EXPECT_EQ(kBhsSize, r.length);
  r = f.Next(std::span<const uint8_t>(wire.data(), kBhsSize));
  EXPECT_EQ(FrameStatus::kNeedMore, r.status);
  EXPECT_EQ(wire.size(), r.length);
}

TEST(FramerTest, YieldsPduSplitAcrossReadsByteByByte) {
  for (DigestConfig d : {DigestConfig{}, DigestConfig{true, true}}) {
    ScsiCommand c;
    c.write = true;
    c.itt = 1;
    c.expected_data_transfer_length = 4096;
    const auto wire = Wire(Header(c), "abcdefg", d);
    Framer f(FullFeature(d));
    for (size_t n = 0; n < wire.size(); ++n) {
      ASSERT_EQ(FrameStatus::kNeedMore, f.Next(std::span<const uint8_t>(wire.data(), n)).status)
          << n;
    }
    const FrameResult r = f.Next(wire);
    ASSERT_EQ(FrameStatus::kPdu, r.status);
    EXPECT_EQ("abcdefg", std::string(r.pdu.data.begin(), r.pdu.data.end()));
  }
}

TEST(FramerTest, FramesBackToBackPdusInOneBuffer) {
  auto wire = WriteCommand("a");
  NopOut n;
  n.itt = 2;
  n.immediate = true;
  const auto nop = Wire(Header(n), "ping");
  wire.insert(wire.end(), nop.begin(), nop.end());
  Framer f(FullFeature());
  std::span<const uint8_t> buf(wire);
  FrameResult r = f.Next(buf);
  ASSERT_EQ(FrameStatus::kPdu, r.status);
  buf = buf.subspan(r.length);
  r = f.Next(buf);
  ASSERT_EQ(FrameStatus::kPdu, r.status);
  EXPECT_EQ(static_cast<uint8_t>(Opcode::kNopOut), r.pdu.opcode());
  EXPECT_EQ(buf.size(), r.length);
}

TEST(FramerTest, ChecksHeaderAndDataDigests) {
  const DigestConfig d{true, true};
  ScsiCommand c;
  c.write = true;
  c.expected_data_transfer_length = 100;
  const auto good = Wire(Header(c), "data", d);
  Framer f(FullFeature(d));
  EXPECT_EQ(FrameStatus::kPdu, f.Next(good).status);

  auto bad_header = good;
  bad_header[20] ^= 1;
  FrameResult r = f.Next(bad_header);
  ASSERT_EQ(FrameStatus::kError, r.status);
  EXPECT_EQ(PduAction::kDropConnection, r.error.action);

  Framer f2(FullFeature(d));
  auto bad_data = good;
  bad_data[kBhsSize + kDigestSize + 1] ^= 1;
  r = f2.Next(bad_data);
  ASSERT_EQ(FrameStatus::kError, r.status);
  EXPECT_EQ(PduAction::kReject, r.error.action);
  EXPECT_EQ(RejectReason::kDataDigestError, r.error.reason);
  EXPECT_EQ(bad_data.size(), r.length);  // skip the PDU and continue
}

TEST(FramerTest, RefusesOversizedDataSegmentBeforeItArrives) {
  ScsiCommand c;
  c.write = true;
  c.expected_data_transfer_length = 1 << 20;
  auto h = Header(c);
  SetSegmentLengths(h.data(), 0, 300000);
  Framer f(FullFeature());
  const FrameResult r = f.Next(h);  // header only
  ASSERT_EQ(FrameStatus::kError, r.status);
  EXPECT_EQ(RejectReason::kProtocolError, r.error.reason);
  EXPECT_EQ(kBhsSize + 300000U, r.length);
}

TEST(FramerTest, ExposesAhsOfExtendedCdbCommand) {
  ScsiCommand c;
  c.read = true;
  c.total_ahs_words = 2;
  c.expected_data_transfer_length = 512;
  auto h = Header(c);
  const uint8_t ahs[8] = {0, 5, 2, 0, 0, 0, 2, 0};
  h.insert(h.end(), ahs, ahs + 8);
  const auto wire = Wire(h, "");
  Framer f(FullFeature());
  const FrameResult r = f.Next(wire);
  ASSERT_EQ(FrameStatus::kPdu, r.status);
  EXPECT_EQ(8U, r.pdu.ahs.size());
  EXPECT_TRUE(r.pdu.data.empty());
}

TEST(FramerTest, ReconfigureSwitchesDigestsForTheNextPdu) {
  LoginRequest l;
  l.transit = true;
  l.csg = 1;
  l.nsg = 3;
  const auto login = Wire(Header(l), std::string("InitiatorName=iqn.x\0", 20));
  Framer f(FramerConfig{});
  ASSERT_EQ(FrameStatus::kPdu, f.Next(login).status);
  f.Reconfigure(FullFeature({true, false}));
  NopOut n;
  n.itt = 3;
  const auto nop = Wire(Header(n), "", {true, false});
  EXPECT_EQ(FrameStatus::kPdu, f.Next(nop).status);
}

}  // namespace
}  // namespace openstmf::iscsi
