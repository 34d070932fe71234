#include "base/config_store.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace openstmf {
namespace {

class ConfigStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/openstmf-config-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/stmf.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<ConfigStore> OpenOk() {
    auto s = ConfigStore::Open(path_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  std::string dir_;
  std::string path_;
};

TEST_F(ConfigStoreTest, StoredObjectsSurviveReopening) {
  {
    auto store = OpenOk();
    ASSERT_TRUE(store
                    ->Apply({ConfigChange::Put("host-group", "hg1", {{"member.0", "iqn.a"}}),
                             ConfigChange::Put("host-group", "hg0", {}),
                             ConfigChange::Put("lu", "600144F0", {{"size", "1024"}})})
                    .ok());
  }
  auto store = OpenOk();
  auto groups = store->List("host-group");
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->size(), 2u);
  EXPECT_EQ((*groups)[0].first, "hg0");
  EXPECT_TRUE((*groups)[0].second.empty());
  EXPECT_EQ((*groups)[1].second.at("member.0"), "iqn.a");
  auto lu = store->Get("lu", "600144F0");
  ASSERT_TRUE(lu.ok() && lu->has_value());
  EXPECT_EQ((*lu)->at("size"), "1024");
  auto missing = store->Get("lu", "nope");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(ConfigStoreTest, PutReplacesEveryPropertyAndDeleteRemoves) {
  auto store = OpenOk();
  ASSERT_TRUE(store->Apply({ConfigChange::Put("t", "k", {{"a", "1"}, {"b", "2"}})}).ok());
  ASSERT_TRUE(store->Apply({ConfigChange::Put("t", "k", {{"c", "3"}})}).ok());
  EXPECT_EQ(store->Get("t", "k")->value(), (Properties{{"c", "3"}}));
  ASSERT_TRUE(store->Apply({ConfigChange::Delete("t", "k"), ConfigChange::Delete("t", "x")}).ok());
  EXPECT_FALSE(store->Get("t", "k")->has_value());
}

TEST_F(ConfigStoreTest, DatabaseIsReadableByItsOwnerOnly) {
  std::ofstream(path_).close();
  ASSERT_EQ(chmod(path_.c_str(), 0644), 0);
  auto store = OpenOk();
  struct stat st {};
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(ConfigStoreTest, DamagedFileIsReportedNotReplaced) {
  {
    std::ofstream f(path_, std::ios::binary);
    f << std::string(8192, 'x');
  }
  auto store = ConfigStore::Open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Code::kCorrupt);
  EXPECT_NE(store.status().message().find(path_), std::string::npos);
  EXPECT_EQ(std::filesystem::file_size(path_), 8192u);  // left for the admin to inspect
}

TEST_F(ConfigStoreTest, KillDuringUpdatesLeavesWholeBatchesOnly) {
  for (int round = 0; round < 6; ++round) {
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto s = ConfigStore::Open(path_);
      if (!s.ok()) _exit(1);
      for (uint64_t n = 0;; ++n) {
        const std::string v = std::to_string(n);
        // Both objects change in one batch; they must always agree afterwards.
        if (!(*s)->Apply({ConfigChange::Put("pair", "a", {{"n", v}}),
                          ConfigChange::Put("pair", "b", {{"n", v}, {"x", std::string(100, 'y')}})})
                 .ok()) {
          _exit(2);
        }
      }
    }
    usleep(20000 + round * 15000);
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "writer exited early with " << WEXITSTATUS(status);
    auto store = OpenOk();
    auto a = store->Get("pair", "a");
    auto b = store->Get("pair", "b");
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(a->has_value(), b->has_value());
    if (a->has_value()) {
      EXPECT_EQ((*a)->at("n"), (*b)->at("n"));
      EXPECT_EQ((*b)->size(), 2u);
    }
  }
  // The writers got batches in: the check above was not vacuous.
  EXPECT_TRUE(OpenOk()->Get("pair", "a")->has_value());
}

}  // namespace
}  // namespace openstmf
