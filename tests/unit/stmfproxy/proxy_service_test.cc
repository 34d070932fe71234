// Two stmfproxy services joined by a real peer link, each attached to a real
// stmfd proxy door (ha::ProxyDoor, the component stmfd runs): messages cross
// from one node's framework to the other's, ALUA is enabled on both, and an
// stmfd restart is survived.
#include "stmfproxy/proxy_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <thread>

#include "event/event_loop.h"
#include "ha/proxy_door.h"
#include "mgmt/status_codes.h"

namespace openstmf::stmfproxy {
namespace {

using std::chrono::milliseconds;

bool WaitUntil(const std::function<bool()>& f) {
  for (int i = 0; i < 300; ++i) {
    if (f()) return true;
    usleep(20 * 1000);
  }
  return false;
}

// A message starting with this byte may not be handled on the loop.
constexpr uint8_t kOffLoopTag = 0xcc;

// One node's stmfd side: its proxy door and what arrived through it, served
// on an event loop as stmfd serves it once ServeOnLoop() was called.
struct Node {
  std::string path;
  std::unique_ptr<event::EventLoop> loop;
  std::thread loop_thread;
  std::unique_ptr<ha::ProxyDoor> door;
  std::mutex mu;
  std::vector<std::vector<uint8_t>> got;
  size_t on_loop = 0;       // messages handled on the loop; guarded by mu
  size_t wrong_thread = 0;  // handled where they should not be; guarded by mu
  std::atomic<int> alua_enables{0};
  std::atomic<int> alua_node{-1};

  // The door first: its destructor waits for the posts still running, which
  // write `got`; then the loop.
  ~Node() {
    door.reset();
    if (loop) {
      loop->Stop();
      loop_thread.join();
    }
  }

  void ServeOnLoop() {
    auto l = event::EventLoop::Create({});
    ASSERT_TRUE(l.ok());
    loop = std::move(l).value();
    loop_thread = std::thread([this] { loop->Run(); });
  }

  void Record(std::span<const uint8_t> m, bool here) {
    std::lock_guard<std::mutex> l(mu);
    got.emplace_back(m.begin(), m.end());
    if (here) ++on_loop;
    if (loop && here != loop->InLoopThread()) ++wrong_thread;
  }

  void StartDoor() {
    ha::ProxyDoorCallbacks cb;
    cb.on_message = [this](std::span<const uint8_t> m) {
      Record(m, false);
      return 0u;
    };
    cb.on_loop_message = [this](std::span<const uint8_t> m) -> std::optional<uint32_t> {
      if (m[0] == kOffLoopTag) return std::nullopt;
      Record(m, true);
      return 0u;
    };
    auto d = ha::ProxyDoor::Start(path, cb, loop.get());
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    door = std::move(d).value();
  }
  size_t count() {
    std::lock_guard<std::mutex> l(mu);
    return got.size();
  }
};

class ProxyServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/stmfproxy-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    n0_.path = dir_ + "/n0.door";
    n1_.path = dir_ + "/n1.door";
    n0_.StartDoor();
    n1_.StartDoor();
  }
  void TearDown() override {
    s0_.reset();
    s1_.reset();
    std::filesystem::remove_all(dir_);
  }

  ProxyServiceOptions Options(Node& n, uint8_t node) {
    ProxyServiceOptions o;
    o.relay.node = node;
    o.relay.secret = "pair-secret-0123456789";
    o.relay.retry_interval = milliseconds(100);
    o.relay.io_timeout = milliseconds(1000);
    o.relay.echo_interval = milliseconds(200);
    o.proxy_door_path = n.path;
    o.install_retry = milliseconds(50);
    o.enable_alua = [&n](uint8_t node_no) {
      n.alua_node = node_no;
      ++n.alua_enables;
      return mgmt::kStmfStatusSuccess;
    };
    return o;
  }

  // Node 1 listens, node 0 connects to it.
  void StartBoth() {
    ProxyServiceOptions o1 = Options(n1_, 1);
    o1.relay.listen = tcp::SocketAddress::Parse("127.0.0.1:0", 0).value();
    auto s1 = ProxyService::Start(std::move(o1));
    ASSERT_TRUE(s1.ok()) << s1.status().ToString();
    s1_ = std::move(s1).value();
    ProxyServiceOptions o0 = Options(n0_, 0);
    o0.relay.peer = *s1_->listen_address();
    auto s0 = ProxyService::Start(std::move(o0));
    ASSERT_TRUE(s0.ok()) << s0.status().ToString();
    s0_ = std::move(s0).value();
  }

  std::string dir_;
  Node n0_, n1_;
  std::unique_ptr<ProxyService> s0_, s1_;
};

TEST_F(ProxyServiceTest, FrameworkMessagesReachThePeerFramework) {
  ASSERT_NO_FATAL_FAILURE(StartBoth());

  ASSERT_TRUE(WaitUntil([&] { return n0_.alua_enables >= 1 && n1_.alua_enables >= 1; }));
  EXPECT_EQ(n0_.alua_node, 0);
  EXPECT_EQ(n1_.alua_node, 1);
  ASSERT_TRUE(n0_.door->installed());

  std::vector<uint8_t> m = {4, 0, 0, 0, 1, 2, 3};
  ASSERT_TRUE(n0_.door->Send(m).ok());
  ASSERT_TRUE(WaitUntil([&] { return n1_.count() == 1; }));
  EXPECT_EQ(n1_.got[0], m);
  std::vector<uint8_t> back(8192, 0x42);
  ASSERT_TRUE(n1_.door->Send(back).ok());
  ASSERT_TRUE(WaitUntil([&] { return n0_.count() == 1; }));
  EXPECT_EQ(n0_.got[0], back);

  // Node 1's stmfd restarts: its stmfproxy installs the door again and
  // re-enables ALUA, and traffic flows once more.
  int before = n1_.alua_enables;
  n1_.door.reset();
  n1_.StartDoor();
  ASSERT_TRUE(WaitUntil([&] { return n1_.door->installed(); }));
  ASSERT_TRUE(WaitUntil([&] { return n1_.alua_enables > before; }));
  ASSERT_TRUE(n0_.door->Send(m).ok());
  ASSERT_TRUE(WaitUntil([&] { return n1_.count() == 2; }));
}

// Node 0 posts small messages without waiting and sends one too large to post
// in between; node 1's stmfproxy joins frames (up to what it can post) and
// hands a larger one over by door call only after the posted ones. Returns
// the bytes node 1 should have received, in order; every off_loop_every-th
// small message carries kOffLoopTag.
std::vector<uint8_t> SendMixed(ha::ProxyDoor& door, size_t off_loop_every) {
  std::vector<uint8_t> want;
  auto post = [&](uint8_t tag, size_t size) {
    const std::vector<uint8_t> m(size, tag);
    size_t lost = 0;
    Status s = door.TryPost(m, 1, &lost);
    if (s.code() == Code::kResourceExhausted) s = door.Send(m);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(lost, 0u);
    want.insert(want.end(), m.begin(), m.end());
  };
  auto tag = [&](uint8_t i) {
    return off_loop_every != 0 && i % off_loop_every == 0 ? kOffLoopTag : i;
  };
  for (uint8_t i = 0; i < 60; ++i) post(tag(i), 1000);
  const std::vector<uint8_t> big(200 * 1024, 0xbb);
  EXPECT_TRUE(door.Send(big).ok());
  want.insert(want.end(), big.begin(), big.end());
  for (uint8_t i = 60; i < 120; ++i) post(tag(i), 1000);
  return want;
}

std::vector<uint8_t> Received(Node& n) {
  std::lock_guard<std::mutex> l(n.mu);
  std::vector<uint8_t> all;
  for (const auto& m : n.got) all.insert(all.end(), m.begin(), m.end());
  return all;
}

TEST_F(ProxyServiceTest, PostedAndLargeMessagesArriveInOrder) {
  ASSERT_NO_FATAL_FAILURE(StartBoth());
  ASSERT_TRUE(WaitUntil([&] { return n0_.alua_enables >= 1 && n1_.alua_enables >= 1; }));
  const std::vector<uint8_t> want = SendMixed(*n0_.door, 0);
  ASSERT_TRUE(WaitUntil([&] { return Received(n1_).size() >= want.size(); }));
  EXPECT_EQ(Received(n1_), want);
  // Node 0's stmfproxy read the posts on its own thread, not in its door's
  // pool (the large message was a door call; a post TryPost could not make
  // went by door call too).
  EXPECT_GT(s0_->posts_forwarded(), 0u);
  EXPECT_LE(s0_->posts_forwarded(), 120u);
}

TEST_F(ProxyServiceTest, MessagesServedOnALoopKeepTheirOrder) {
  // Node 1's door serves stmfproxy's posts on a loop, as stmfd does: posted
  // messages are handled there, those it declines on a thread while the
  // connection waits, and the large one by a door call; all in order.
  n1_.door.reset();
  ASSERT_NO_FATAL_FAILURE(n1_.ServeOnLoop());
  ASSERT_NO_FATAL_FAILURE(n1_.StartDoor());
  ASSERT_NO_FATAL_FAILURE(StartBoth());
  ASSERT_TRUE(WaitUntil([&] { return n0_.alua_enables >= 1 && n1_.alua_enables >= 1; }));
  const std::vector<uint8_t> want = SendMixed(*n0_.door, 7);
  ASSERT_TRUE(WaitUntil([&] { return Received(n1_).size() >= want.size(); }));
  EXPECT_EQ(Received(n1_), want);
  std::lock_guard<std::mutex> l(n1_.mu);
  EXPECT_GT(n1_.on_loop, 0u);
  EXPECT_LT(n1_.on_loop, n1_.got.size());  // the declined ones and the large one
  EXPECT_EQ(n1_.wrong_thread, 0u);
}

TEST_F(ProxyServiceTest, StmfdRestartsWhileMessagesArriveAreSurvived) {
  // Node 0's framework keeps sending while node 1's stmfd goes away and comes
  // back several times: node 1's stmfproxy drops the handle while it may be
  // posting on it (under ThreadSanitizer a handle closed under a call shows),
  // installs the door again each time, and messages reach it afterwards.
  // Node 1 serves its posts on a loop, which must let go of them each time.
  n1_.door.reset();
  ASSERT_NO_FATAL_FAILURE(n1_.ServeOnLoop());
  ASSERT_NO_FATAL_FAILURE(n1_.StartDoor());
  ASSERT_NO_FATAL_FAILURE(StartBoth());
  ASSERT_TRUE(WaitUntil([&] { return n0_.alua_enables >= 1 && n1_.alua_enables >= 1; }));

  std::atomic<bool> stop{false};
  std::thread sender([&] {
    const std::vector<uint8_t> m(512, 0x17);
    const std::vector<uint8_t> off(512, kOffLoopTag);
    for (unsigned i = 0; !stop; ++i) {
      (void)n0_.door->Send(i % 5 == 0 ? off : m);
      std::this_thread::yield();
    }
  });
  for (int i = 0; i < 6; ++i) {
    std::this_thread::sleep_for(milliseconds(50));
    n1_.door.reset();
    n1_.StartDoor();
    ASSERT_TRUE(WaitUntil([&] { return n1_.door->installed(); }));
  }
  const size_t before = n1_.count();
  ASSERT_TRUE(WaitUntil([&] { return n1_.count() > before; }));
  stop = true;
  sender.join();
}

TEST_F(ProxyServiceTest, WithoutThePeerMessagesFailAndAluaWaits) {
  ProxyServiceOptions o0 = Options(n0_, 0);
  o0.relay.peer = tcp::SocketAddress::Parse("127.0.0.1:1", 0).value();
  auto s0 = ProxyService::Start(std::move(o0));
  ASSERT_TRUE(s0.ok());
  ASSERT_TRUE(WaitUntil([&] { return n0_.door->installed(); }));
  std::vector<uint8_t> m = {1};
  EXPECT_FALSE(n0_.door->Send(m).ok());  // stmfproxy answers non-zero: link down
  EXPECT_EQ(n0_.alua_enables, 0);
}

}  // namespace
}  // namespace openstmf::stmfproxy
