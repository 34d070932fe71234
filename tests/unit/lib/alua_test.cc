// libstmf's ALUA and proxy calls: what stmfSetAluaState / stmfGetAluaState /
// stmfLuStandby send over an in-process management door, and the proxy door
// calls against a real stmfd proxy door (ha::ProxyDoor) in this process.
#include <door.h>
#include <gtest/gtest.h>
#include <libstmf.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

#include "ha/proxy_door.h"
#include "mgmt/ops.h"
#include "mgmt/server.h"
#include "mgmt/status_codes.h"

namespace openstmf::mgmt {
namespace {

class AluaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/libstmf-alua-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    setenv("OPENSTMF_RUN_DIR", dir_.c_str(), 1);
    dispatcher_.Register(kOpAluaSetState, [this](const Message& req, const Caller&) {
      last_ = req;
      return Reply(kStmfStatusSuccess);
    });
    dispatcher_.Register(kOpAluaGetState, [](const Message&, const Caller&) {
      return Reply(kStmfStatusSuccess).SetBool("enabled", true).Set("node", uint64_t{1});
    });
    dispatcher_.Register(kOpLuStandby, [this](const Message& req, const Caller&) {
      last_ = req;
      return Reply(kStmfErrorNotFound, "LU 60 not found");
    });
    auto server = Server::Start(dir_ + "/stmfd.door", &dispatcher_);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
    unsetenv("OPENSTMF_RUN_DIR");
  }

  std::string dir_;
  Dispatcher dispatcher_;
  std::unique_ptr<Server> server_;
  Message last_;
};

TEST_F(AluaTest, SetAndGetState) {
  EXPECT_EQ(stmfSetAluaState(B_TRUE, 1), STMF_STATUS_SUCCESS);
  EXPECT_TRUE(last_.Flag("enabled"));
  EXPECT_EQ(last_.Number("node"), 1u);
  EXPECT_EQ(stmfSetAluaState(B_FALSE, 77), STMF_STATUS_SUCCESS);  // node ignored
  EXPECT_FALSE(last_.Flag("enabled"));
  EXPECT_EQ(last_.Number("node"), 0u);
  last_ = Message();
  EXPECT_EQ(stmfSetAluaState(B_TRUE, 2), STMF_ERROR_INVALID_ARG);
  EXPECT_FALSE(last_.Has("op"));  // refused before any call
  EXPECT_NE(std::string(stmfGetErrorDetail()).find("0 or 1"), std::string::npos);
  boolean_t enabled = B_FALSE;
  uint32_t node = 9;
  ASSERT_EQ(stmfGetAluaState(&enabled, &node), STMF_STATUS_SUCCESS);
  EXPECT_EQ(enabled, B_TRUE);
  EXPECT_EQ(node, 1u);
  EXPECT_EQ(stmfGetAluaState(nullptr, &node), STMF_ERROR_INVALID_ARG);
}

TEST_F(AluaTest, LuStandbySendsTheGuid) {
  stmfGuid g{};
  for (int i = 0; i < 16; ++i) g.guid[i] = static_cast<uchar_t>(i);
  EXPECT_EQ(stmfLuStandby(&g), STMF_ERROR_NOT_FOUND);
  EXPECT_EQ(last_.Bytes("guid")->size(), 16u);
  EXPECT_STREQ(stmfGetErrorDetail(), "LU 60 not found");
  EXPECT_EQ(stmfLuStandby(nullptr), STMF_ERROR_INVALID_ARG);
}

void ProxyProc(void*, char*, size_t, door_desc_t*, uint_t) {
  static uint32_t zero = 0;
  door_return(reinterpret_cast<char*>(&zero), sizeof zero, nullptr, 0);
}

TEST_F(AluaTest, ProxyDoorCalls) {
  int hdl = -1;
  int d = door_create(ProxyProc, nullptr, 0);
  ASSERT_GE(d, 0);
  // No stmfd proxy door yet: the service is not there.
  EXPECT_EQ(stmfInitProxyDoor(&hdl, d), STMF_ERROR_SERVICE_NOT_FOUND);
  std::mutex mu;
  std::vector<std::vector<uint8_t>> got;
  ha::ProxyDoorCallbacks cb;
  cb.allowed = [](uid_t, gid_t, const gid_t*, int) { return true; };
  cb.on_message = [&](std::span<const uint8_t> m) {
    std::lock_guard<std::mutex> l(mu);
    got.emplace_back(m.begin(), m.end());
    return 0u;
  };
  auto door = ha::ProxyDoor::Start(dir_ + "/" + ha::kProxyDoorFileName, cb);
  ASSERT_TRUE(door.ok()) << door.status().ToString();
  ASSERT_EQ(stmfInitProxyDoor(&hdl, d), STMF_STATUS_SUCCESS);
  int hdl2 = -1;
  EXPECT_EQ(stmfInitProxyDoor(&hdl2, d), STMF_ERROR_DOOR_INSTALLED);
  char msg[] = "proxy message";
  EXPECT_EQ(stmfPostProxyMsg(hdl, msg, sizeof msg), STMF_STATUS_SUCCESS);
  EXPECT_EQ(stmfPostProxyMsg(hdl, nullptr, 4), STMF_ERROR_INVALID_ARG);
  {
    std::lock_guard<std::mutex> l(mu);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].size(), sizeof msg);
  }
  EXPECT_TRUE((*door)->Send(std::vector<uint8_t>{1, 2}).ok());  // stmfd -> the door
  stmfDestroyProxyDoor(hdl);
  EXPECT_EQ(stmfPostProxyMsg(hdl, msg, sizeof msg), STMF_ERROR_POST_MSG_FAILED);
  EXPECT_EQ(stmfInitProxyDoor(nullptr, d), STMF_ERROR_INVALID_ARG);
  // stmfd notices that the proxy service let go of its handle (DOOR_UNREF);
  // the door outlives that call.
  for (int i = 0; i < 1000 && (*door)->installed(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_FALSE((*door)->installed());
}

}  // namespace
}  // namespace openstmf::mgmt
