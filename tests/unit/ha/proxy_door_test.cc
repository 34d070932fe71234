// stmfd's proxy door against a separate stmfproxy-like process: install, posts
// both ways, refusal of a second install, and removal when the handle closes or
// the process dies.
#include "ha/proxy_door.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>

#include "ha/proxy_client.h"
#include "mgmt/status_codes.h"

namespace openstmf::ha {
namespace {

bool WaitUntil(const std::function<bool()>& f) {
  for (int i = 0; i < 200; ++i) {
    if (f()) return true;
    usleep(20 * 1000);
  }
  return false;
}

// The child's door: writes what stmfd sends into a pipe, answers 0 (or 7 for
// a message starting with 0xEE, to test failure logging).
struct ChildState {
  int pipe_w = -1;
};

void ChildProc(void* cookie, char* argp, size_t n, door_desc_t*, uint_t) {
  thread_local uint32_t result;  // calls on two connections may run at once
  auto* st = static_cast<ChildState*>(cookie);
  result = (n > 0 && static_cast<uint8_t>(argp[0]) == 0xEE) ? 7 : 0;
  if (n > 0 && write(st->pipe_w, argp, n) < 0) result = 9;
  door_return(reinterpret_cast<char*>(&result), sizeof result, nullptr, 0);
}

// The stmfproxy side runs in a child that re-executes this binary (a forked
// copy of a threaded process may not start threads under ThreadSanitizer).
// PROXY_CHILD selects what it does; PROXY_PATH is stmfd's proxy door; fds 3
// and 4 are the pipes to and from the parent.
int ChildMain(const std::string& mode, const std::string& path) {
  static ChildState st;
  st.pipe_w = 4;
  int d = door_create(ChildProc, &st, 0);
  int h = -1;
  if (InstallProxyDoor(path, d, &h) != mgmt::kStmfStatusSuccess) return 10;
  if (mode == "install-exit") return 0;
  // A second install is refused while the first stands.
  int h2 = -1;
  int d2 = door_create(ChildProc, &st, 0);
  if (InstallProxyDoor(path, d2, &h2) != mgmt::kStmfErrorDoorInstalled) return 11;
  std::vector<uint8_t> msg = {1, 2, 3};
  if (PostProxyMessage(h, msg) != mgmt::kStmfStatusSuccess) return 12;
  std::vector<uint8_t> bad = {0xEE};
  if (PostProxyMessage(h, bad) != mgmt::kStmfErrorPostMsgFailed) return 13;
  if (PostProxyMessage(h, {}) != mgmt::kStmfErrorInvalidArg) return 14;
  char c;
  if (read(3, &c, 1) != 1) return 15;  // the parent has sent its message
  close(h);                            // stmfDestroyProxyDoor
  if (read(3, &c, 1) != 1) return 16;  // the parent saw the removal
  return 0;
}

[[maybe_unused]] const int kChild = [] {
  const char* mode = getenv("PROXY_CHILD");
  if (mode != nullptr) _exit(ChildMain(mode, getenv("PROXY_PATH")));
  return 0;
}();

// Starts the child; to_child/from_child are the parent's ends (or -1).
pid_t SpawnChild(const char* mode, const std::string& path, int* to_child, int* from_child) {
  int down[2], up[2];
  if (pipe(down) != 0 || pipe(up) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(down[0], 3);
    dup2(up[1], 4);
    setenv("PROXY_CHILD", mode, 1);
    setenv("PROXY_PATH", path.c_str(), 1);
    execl("/proc/self/exe", "proxy_door_child", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(down[0]);
  close(up[1]);
  *to_child = down[1];
  *from_child = up[0];
  return pid;
}

class ProxyDoorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/proxy-door-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/stmfd-proxy.door";
    ProxyDoorCallbacks cb;
    cb.on_message = [this](std::span<const uint8_t> m) {
      std::lock_guard<std::mutex> l(mu_);
      got_.emplace_back(m.begin(), m.end());
      return m[0] == 0xEE ? 5u : 0u;
    };
    cb.on_installed = [this] { ++installs_; };
    cb.on_uninstalled = [this] { ++uninstalls_; };
    auto d = ProxyDoor::Start(path_, cb);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    door_ = std::move(d).value();
  }
  void TearDown() override {
    door_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string dir_, path_;
  std::unique_ptr<ProxyDoor> door_;
  std::mutex mu_;
  std::vector<std::vector<uint8_t>> got_;
  std::atomic<int> installs_{0}, uninstalls_{0};
};

TEST_F(ProxyDoorTest, InstallPostBothWaysAndRemoval) {
  int to_child = -1, from_child = -1;
  pid_t pid = SpawnChild("install-post", path_, &to_child, &from_child);
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(WaitUntil([&] {
    std::lock_guard<std::mutex> l(mu_);
    return got_.size() == 2;
  }));
  EXPECT_TRUE(door_->installed());
  EXPECT_EQ(installs_, 1);
  EXPECT_EQ(got_[0], (std::vector<uint8_t>{1, 2, 3}));
  // stmfd -> stmfproxy.
  std::vector<uint8_t> out = {4, 5, 6, 7};
  ASSERT_TRUE(door_->Send(out).ok());
  uint8_t buf[4];
  ASSERT_EQ(read(from_child, buf, 4), 4);
  EXPECT_EQ(std::vector<uint8_t>(buf, buf + 4), out);
  std::vector<uint8_t> fail = {0xEE};
  EXPECT_FALSE(door_->Send(fail).ok());  // non-zero result is an error
  ASSERT_EQ(read(from_child, buf, 1), 1);
  EXPECT_EQ(buf[0], 0xEE);
  // Posts without waiting, then a door call: stmfproxy gets them in that order.
  size_t lost = 99;
  for (uint8_t i = 0x10; i < 0x13; ++i) {
    const uint8_t m[1] = {i};
    ASSERT_TRUE(door_->TryPost(m, 1, &lost).ok());
    EXPECT_EQ(lost, 0u);
  }
  const uint8_t after[1] = {0x13};
  ASSERT_TRUE(door_->Send(after).ok());
  ASSERT_EQ(read(from_child, buf, 4), 4);
  EXPECT_EQ(std::vector<uint8_t>(buf, buf + 4), (std::vector<uint8_t>{0x10, 0x11, 0x12, 0x13}));
  // A posted message stmfproxy could not deliver is counted on a later post.
  const uint8_t undeliverable[1] = {0xEE};
  ASSERT_TRUE(door_->TryPost(undeliverable, 3, &lost).ok());
  ASSERT_TRUE(door_->Send(after).ok());  // takes the answer
  ASSERT_EQ(read(from_child, buf, 2), 2);
  ASSERT_TRUE(door_->TryPost(after, 1, &lost).ok());
  EXPECT_EQ(lost, 3u);
  ASSERT_EQ(read(from_child, buf, 1), 1);
  // At most kMaxPosted wait for answers: the child answers at once, so posts
  // keep going (answers are collected as they are needed).
  for (size_t i = 0; i < 4 * kMaxPosted; ++i) {
    const uint8_t m[1] = {0x20};
    Status p = door_->TryPost(m, 1, &lost);
    ASSERT_TRUE(p.ok() || p.code() == Code::kResourceExhausted) << p.ToString();
    if (p.ok()) {
      ASSERT_EQ(read(from_child, buf, 1), 1);
    }
  }
  ASSERT_EQ(write(to_child, "x", 1), 1);
  ASSERT_TRUE(WaitUntil([&] { return uninstalls_ == 1; }));
  EXPECT_FALSE(door_->installed());
  ASSERT_EQ(write(to_child, "x", 1), 1);
  int st = 0;
  ASSERT_EQ(waitpid(pid, &st, 0), pid);
  ASSERT_TRUE(WIFEXITED(st));
  EXPECT_EQ(WEXITSTATUS(st), 0);
  EXPECT_EQ(door_->Send(out).code(), Code::kUnavailable);
}

TEST_F(ProxyDoorTest, ProxyDeathRemovesTheDoorAndAllowsANewOne) {
  for (int round = 0; round < 2; ++round) {
    int to_child = -1, from_child = -1;
    pid_t pid = SpawnChild("install-exit", path_, &to_child, &from_child);
    ASSERT_GT(pid, 0);
    int st = 0;
    ASSERT_EQ(waitpid(pid, &st, 0), pid);
    ASSERT_TRUE(WIFEXITED(st));
    ASSERT_EQ(WEXITSTATUS(st), 0) << "round " << round;
    ASSERT_TRUE(WaitUntil([&] { return !door_->installed(); }));
    close(to_child);
    close(from_child);
  }
  EXPECT_EQ(installs_, 2);
  EXPECT_TRUE(WaitUntil([&] { return uninstalls_ == 2; }));
}

TEST_F(ProxyDoorTest, InstallWithoutADescriptorIsRefused) {
  int h = -1;
  EXPECT_EQ(InstallProxyDoor(path_, -1, &h), mgmt::kStmfErrorInvalidArg);
  EXPECT_EQ(InstallProxyDoor(dir_ + "/nothing.door", 0, &h), mgmt::kStmfErrorServiceNotFound);
  EXPECT_FALSE(door_->installed());
}

}  // namespace
}  // namespace openstmf::ha
