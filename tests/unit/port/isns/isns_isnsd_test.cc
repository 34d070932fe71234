// Registers with a real Open-iSNS server (Debian's open-isns-server), started in the
// foreground in a temporary directory on a free port, and checks with isnsadm over
// the server's local control socket what the server holds: registration, Update(),
// re-registration after a server restart, refresh within the registration period,
// and deregistration by Stop().
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "port/isns/isns_client.h"

namespace openstmf::isns {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr const char* kIsnsd = "/usr/sbin/isnsd";
constexpr const char* kIsnsadm = "/usr/sbin/isnsadm";

uint16_t FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    close(fd);
    return 0;
  }
  close(fd);
  return ntohs(a.sin_port);
}

bool Accepts(uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
  close(fd);
  return ok;
}

template <typename F>
bool WaitFor(F condition, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return condition();
}

class IsnsdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kIsnsd, X_OK) != 0 || access(kIsnsadm, X_OK) != 0) {
      GTEST_SKIP() << "open-isns-server / open-isns-utils not installed";
    }
    char tmpl[] = "/tmp/openstmf-isns-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    port_ = FreePort();
    ASSERT_NE(port_, 0);
    // Everything isnsd would keep under /etc, /var or /run lives in dir_; the
    // database stays in memory so a restart forgets all registrations.
    std::ofstream(dir_ / "isnsd.conf") << "SourceName = iqn.2026-01.org.openstmf:isnsd-test\n"
                                       << "BindAddress = 127.0.0.1:" << port_ << "\n"
                                       << "ControlSocket = " << (dir_ / "isnsctl").string() << "\n"
                                       << "PIDFile = " << (dir_ / "isnsd.pid").string() << "\n"
                                       << "LocalRegistry = " << (dir_ / "registry").string() << "\n"
                                       << "Security = 0\n"
                                       << "ESIRetries = 0\n"
                                       << "RegistrationPeriod = 4\n"
                                       << "DefaultDiscoveryDomain = 1\n";
    std::ofstream(dir_ / "isnsadm.conf")
        << "SourceName = iqn.2026-01.org.openstmf:isnsadm-test\n"
        << "ServerAddress = 127.0.0.1:" << port_ << "\n"
        << "ControlSocket = " << (dir_ / "isnsctl").string() << "\n"
        << "Security = 0\n";
    StartServer();
  }

  void TearDown() override {
    StopServer();
    if (!dir_.empty() && !getenv("KEEP_ISNS_TMP")) fs::remove_all(dir_);
  }

  void StartServer() {
    const std::string conf = (dir_ / "isnsd.conf").string();
    const std::string log = (dir_ / "isnsd.log").string();
    pid_ = fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      if (freopen(log.c_str(), "a", stdout) == nullptr || dup2(1, 2) < 0) _exit(126);
      execl(kIsnsd, "isnsd", "-f", "-4", "-d", "message", "-c", conf.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    ASSERT_TRUE(WaitFor([&] { return Accepts(port_); }, 10s)) << "isnsd did not start";
  }

  void StopServer() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  // What isnsadm lists for a type ("nodes", "portals", "portal-groups", "entities").
  std::string List(const std::string& type) {
    const std::string cmd = std::string(kIsnsadm) + " -c " + (dir_ / "isnsadm.conf").string() +
                            " --local --list " + type + " 2>/dev/null";
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) return out;
    std::array<char, 4096> buf;
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    pclose(p);
    return out;
  }

  bool Listed(const std::string& type, const std::string& text) {
    return List(type).find(text) != std::string::npos;
  }

  static IsnsRegistration Description() {
    IsnsRegistration r;
    r.entity_id = "openstmf-test-host";
    r.targets = {{"iqn.2026-01.org.openstmf:t1", "first"}, {"iqn.2026-01.org.openstmf:t2", ""}};
    r.portals = {{"127.0.0.1", 3260, {}},
                 {"192.0.2.10", 3261, {{"iqn.2026-01.org.openstmf:t2", 7}}}};
    return r;
  }

  IsnsClientOptions FastOptions() {
    IsnsClientOptions o;
    o.session.min_retry = 200ms;
    o.session.max_retry = 1s;
    o.session.request_timeout = 3s;
    return o;
  }

  fs::path dir_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

TEST_F(IsnsdTest, RegistersUpdatesSurvivesRestartAndDeregisters) {
  const IsnsServerAddress server{"127.0.0.1", port_};
  auto client = IsnsClient::Start({server}, Description(), FastOptions());
  ASSERT_TRUE(client.ok()) << client.status().ToString();

  ASSERT_TRUE(WaitFor([&] { return (*client)->States()[0].registered; }, 10s))
      << "not registered: " << (*client)->States()[0].last_error;
  EXPECT_EQ((*client)->States()[0].server, server.ToString());
  const std::string nodes = List("nodes");
  EXPECT_NE(nodes.find("iqn.2026-01.org.openstmf:t1"), std::string::npos) << nodes;
  EXPECT_NE(nodes.find("iqn.2026-01.org.openstmf:t2"), std::string::npos) << nodes;
  EXPECT_NE(nodes.find("Target"), std::string::npos) << nodes;
  EXPECT_NE(nodes.find("first"), std::string::npos) << nodes;
  const std::string portals = List("portals");
  EXPECT_NE(portals.find("127.0.0.1"), std::string::npos) << portals;
  EXPECT_NE(portals.find("192.0.2.10"), std::string::npos) << portals;
  EXPECT_NE(portals.find("3261"), std::string::npos) << portals;
  const std::string groups = List("portal-groups");
  EXPECT_NE(groups.find("Portal group tag = 7"), std::string::npos) << groups;
  EXPECT_TRUE(Listed("entities", "openstmf-test-host")) << List("entities");

  // Targets change: t1 goes, t3 comes.
  IsnsRegistration changed = Description();
  changed.targets = {{"iqn.2026-01.org.openstmf:t3", ""}, {"iqn.2026-01.org.openstmf:t2", ""}};
  changed.portals[1].tags = {{"iqn.2026-01.org.openstmf:t2", 8}};
  ASSERT_TRUE((*client)->Update(changed).ok());
  EXPECT_TRUE(WaitFor(
      [&] {
        const std::string n = List("nodes");
        return n.find("openstmf:t3") != std::string::npos &&
               n.find("openstmf:t1") == std::string::npos;
      },
      10s))
      << List("nodes");
  EXPECT_TRUE(WaitFor([&] { return Listed("portal-groups", "Portal group tag = 8"); }, 5s));

  // The server restarts with an empty database: the client registers again.
  StopServer();
  StartServer();
  EXPECT_TRUE(WaitFor([&] { return Listed("nodes", "openstmf:t3"); }, 15s))
      << "not registered again after a restart: " << (*client)->States()[0].last_error;

  // The server grants 4 s; without refreshes the entity would be gone after that.
  std::this_thread::sleep_for(7s);
  EXPECT_TRUE(Listed("nodes", "openstmf:t3")) << "registration expired: no refresh";
  EXPECT_TRUE((*client)->States()[0].registered);

  (*client)->Stop();
  EXPECT_FALSE(Listed("entities", "openstmf-test-host")) << List("entities");
  EXPECT_FALSE(Listed("nodes", "openstmf:t3")) << List("nodes");
  EXPECT_FALSE((*client)->Update(changed).ok());
}

TEST_F(IsnsdTest, UnreachableServerIsReportedAndDoesNotBlockStop) {
  const IsnsServerAddress dead{"127.0.0.1", FreePort()};
  const IsnsServerAddress live{"127.0.0.1", port_};
  auto client = IsnsClient::Start({dead, live}, Description(), FastOptions());
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  ASSERT_TRUE(WaitFor([&] { return (*client)->States()[1].registered; }, 10s));
  EXPECT_TRUE(WaitFor([&] { return !(*client)->States()[0].last_error.empty(); }, 5s));
  EXPECT_FALSE((*client)->States()[0].registered);
  EXPECT_NE((*client)->States()[0].last_error.find("connect"), std::string::npos)
      << (*client)->States()[0].last_error;
  const auto start = std::chrono::steady_clock::now();
  (*client)->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
  EXPECT_FALSE(Listed("entities", "openstmf-test-host"));
}

}  // namespace
}  // namespace openstmf::isns
