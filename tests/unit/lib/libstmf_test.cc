// libstmf against an in-process management door whose handlers record the
// requests and answer as stmfd would: what each C call sends, how replies become
// C structures, and how failures are reported.
#include <gtest/gtest.h>
#include <libstmf.h>
#include <sys/stat.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

#include "mgmt/ops.h"
#include "mgmt/server.h"
#include "mgmt/status_codes.h"

namespace openstmf::mgmt {
namespace {

stmfGuid TestGuid() {
  stmfGuid g{};
  for (int i = 0; i < 16; ++i) g.guid[i] = static_cast<uchar_t>(0x60 + i);
  return g;
}

class LibstmfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/libstmf-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    setenv("OPENSTMF_RUN_DIR", dir_.c_str(), 1);
    auto record = [this](Message reply) {
      return [this, reply](const Message& req, const Caller&) {
        last_ = req;
        return reply;
      };
    };
    dispatcher_.Register(kOpCreateGroup, record(Reply(kStmfStatusSuccess)));
    dispatcher_.Register(kOpDeleteGroup,
                         record(Reply(kStmfErrorNotFound, "host group \"hg9\" not found")));
    dispatcher_.Register(kOpAddMember, record(Reply(kStmfStatusSuccess)));
    Message groups = Reply(kStmfStatusSuccess);
    groups.Append("groups", Message().Set("name", "hg1"))
        .Append("groups", Message().Set("name", "hg2"));
    dispatcher_.Register(kOpListGroups, record(groups));
    Message members = Reply(kStmfStatusSuccess);
    members.Append("members", Message().Set("name", "iqn.1993-08.org.debian:01:abc"));
    dispatcher_.Register(kOpListMembers, record(members));
    dispatcher_.Register(
        kOpAddView,
        record(Reply(kStmfStatusSuccess).Set("index", uint64_t{3}).Set("lun", uint64_t{7})));
    Message views = Reply(kStmfStatusSuccess);
    views.Append("views", Message().Set("index", uint64_t{0}).Set("lun", uint64_t{0}));
    views.Append(
        "views",
        Message().Set("index", uint64_t{1}).Set("host_group", "hg1").Set("lun", uint64_t{300}));
    dispatcher_.Register(kOpListViews, record(views));
    guid_ = TestGuid();
    std::string guid_bytes(reinterpret_cast<const char*>(guid_.guid), 16);
    dispatcher_.Register(kOpCreateLu, record(Reply(kStmfStatusSuccess).Set("guid", guid_bytes)));
    dispatcher_.Register(kOpGetLu, record(Reply(kStmfStatusSuccess)
                                              .Set("guid", guid_bytes)
                                              .Set("provider", "sbd")
                                              .Set("state", "online")
                                              .Set("alias", "disk0")
                                              .Set("vendor", "OPENSTMF")
                                              .Set("size", "1073741824")
                                              .Set("data", "/var/lib/lu0")
                                              .Set("wp", "false")
                                              .Set("access_state", "0")));
    dispatcher_.Register(kOpGetState,
                         record(Reply(kStmfStatusSuccess)
                                    .Set("operational_state", uint64_t{STMF_SERVICE_STATE_ONLINE})
                                    .Set("config_state", uint64_t{STMF_CONFIG_STATE_INIT_DONE})
                                    .Set("persist_method", uint64_t{STMF_PERSIST_NONE})
                                    .Set("default_lu_state", "online")));
    auto server = Server::Start(dir_ + "/stmfd.door", &dispatcher_);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string dir_;
  Dispatcher dispatcher_;
  std::unique_ptr<Server> server_;
  Message last_;
  stmfGuid guid_{};
};

TEST_F(LibstmfTest, CreateHostGroupSendsKindAndName) {
  stmfGroupName name = "hg1";
  EXPECT_EQ(stmfCreateHostGroup(&name), STMF_STATUS_SUCCESS);
  EXPECT_EQ(last_.Text("op"), kOpCreateGroup);
  EXPECT_EQ(last_.Text("kind"), "host");
  EXPECT_EQ(last_.Text("name"), "hg1");
  EXPECT_STREQ(stmfGetErrorDetail(), "");
}

TEST_F(LibstmfTest, DaemonErrorCarriesItsSentence) {
  stmfGroupName name = "hg9";
  EXPECT_EQ(stmfDeleteTargetGroup(&name), STMF_ERROR_NOT_FOUND);
  EXPECT_EQ(last_.Text("kind"), "target");
  EXPECT_STREQ(stmfGetErrorDetail(), "host group \"hg9\" not found");
}

TEST_F(LibstmfTest, BadArgumentsNeverReachTheDaemon) {
  stmfGroupName empty = "";
  EXPECT_EQ(stmfCreateHostGroup(&empty), STMF_ERROR_INVALID_ARG);
  stmfGroupName unterminated;
  memset(unterminated, 'x', sizeof(unterminated));
  EXPECT_EQ(stmfCreateHostGroup(&unterminated), STMF_ERROR_INVALID_ARG);
  stmfGuid g = TestGuid();
  EXPECT_EQ(stmfModifyLu(&g, STMF_LU_PROP_GUID, "600144F0000000000000000000000001"),
            STMF_ERROR_INVALID_PROP);
  EXPECT_EQ(stmfModifyLu(&g, STMF_LU_PROP_SIZE, "12x"), STMF_ERROR_INVALID_ARG);
  EXPECT_FALSE(last_.Has("op"));
}

TEST_F(LibstmfTest, GroupListsAndMembers) {
  stmfGroupList* list = nullptr;
  ASSERT_EQ(stmfGetHostGroupList(&list), STMF_STATUS_SUCCESS);
  ASSERT_EQ(list->cnt, 2u);
  EXPECT_STREQ(list->name[0], "hg1");
  EXPECT_STREQ(list->name[1], "hg2");
  stmfFreeMemory(list);
  stmfGroupName name = "hg1";
  stmfGroupProperties* members = nullptr;
  ASSERT_EQ(stmfGetHostGroupMembers(&name, &members), STMF_STATUS_SUCCESS);
  ASSERT_EQ(members->cnt, 1u);
  EXPECT_EQ(
      std::string(reinterpret_cast<char*>(members->name[0].ident), members->name[0].identLength),
      "iqn.1993-08.org.debian:01:abc");
  stmfFreeMemory(members);
}

TEST_F(LibstmfTest, AddViewFillsInIndexAndLun) {
  stmfGuid g = TestGuid();
  stmfViewEntry ve{};
  ve.allHosts = B_FALSE;
  strcpy(ve.hostGroup, "hg1");
  ve.allTargets = B_TRUE;
  ASSERT_EQ(stmfAddViewEntry(&g, &ve), STMF_STATUS_SUCCESS);
  EXPECT_EQ(last_.Text("host_group"), "hg1");
  EXPECT_FALSE(last_.Has("target_group"));
  EXPECT_FALSE(last_.Has("lun"));
  EXPECT_TRUE(ve.veIndexValid);
  EXPECT_EQ(ve.veIndex, 3u);
  EXPECT_TRUE(ve.luNbrValid);
  EXPECT_EQ(ve.luNbr[1], 7);
}

TEST_F(LibstmfTest, ViewListHasGroupsAndLuns) {
  stmfGuid g = TestGuid();
  stmfViewEntryList* list = nullptr;
  ASSERT_EQ(stmfGetViewEntryList(&g, &list), STMF_STATUS_SUCCESS);
  ASSERT_EQ(list->cnt, 2u);
  EXPECT_TRUE(list->ve[0].allHosts);
  EXPECT_TRUE(list->ve[0].allTargets);
  EXPECT_FALSE(list->ve[1].allHosts);
  EXPECT_STREQ(list->ve[1].hostGroup, "hg1");
  EXPECT_EQ((list->ve[1].luNbr[0] << 8) | list->ve[1].luNbr[1], 300);
  stmfFreeMemory(list);
}

TEST_F(LibstmfTest, LuResourceKeepsPropertiesUntilCreate) {
  luResource hdl = nullptr;
  ASSERT_EQ(stmfCreateLuResource(STMF_DISK, &hdl), STMF_STATUS_SUCCESS);
  EXPECT_EQ(stmfSetLuProp(hdl, STMF_LU_PROP_SIZE, "1g"), STMF_STATUS_SUCCESS);
  EXPECT_EQ(stmfSetLuProp(hdl, STMF_LU_PROP_VID, "TOOLONGVENDOR"), STMF_ERROR_INVALID_PROPSIZE);
  EXPECT_EQ(stmfSetLuProp(hdl, STMF_LU_PROP_WRITE_PROTECT, "maybe"), STMF_ERROR_INVALID_ARG);
  EXPECT_EQ(stmfSetLuProp(hdl, STMF_LU_PROP_ACCESS_STATE, "0"), STMF_ERROR_INVALID_PROP);
  char buf[64];
  size_t len = sizeof(buf);
  ASSERT_EQ(stmfGetLuProp(hdl, STMF_LU_PROP_SIZE, buf, &len), STMF_STATUS_SUCCESS);
  EXPECT_STREQ(buf, "1073741824");
  EXPECT_EQ(stmfGetLuProp(hdl, STMF_LU_PROP_ALIAS, buf, &len), STMF_ERROR_NO_PROP);
  stmfGuid created{};
  EXPECT_EQ(stmfCreateLu(hdl, &created), STMF_ERROR_MISSING_PROP_VAL);  // no file yet
  EXPECT_FALSE(last_.Has("op"));
  ASSERT_EQ(stmfSetLuProp(hdl, STMF_LU_PROP_FILENAME, "/var/lib/lu0"), STMF_STATUS_SUCCESS);
  ASSERT_EQ(stmfCreateLu(hdl, &created), STMF_STATUS_SUCCESS);
  EXPECT_EQ(memcmp(&created, &guid_, sizeof(created)), 0);
  const Message::List* props = last_.ListOf("props");
  ASSERT_NE(props, nullptr);
  EXPECT_EQ(props->size(), 2u);
  EXPECT_EQ(stmfFreeLuResource(hdl), STMF_STATUS_SUCCESS);
}

TEST_F(LibstmfTest, GetLuPropReportsTheSizeItNeeds) {
  stmfGuid g = TestGuid();
  luResource hdl = nullptr;
  ASSERT_EQ(stmfGetLuResource(&g, &hdl), STMF_STATUS_SUCCESS);
  char small[4];
  size_t len = sizeof(small);
  EXPECT_EQ(stmfGetLuProp(hdl, STMF_LU_PROP_FILENAME, small, &len), STMF_ERROR_INVALID_ARG);
  EXPECT_EQ(len, strlen("/var/lib/lu0") + 1);
  char buf[64];
  len = sizeof(buf);
  ASSERT_EQ(stmfGetLuProp(hdl, STMF_LU_PROP_ACCESS_STATE, buf, &len), STMF_STATUS_SUCCESS);
  EXPECT_STREQ(buf, STMF_ACCESS_ACTIVE);
  stmfFreeLuResource(hdl);
}

TEST_F(LibstmfTest, LogicalUnitProperties) {
  stmfGuid g = TestGuid();
  stmfLogicalUnitProperties p;
  ASSERT_EQ(stmfGetLogicalUnitProperties(&g, &p), STMF_STATUS_SUCCESS);
  EXPECT_EQ(p.status, static_cast<uint32_t>(STMF_LOGICAL_UNIT_ONLINE));
  EXPECT_STREQ(p.providerName, "sbd");
  EXPECT_STREQ(p.alias, "disk0");
  EXPECT_EQ(std::string(reinterpret_cast<char*>(p.vendor), 8), "OPENSTMF");
}

TEST_F(LibstmfTest, ServiceStateAndProperties) {
  stmfState s;
  ASSERT_EQ(stmfGetState(&s), STMF_STATUS_SUCCESS);
  EXPECT_EQ(s.operationalState, STMF_SERVICE_STATE_ONLINE);
  EXPECT_EQ(s.configState, STMF_CONFIG_STATE_INIT_DONE);
  uint8_t persist = 0;
  ASSERT_EQ(stmfGetPersistMethod(&persist, B_FALSE), STMF_STATUS_SUCCESS);
  EXPECT_EQ(persist, STMF_PERSIST_NONE);
  char value[16];
  size_t len = sizeof(value);
  ASSERT_EQ(stmfGetStmfProp(STMF_DEFAULT_LU_STATE, value, &len), STMF_STATUS_SUCCESS);
  EXPECT_STREQ(value, "online");
  EXPECT_EQ(stmfSetPersistMethod(7, B_FALSE), STMF_ERROR_INVALID_ARG);
  EXPECT_EQ(stmfLoadConfig(), STMF_ERROR_SERVICE_ONLINE);
}

TEST_F(LibstmfTest, DevidHelpers) {
  uchar_t wwn[8] = {0x21, 0x00, 0x00, 0x24, 0xff, 0x3a, 0x0b, 0xcd};
  stmfDevid d;
  ASSERT_EQ(stmfDevidFromWwn(wwn, &d), STMF_STATUS_SUCCESS);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(d.ident), d.identLength), "wwn.21000024FF3A0BCD");
  char name[] = "iqn.2026-11.org.openstmf:t1";
  ASSERT_EQ(stmfDevidFromIscsiName(name, &d), STMF_STATUS_SUCCESS);
  EXPECT_EQ(d.identLength, strlen(name));
}

TEST_F(LibstmfTest, NoDaemonIsServiceNotFound) {
  server_.reset();
  stmfGroupList* list = nullptr;
  EXPECT_EQ(stmfGetHostGroupList(&list), STMF_ERROR_SERVICE_NOT_FOUND);
  EXPECT_NE(std::string(stmfGetErrorDetail()).find("stmfd is not running"), std::string::npos);
}

TEST_F(LibstmfTest, UnknownOpIsTheDaemonsInvalidArg) {
  stmfGroupName name = "hg1";
  stmfGroupProperties* members = nullptr;
  EXPECT_EQ(stmfGetTargetGroupMembers(&name, &members), STMF_STATUS_SUCCESS);
  stmfFreeMemory(members);
  stmfDevid d{};
  d.identLength = 3;
  memcpy(d.ident, "abc", 3);
  EXPECT_EQ(stmfOnlineTarget(&d), STMF_ERROR_INVALID_ARG);  // no handler registered
}

TEST(LibstmfStatusText, EveryCodeHasWords) {
  EXPECT_STREQ(stmfStatusText(STMF_ERROR_PERM), "permission denied");
  EXPECT_STREQ(stmfStatusText(STMF_ERROR_SERVICE_NOT_FOUND), "STMF service not found");
  EXPECT_STREQ(stmfStatusText(12345), "unknown error");
  EXPECT_EQ(STMF_ERROR_FILE_IN_USE, 0x8100);
  EXPECT_EQ(STMF_ERROR_WRITE_CACHE_SET, 0x8109);
  EXPECT_EQ(STMF_ERROR_INVALID_PROP, 0x8020);
}

}  // namespace
}  // namespace openstmf::mgmt
