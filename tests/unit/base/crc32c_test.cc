#include "base/crc32c.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

namespace openstmf::crc32c {
namespace {

// RFC 3720 Appendix B.4 (carried into RFC 7143) CRC examples.
TEST(Crc32cTest, MatchesRfc3720AppendixB4Vectors) {
  uint8_t buf[32];
  std::memset(buf, 0, sizeof(buf));
  EXPECT_EQ(0x8a9136aaU, Value(buf, sizeof(buf)));
  std::memset(buf, 0xff, sizeof(buf));
  EXPECT_EQ(0x62a8ab43U, Value(buf, sizeof(buf)));
  for (int i = 0; i < 32; ++i) buf[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(0x46dd794eU, Value(buf, sizeof(buf)));
  for (int i = 0; i < 32; ++i) buf[i] = static_cast<uint8_t>(31 - i);
  EXPECT_EQ(0x113fdb5cU, Value(buf, sizeof(buf)));

  const uint8_t read10_pdu[48] = {
      0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
      0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18, 0x28, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  };
  EXPECT_EQ(0xd9963a56U, Value(read10_pdu, sizeof(read10_pdu)));
}

TEST(Crc32cTest, MatchesCheckValue) { EXPECT_EQ(0xe3069283U, Value("123456789", 9)); }

TEST(Crc32cTest, EmptyInputIsZero) { EXPECT_EQ(0U, Value("", 0)); }

TEST(Crc32cTest, ExtendEqualsWholeValueAtEverySplit) {
  std::vector<uint8_t> data(301);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7 + 3);
  const uint32_t whole = Value(data.data(), data.size());
  for (size_t split = 0; split <= data.size(); ++split) {
    EXPECT_EQ(whole, Extend(Value(data.data(), split), data.data() + split, data.size() - split))
        << "split " << split;
  }
}

TEST(Crc32cTest, ExtendIovEqualsContiguousValue) {
  uint8_t a[13], b[1], c[100];
  std::memset(a, 1, sizeof(a));
  std::memset(b, 2, sizeof(b));
  std::memset(c, 3, sizeof(c));
  std::vector<uint8_t> all;
  all.insert(all.end(), a, a + sizeof(a));
  all.insert(all.end(), b, b + sizeof(b));
  all.insert(all.end(), c, c + sizeof(c));
  const iovec iov[] = {{a, sizeof(a)}, {b, sizeof(b)}, {nullptr, 0}, {c, sizeof(c)}};
  EXPECT_EQ(Value(all.data(), all.size()), ExtendIov(0, iov, 4));
}

TEST(Crc32cTest, HardwareAndPortableAgreeOnRandomUnalignedInput) {
  if (!HardwareAccelerated()) GTEST_SKIP() << "CPU without SSE4.2";
  std::mt19937 rng(42);
  std::vector<uint8_t> data(4096 + 16);
  for (auto& x : data) x = static_cast<uint8_t>(rng());
  for (size_t off = 0; off < 9; ++off) {
    for (size_t len : {0, 1, 7, 8, 9, 63, 64, 1000, 4096}) {
      EXPECT_EQ(ExtendPortable(0x1234, data.data() + off, len),
                ExtendHardware(0x1234, data.data() + off, len));
    }
  }
}

TEST(Crc32cTest, DigestIsStoredLeastSignificantByteFirst) {
  uint8_t out[4];
  StoreDigest(0x8a9136aa, out);
  EXPECT_EQ(0xaa, out[0]);
  EXPECT_EQ(0x36, out[1]);
  EXPECT_EQ(0x91, out[2]);
  EXPECT_EQ(0x8a, out[3]);
  EXPECT_EQ(0x8a9136aaU, LoadDigest(out));
}

}  // namespace
}  // namespace openstmf::crc32c
