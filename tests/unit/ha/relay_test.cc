// Two relays on loopback TCP, as the two nodes' stmfproxy daemons run them.
#include "ha/relay.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <mutex>

namespace openstmf::ha {
namespace {

using std::chrono::milliseconds;
constexpr const char* kSecret = "pair-secret-0123456789";

struct Inbox {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::vector<uint8_t>> got;
  std::atomic<int> ups{0};
  std::atomic<int> downs{0};

  void Add(std::vector<uint8_t> m) {
    std::lock_guard<std::mutex> l(mu);
    got.push_back(std::move(m));
    cv.notify_all();
  }
  bool WaitFor(size_t n) {
    std::unique_lock<std::mutex> l(mu);
    return cv.wait_for(l, std::chrono::seconds(10), [&] { return got.size() >= n; });
  }
};

RelayOptions Options(uint8_t node, Inbox& in) {
  RelayOptions o;
  o.node = node;
  o.secret = kSecret;
  o.retry_interval = milliseconds(100);
  o.io_timeout = milliseconds(1000);
  o.echo_interval = milliseconds(200);
  o.deliver = [&in](std::span<const uint8_t> m) {
    in.Add(std::vector<uint8_t>(m.begin(), m.end()));
  };
  o.link_up = [&in] { ++in.ups; };
  o.link_down = [&in](const Status&) { ++in.downs; };
  return o;
}

bool WaitUntil(const std::function<bool()>& f) {
  for (int i = 0; i < 200; ++i) {
    if (f()) return true;
    usleep(50 * 1000);
  }
  return false;
}

std::unique_ptr<Relay> StartNode1(Inbox& in) {
  RelayOptions o = Options(1, in);
  o.listen = tcp::SocketAddress::Parse("127.0.0.1:0", 0).value();
  auto r = Relay::Start(std::move(o));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

std::unique_ptr<Relay> StartNode0(Inbox& in, const tcp::SocketAddress& peer,
                                  const char* secret = kSecret) {
  RelayOptions o = Options(0, in);
  o.peer = peer;
  o.secret = secret;
  auto r = Relay::Start(std::move(o));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

TEST(RelayTest, MessagesCrossBothWaysAndTheLinkComesBack) {
  Inbox in0, in1;
  auto n1 = StartNode1(in1);
  auto n0 = StartNode0(in0, *n1->listen_address());
  ASSERT_TRUE(WaitUntil([&] { return n0->connected() && n1->connected(); }));
  EXPECT_TRUE(WaitUntil([&] { return in0.ups == 1; }));
  ASSERT_TRUE(n0->Send(std::vector<uint8_t>{1, 2, 3}).ok());
  ASSERT_TRUE(n1->Send(std::vector<uint8_t>{4, 5}).ok());
  ASSERT_TRUE(in1.WaitFor(1));
  ASSERT_TRUE(in0.WaitFor(1));
  EXPECT_EQ(in1.got[0], (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_EQ(in0.got[0], (std::vector<uint8_t>{4, 5}));
  // Keep-alives flow while idle and are never delivered.
  usleep(400 * 1000);
  EXPECT_TRUE(n0->connected());
  EXPECT_EQ(in1.got.size(), 1u);

  // Node 0 goes away; node 1 sees the link drop, then a new node 0 reconnects.
  n0.reset();
  ASSERT_TRUE(WaitUntil([&] { return !n1->connected(); }));
  EXPECT_GE(in1.downs, 1);
  EXPECT_FALSE(n1->Send(std::vector<uint8_t>{9}).ok());
  Inbox in0b;
  auto n0b = StartNode0(in0b, *n1->listen_address());
  ASSERT_TRUE(WaitUntil([&] { return n1->connected() && n0b->connected(); }));
  // connected() turns true just before link_up runs on the relay's thread.
  EXPECT_TRUE(WaitUntil([&] { return in1.ups >= 2; }));
  ASSERT_TRUE(n0b->Send(std::vector<uint8_t>{7}).ok());
  ASSERT_TRUE(in1.WaitFor(2));
}

TEST(RelayTest, WrongSecretNeverLinksAndTheRightPeerStillCan) {
  Inbox in0, in1, bad;
  auto n1 = StartNode1(in1);
  auto intruder = StartNode0(bad, *n1->listen_address(), "not-the-pair-secret");
  usleep(500 * 1000);
  EXPECT_FALSE(n1->connected());
  EXPECT_FALSE(intruder->connected());
  EXPECT_EQ(in1.ups, 0);
  intruder.reset();
  auto n0 = StartNode0(in0, *n1->listen_address());
  ASSERT_TRUE(WaitUntil([&] { return n0->connected() && n1->connected(); }));
}

TEST(RelayTest, BadOptionsAreRefused) {
  Inbox in;
  RelayOptions o = Options(0, in);
  EXPECT_FALSE(Relay::Start(o).ok());  // node 0 without a peer
  o.peer = tcp::SocketAddress::Parse("127.0.0.1:1", 0).value();
  o.secret = "short";
  EXPECT_FALSE(Relay::Start(o).ok());
  o.secret = kSecret;
  o.node = 2;
  EXPECT_FALSE(Relay::Start(o).ok());
}

}  // namespace
}  // namespace openstmf::ha
