// The libnvpair subset, and provider data through an in-process management door
// that keeps it the way stmfd does (packed bytes and a token per provider).
#include <errno.h>
#include <gtest/gtest.h>
#include <libnvpair.h>
#include <libstmf.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "mgmt/ops.h"
#include "mgmt/server.h"
#include "mgmt/status_codes.h"

namespace openstmf::mgmt {
namespace {

TEST(NvpairTest, PackUnpackRoundTrip) {
  nvlist_t* nvl = nullptr;
  ASSERT_EQ(nvlist_alloc(&nvl, NV_UNIQUE_NAME, 0), 0);
  EXPECT_EQ(nvlist_add_string(nvl, "portal", "127.0.0.1:3260"), 0);
  EXPECT_EQ(nvlist_add_uint64(nvl, "tag", 7), 0);
  EXPECT_EQ(nvlist_add_uint64(nvl, "tag", 8), 0);  // unique names: replaces
  EXPECT_EQ(nvlist_add_string(nvl, "", "x"), EINVAL);
  size_t size = 0;
  ASSERT_EQ(nvlist_size(nvl, &size, NV_ENCODE_XDR), 0);
  char* buf = nullptr;
  size_t len = 0;
  ASSERT_EQ(nvlist_pack(nvl, &buf, &len, NV_ENCODE_XDR, 0), 0);
  EXPECT_EQ(len, size);
  nvlist_free(nvl);

  nvlist_t* back = nullptr;
  ASSERT_EQ(nvlist_unpack(buf, len, &back, 0), 0);
  free(buf);
  char* s = nullptr;
  ASSERT_EQ(nvlist_lookup_string(back, "portal", &s), 0);
  EXPECT_STREQ(s, "127.0.0.1:3260");
  uint64_t n = 0;
  ASSERT_EQ(nvlist_lookup_uint64(back, "tag", &n), 0);
  EXPECT_EQ(n, 8u);
  EXPECT_EQ(nvlist_lookup_uint64(back, "portal", &n), ENOENT);  // wrong type
  EXPECT_EQ(nvlist_lookup_string(back, "none", &s), ENOENT);
  nvlist_free(back);
}

TEST(NvpairTest, UnpackRefusesGarbage) {
  char junk[] = "not a packed list";
  nvlist_t* nvl = nullptr;
  EXPECT_EQ(nvlist_unpack(junk, sizeof(junk), &nvl, 0), EINVAL);
  EXPECT_EQ(nvl, nullptr);
}

class ProviderDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/libstmf-pd-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    setenv("OPENSTMF_RUN_DIR", dir_.c_str(), 1);
    dispatcher_.Register(kOpGetProviderData, [this](const Message& req, const Caller&) {
      if (data_.empty()) return Reply(kStmfErrorNotFound, "no data for " + req.Text("name"));
      return Reply(kStmfStatusSuccess).Set("data", data_).Set("token", token_);
    });
    dispatcher_.Register(kOpSetProviderData, [this](const Message& req, const Caller&) {
      if (req.Has("token") && req.NumberOr("token", 0) != token_) {
        return Reply(kStmfErrorProvDataStale, "provider data changed since it was read");
      }
      data_ = req.Text("data");
      ++token_;
      return Reply(kStmfStatusSuccess).Set("token", token_);
    });
    dispatcher_.Register(kOpClearProviderData, [this](const Message&, const Caller&) {
      data_.clear();
      return Reply(kStmfStatusSuccess);
    });
    auto server = Server::Start(dir_ + "/stmfd.door", &dispatcher_);
    ASSERT_TRUE(server.ok());
    server_ = std::move(server).value();
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string dir_;
  Dispatcher dispatcher_;
  std::unique_ptr<Server> server_;
  std::string data_;
  uint64_t token_ = 100;
};

TEST_F(ProviderDataTest, SetGetAndStaleToken) {
  char name[] = "iscsit";
  nvlist_t* nvl = nullptr;
  ASSERT_EQ(nvlist_alloc(&nvl, NV_UNIQUE_NAME, 0), 0);
  ASSERT_EQ(nvlist_add_string(nvl, "alias", "t1"), 0);
  ASSERT_EQ(stmfSetProviderData(name, nvl, STMF_PORT_PROVIDER_TYPE), STMF_STATUS_SUCCESS);
  nvlist_free(nvl);

  nvlist_t* got = nullptr;
  uint64_t token = 0;
  ASSERT_EQ(stmfGetProviderDataProt(name, &got, STMF_PORT_PROVIDER_TYPE, &token),
            STMF_STATUS_SUCCESS);
  EXPECT_EQ(token, 101u);
  char* alias = nullptr;
  ASSERT_EQ(nvlist_lookup_string(got, "alias", &alias), 0);
  EXPECT_STREQ(alias, "t1");

  uint64_t stale = 5;
  EXPECT_EQ(stmfSetProviderDataProt(name, got, STMF_PORT_PROVIDER_TYPE, &stale),
            STMF_ERROR_PROV_DATA_STALE);
  ASSERT_EQ(stmfSetProviderDataProt(name, got, STMF_PORT_PROVIDER_TYPE, &token),
            STMF_STATUS_SUCCESS);
  EXPECT_EQ(token, 102u);
  nvlist_free(got);

  EXPECT_EQ(stmfClearProviderData(name, STMF_PORT_PROVIDER_TYPE), STMF_STATUS_SUCCESS);
  EXPECT_EQ(stmfGetProviderData(name, &got, STMF_PORT_PROVIDER_TYPE), STMF_ERROR_NOT_FOUND);
  EXPECT_EQ(stmfClearProviderData(name, 3), STMF_ERROR_INVALID_ARG);
}

}  // namespace
}  // namespace openstmf::mgmt
