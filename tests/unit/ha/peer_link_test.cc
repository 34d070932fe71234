// The peer link over real loopback TCP: two ends that share the secret talk;
// a wrong secret, garbage, an oversized or truncated frame are refused quickly.
#include "ha/peer_link.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <thread>

#include "base/byte_order.h"

namespace openstmf::ha {
namespace {

using std::chrono::milliseconds;
constexpr const char* kSecret = "pair-secret-0123456789";

struct Listening {
  UniqueFd fd;
  tcp::SocketAddress addr;
};

Listening Listen() {
  auto a = tcp::SocketAddress::Parse("127.0.0.1:0", 0);
  auto fd = ListenTcp(*a);
  EXPECT_TRUE(fd.ok()) << fd.status().ToString();
  auto bound = LocalAddress(fd->get());
  return {std::move(fd).value(), *bound};
}

Result<std::unique_ptr<PeerLink>> Side(UniqueFd fd, const char* secret, uint8_t node) {
  auto auth = PeerAuth::Create(secret, node);
  if (!auth.ok()) return auth.status();
  return PeerLink::Establish(std::move(fd), std::move(auth).value(), milliseconds(2000));
}

// Node 1's end: accepts one connection on l and authenticates it.
std::future<Result<std::unique_ptr<PeerLink>>> AcceptSide(const Listening& l) {
  return std::async(std::launch::async, [&l] {
    auto fd = AcceptTcp(l.fd.get(), milliseconds(2000));
    if (!fd.ok()) return Result<std::unique_ptr<PeerLink>>(fd.status());
    return Side(std::move(fd).value(), kSecret, 1);
  });
}

TEST(PeerLinkTest, AuthenticatedEndsExchangeFrames) {
  Listening l = Listen();
  auto server = AcceptSide(l);
  auto cfd = ConnectTcp(l.addr, milliseconds(2000));
  ASSERT_TRUE(cfd.ok()) << cfd.status().ToString();
  auto client = Side(std::move(cfd).value(), kSecret, 0);
  auto srv = server.get();
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  ASSERT_TRUE(srv.ok()) << srv.status().ToString();
  EXPECT_EQ((*client)->peer_node(), 1);
  EXPECT_EQ((*srv)->peer_node(), 0);

  std::vector<uint8_t> big(1 << 20, 0x5a);
  ASSERT_TRUE((*client)->Send(big).ok());
  ASSERT_TRUE((*client)->Send(std::vector<uint8_t>{}).ok());
  auto f1 = (*srv)->Receive(milliseconds(2000));
  ASSERT_TRUE(f1.ok()) << f1.status().ToString();
  EXPECT_EQ(std::vector<uint8_t>(f1->begin(), f1->end()), big);
  auto f2 = (*srv)->Receive(milliseconds(2000));
  ASSERT_TRUE(f2.ok());
  EXPECT_TRUE(f2->empty());
  // Idle: Unavailable, link still fine.
  auto idle = (*srv)->Receive(milliseconds(50));
  EXPECT_EQ(idle.status().code(), Code::kUnavailable);
  ASSERT_TRUE((*srv)->Send(std::vector<uint8_t>{1, 2, 3}).ok());
  auto f3 = (*client)->Receive(milliseconds(2000));
  ASSERT_TRUE(f3.ok());
  EXPECT_EQ(std::vector<uint8_t>(f3->begin(), f3->end()), (std::vector<uint8_t>{1, 2, 3}));
  // Clean close: NotFound.
  (*client)->Shutdown();
  EXPECT_EQ((*srv)->Receive(milliseconds(2000)).status().code(), Code::kNotFound);
}

// Two authenticated ends, plus a raw descriptor on the client's socket for
// writing exact bytes.
struct LinkedPair {
  std::unique_ptr<PeerLink> client;
  std::unique_ptr<PeerLink> server;
  UniqueFd raw;
};

LinkedPair Link() {
  Listening l = Listen();
  auto server = AcceptSide(l);
  auto cfd = ConnectTcp(l.addr, milliseconds(2000));
  EXPECT_TRUE(cfd.ok());
  UniqueFd raw(dup(cfd->get()));
  auto client = Side(std::move(cfd).value(), kSecret, 0);
  auto srv = server.get();
  EXPECT_TRUE(client.ok() && srv.ok());
  return {std::move(client).value(), std::move(srv).value(), std::move(raw)};
}

std::vector<uint8_t> Framed(std::vector<uint8_t> body) {
  std::vector<uint8_t> f(4);
  PutBe32(f.data(), static_cast<uint32_t>(body.size()));
  f.insert(f.end(), body.begin(), body.end());
  return f;
}

TEST(PeerLinkTest, FramesThatArrivedTogetherComeOutBackToBack) {
  LinkedPair p = Link();
  ASSERT_TRUE(p.client && p.server);
  // Four frames in one write (one of them a keep-alive), then a frame whose
  // bytes come in three pieces.
  std::vector<uint8_t> burst;
  for (auto body : {std::vector<uint8_t>{1, 2}, std::vector<uint8_t>{}, std::vector<uint8_t>{3},
                    std::vector<uint8_t>(300 << 10, 4)}) {
    std::vector<uint8_t> f = Framed(body);
    burst.insert(burst.end(), f.begin(), f.end());
  }
  auto writer = std::async(std::launch::async, [&] {
    EXPECT_TRUE(p.client->Send(std::vector<uint8_t>{}).ok());  // lets the reader start
    std::this_thread::sleep_for(milliseconds(50));
    size_t put = 0;
    while (put < burst.size()) {
      ssize_t n = write(p.raw.get(), burst.data() + put, burst.size() - put);
      if (n <= 0) return;
      put += static_cast<size_t>(n);
    }
    std::vector<uint8_t> last = Framed({7, 8, 9, 10, 11});
    for (size_t at : {size_t{0}, size_t{2}, size_t{6}}) {
      std::this_thread::sleep_for(milliseconds(30));
      size_t end = at == 6 ? last.size() : (at == 0 ? 2 : 6);
      EXPECT_EQ(write(p.raw.get(), last.data() + at, end - at), static_cast<ssize_t>(end - at));
    }
  });
  auto first = p.server->Receive(milliseconds(2000), 1 << 20);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->empty());                     // the keep-alive alone
  std::this_thread::sleep_for(milliseconds(150));  // the whole burst is in
  // With a limit of 8 bytes the first two non-empty frames fit; the large one
  // comes alone next, whole.
  auto a = p.server->Receive(milliseconds(2000), 8);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(std::vector<uint8_t>(a->begin(), a->end()), (std::vector<uint8_t>{1, 2, 3}));
  auto b = p.server->Receive(milliseconds(2000), 8);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(std::vector<uint8_t>(b->begin(), b->end()), std::vector<uint8_t>(300 << 10, 4));
  auto c = p.server->Receive(milliseconds(2000), 1 << 20);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(std::vector<uint8_t>(c->begin(), c->end()), (std::vector<uint8_t>{7, 8, 9, 10, 11}));
  writer.get();
  // A frame cut off by the peer closing is an error, not a clean end.
  std::vector<uint8_t> cut = Framed({1, 2, 3, 4});
  ASSERT_EQ(write(p.raw.get(), cut.data(), 6), 6);
  p.raw.Reset();
  p.client->Shutdown();
  auto d = p.server->Receive(milliseconds(2000), 1 << 20);
  EXPECT_EQ(d.status().code(), Code::kInvalidArgument) << d.status().ToString();
  EXPECT_NE(d.status().message().find("truncated"), std::string::npos);
}

TEST(PeerLinkTest, WrongSecretIsRefusedOnBothSides) {
  Listening l = Listen();
  auto server = AcceptSide(l);
  auto client = Side(ConnectTcp(l.addr, milliseconds(2000)).value(), "not-the-pair-secret", 0);
  auto srv = server.get();
  ASSERT_FALSE(srv.ok());
  EXPECT_EQ(srv.status().code(), Code::kPermissionDenied);
  EXPECT_FALSE(client.ok());
}

TEST(PeerLinkTest, GarbageAndSilenceAreRefused) {
  Listening l = Listen();
  auto server = AcceptSide(l);
  auto raw = ConnectTcp(l.addr, milliseconds(2000));
  ASSERT_TRUE(raw.ok());
  const char junk[] = "GET / HTTP/1.0\r\n\r\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
  ASSERT_GT(write(raw->get(), junk, sizeof junk), 0);
  auto srv = server.get();
  ASSERT_FALSE(srv.ok());
  EXPECT_NE(srv.status().message().find("greeting"), std::string::npos);

  // A peer that connects and says nothing: refused at the timeout, no hang.
  auto server2 = std::async(std::launch::async, [&] {
    auto fd = AcceptTcp(l.fd.get(), milliseconds(2000));
    auto auth = PeerAuth::Create(kSecret, 1);
    return PeerLink::Establish(std::move(fd).value(), std::move(auth).value(), milliseconds(200));
  });
  auto silent = ConnectTcp(l.addr, milliseconds(2000));
  ASSERT_TRUE(silent.ok());
  EXPECT_EQ(server2.get().status().code(), Code::kUnavailable);
}

TEST(PeerLinkTest, OversizedAndTruncatedFramesAreErrors) {
  // The client authenticates properly, then misbehaves on the raw socket.
  LinkedPair p = Link();
  ASSERT_TRUE(p.client && p.server);
  uint8_t len[4];
  PutBe32(len, 0xffffffffu);
  ASSERT_EQ(write(p.raw.get(), len, 4), 4);
  auto r = p.server->Receive(milliseconds(2000));
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("frame of"), std::string::npos);
}

TEST(PeerLinkTest, ConnectToNobodyFails) {
  Listening l = Listen();
  tcp::SocketAddress addr = l.addr;
  l.fd.Reset();
  EXPECT_FALSE(ConnectTcp(addr, milliseconds(500)).ok());
}

}  // namespace
}  // namespace openstmf::ha
