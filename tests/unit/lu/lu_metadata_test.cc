#include "lu/sbd/lu_metadata.h"

#include <gtest/gtest.h>

#include "base/byte_order.h"
#include "base/crc32c.h"

namespace openstmf::lu {
namespace {

LuMetadata Sample() {
  LuMetadata md;
  for (int i = 0; i < 16; ++i) md.guid[i] = static_cast<uint8_t>(0x60 + i);
  md.lu_size = 1ull << 30;
  md.block_size = 4096;
  md.data_offset = 1 << 20;
  md.alias = "db01";
  md.vendor = "OPENSTMF";
  md.product = "sbd disk";
  md.revision = "0001";
  md.serial = "600144f0-0001";
  md.mgmt_url = "https://node1/lu";
  md.write_protect = true;
  md.removable = true;
  md.pr_state = {1, 2, 3, 4, 5};
  md.lease = {1, 7, 123456789};
  md.created_unix_ms = 1700000000000;
  return md;
}

// Recomputes the header checksum after a test edits a record.
void Reseal(std::vector<uint8_t>* rec) {
  PutBe32(rec->data() + 24, 0);
  PutBe32(rec->data() + 24, crc32c::Value(rec->data(), rec->size()));
}

void AppendField(std::vector<uint8_t>* rec, uint16_t tag, std::vector<uint8_t> value) {
  uint8_t h[6];
  PutBe16(h, tag);
  PutBe32(h + 2, static_cast<uint32_t>(value.size()));
  rec->insert(rec->end(), h, h + 6);
  rec->insert(rec->end(), value.begin(), value.end());
  PutBe32(rec->data() + 12, static_cast<uint32_t>(rec->size() - kMetadataHeaderSize));
  Reseal(rec);
}

std::string DecodeError(const std::vector<uint8_t>& rec) {
  auto d = DecodeMetadata(rec);
  EXPECT_FALSE(d.ok());
  if (d.ok()) return "";
  EXPECT_EQ(d.status().code(), Code::kCorrupt);
  return d.status().message();
}

TEST(LuMetadataTest, RoundTripsEveryField) {
  auto rec = EncodeMetadata(Sample(), 42);
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  auto d = DecodeMetadata(*rec);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->seq, 42u);
  EXPECT_EQ(d->metadata, Sample());
}

TEST(LuMetadataTest, RoundTripsARetiredLease) {
  LuMetadata md = Sample();
  md.lease = {0, 9, 0, true};
  auto d = DecodeMetadata(EncodeMetadata(md, 5).value());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(d->metadata.lease.retired);
  EXPECT_EQ(d->metadata, md);
  // Not written for a live lease, so such records stay as they were.
  EXPECT_EQ(EncodeMetadata(Sample(), 5).value().size() + 7, EncodeMetadata(md, 5).value().size());
}

TEST(LuMetadataTest, RefusesAMalformedRetiredFlag) {
  std::vector<uint8_t> rec = EncodeMetadata(Sample(), 3).value();
  auto two = rec;
  AppendField(&two, 16, {2});
  EXPECT_NE(DecodeError(two).find("retired"), std::string::npos);
  AppendField(&rec, 16, {1, 0});
  EXPECT_NE(DecodeError(rec).find("retired lease field has length 2"), std::string::npos);
}

TEST(LuMetadataTest, RejectsInvalidValuesBeforeWriting) {
  LuMetadata md = Sample();
  md.block_size = 1000;
  EXPECT_EQ(EncodeMetadata(md, 1).status().code(), Code::kInvalidArgument);
  md = Sample();
  md.lu_size = 4097;
  EXPECT_EQ(EncodeMetadata(md, 1).status().code(), Code::kInvalidArgument);
  md = Sample();
  md.vendor = "TOO-LONG-VENDOR";
  EXPECT_NE(EncodeMetadata(md, 1).status().message().find("vendor"), std::string::npos);
  md = Sample();
  md.lease.owner_node = 2;
  EXPECT_FALSE(EncodeMetadata(md, 1).ok());
  md = Sample();
  md.data_offset = 100;
  EXPECT_FALSE(EncodeMetadata(md, 1).ok());
}

TEST(LuMetadataTest, DetectsEveryKindOfDamage) {
  std::vector<uint8_t> good = EncodeMetadata(Sample(), 1).value();

  EXPECT_NE(DecodeError({good.begin(), good.begin() + 20}).find("shorter"), std::string::npos);

  auto bad = good;
  bad[0] = 'X';
  EXPECT_NE(DecodeError(bad).find("magic"), std::string::npos);

  bad = good;
  bad[60] ^= 0x01;
  EXPECT_NE(DecodeError(bad).find("checksum"), std::string::npos);

  bad = good;
  PutBe16(bad.data() + 8, 9);
  Reseal(&bad);
  EXPECT_NE(DecodeError(bad).find("version 9"), std::string::npos);

  bad = good;
  PutBe32(bad.data() + 12, 0x7fffffff);
  EXPECT_NE(DecodeError(bad).find("exceeds"), std::string::npos);

  bad = good;
  bad.resize(bad.size() - 3);  // cut inside the last field
  PutBe32(bad.data() + 12, static_cast<uint32_t>(bad.size() - kMetadataHeaderSize));
  Reseal(&bad);
  EXPECT_FALSE(DecodeMetadata(bad).ok());
}

TEST(LuMetadataTest, SkipsUnknownOptionalFieldsButNotRequiredOnes) {
  std::vector<uint8_t> rec = EncodeMetadata(Sample(), 3).value();
  AppendField(&rec, 0x0123, {9, 9, 9});
  auto d = DecodeMetadata(rec);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->metadata, Sample());

  AppendField(&rec, 0x8123, {1});
  EXPECT_NE(DecodeError(rec).find("not understood"), std::string::npos);
}

TEST(LuMetadataTest, RejectsRepeatedAndMissingFields) {
  std::vector<uint8_t> rec = EncodeMetadata(Sample(), 3).value();
  AppendField(&rec, 5, {'x'});  // alias again
  EXPECT_NE(DecodeError(rec).find("repeated"), std::string::npos);

  // A record with only a GUID.
  std::vector<uint8_t> only_guid = EncodeMetadata(Sample(), 3).value();
  only_guid.resize(kMetadataHeaderSize);
  AppendField(&only_guid, 0x8001, std::vector<uint8_t>(16, 1));
  EXPECT_NE(DecodeError(only_guid).find("missing"), std::string::npos);
}

TEST(LuMetadataTest, RejectsFieldOfWrongLength) {
  std::vector<uint8_t> rec = EncodeMetadata(Sample(), 3).value();
  rec.resize(kMetadataHeaderSize);
  AppendField(&rec, 0x8001, {1, 2, 3});
  EXPECT_NE(DecodeError(rec).find("GUID field has length 3"), std::string::npos);
}

}  // namespace
}  // namespace openstmf::lu
