#include "ha/proxy_msg.h"

#include <gtest/gtest.h>

namespace openstmf::ha {
namespace {

ProxyMsg Cmd() {
  ProxyMsg m;
  m.type = MsgType::kScsiCmd;
  m.msgid = 77;
  m.session_id = 5;
  m.guid = {0x60, 0x01, 0x44, 0xf0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  m.initiator = "iqn.1994-05.com.redhat:client";
  m.port = "iqn.2026-11.org.openstmf:default";
  m.lun = {0, 1, 0, 0, 0, 0, 0, 0};
  m.expected_length = 4096;
  m.flags = kCmdWrite;
  m.cdb = {0x2a, 0, 0, 0, 0, 8, 0, 0, 8, 0};
  m.data.assign(4096, 0xab);
  return m;
}

TEST(ProxyMsgTest, EveryTypeRoundTrips) {
  for (uint8_t t = 0; t < kMsgTypeCount; ++t) {
    ProxyMsg m = Cmd();
    m.type = static_cast<MsgType>(t);
    auto d = Decode(Encode(m));
    ASSERT_TRUE(d.ok()) << MsgTypeName(m.type) << ": " << d.status().ToString();
    EXPECT_EQ(d->type, m.type);
    EXPECT_EQ(d->msgid, 77u);
    EXPECT_EQ(Encode(*d), Encode(m)) << MsgTypeName(m.type);
  }
  auto d = Decode(Encode(Cmd()));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, Cmd());
}

TEST(ProxyMsgTest, HeadThenDataIsTheWholeMessage) {
  // Every type that carries a blob: the head plus the blob's bytes is exactly
  // what Encode() writes, and types without one ignore data_size.
  for (uint8_t t = 0; t < kMsgTypeCount; ++t) {
    ProxyMsg m = Cmd();
    m.type = static_cast<MsgType>(t);
    std::vector<uint8_t> whole = Encode(m);
    std::vector<uint8_t> head;
    EncodeHead(m, m.data.size(), head);
    if (head.size() != whole.size()) head.insert(head.end(), m.data.begin(), m.data.end());
    EXPECT_EQ(head, whole) << MsgTypeName(m.type);
  }
  // The data need not be in the message at all.
  ProxyMsg status;
  status.type = MsgType::kScsiStatus;
  status.msgid = 9;
  status.sense = {0x70, 0, 5};
  std::vector<uint8_t> data(512, 0x3c);
  std::vector<uint8_t> bytes;
  EncodeHead(status, data.size(), bytes);
  bytes.insert(bytes.end(), data.begin(), data.end());
  auto d = Decode(bytes);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->data, data);
  EXPECT_EQ(d->sense, status.sense);
}

TEST(ProxyMsgTest, TypesKeepComstarNumbers) {
  // illumos pppt_ic_if.h: stmf_ic_msg_type_t.
  EXPECT_EQ(static_cast<int>(MsgType::kScsiCmd), 4);
  EXPECT_EQ(static_cast<int>(MsgType::kStatus), 9);
  EXPECT_EQ(static_cast<int>(MsgType::kLunActive), 14);
  EXPECT_STREQ(MsgTypeName(MsgType::kLunActive), "LUN_ACTIVE");
}

TEST(ProxyMsgTest, RefusesMalformed) {
  std::vector<uint8_t> good = Encode(Cmd());
  for (size_t n = 0; n < good.size(); n += 7) {
    auto r = Decode({good.data(), n});
    EXPECT_FALSE(r.ok()) << n;
  }
  std::vector<uint8_t> trailing = good;
  trailing.push_back(0);
  EXPECT_FALSE(Decode(trailing).ok());
  std::vector<uint8_t> v2 = good;
  v2[0] = 2;
  EXPECT_NE(Decode(v2).status().message().find("version"), std::string::npos);
  std::vector<uint8_t> unknown = good;
  unknown[1] = kMsgTypeCount;
  EXPECT_NE(Decode(unknown).status().message().find("unknown type"), std::string::npos);

  ProxyMsg no_cdb = Cmd();
  no_cdb.cdb.clear();
  EXPECT_FALSE(Decode(Encode(no_cdb)).ok());
  ProxyMsg long_cdb = Cmd();
  long_cdb.cdb.assign(kMaxCdb + 1, 0);
  EXPECT_FALSE(Decode(Encode(long_cdb)).ok());
  ProxyMsg long_sense;
  long_sense.type = MsgType::kScsiStatus;
  long_sense.sense.assign(kMaxSense + 1, 0x70);
  EXPECT_FALSE(Decode(Encode(long_sense)).ok());
}

TEST(ProxyMsgTest, HugeBlobLengthIsRefusedWithoutAllocating) {
  ProxyMsg e;
  e.type = MsgType::kEchoRequest;
  std::vector<uint8_t> b = Encode(e);
  // Blob length field follows the 12-byte header.
  b[12] = 0xff;
  b[13] = 0xff;
  b[14] = 0xff;
  b[15] = 0xff;
  EXPECT_FALSE(Decode(b).ok());
}

TEST(ProxyMsgTest, BatchesDecodeInOrderAndRefuseABadMember) {
  ProxyMsg a = Cmd();
  ProxyMsg b;
  b.type = MsgType::kScsiStatus;
  b.msgid = 78;
  b.guid = a.guid;
  b.data = {1, 2, 3};
  b.scsi_status = 2;
  b.sense = {0x70, 0, 2, 0, 0, 0, 0, 10, 0, 0, 0, 0, 4, 0x0b};
  std::vector<uint8_t> batch = Encode(a);
  Encode(b, batch);
  auto both = DecodeBatch(batch);
  ASSERT_TRUE(both.ok()) << both.status().ToString();
  ASSERT_EQ(both->size(), 2u);
  EXPECT_EQ((*both)[0], a);
  EXPECT_EQ((*both)[1], b);
  size_t used = 0;
  auto first = DecodeNext(batch, &used);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(used, Encode(a).size());
  // One message is not a batch for Decode, and garbage after a good message
  // fails the whole batch, naming the member.
  EXPECT_FALSE(Decode(batch).ok());
  std::vector<uint8_t> bad = Encode(a);
  bad.push_back(0x01);
  auto r = DecodeBatch(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("message 2 of a batch"), std::string::npos);
  EXPECT_FALSE(DecodeBatch({}).ok());

  // In place: the same messages, each data blob left where it is in the batch.
  auto views = DecodeBatchInPlace(batch);
  ASSERT_TRUE(views.ok()) << views.status().ToString();
  ASSERT_EQ(views->size(), 2u);
  EXPECT_TRUE((*views)[1].msg.data.empty());
  EXPECT_EQ((*views)[1].data.data(), batch.data() + batch.size() - 3);
  EXPECT_EQ(std::vector<uint8_t>((*views)[1].data.begin(), (*views)[1].data.end()), b.data);
  ProxyMsg a_again = (*views)[0].msg;
  a_again.data.assign((*views)[0].data.begin(), (*views)[0].data.end());
  EXPECT_EQ(a_again, a);
  auto bad_views = DecodeBatchInPlace(bad);
  ASSERT_FALSE(bad_views.ok());
  EXPECT_NE(bad_views.status().message().find("message 2 of a batch"), std::string::npos);
}

}  // namespace
}  // namespace openstmf::ha
