#include <gtest/gtest.h>

#include <cstring>

#include "base/crc32c.h"
#include "port/iscsi/ahs.h"
#include "port/iscsi/pdu_initiator.h"
#include "port/iscsi/pdu_target.h"
#include "port/iscsi/status_codes.h"
#include "port/iscsi/tx_frame.h"

namespace openstmf::iscsi {
namespace {

template <typename T>
T RoundTrip(const T& in, uint8_t* bhs) {
  in.Encode(bhs);
  return T::Decode(bhs);
}

TEST(PduCodecTest, ScsiCommandRoundTripsEveryField) {
  ScsiCommand c;
  c.immediate = true;
  c.final_bit = false;
  c.read = true;
  c.write = true;
  c.attr = static_cast<uint8_t>(TaskAttr::kOrdered);
  c.total_ahs_words = 2;
  c.data_segment_length = 0x123456;
  c.lun = 0x0001000000000000ULL;
  c.itt = 0xdeadbeef;
  c.expected_data_transfer_length = 1 << 20;
  c.cmd_sn = 7;
  c.exp_stat_sn = 9;
  for (int i = 0; i < 16; ++i) c.cdb[i] = static_cast<uint8_t>(0xa0 + i);
  uint8_t bhs[kBhsSize];
  const ScsiCommand d = RoundTrip(c, bhs);
  EXPECT_EQ(0x41, bhs[0]);
  EXPECT_EQ(0x62, bhs[1]);  // R, W, ORDERED; F clear
  EXPECT_TRUE(d.immediate);
  EXPECT_FALSE(d.final_bit);
  EXPECT_TRUE(d.read && d.write);
  EXPECT_EQ(c.attr, d.attr);
  EXPECT_EQ(2, d.total_ahs_words);
  EXPECT_EQ(0x123456U, d.data_segment_length);
  EXPECT_EQ(c.lun, d.lun);
  EXPECT_EQ(c.itt, d.itt);
  EXPECT_EQ(c.expected_data_transfer_length, d.expected_data_transfer_length);
  EXPECT_EQ(7U, d.cmd_sn);
  EXPECT_EQ(9U, d.exp_stat_sn);
  EXPECT_EQ(c.cdb, d.cdb);
}

TEST(PduCodecTest, DecodesRfc3720Read10ExampleHeader) {
  // The READ(10) PDU of RFC 3720 Appendix B.4.
  const uint8_t pdu[48] = {0x01, 0xc0, 0, 0, 0, 0, 0, 0, 0,    0, 0, 0,    0, 0, 0, 0,
                           0x14, 0,    0, 0, 0, 0, 4, 0, 0,    0, 0, 0x14, 0, 0, 0, 0x18,
                           0x28, 0,    0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0,    0, 0, 0, 0};
  const ScsiCommand c = ScsiCommand::Decode(pdu);
  EXPECT_TRUE(c.final_bit);
  EXPECT_TRUE(c.read);
  EXPECT_FALSE(c.write);
  EXPECT_EQ(0x14000000U, c.itt);
  EXPECT_EQ(0x400U, c.expected_data_transfer_length);
  EXPECT_EQ(0x14U, c.cmd_sn);
  EXPECT_EQ(0x18U, c.exp_stat_sn);
  EXPECT_EQ(0x28, c.cdb[0]);
}

TEST(PduCodecTest, LoginRequestRoundTripsIsidTsihAndStages) {
  LoginRequest l;
  l.transit = true;
  l.csg = 1;
  l.nsg = 3;
  l.isid = 0x23d000000001ULL;
  l.tsih = 0x1234;
  l.itt = 5;
  l.cid = 0xbeef;
  l.cmd_sn = 100;
  l.exp_stat_sn = 200;
  l.data_segment_length = 77;
  uint8_t bhs[kBhsSize];
  const LoginRequest d = RoundTrip(l, bhs);
  EXPECT_EQ(0x43, bhs[0]);  // I bit always set
  EXPECT_EQ(0x87, bhs[1]);
  EXPECT_EQ(0x23, bhs[8]);
  EXPECT_EQ(0xd0, bhs[9]);
  EXPECT_EQ(l.isid, d.isid);
  EXPECT_EQ(l.tsih, d.tsih);
  EXPECT_EQ(l.cid, d.cid);
  EXPECT_TRUE(d.transit);
  EXPECT_EQ(1, d.csg);
  EXPECT_EQ(3, d.nsg);
  EXPECT_EQ(77U, d.data_segment_length);
}

TEST(PduCodecTest, InitiatorPdusRoundTrip) {
  uint8_t bhs[kBhsSize];
  NopOut n{true, 4, 3, 1, 2, 10, 11};
  const NopOut nd = RoundTrip(n, bhs);
  EXPECT_EQ(0x80, bhs[1]);
  EXPECT_EQ(n.ttt, nd.ttt);
  EXPECT_EQ(n.exp_stat_sn, nd.exp_stat_sn);

  TaskMgmtRequest t{false, static_cast<uint8_t>(TmfFunction::kAbortTask), 1, 2, 3, 4, 5, 6, 7};
  const TaskMgmtRequest td = RoundTrip(t, bhs);
  EXPECT_EQ(0x81, bhs[1]);
  EXPECT_EQ(t.referenced_task_tag, td.referenced_task_tag);
  EXPECT_EQ(t.ref_cmd_sn, td.ref_cmd_sn);
  EXPECT_EQ(t.exp_data_sn, td.exp_data_sn);

  TextRequest x{true, false, true, 10, 0, 8, 9, 1, 2};
  const TextRequest xd = RoundTrip(x, bhs);
  EXPECT_EQ(0x40, bhs[1]);
  EXPECT_TRUE(xd.continue_);
  EXPECT_FALSE(xd.final_bit);

  DataOut o{true, 512, 1, 2, 3, 4, 5, 4096};
  const DataOut od = RoundTrip(o, bhs);
  EXPECT_EQ(o.data_sn, od.data_sn);
  EXPECT_EQ(o.buffer_offset, od.buffer_offset);

  LogoutRequest l{true, 1, 2, 3, 4, 5};
  const LogoutRequest ld = RoundTrip(l, bhs);
  EXPECT_EQ(0x81, bhs[1]);
  EXPECT_EQ(3, ld.cid);

  SnackRequest s{static_cast<uint8_t>(SnackType::kStatus), 0, 1, 2, 3, 4, 5};
  const SnackRequest sd = RoundTrip(s, bhs);
  EXPECT_EQ(0x81, bhs[1]);
  EXPECT_EQ(4U, sd.beg_run);
  EXPECT_EQ(5U, sd.run_length);
}

TEST(PduCodecTest, TargetPdusRoundTrip) {
  uint8_t bhs[kBhsSize];
  const TargetSn sn{10, 20, 52};

  ScsiResponse r;
  r.underflow = true;
  r.status = 0x02;
  r.data_segment_length = 20;
  r.itt = 9;
  r.sn = sn;
  r.residual_count = 512;
  const ScsiResponse rd = RoundTrip(r, bhs);
  EXPECT_EQ(0x21, bhs[0]);
  EXPECT_EQ(0x82, bhs[1]);
  EXPECT_EQ(0x02, bhs[3]);
  EXPECT_TRUE(rd.underflow);
  EXPECT_EQ(52U, rd.sn.max_cmd_sn);
  EXPECT_EQ(512U, rd.residual_count);

  DataIn d;
  d.status_present = true;
  d.status = 0;
  d.data_segment_length = 4096;
  d.itt = 1;
  d.sn = sn;
  d.data_sn = 3;
  d.buffer_offset = 12288;
  const DataIn dd = RoundTrip(d, bhs);
  EXPECT_EQ(0x81, bhs[1]);  // S implies F
  EXPECT_TRUE(dd.final_bit);
  EXPECT_EQ(10U, dd.sn.stat_sn);

  DataIn partial;
  partial.sn = sn;
  partial.data_sn = 1;
  const DataIn pd = RoundTrip(partial, bhs);
  EXPECT_EQ(0U, pd.sn.stat_sn);  // reserved without S
  EXPECT_EQ(20U, pd.sn.exp_cmd_sn);

  R2t t{0, 5, 77, sn, 2, 65536, 262144};
  const R2t td = RoundTrip(t, bhs);
  EXPECT_EQ(0x31, bhs[0]);
  EXPECT_EQ(77U, td.ttt);
  EXPECT_EQ(262144U, td.desired_data_transfer_length);

  LoginResponse l;
  l.transit = true;
  l.csg = 1;
  l.nsg = 3;
  l.isid = 0x400001370000ULL;
  l.tsih = 3;
  l.sn = sn;
  l.status_class = 2;
  l.status_detail = 3;
  const LoginResponse ld = RoundTrip(l, bhs);
  EXPECT_EQ(l.isid, ld.isid);
  EXPECT_EQ(2, ld.status_class);
  EXPECT_EQ(3, ld.status_detail);

  LogoutResponse lo{0, 4, sn, 2, 20};
  const LogoutResponse lod = RoundTrip(lo, bhs);
  EXPECT_EQ(20, lod.time2retain);

  AsyncMessage a{0, 1, sn, 1, 0, 0, 2, 20};
  const AsyncMessage ad = RoundTrip(a, bhs);
  EXPECT_EQ(kReservedTag, BhsView(bhs).itt());
  EXPECT_EQ(1, ad.event);
  EXPECT_EQ(20, ad.parameter3);

  Reject j{static_cast<uint8_t>(RejectReason::kInvalidPduField), kBhsSize, sn, 0};
  const Reject jd = RoundTrip(j, bhs);
  EXPECT_EQ(0x09, bhs[2]);
  EXPECT_EQ(kBhsSize, jd.data_segment_length);

  NopIn n{0, 0, kReservedTag, 0x1000, sn};
  EXPECT_EQ(0x1000U, RoundTrip(n, bhs).ttt);
  TaskMgmtResponse m{static_cast<uint8_t>(TmfResponse::kTaskDoesNotExist), 3, sn};
  EXPECT_EQ(1, RoundTrip(m, bhs).response);
  TextResponse x{false, true, 100, 0, 1, 0x55, sn};
  EXPECT_TRUE(RoundTrip(x, bhs).continue_);
}

TEST(PduCodecTest, ExtendedCdbAhsRoundTrips) {
  uint8_t cdb[32];
  for (int i = 0; i < 32; ++i) cdb[i] = static_cast<uint8_t>(i + 1);
  uint8_t ahs[64];
  const size_t n = EncodeExtendedCdbAhs(cdb, sizeof(cdb), ahs);
  EXPECT_EQ(20U, n);  // 3 + 17 rounded to 4
  EXPECT_EQ(17, GetBe16(ahs));
  size_t n2 = EncodeBidiReadLengthAhs(4096, ahs + n);
  AhsInfo info;
  const char* err = "";
  ASSERT_TRUE(ParseAhs(std::span<const uint8_t>(ahs, n + n2), &info, &err)) << err;
  ASSERT_EQ(16U, info.extended_cdb.size());
  EXPECT_TRUE(info.has_bidi_read_length);
  EXPECT_EQ(4096U, info.bidi_read_length);

  uint8_t bhs[kBhsSize] = {};
  std::memcpy(bhs + 32, cdb, 16);
  uint8_t full[kMaxCdbLength];
  ASSERT_EQ(32U, AssembleCdb(bhs, info, full));
  EXPECT_EQ(0, std::memcmp(full, cdb, 32));
}

TEST(PduCodecTest, RejectsTruncatedAndUnknownAhs) {
  AhsInfo info;
  const char* err = "";
  const uint8_t truncated[4] = {0, 9, 1, 0};
  EXPECT_FALSE(ParseAhs(truncated, &info, &err));
  const uint8_t unknown[8] = {0, 5, 9, 0, 0, 0, 0, 0};
  EXPECT_FALSE(ParseAhs(unknown, &info, &err));
  uint8_t twice[16];
  EncodeBidiReadLengthAhs(1, twice);
  EncodeBidiReadLengthAhs(2, twice + 8);
  EXPECT_FALSE(ParseAhs(twice, &info, &err));
}

TEST(PduCodecTest, TxFrameAddsPaddingAndDigestsAroundCallerData) {
  uint8_t header[kBhsSize + kDigestSize];
  DataIn d;
  d.data_segment_length = 5;
  d.Encode(header);
  char a[] = "ab";
  char b[] = "cde";
  const iovec data[] = {{a, 2}, {b, 3}};
  TxFrame frame;
  ASSERT_TRUE(frame.Build(header, 0, data, 2, {true, true}));
  ASSERT_EQ(4, frame.iovcnt());
  EXPECT_EQ(a, frame.iov()[1].iov_base);  // data is not copied
  EXPECT_EQ(b, frame.iov()[2].iov_base);
  EXPECT_EQ(kBhsSize + 4 + 5 + 3 + 4, frame.size());
  EXPECT_EQ(crc32c::Value(header, kBhsSize), crc32c::LoadDigest(header + kBhsSize));
  const auto* trailer = static_cast<const uint8_t*>(frame.iov()[3].iov_base);
  const uint8_t padded[8] = {'a', 'b', 'c', 'd', 'e', 0, 0, 0};
  EXPECT_EQ(crc32c::Value(padded, 8), crc32c::LoadDigest(trailer + 3));
}

TEST(PduCodecTest, TxFrameRefusesDataLengthMismatch) {
  uint8_t header[kBhsSize + kDigestSize];
  DataIn d;
  d.data_segment_length = 6;
  d.Encode(header);
  char a[] = "abc";
  const iovec data[] = {{a, 3}};
  TxFrame frame;
  EXPECT_FALSE(frame.Build(header, 0, data, 1, {}));
}

TEST(PduCodecTest, TxFrameWithoutDataHasNoDataDigest) {
  uint8_t header[kBhsSize + kDigestSize];
  NopIn n;
  n.Encode(header);
  TxFrame frame;
  ASSERT_TRUE(frame.Build(header, 0, nullptr, 0, {true, true}));
  EXPECT_EQ(1, frame.iovcnt());
  EXPECT_EQ(kBhsSize + kDigestSize, frame.size());
}

TEST(PduCodecTest, OpcodeTablesNameEveryOpcode) {
  for (uint8_t op : {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x10}) {
    EXPECT_TRUE(IsInitiatorOpcode(op));
    EXPECT_NE("unknown", OpcodeName(op));
  }
  for (uint8_t op : {0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x31, 0x32, 0x3f}) {
    EXPECT_TRUE(IsTargetOpcode(op));
    EXPECT_FALSE(IsInitiatorOpcode(op));
    EXPECT_NE("unknown", OpcodeName(op));
  }
  EXPECT_EQ("unknown", OpcodeName(0x1c));
}

}  // namespace
}  // namespace openstmf::iscsi
