#include "port/isns/isns_pdu.h"

#include <gtest/gtest.h>

#include "port/isns/isns_assembler.h"
#include "port/isns/isns_messages.h"
#include "port/isns/isns_server_address.h"

namespace openstmf::isns {
namespace {

std::string Str(const Attribute& a) {
  auto r = AttributeString(a);
  return r.ok() ? r.value() : "<" + r.status().message() + ">";
}
uint32_t U32(const Attribute& a) {
  auto r = AttributeU32(a);
  return r.ok() ? r.value() : 0xdeadbeef;
}
std::string Addr(const Attribute& a) {
  auto r = AttributeAddress(a);
  return r.ok() ? r.value() : "<" + r.status().message() + ">";
}

std::vector<uint8_t> Bytes(std::initializer_list<int> list) {
  std::vector<uint8_t> v;
  for (int b : list) v.push_back(static_cast<uint8_t>(b));
  return v;
}

TEST(IsnsPdu, StringAttributeIsNulTerminatedAndPaddedToFourBytes) {
  std::vector<uint8_t> out;
  EncodeAttribute(StringAttribute(kTagEntityIdentifier, "host"), out);
  // "host" + NUL = 5 bytes, padded to 8.
  EXPECT_EQ(out, Bytes({0, 0, 0, 1, 0, 0, 0, 8, 'h', 'o', 's', 't', 0, 0, 0, 0}));
  out.clear();
  EncodeAttribute(StringAttribute(kTagIscsiAlias, "abc"), out);
  EXPECT_EQ(out, Bytes({0, 0, 0, 34, 0, 0, 0, 4, 'a', 'b', 'c', 0}));
}

TEST(IsnsPdu, AddressAttributeMapsIpv4IntoIpv6) {
  auto a = AddressAttribute(kTagPortalIpAddress, "192.0.2.1");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->value, Bytes({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1}));
  EXPECT_EQ(Addr(*a), "192.0.2.1");
  auto v6 = AddressAttribute(kTagPortalIpAddress, "2001:db8::7");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(Addr(*v6), "2001:db8::7");
  EXPECT_FALSE(AddressAttribute(kTagPortalIpAddress, "host.example").ok());
}

TEST(IsnsPdu, MessageRoundTripsThroughHeaderAndAttributes) {
  const Attribute in[] = {StringAttribute(kTagIscsiName, "iqn.2026-01.org.x:t1"),
                          NullAttribute(kTagDelimiter), U32Attribute(kTagPortalPort, 3260)};
  const auto bytes = EncodeMessage(Function::kDevAttrReg, kFlagReplace, 77, in);
  auto h = DecodeHeader(bytes);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->function, 0x0001);
  EXPECT_EQ(h->flags, kFlagClient | kFlagReplace | kFlagFirstPdu | kFlagLastPdu);
  EXPECT_EQ(h->transaction_id, 77);
  EXPECT_EQ(h->sequence_id, 0);
  ASSERT_EQ(h->length, bytes.size() - kHeaderSize);
  auto out = DecodeAttributes(std::span(bytes).subspan(kHeaderSize));
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->size(), 3u);
  EXPECT_EQ(Str((*out)[0]), "iqn.2026-01.org.x:t1");
  EXPECT_EQ((*out)[1].tag, kTagDelimiter);
  EXPECT_TRUE((*out)[1].value.empty());
  EXPECT_EQ(U32((*out)[2]), 3260u);
}

TEST(IsnsPdu, LongMessageIsSegmentedAndReassembled) {
  std::vector<Attribute> in;
  for (int i = 0; i < 5000; ++i)
    in.push_back(StringAttribute(kTagIscsiAlias, "alias-" + std::to_string(i)));
  const auto bytes = EncodeMessage(Function::kDevAttrReg, 0, 5, in);
  auto first = DecodeHeader(bytes);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->flags & (kFlagFirstPdu | kFlagLastPdu), kFlagFirstPdu);
  MessageAssembler assembler;
  // Delivered in odd pieces, as TCP may.
  for (size_t off = 0; off < bytes.size(); off += 1000) {
    const size_t n = std::min<size_t>(1000, bytes.size() - off);
    ASSERT_TRUE(assembler.Push(std::span(bytes).subspan(off, n)).ok());
  }
  auto m = assembler.Next();
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->transaction_id, 5);
  auto out = DecodeAttributes(m->payload);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->size(), in.size());
  EXPECT_EQ(Str(out->back()), "alias-4999");
  EXPECT_FALSE(assembler.Next().has_value());
}

TEST(IsnsPdu, RejectsMalformedHeaders) {
  auto bytes = EncodeMessage(Function::kDevDereg, 0, 1, {});
  EXPECT_EQ(DecodeHeader(std::span(bytes).first(11)).status().code(), Code::kInvalidArgument);
  auto wrong_version = bytes;
  wrong_version[1] = 2;
  EXPECT_NE(DecodeHeader(wrong_version).status().message().find("version"), std::string::npos);
  auto odd_length = bytes;
  odd_length[5] = 3;
  EXPECT_NE(DecodeHeader(odd_length).status().message().find("multiple of 4"), std::string::npos);
  auto auth = bytes;
  auth[6] |= kFlagAuthBlock >> 8;
  EXPECT_FALSE(DecodeHeader(auth).ok());
}

TEST(IsnsPdu, RejectsAttributesRunningPastThePayload) {
  EXPECT_NE(DecodeAttributes(Bytes({0, 0, 0, 1, 0, 0, 0, 8, 'a', 0, 0, 0}))
                .status()
                .message()
                .find("runs past"),
            std::string::npos);
  EXPECT_NE(DecodeAttributes(Bytes({0, 0, 0, 1, 0, 0})).status().message().find("truncated"),
            std::string::npos);
  EXPECT_NE(DecodeAttributes(Bytes({0, 0, 0, 1, 0, 0, 0, 3, 'a', 'b', 0, 0}))
                .status()
                .message()
                .find("multiple of 4"),
            std::string::npos);
  EXPECT_FALSE(DecodeAttributes(Bytes({0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfc})).ok());
  EXPECT_FALSE(AttributeString(Attribute{1, Bytes({'a', 'b', 'c', 'd'})}).ok());
  EXPECT_FALSE(AttributeU32(Attribute{6, Bytes({0, 0, 0, 0, 0, 0, 0, 0})}).ok());
  EXPECT_FALSE(AttributeAddress(Attribute{16, Bytes({0, 0, 0, 1})}).ok());
}

TEST(IsnsPdu, ResponseCarriesStatusCodeFirst) {
  auto r = DecodeResponse(Bytes({0, 0, 0, 6, 0, 0, 0, 6, 0, 0, 0, 4, 0, 0, 0, 30}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status_code, 6u);
  EXPECT_EQ(StatusCodeName(r->status_code), "Source Unknown");
  EXPECT_EQ(GrantedRegistrationPeriod(*r), 30u);
  EXPECT_FALSE(DecodeResponse(Bytes({0, 0})).ok());
}

TEST(IsnsPdu, AssemblerRejectsPduThatDoesNotStartAMessage) {
  std::vector<uint8_t> pdu;
  Header h;
  h.function = 0x8001;
  h.flags = kFlagServer | kFlagLastPdu;  // no First PDU flag
  EncodeHeader(h, pdu);
  MessageAssembler assembler;
  EXPECT_FALSE(assembler.Push(pdu).ok());
}

TEST(IsnsMessages, RegistrationCarriesEntityPortalsNodesAndPortalGroups) {
  IsnsRegistration r;
  r.entity_id = "host1";
  r.targets = {{"iqn.2026-01.org.x:t1", "disk one"}, {"iqn.2026-01.org.x:t2", ""}};
  r.portals = {{"192.0.2.1", 3260, {{"iqn.2026-01.org.x:t1", 2}}}};
  r.registration_period = 900;
  auto bytes = BuildDevAttrReg(r, 9);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto h = DecodeHeader(*bytes);
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->flags & kFlagReplace);
  auto a = DecodeAttributes(std::span(*bytes).subspan(kHeaderSize));
  ASSERT_TRUE(a.ok());
  std::vector<uint32_t> tags;
  for (const Attribute& x : *a) tags.push_back(x.tag);
  EXPECT_EQ(tags, (std::vector<uint32_t>{32, 1,  0,  1,  2,  6,  16, 17, 32, 33, 34, 32, 33,  //
                                         48, 49, 50, 51, 48, 49, 50, 51}));
  EXPECT_EQ(U32((*a)[16]), 2u);         // t1 through the portal with tag 2
  EXPECT_TRUE((*a)[20].value.empty());  // t2 not reachable there: NULL tag
}

TEST(IsnsMessages, RejectsBadDescriptions) {
  IsnsRegistration r;
  EXPECT_FALSE(ValidateRegistration(r).ok());  // no entity
  r.entity_id = "h";
  EXPECT_TRUE(ValidateRegistration(r).ok());
  EXPECT_FALSE(BuildDevAttrReg(r, 1).ok());  // nothing to register
  r.targets = {{"iqn.x:a", ""}, {"iqn.x:a", ""}};
  EXPECT_FALSE(ValidateRegistration(r).ok());
  r.targets = {{"iqn.x:a", ""}};
  r.portals = {{"not-an-address", 3260, {}}};
  EXPECT_FALSE(ValidateRegistration(r).ok());
  r.portals = {{"::1", 3260, {{"iqn.x:other", 1}}}};
  EXPECT_FALSE(ValidateRegistration(r).ok());
}

TEST(IsnsMessages, CheckResponseNamesTheRefusal) {
  Message m{0x8001, kFlagServer | kFlagFirstPdu | kFlagLastPdu, 4, Bytes({0, 0, 0, 3})};
  auto r = CheckResponse(m, Function::kDevAttrReg, 4);
  EXPECT_NE(r.status().message().find("Invalid Registration"), std::string::npos);
  EXPECT_EQ(r.status().detail(), 3);
  EXPECT_FALSE(CheckResponse(m, Function::kDevAttrReg, 5).ok());
  EXPECT_FALSE(CheckResponse(m, Function::kDevDereg, 4).ok());
  m.payload = Bytes({0, 0, 0, 0});
  EXPECT_TRUE(CheckResponse(m, Function::kDevAttrReg, 4).ok());
}

TEST(IsnsServerAddress, ParsesHostsPortsAndIpv6) {
  auto list = ParseServerList("isns.example.com, 192.0.2.7:3206,[2001:db8::7]:4000,::1");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 4u);
  EXPECT_EQ((*list)[0].ToString(), "isns.example.com:3205");
  EXPECT_EQ((*list)[1].ToString(), "192.0.2.7:3206");
  EXPECT_EQ((*list)[2].host, "2001:db8::7");
  EXPECT_EQ((*list)[2].port, 4000);
  EXPECT_EQ((*list)[3].ToString(), "[::1]:3205");
  EXPECT_FALSE(ParseServerAddress("host:0").ok());
  EXPECT_FALSE(ParseServerAddress("host:99999").ok());
  EXPECT_FALSE(ParseServerAddress("[::1").ok());
  EXPECT_FALSE(ParseServerAddress(":3205").ok());
  EXPECT_FALSE(ParseServerList("a,a").ok());
  EXPECT_FALSE(ParseServerList("a,b,c,d,e,f,g,h,i").ok());
}

}  // namespace
}  // namespace openstmf::isns
