#include "daemon/options.h"

#include <gtest/gtest.h>

namespace openstmf::daemon {
namespace {

Result<Options> Parse(std::vector<std::string> args) {
  std::vector<char*> argv;
  static char name[] = "stmfd";
  argv.push_back(name);
  for (auto& a : args) argv.push_back(a.data());
  return ParseOptions(static_cast<int>(argv.size()), argv.data());
}

TEST(OptionsTest, DefaultsServeTheEmbeddedLuOnLoopback) {
  auto o = Parse({});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->state_dir, "/var/lib/openstmf");
  EXPECT_EQ(o->run_dir, "/run/openstmf");
  ASSERT_EQ(o->listen.size(), 1u);
  EXPECT_EQ(o->listen[0], "127.0.0.1:3260");
  EXPECT_TRUE(o->lus.empty());
  EXPECT_EQ(o->target, kDefaultTarget);
}

TEST(OptionsTest, TakesRepeatedPortalsAndLus) {
  auto o = Parse({"--foreground", "--listen", "127.0.0.1:0", "--listen", "[::1]:3261", "--lu",
                  "/tmp/a.img,size=64M,wp", "--lu", "ram0,ram,size=1G,block=4096", "--loops", "3"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->listen.size(), 2u);
  ASSERT_EQ(o->lus.size(), 2u);
  EXPECT_EQ(o->lus[0].path, "/tmp/a.img");
  EXPECT_EQ(o->lus[0].size, 64u << 20);
  EXPECT_TRUE(o->lus[0].write_protect);
  EXPECT_TRUE(o->lus[1].ram);
  EXPECT_EQ(o->lus[1].block_size, 4096u);
  EXPECT_EQ(o->loops, 3u);
}

TEST(OptionsTest, TakesACpuList) {
  EXPECT_TRUE(Parse({}).value().cpus.empty());
  EXPECT_EQ(Parse({"--cpus", "2,0-1"}).value().cpus, (std::vector<unsigned>{0, 1, 2}));
  EXPECT_FALSE(Parse({"--cpus"}).ok());
  auto bad = Parse({"--cpus", "1-x"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("--cpus: CPU list '1-x'"), std::string::npos)
      << bad.status().ToString();
}

TEST(OptionsTest, TakesAnAdminGroup) {
  EXPECT_TRUE(Parse({}).value().admin_group.empty());
  EXPECT_EQ(Parse({"--admin-group", "stmfadm"}).value().admin_group, "stmfadm");
  EXPECT_FALSE(Parse({"--admin-group"}).ok());
  EXPECT_FALSE(Parse({"--admin-group", ""}).ok());
}

TEST(OptionsTest, RejectsUnknownFlagsAndBadValues) {
  EXPECT_FALSE(Parse({"--bogus"}).ok());
  EXPECT_FALSE(Parse({"--loops", "0"}).ok());
  EXPECT_FALSE(Parse({"--loops", "x"}).ok());
  EXPECT_FALSE(Parse({"--listen"}).ok());
  EXPECT_FALSE(Parse({"--lu", "a.img,size=12Q"}).ok());
  EXPECT_FALSE(Parse({"--lu", "a.img,shiny"}).ok());
  EXPECT_FALSE(Parse({"--lu", "r,ram"}).ok());  // a RAM LU needs a size
}

TEST(OptionsTest, ParsesSizesWithUnits) {
  EXPECT_EQ(ParseSize("4096").value(), 4096u);
  EXPECT_EQ(ParseSize("1G").value(), 1u << 30);
  EXPECT_EQ(ParseSize("2t").value(), 2ull << 40);
  EXPECT_FALSE(ParseSize("").ok());
  EXPECT_FALSE(ParseSize("99999999999999T").ok());
}

}  // namespace
}  // namespace openstmf::daemon
