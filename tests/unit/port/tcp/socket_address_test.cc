#include "port/tcp/socket_address.h"

#include <gtest/gtest.h>

namespace openstmf::tcp {
namespace {

TEST(SocketAddressTest, ParsesTheFormsAdminsWrite) {
  auto a = SocketAddress::Parse("127.0.0.1:3260", 1);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->ToString(), "127.0.0.1:3260");
  auto b = SocketAddress::Parse("10.0.0.5", 3260);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->port(), 3260);
  auto c = SocketAddress::Parse("[::1]:860", 3260);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->family(), AF_INET6);
  EXPECT_EQ(c->ToString(), "[::1]:860");
  auto d = SocketAddress::Parse("fe80::1", 3260);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->ToString(), "[fe80::1]:3260");
  auto e = SocketAddress::Parse("[::]", 3260);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->Host(), "::");
}

TEST(SocketAddressTest, RejectsNamesAndBadPortsWithTheTextInTheMessage) {
  for (const char* bad :
       {"localhost:3260", "1.2.3.4:70000", "1.2.3.4:", "[::1", "[::1]x", "", "1.2.3.4:32a"}) {
    auto r = SocketAddress::Parse(bad, 3260);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << bad;
    }
  }
  EXPECT_NE(SocketAddress::Parse("localhost", 1).status().message().find("localhost"),
            std::string::npos);
}

}  // namespace
}  // namespace openstmf::tcp
