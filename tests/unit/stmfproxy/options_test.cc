#include "stmfproxy/options.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

namespace openstmf::stmfproxy {
namespace {

Result<Options> Parse(std::vector<std::string> args) {
  std::vector<char*> argv;
  static std::string name = "stmfproxy";
  argv.push_back(name.data());
  for (auto& a : args) argv.push_back(a.data());
  return ParseOptions(static_cast<int>(argv.size()), argv.data());
}

class OptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = testing::TempDir() + "/secret-" + std::to_string(getpid());
    std::ofstream(path_) << "pair-secret-0123456789\n";
    chmod(path_.c_str(), 0600);
  }
  void TearDown() override { unlink(path_.c_str()); }
  std::string path_;
};

TEST_F(OptionsTest, NodesAndAddresses) {
  auto o = Parse({"-n", "0", "-s", path_, "192.0.2.7"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->node, 0);
  EXPECT_EQ(o->secret, "pair-secret-0123456789");
  EXPECT_EQ(o->peer->ToString(), "192.0.2.7:6543");
  o = Parse({"-f", "-n", "1", "-s", path_, "-p", "7000", "-l", "[::1]"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->listen->ToString(), "[::1]:7000");
  o = Parse({"-n", "0", "-s", path_, "192.0.2.7:7001"});
  EXPECT_EQ(o->peer->port(), 7001);
}

TEST_F(OptionsTest, TakesACpuList) {
  EXPECT_TRUE(Parse({"-n", "1", "-s", path_}).value().cpus.empty());
  EXPECT_EQ(Parse({"-n", "1", "-s", path_, "-c", "0,3"}).value().cpus,
            (std::vector<unsigned>{0, 3}));
  auto bad = Parse({"-n", "1", "-s", path_, "-c", "4-2"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("-c: CPU list '4-2': the range 4-2 runs backwards"),
            std::string::npos)
      << bad.status().ToString();
  EXPECT_FALSE(Parse({"-n", "1", "-s", path_, "-c"}).ok());
}

TEST_F(OptionsTest, MistakesAreNamed) {
  auto msg = [&](std::vector<std::string> a) { return Parse(std::move(a)).status().message(); };
  EXPECT_NE(msg({"-n", "2", "-s", path_}).find("0 or 1"), std::string::npos);
  EXPECT_NE(msg({"-s", path_, "1.2.3.4"}).find("-n"), std::string::npos);
  EXPECT_NE(msg({"-n", "0", "1.2.3.4"}).find("-s"), std::string::npos);
  EXPECT_NE(msg({"-n", "0", "-s", path_}).find("peer"), std::string::npos);
  EXPECT_NE(msg({"-n", "0", "-s", path_, "-p", "99999", "1.2.3.4"}).find("port"),
            std::string::npos);
  EXPECT_NE(msg({"-n", "0", "-s", path_, "--bogus"}).find("unknown option"), std::string::npos);
  EXPECT_NE(msg({"-n", "0", "-s", path_, "peer.example.com"}).find("peer address"),
            std::string::npos);
  chmod(path_.c_str(), 0644);
  EXPECT_NE(msg({"-n", "0", "-s", path_, "1.2.3.4"}).find("chmod 600"), std::string::npos);
  chmod(path_.c_str(), 0600);
  std::ofstream(path_) << "short\n";
  EXPECT_NE(msg({"-n", "0", "-s", path_, "1.2.3.4"}).find("shorter"), std::string::npos);
  EXPECT_FALSE(Parse({"-n", "0", "-s", "/nonexistent/secret", "1.2.3.4"}).ok());
}

}  // namespace
}  // namespace openstmf::stmfproxy
