// The framework's service state, persistence method and provider data through
// the management dispatcher.
#include "daemon/mgmt_reply.h"
#include "mgmt/ops.h"
#include "mgmt_test_util.h"
#include "stmf/framework.h"

namespace openstmf::daemon {
namespace {

using mgmt::Message;

class MgmtServiceTest : public MgmtFixture {};

TEST_F(MgmtServiceTest, FirstStartStoresTheDefaultLuAndServiceTogether) {
  auto lus = store_->List("lu");
  ASSERT_TRUE(lus.ok());
  ASSERT_EQ(lus->size(), 1u);
  EXPECT_EQ(lus->at(0).second.at("data"), dir_ + "/default-lu.img");
  auto service = store_->Get("stmf", "service");
  ASSERT_TRUE(service.ok() && service->has_value());
  const std::string guid = lus->at(0).first;
  Restart();
  ASSERT_EQ(fw_->Lus().size(), 1u);
  EXPECT_EQ(GuidHex(fw_->Lus()[0]->guid()), guid);
  EXPECT_EQ(store_->List("lu")->size(), 1u);
}

TEST_F(MgmtServiceTest, DeletedDefaultLuStaysDeleted) {
  ASSERT_EQ(Code(Message(mgmt::kOpDeleteLu).Set("guid", GuidBytes(fw_->Lus()[0]->guid()))), 0u);
  Restart();
  EXPECT_TRUE(fw_->Lus().empty());
}

TEST_F(MgmtServiceTest, OfflineFrameworkShowsNoLuAndIsRemembered) {
  Message st = Run(Message(mgmt::kOpGetState));
  EXPECT_EQ(st.Number("operational_state"), kServiceStateOnline);
  EXPECT_EQ(st.Number("config_state"), kConfigStateInitDone);
  EXPECT_EQ(st.Number("persist_method"), kPersistSmf);
  EXPECT_EQ(Code(Message(mgmt::kOpOnline)), mgmt::kStmfErrorServiceOnline);
  int calls = 0;
  fw_->SetLunsChangedListener([&] { ++calls; });
  ASSERT_EQ(Code(Message(mgmt::kOpOffline)), 0u);
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(fw_->LunMap("iqn.x:a", "iqn.t,t,0x0001").empty());
  EXPECT_EQ(Code(Message(mgmt::kOpOffline)), mgmt::kStmfErrorServiceOffline);
  Restart();
  EXPECT_EQ(Run(Message(mgmt::kOpGetState)).Number("operational_state"), kServiceStateOffline);
  EXPECT_TRUE(fw_->LunMap("iqn.x:a", "iqn.t,t,0x0001").empty());
  ASSERT_EQ(Code(Message(mgmt::kOpOnline)), 0u);
  EXPECT_EQ(fw_->LunMap("iqn.x:a", "iqn.t,t,0x0001").size(), 1u);
}

TEST_F(MgmtServiceTest, PersistNoneKeepsChangesInMemoryOnly) {
  EXPECT_EQ(Code(Message(mgmt::kOpSetPersistMethod).Set("persist_method", uint64_t{7})),
            mgmt::kStmfErrorPersistType);
  ASSERT_EQ(Code(Message(mgmt::kOpSetPersistMethod).Set("persist_method", kPersistNone)), 0u);
  ASSERT_EQ(Code(Message(mgmt::kOpCreateGroup).Set("kind", "host").Set("name", "hg")), 0u);
  EXPECT_EQ(Run(Message(mgmt::kOpListGroups).Set("kind", "host")).ListOf("groups")->size(), 1u);
  Restart();
  EXPECT_TRUE(Run(Message(mgmt::kOpListGroups).Set("kind", "host")).ListOf("groups")->empty());
  EXPECT_EQ(Run(Message(mgmt::kOpGetState)).Number("persist_method"), kPersistNone);
  ASSERT_EQ(Code(Message(mgmt::kOpSetPersistMethod).Set("persist_method", kPersistSmf)), 0u);
  ASSERT_EQ(Code(Message(mgmt::kOpCreateGroup).Set("kind", "host").Set("name", "hg")), 0u);
  Restart();
  EXPECT_EQ(Run(Message(mgmt::kOpListGroups).Set("kind", "host")).ListOf("groups")->size(), 1u);
}

TEST_F(MgmtServiceTest, DefaultStatesApplyToNewLusAndPorts) {
  ASSERT_EQ(
      Code(Message(mgmt::kOpSetStmfProp).Set("name", "default_lu_state").Set("value", "offline")),
      0u);
  ASSERT_EQ(
      Code(Message(mgmt::kOpSetStmfProp).Set("name", "default_port_state").Set("value", "offline")),
      0u);
  EXPECT_EQ(Code(Message(mgmt::kOpSetStmfProp).Set("name", "default_lu_state").Set("value", "x")),
            mgmt::kStmfErrorInvalidArg);
  EXPECT_EQ(Code(Message(mgmt::kOpSetStmfProp).Set("name", "colour").Set("value", "red")),
            mgmt::kStmfErrorInvalidArg);
  ASSERT_EQ(Code(Message(mgmt::kOpSetStmfProp).Set("name", "mgmt_url").Set("value", "http://m/")),
            0u);
  Restart();
  Message st = Run(Message(mgmt::kOpGetState));
  EXPECT_EQ(st.Text("default_lu_state"), "offline");
  EXPECT_EQ(st.Text("default_port_state"), "offline");
  EXPECT_EQ(st.Text("mgmt_url"), "http://m/");
  Message lu = Run(Message(mgmt::kOpCreateLu)
                       .Append("props", Message().Set("name", "data").Set("value", dir_ + "/n.img"))
                       .Append("props", Message().Set("name", "size").Set("value", "1M")));
  ASSERT_EQ(mgmt::ReplyStatus(lu), 0u) << lu.Text("error");
  EXPECT_EQ(Run(Message(mgmt::kOpGetLu).Set("guid", *lu.Bytes("guid"))).Text("state"), "offline");
  ASSERT_TRUE(fw_->RegisterPort("iqn.t:x", "", "iscsit", stmf::kProtocolIscsi).ok());
  EXPECT_FALSE(fw_->PortOnline("iqn.t:x"));
}

TEST_F(MgmtServiceTest, ProviderDataWithTokens) {
  Message get = Message(mgmt::kOpGetProviderData).Set("name", "iscsit").Set("type", uint64_t{2});
  EXPECT_EQ(Code(get), mgmt::kStmfErrorNotFound);
  EXPECT_EQ(Code(Message(mgmt::kOpGetProviderData).Set("name", "x").Set("type", uint64_t{3})),
            mgmt::kStmfErrorInvalidArg);
  Message set = Message(mgmt::kOpSetProviderData)
                    .Set("name", "iscsit")
                    .Set("type", uint64_t{2})
                    .Set("data", std::string("\x00\x01\xff", 3));
  Message first = Run(set);
  ASSERT_EQ(mgmt::ReplyStatus(first), 0u);
  const uint64_t token = *first.Number("token");
  Message stale = set;
  stale.Set("token", token + 5);
  EXPECT_EQ(Code(stale), mgmt::kStmfErrorProvDataStale);
  Message fresh = set;
  fresh.Set("token", token);
  fresh.Set("data", "v2");
  ASSERT_EQ(Code(fresh), 0u);
  Restart();
  Message got = Run(get);
  EXPECT_EQ(got.Text("data"), "v2");
  EXPECT_EQ(got.Number("token"), token + 1);
  ASSERT_EQ(
      Code(Message(mgmt::kOpClearProviderData).Set("name", "iscsit").Set("type", uint64_t{2})), 0u);
  Restart();
  EXPECT_EQ(Code(get), mgmt::kStmfErrorNotFound);
}

TEST_F(MgmtServiceTest, AluaSettingIsKept) {
  EXPECT_EQ(Code(Message(mgmt::kOpAluaSetState).SetBool("enabled", true).Set("node", uint64_t{2})),
            mgmt::kStmfErrorInvalidArg);
  ASSERT_EQ(Code(Message(mgmt::kOpAluaSetState).SetBool("enabled", true).Set("node", uint64_t{1})),
            0u);
  Restart();
  Message a = Run(Message(mgmt::kOpAluaGetState));
  EXPECT_TRUE(a.Flag("enabled"));
  EXPECT_EQ(a.Number("node"), 1u);
  Message st = Run(Message(mgmt::kOpGetState));
  EXPECT_TRUE(st.Flag("alua_enabled"));
  EXPECT_EQ(st.Number("alua_node"), 1u);
}

TEST_F(MgmtServiceTest, ProvidersAreListed) {
  Message lu = Run(Message(mgmt::kOpListLuProviders));
  ASSERT_EQ(lu.ListOf("providers")->size(), 1u);
  EXPECT_EQ(lu.ListOf("providers")->at(0).Text("name"), "sbd");
  Message port = Run(Message(mgmt::kOpListPortProviders));
  ASSERT_EQ(port.ListOf("providers")->size(), 1u);
  EXPECT_EQ(port.ListOf("providers")->at(0).Text("name"), "iscsit");
}

}  // namespace
}  // namespace openstmf::daemon
