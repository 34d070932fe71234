#include "port/tcp/stream_conn.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "port/tcp/listener.h"

namespace openstmf::tcp {
namespace {

using std::chrono::milliseconds;

// Consumes newline-terminated lines and echoes each one back upper-cased.
class LineEcho : public StreamConn::Receiver {
 public:
  size_t OnReceive(std::span<const uint8_t> data) override {
    size_t used = 0;
    for (;;) {
      const auto* begin = data.data() + used;
      const auto* nl = static_cast<const uint8_t*>(std::memchr(begin, '\n', data.size() - used));
      if (nl == nullptr) return used;
      std::string line(reinterpret_cast<const char*>(begin), nl - begin + 1);
      for (char& c : line) c = static_cast<char>(toupper(c));
      lines.push_back(line);
      conn->SendCopy({reinterpret_cast<const uint8_t*>(line.data()), line.size()});
      used += line.size();
      ++deliveries_lines;
    }
  }
  void OnClosed(const Status& why) override {
    closed = true;
    reason = why;
  }
  StreamConn* conn = nullptr;
  std::vector<std::string> lines;
  int deliveries_lines = 0;
  bool closed = false;
  Status reason;
};

class StreamConnTest : public ::testing::Test {
 protected:
  void SetUp() override {
    loop_ = std::move(event::EventLoop::Create({})).value();
    auto addr = SocketAddress::Parse("127.0.0.1:0", 0).value();
    auto l = Listener::Listen(loop_.get(), addr, [this](UniqueFd fd, const SocketAddress&) {
      conn_ = std::make_unique<StreamConn>(loop_.get(), std::move(fd), &echo_, 64);
      echo_.conn = conn_.get();
      ASSERT_TRUE(conn_->Start().ok());
    });
    ASSERT_TRUE(l.ok()) << l.status().ToString();
    listener_ = std::move(l).value();
    ASSERT_NE(listener_->address().port(), 0);
    client_ = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_TRUE(connect(client_, listener_->address().sa(), listener_->address().len()) == 0);
    for (int i = 0; i < 100 && !conn_; ++i) loop_->RunOnce(milliseconds(10));
    ASSERT_TRUE(conn_ != nullptr);
  }
  void TearDown() override {
    if (client_ >= 0) close(client_);
  }
  void Spin(int turns = 20) {
    for (int i = 0; i < turns; ++i) loop_->RunOnce(milliseconds(5));
  }
  std::string ReadClient(size_t n) {
    std::string out(n, '\0');
    size_t got = 0;
    while (got < n) {
      Spin(1);
      ssize_t r = recv(client_, out.data() + got, n - got, MSG_DONTWAIT);
      if (r > 0) got += static_cast<size_t>(r);
      if (r == 0) break;
    }
    out.resize(got);
    return out;
  }

  std::unique_ptr<event::EventLoop> loop_;
  std::unique_ptr<Listener> listener_;
  std::unique_ptr<StreamConn> conn_;
  LineEcho echo_;
  int client_ = -1;
};

TEST_F(StreamConnTest, WholeMessagesAreDeliveredAcrossPartialReads) {
  ASSERT_EQ(send(client_, "hel", 3, 0), 3);
  Spin(3);
  EXPECT_TRUE(echo_.lines.empty());  // no full line yet
  ASSERT_EQ(send(client_, "lo\nwor", 6, 0), 6);
  Spin(3);
  ASSERT_EQ(echo_.lines.size(), 1u);
  ASSERT_EQ(send(client_, "ld\n", 3, 0), 3);
  EXPECT_EQ(ReadClient(12), "HELLO\nWORLD\n");
}

TEST_F(StreamConnTest, MessageLargerThanTheBufferGrowsIt) {
  std::string big(100000, 'a');
  big += '\n';
  ASSERT_EQ(send(client_, big.data(), big.size(), 0), static_cast<ssize_t>(big.size()));
  std::string back = ReadClient(big.size());
  ASSERT_EQ(back.size(), big.size());
  EXPECT_EQ(back[0], 'A');
}

TEST_F(StreamConnTest, ManyRequestsInOneSegmentAreAnsweredInOrder) {
  std::string burst;
  for (int i = 0; i < 500; ++i) burst += "m" + std::to_string(i) + "\n";
  ASSERT_EQ(send(client_, burst.data(), burst.size(), 0), static_cast<ssize_t>(burst.size()));
  std::string back = ReadClient(burst.size());
  std::string expect = burst;
  for (char& c : expect) c = static_cast<char>(toupper(c));
  EXPECT_EQ(back, expect);
}

TEST_F(StreamConnTest, QueuedDataWaitsForAFullSocketAndCompletesInOrder) {
  int small = 4096;
  setsockopt(conn_->fd(), SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  std::vector<uint8_t> payload(4 << 20);
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<uint8_t>(i * 13);
  struct Done {
    static void Fn(void* arg, bool ok) {
      auto* d = static_cast<Done*>(arg);
      d->count++;
      d->all_ok &= ok;
    }
    int count = 0;
    bool all_ok = true;
  } done;
  for (size_t off = 0; off < payload.size(); off += 1 << 20) {
    conn_->Send({payload.data() + off, size_t{1} << 20}, {&Done::Fn, &done});
  }
  std::vector<uint8_t> got;
  got.reserve(payload.size());
  std::vector<uint8_t> buf(65536);
  while (got.size() < payload.size()) {
    loop_->RunOnce(milliseconds(5));
    ssize_t r = recv(client_, buf.data(), buf.size(), MSG_DONTWAIT);
    if (r > 0) got.insert(got.end(), buf.begin(), buf.begin() + r);
  }
  EXPECT_EQ(got, payload);
  Spin(3);
  EXPECT_EQ(done.count, 4);
  EXPECT_TRUE(done.all_ok);
  EXPECT_EQ(conn_->queued_bytes(), 0u);
}

TEST_F(StreamConnTest, PeerCloseIsReportedOnceAsOrderly) {
  close(client_);
  client_ = -1;
  Spin(5);
  EXPECT_TRUE(echo_.closed);
  EXPECT_TRUE(echo_.reason.ok());
  EXPECT_TRUE(conn_->closed());
}

TEST_F(StreamConnTest, CloseSendsWhatIsQueuedFirst) {
  const char msg[] = "bye\n";
  conn_->Send({reinterpret_cast<const uint8_t*>(msg), 4});
  conn_->Close(Status(Code::kUnavailable, "logout"));
  EXPECT_EQ(ReadClient(4), "bye\n");
  char c;
  for (int i = 0; i < 50 && recv(client_, &c, 1, MSG_DONTWAIT) != 0; ++i) Spin(1);
  EXPECT_EQ(recv(client_, &c, 1, MSG_DONTWAIT), 0);  // then EOF
  EXPECT_TRUE(echo_.closed);
  EXPECT_EQ(echo_.reason.message(), "logout");
}

TEST(ListenerTest, SecondListenerOnTheSamePortFailsWithAClearError) {
  auto loop = std::move(event::EventLoop::Create({})).value();
  auto addr = SocketAddress::Parse("127.0.0.1:0", 0).value();
  auto first = Listener::Listen(loop.get(), addr, [](UniqueFd, const SocketAddress&) {});
  ASSERT_TRUE(first.ok());
  auto second =
      Listener::Listen(loop.get(), (*first)->address(), [](UniqueFd, const SocketAddress&) {});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kAlreadyExists);
  EXPECT_NE(second.status().message().find("127.0.0.1"), std::string::npos);
}

TEST(ListenerTest, ListensOnIpv6Loopback) {
  auto loop = std::move(event::EventLoop::Create({})).value();
  int accepted = 0;
  auto l = Listener::Listen(loop.get(), SocketAddress::Parse("[::1]:0", 0).value(),
                            [&](UniqueFd, const SocketAddress& peer) {
                              ++accepted;
                              EXPECT_EQ(peer.family(), AF_INET6);
                            });
  if (!l.ok()) GTEST_SKIP() << "no IPv6 loopback here: " << l.status().ToString();
  int c = socket(AF_INET6, SOCK_STREAM, 0);
  ASSERT_EQ(connect(c, (*l)->address().sa(), (*l)->address().len()), 0);
  for (int i = 0; i < 100 && accepted == 0; ++i) loop->RunOnce(milliseconds(10));
  EXPECT_EQ(accepted, 1);
  close(c);
}

}  // namespace
}  // namespace openstmf::tcp
