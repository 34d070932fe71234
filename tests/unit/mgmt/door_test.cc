// The management door end to end in one process: a real door published at a
// path, a client that opens it, credentials checked by door_ucred.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "mgmt/client.h"
#include "mgmt/server.h"
#include "mgmt/status_codes.h"

namespace openstmf::mgmt {
namespace {

class MgmtDoorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mgmt-door-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    chmod(tmpl, 0755);  // like /run/openstmf: others may reach the door
    path_ = dir_ + "/stmfd.door";
    dispatcher_.Register("echo", [](const Message& req, const Caller& caller) {
      Message r = Reply(kStmfStatusSuccess);
      r.Set("value", req.Text("value"));
      r.Set("uid", uint64_t{caller.euid});
      return r;
    });
    dispatcher_.Register("fail", [](const Message&, const Caller&) {
      return Reply(kStmfErrorGroupNotFound, "host group \"hg1\" not found");
    });
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
  std::string path_;
  Dispatcher dispatcher_;
};

TEST_F(MgmtDoorTest, CallsReachHandlers) {
  auto server = Server::Start(path_, &dispatcher_);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto client = Client::Open(path_);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  auto r = client->Call(Message("echo").Set("value", std::string(200000, 'x')));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(ReplyStatus(*r), kStmfStatusSuccess);
  EXPECT_EQ(r->Text("value").size(), 200000u);  // larger than the first reply buffer
  EXPECT_EQ(r->Number("uid"), static_cast<uint64_t>(geteuid()));
  r = client->Call(Message("fail"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ReplyStatus(*r), kStmfErrorGroupNotFound);
  EXPECT_EQ(r->Text("error"), "host group \"hg1\" not found");
  r = client->Call(Message("no-such-op"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ReplyStatus(*r), kStmfErrorInvalidArg);
}

TEST_F(MgmtDoorTest, StaleDoorFileIsReplaced) {
  { auto s = Server::Start(path_, &dispatcher_); }
  FILE* f = fopen(path_.c_str(), "w");  // a leftover from a crashed daemon
  ASSERT_NE(f, nullptr);
  fclose(f);
  auto server = Server::Start(path_, &dispatcher_);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto client = Client::Open(path_);
  ASSERT_TRUE(client.ok());
  EXPECT_TRUE(client->Call(Message("echo")).ok());
}

TEST_F(MgmtDoorTest, NoDaemonIsAClearError) {
  auto client = Client::Open(path_);
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.status().code(), Code::kUnavailable);
  EXPECT_NE(client.status().message().find("stmfd is not running"), std::string::npos);
}

TEST_F(MgmtDoorTest, NonRootCallerIsRefused) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to switch to another uid";
  auto server = Server::Start(path_, &dispatcher_);
  ASSERT_TRUE(server.ok());
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(10);
    auto client = Client::Open(path_);
    if (!client.ok()) _exit(11);
    auto r = client->Call(Message("echo"));
    if (!r.ok()) _exit(12);
    _exit(ReplyStatus(*r) == kStmfErrorPerm ? 0 : 13);
  }
  int st = 0;
  ASSERT_EQ(waitpid(pid, &st, 0), pid);
  ASSERT_TRUE(WIFEXITED(st));
  EXPECT_EQ(WEXITSTATUS(st), 0);
}

TEST(DispatcherTest, AdminGroupMembersAreAllowed) {
  Dispatcher d(4242);
  Caller c;
  c.euid = 1000;
  c.egid = 1000;
  EXPECT_FALSE(d.Allowed(c));
  c.groups = {27, 4242};
  EXPECT_TRUE(d.Allowed(c));
  Dispatcher root_only;
  EXPECT_FALSE(root_only.Allowed(c));
  c.euid = 0;
  EXPECT_TRUE(root_only.Allowed(c));
}

TEST(DispatcherTest, GarbageGetsAnInvalidArgReply) {
  Dispatcher d;
  std::vector<uint8_t> junk = {1, 2, 3};
  auto r = Decode(d.Handle(junk, Caller{}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ReplyStatus(*r), kStmfErrorInvalidArg);
}

}  // namespace
}  // namespace openstmf::mgmt
