#include "scsi/transport_id.h"

#include <gtest/gtest.h>

#include "scsi/lun.h"

namespace openstmf::scsi {
namespace {

TEST(TransportIdTest, IscsiRoundTripsInBothFormats) {
  TransportId port = IscsiInitiatorPort("IQN.1994-05.com.Example:A", 0x23D000000001);
  EXPECT_EQ(port.name, "iqn.1994-05.com.example:a");
  EXPECT_EQ(port.isid, "23d000000001");
  auto bytes = EncodeTransportId(port);
  EXPECT_EQ(bytes[0], 0x45);
  EXPECT_EQ(bytes.size() % 4, 0u);
  size_t used = 0;
  auto back = ParseTransportId(bytes, &used);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, port);
  EXPECT_EQ(used, bytes.size());
  TransportId name_only{Protocol::kIscsi, "iqn.x", ""};
  auto b2 = EncodeTransportId(name_only);
  EXPECT_EQ(b2[0], 0x05);
  EXPECT_EQ(*ParseTransportId(b2, &used), name_only);
  EXPECT_TRUE(TransportIdCovers(name_only, IscsiInitiatorPort("iqn.x", 5)));
  EXPECT_FALSE(TransportIdCovers(port, IscsiInitiatorPort("iqn.1994-05.com.example:a", 5)));
}

TEST(TransportIdTest, BinaryProtocolsUseFixedLayouts) {
  std::vector<uint8_t> fc(24, 0);
  fc[0] = 0x00;
  fc[8] = 0x21;
  fc[15] = 0x07;
  size_t used = 0;
  auto id = ParseTransportId(fc, &used);
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->name, "2100000000000007");
  EXPECT_EQ(EncodeTransportId(*id), fc);
  std::vector<uint8_t> sas(24, 0);
  sas[0] = 0x06;
  sas[4] = 0x50;
  EXPECT_EQ(ParseTransportId(sas, &used)->protocol, Protocol::kSas);
}

TEST(TransportIdTest, RejectsMalformedInput) {
  size_t used = 0;
  EXPECT_FALSE(ParseTransportId(std::vector<uint8_t>{0x05, 0, 0}, &used));
  EXPECT_FALSE(ParseTransportId(std::vector<uint8_t>{0x05, 0, 0, 3, 'a', 'b', 'c'}, &used));
  std::vector<uint8_t> no_nul = {0x05, 0, 0, 4, 'a', 'b', 'c', 'd'};
  EXPECT_FALSE(ParseTransportId(no_nul, &used));
  std::vector<uint8_t> bad_isid = {0x45, 0,   0,   12, 'a', ',', 'i', ',',
                                   '0',  'x', '1', 0,  0,   0,   0,   0};
  EXPECT_FALSE(ParseTransportId(bad_isid, &used));
  std::vector<uint8_t> unknown(24, 0);
  unknown[0] = 0x09;
  EXPECT_FALSE(ParseTransportId(unknown, &used));
}

TEST(LunTest, EncodesAndDecodesPeripheralAndFlatAddressing) {
  EXPECT_EQ(EncodeLun(5), 0x0005000000000000ull);
  EXPECT_EQ(EncodeLun(300), 0x412C000000000000ull);
  EXPECT_EQ(DecodeLun(EncodeLun(5)), 5);
  EXPECT_EQ(DecodeLun(EncodeLun(300)), 300);
  EXPECT_FALSE(DecodeLun(0x0005000000000001ull).has_value());
  EXPECT_FALSE(DecodeLun(0xC000000000000000ull).has_value());
}

}  // namespace
}  // namespace openstmf::scsi
