// Which event loop a new iSCSI connection lives on: the one carrying the fewest
// connections now, so long sessions stay spread while short ones (discovery)
// come and go between them, and a lone session lands on the first loop.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <thread>

#include "event/loop_group.h"
#include "port/iscsit/iscsi_port.h"
#include "stmf/framework.h"

namespace openstmf::iscsit {
namespace {

// A TCP connection to the port that never logs in (the port keeps it until it
// closes or the login timeout ends it, which is far longer than a test).
class Client {
 public:
  explicit Client(uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
  }
  ~Client() { close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  bool connected() const { return connected_; }

 private:
  int fd_;
  bool connected_ = false;
};

bool Eventually(const std::function<bool()>& pred) {
  for (int i = 0; i < 500; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

class LoopPlacementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(loops_.Start(2, false).ok());
    fw_ = std::make_unique<stmf::Framework>(std::vector<event::EventLoop*>{},
                                            std::vector<event::IoRing*>{});
    port_ = std::make_unique<IscsiPort>(fw_.get(), &loops_, IscsiPortOptions{});
    auto bound = port_->Listen(tcp::SocketAddress::Parse("127.0.0.1:0", 0).value());
    ASSERT_TRUE(bound.ok());
    tcp_port_ = bound->port();
  }
  void TearDown() override {
    if (port_) port_->Stop(std::chrono::milliseconds(2000));
    port_.reset();
    loops_.Stop();
  }
  bool Loads(size_t first, size_t second) {
    return Eventually([&] { return loops_.load(0) == first && loops_.load(1) == second; });
  }

  event::LoopGroup loops_;
  std::unique_ptr<stmf::Framework> fw_;
  std::unique_ptr<IscsiPort> port_;
  uint16_t tcp_port_ = 0;
};

TEST_F(LoopPlacementTest, ALoneConnectionGoesToTheFirstLoop) {
  for (int round = 0; round < 3; ++round) {
    {
      Client c(tcp_port_);
      ASSERT_TRUE(c.connected());
      EXPECT_TRUE(Loads(1, 0)) << "round " << round;
    }
    ASSERT_TRUE(Loads(0, 0)) << "round " << round;
  }
}

TEST_F(LoopPlacementTest, ShortConnectionsBetweenLongOnesDoNotPileThemUp) {
  // Discovery, then the session, for two initiators in turn: placing in turn
  // would put both sessions on one loop.
  Client first(tcp_port_);
  ASSERT_TRUE(first.connected());
  ASSERT_TRUE(Loads(1, 0));
  {
    Client discovery(tcp_port_);
    ASSERT_TRUE(discovery.connected());
    ASSERT_TRUE(Loads(1, 1));
  }
  ASSERT_TRUE(Loads(1, 0));
  Client second(tcp_port_);
  ASSERT_TRUE(second.connected());
  EXPECT_TRUE(Loads(1, 1));
  EXPECT_TRUE(Eventually([&] { return port_->connection_count() == 2; }));
}

}  // namespace
}  // namespace openstmf::iscsit
