#include "base/cpu_list.h"

#include <gtest/gtest.h>

#include <thread>

namespace openstmf {
namespace {

TEST(CpuListTest, ParsesNumbersRangesAndMixes) {
  EXPECT_EQ(ParseCpuList("0").value(), (std::vector<unsigned>{0}));
  EXPECT_EQ(ParseCpuList("0-3").value(), (std::vector<unsigned>{0, 1, 2, 3}));
  EXPECT_EQ(ParseCpuList("5,1-2,7").value(), (std::vector<unsigned>{1, 2, 5, 7}));
  // Repeats and overlaps name each CPU once.
  EXPECT_EQ(ParseCpuList("2,0-2,2-2").value(), (std::vector<unsigned>{0, 1, 2}));
  EXPECT_EQ(ParseCpuList("1023").value(), (std::vector<unsigned>{kMaxCpu}));
}

TEST(CpuListTest, MistakesAreNamed) {
  auto msg = [](std::string_view t) { return ParseCpuList(t).status().message(); };
  EXPECT_NE(msg("").find("no CPUs"), std::string::npos);
  EXPECT_NE(msg("x").find("'x' is not a CPU number"), std::string::npos);
  EXPECT_NE(msg("0,").find("'' is not a CPU number"), std::string::npos);
  EXPECT_NE(msg("-1").find("not a CPU number"), std::string::npos);
  EXPECT_NE(msg("1-").find("not a CPU number"), std::string::npos);
  EXPECT_NE(msg("0 ").find("not a CPU number"), std::string::npos);
  EXPECT_NE(msg("3-1").find("runs backwards"), std::string::npos);
  EXPECT_NE(msg("1024").find("above 1023"), std::string::npos);
  EXPECT_NE(msg("99999999999").find("not a CPU number"), std::string::npos);
  EXPECT_EQ(ParseCpuList("0-4096").status().code(), Code::kInvalidArgument);
}

TEST(CpuListTest, FormatsTheShortestList) {
  EXPECT_EQ(FormatCpuList({}), "");
  EXPECT_EQ(FormatCpuList({0}), "0");
  EXPECT_EQ(FormatCpuList({0, 1, 2, 3, 6}), "0-3,6");
  EXPECT_EQ(FormatCpuList({1, 3, 4}), "1,3-4");
  EXPECT_EQ(FormatCpuList(ParseCpuList("7,0-2,5-6").value()), "0-2,5-7");
}

TEST(CpuListTest, PinningHoldsForTheThreadAndTheThreadsItStarts) {
  const std::vector<unsigned> all = CurrentCpus().value();
  ASSERT_FALSE(all.empty());
  const std::vector<unsigned> one = {all.back()};
  std::vector<unsigned> pinned, child;
  Status s;
  // On a thread of its own, so that the test process keeps its CPUs.
  std::thread([&] {
    s = PinProcess(one);
    pinned = CurrentCpus().value();
    std::thread([&] { child = CurrentCpus().value(); }).join();
  }).join();
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(pinned, one);
  EXPECT_EQ(child, one);
  EXPECT_EQ(CurrentCpus().value(), all);
}

TEST(CpuListTest, PinningToNoAvailableCpuFails) {
  Status s;
  std::vector<unsigned> after;
  std::thread([&] {
    s = PinProcess({kMaxCpu});  // no machine here has 1024 CPUs
    after = CurrentCpus().value();
  }).join();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("pinning to CPUs 1023"), std::string::npos) << s.ToString();
  EXPECT_EQ(after, CurrentCpus().value());  // unchanged
}

}  // namespace
}  // namespace openstmf
