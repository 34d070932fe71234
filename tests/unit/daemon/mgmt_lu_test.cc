// Logical units through the management dispatcher: create, import, modify,
// delete, online/offline, and what a restart brings back.
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/mgmt_reply.h"
#include "lu/sbd/sbd_lu.h"
#include "mgmt/ops.h"
#include "mgmt_test_util.h"
#include "scsi/transport_id.h"
#include "scsi/unit_attention.h"
#include "stmf/framework.h"

namespace openstmf::daemon {
namespace {

using mgmt::Message;

Message Prop(const std::string& name, const std::string& value) {
  return Message().Set("name", name).Set("value", value);
}

class MgmtLuTest : public MgmtFixture {
 protected:
  Message Create(std::vector<std::pair<std::string, std::string>> props) {
    Message m(mgmt::kOpCreateLu);
    for (const auto& [n, v] : props) m.Append("props", Prop(n, v));
    return Run(m);
  }
  std::string NewLu(const std::string& file, const std::string& size = "8M") {
    Message r = Create({{"data", dir_ + "/" + file}, {"size", size}});
    EXPECT_EQ(mgmt::ReplyStatus(r), 0u) << r.Text("error");
    return r.Bytes("guid").value_or("");
  }
  Message Get(const std::string& guid) { return Run(Message(mgmt::kOpGetLu).Set("guid", guid)); }
  bool Exists(const std::string& file) { return access((dir_ + "/" + file).c_str(), F_OK) == 0; }
};

TEST_F(MgmtLuTest, CreateReportsEveryPropertyAndSurvivesRestart) {
  Message r = Create({{"data", dir_ + "/a.img"},
                      {"size", "16M"},
                      {"blk", "4096"},
                      {"alias", "db disk"},
                      {"vendor", "ACME"},
                      {"product", "Widget"},
                      {"revision", "0.9"},
                      {"serial", "SN-1"},
                      {"mgmt-url", "https://x/"},
                      {"wcd", "true"},
                      {"oui", "0A0B0C"}});
  ASSERT_EQ(mgmt::ReplyStatus(r), 0u) << r.Text("error");
  const std::string guid = *r.Bytes("guid");
  ASSERT_EQ(guid.size(), 16u);
  // NAA 6 with the given company id.
  EXPECT_EQ(static_cast<uint8_t>(guid[0]), 0x60);
  EXPECT_EQ(static_cast<uint8_t>(guid[1]), 0xA0);
  EXPECT_EQ(static_cast<uint8_t>(guid[2]), 0xB0);
  EXPECT_EQ(static_cast<uint8_t>(guid[3]) >> 4, 0xC);

  auto check = [&] {
    Message g = Get(guid);
    ASSERT_EQ(mgmt::ReplyStatus(g), 0u) << g.Text("error");
    EXPECT_EQ(g.Text("alias"), "db disk");
    EXPECT_EQ(g.Text("vendor"), "ACME");
    EXPECT_EQ(g.Text("product"), "Widget");
    EXPECT_EQ(g.Text("revision"), "0.9");
    EXPECT_EQ(g.Text("serial"), "SN-1");
    EXPECT_EQ(g.Text("mgmt-url"), "https://x/");
    EXPECT_EQ(g.Text("wcd"), "true");
    EXPECT_EQ(g.Text("wp"), "false");
    EXPECT_EQ(g.Text("blk"), "4096");
    EXPECT_EQ(g.Text("size"), std::to_string(16 << 20));
    EXPECT_EQ(g.Text("oui"), "0A0B0C");
    EXPECT_EQ(g.Text("data"), dir_ + "/a.img");
    EXPECT_EQ(g.Text("state"), "online");
    EXPECT_EQ(g.Text("provider"), "sbd");
    EXPECT_EQ(g.Number("view_count"), 0u);
  };
  check();
  Restart();
  check();
  Message list = Run(Message(mgmt::kOpListLus));
  EXPECT_EQ(list.ListOf("lus")->size(), 2u);  // and the embedded default
}

TEST_F(MgmtLuTest, CreateErrorsChangeNothing) {
  const std::string used = NewLu("used.img");
  auto code = [&](std::vector<std::pair<std::string, std::string>> p) {
    return mgmt::ReplyStatus(Create(std::move(p)));
  };
  const std::string f = dir_ + "/new.img";
  EXPECT_EQ(code({{"data", dir_ + "/used.img"}, {"size", "1M"}}), mgmt::kStmfErrorFileAlready);
  EXPECT_EQ(code({{"data", f}, {"size", "1M"}, {"blk", "1024"}}), mgmt::kStmfErrorInvalidBlocksize);
  EXPECT_EQ(code({{"data", f}, {"size", "1M"}, {"vendor", "NINECHARS"}}),
            mgmt::kStmfErrorInvalidPropsize);
  EXPECT_EQ(code({{"data", f}, {"size", "1M"}, {"product", "seventeen-chars-x"}}),
            mgmt::kStmfErrorInvalidPropsize);
  EXPECT_EQ(code({{"data", f}, {"size", "1M"}, {"colour", "red"}}), mgmt::kStmfErrorInvalidProp);
  EXPECT_EQ(code({{"data", f}, {"size", "1M"}, {"access_state", "1"}}),
            mgmt::kStmfErrorAccessStateSet);
  EXPECT_EQ(code({{"data", f}, {"size", "1M"}, {"guid", lu::GuidToString(fw_->Lus()[1]->guid())}}),
            mgmt::kStmfErrorExists);
  EXPECT_EQ(code({{"data", f}, {"size", "1M"}, {"guid", "xyz"}}), mgmt::kStmfErrorInvalidArg);
  EXPECT_EQ(code({{"data", f}, {"size", "1M"}, {"wp", "maybe"}}), mgmt::kStmfErrorInvalidArg);
  EXPECT_EQ(code({{"data", f}, {"size", "lots"}}), mgmt::kStmfErrorInvalidArg);
  EXPECT_EQ(code({{"data", f}}), mgmt::kStmfErrorMissingPropVal);
  EXPECT_EQ(code({{"size", "1M"}}), mgmt::kStmfErrorMissingPropVal);
  EXPECT_EQ(code({{"data", "relative.img"}, {"size", "1M"}}), mgmt::kStmfErrorInvalidArg);
  EXPECT_EQ(code({{"data", f}, {"size", "1M"}, {"meta", dir_ + "/m"}}),
            mgmt::kStmfErrorInvalidProp);
  EXPECT_FALSE(Exists("new.img"));
  EXPECT_EQ(fw_->Lus().size(), 2u);
  EXPECT_EQ(store_->List("lu")->size(), 2u);
  (void)used;
}

TEST_F(MgmtLuTest, ExistingFileWithoutMetadataIsUsedAtItsSize) {
  const std::string f = dir_ + "/raw.img";
  {
    FILE* fp = fopen(f.c_str(), "w");
    ASSERT_NE(fp, nullptr);
    ASSERT_EQ(ftruncate(fileno(fp), (1 << 20) + (4 << 20)), 0);
    fclose(fp);
  }
  Message r = Create({{"data", f}});
  ASSERT_EQ(mgmt::ReplyStatus(r), 0u) << r.Text("error");
  EXPECT_EQ(Get(*r.Bytes("guid")).Text("size"), std::to_string(4 << 20));
}

TEST_F(MgmtLuTest, ModifyChangesSizeAndPropertiesAndRaisesUnitAttentions) {
  const std::string guid = NewLu("m.img", "8M");
  stmf::LogicalUnit* u = fw_->FindLu(*GuidField(Message().Set("guid", guid)));
  ASSERT_NE(u, nullptr);
  scsi::NexusId nexus;
  {
    std::lock_guard<std::recursive_mutex> lock(u->mu());
    scsi::ItNexus n;
    n.initiator = scsi::IscsiInitiatorPort("iqn.x:a", 1);
    nexus = u->scsi().AttachNexus(n, false);
  }
  int calls = 0;
  fw_->SetLunsChangedListener([&] { ++calls; });
  Message m(mgmt::kOpModifyLu);
  m.Set("guid", guid);
  m.Append("props", Prop("size", "16M"));
  m.Append("props", Prop("alias", "bigger"));
  m.Append("props", Prop("wp", "true"));
  ASSERT_EQ(Code(m), 0u);
  EXPECT_EQ(calls, 1);
  {
    std::lock_guard<std::recursive_mutex> lock(u->mu());
    EXPECT_EQ(u->scsi().config().block_count, (16u << 20) / 512);
    EXPECT_TRUE(u->scsi().config().write_protected);
    auto& ua = u->scsi().unit_attentions(nexus);
    EXPECT_TRUE(ua.Has(scsi::UnitAttention::kCapacityDataChanged));
    EXPECT_TRUE(ua.Has(scsi::UnitAttention::kModeParametersChanged));
  }
  struct stat st {};
  ASSERT_EQ(stat((dir_ + "/m.img").c_str(), &st), 0);
  EXPECT_EQ(static_cast<uint64_t>(st.st_size), (1u << 20) + (16u << 20));

  // Properties COMSTAR fixes at creation, and bad values, change nothing.
  Message bad(mgmt::kOpModifyLu);
  bad.Set("guid", guid);
  bad.Append("props", Prop("alias", "not this"));
  bad.Append("props", Prop("vendor", "X"));
  EXPECT_EQ(Code(bad), mgmt::kStmfErrorInvalidProp);
  Message by_file(mgmt::kOpModifyLu);
  by_file.Set("file", dir_ + "/m.img");
  by_file.Append("props", Prop("wcd", "true"));
  EXPECT_EQ(Code(by_file), 0u);
  EXPECT_EQ(Code(Message(mgmt::kOpModifyLu).Set("file", dir_ + "/none.img")),
            mgmt::kStmfErrorNotFound);

  Restart();
  Message g = Get(guid);
  EXPECT_EQ(g.Text("alias"), "bigger");
  EXPECT_EQ(g.Text("size"), std::to_string(16 << 20));
  EXPECT_EQ(g.Text("wp"), "true");
  EXPECT_EQ(g.Text("wcd"), "true");
}

TEST_F(MgmtLuTest, DeleteRemovesViewsUnlessKeptAndImportBringsTheLuBack) {
  const std::string guid = NewLu("d.img");
  ASSERT_EQ(Code(Message(mgmt::kOpAddView).Set("guid", guid)), 0u);
  ASSERT_EQ(Code(Message(mgmt::kOpDeleteLu).Set("guid", guid).SetBool("keep_views", true)), 0u);
  EXPECT_EQ(mgmt::ReplyStatus(Get(guid)), mgmt::kStmfErrorNotFound);
  EXPECT_EQ(store_->List("view")->size(), 1u);

  Message imported = Run(Message(mgmt::kOpImportLu).Set("file", dir_ + "/d.img"));
  ASSERT_EQ(mgmt::ReplyStatus(imported), 0u) << imported.Text("error");
  EXPECT_EQ(*imported.Bytes("guid"), guid);
  EXPECT_EQ(Get(guid).Number("view_count"), 1u);
  EXPECT_EQ(mgmt::ReplyStatus(Run(Message(mgmt::kOpImportLu).Set("file", dir_ + "/d.img"))),
            mgmt::kStmfErrorFileAlready);
  EXPECT_EQ(mgmt::ReplyStatus(Run(Message(mgmt::kOpImportLu).Set("file", dir_ + "/no.img"))),
            mgmt::kStmfErrorNotFound);

  ASSERT_EQ(Code(Message(mgmt::kOpDeleteLu).Set("guid", guid)), 0u);
  EXPECT_TRUE(store_->List("view")->empty());
  EXPECT_EQ(Code(Message(mgmt::kOpDeleteLu).Set("guid", guid)), mgmt::kStmfErrorNotFound);
  Restart();
  EXPECT_EQ(mgmt::ReplyStatus(Get(guid)), mgmt::kStmfErrorNotFound);
  EXPECT_TRUE(Exists("d.img"));  // delete-lu never removes the backing store
}

TEST_F(MgmtLuTest, AnAdministratorsImportClearsARetiredLeaseThePairsDoesNot) {
  const std::string guid = NewLu("r.img");
  ASSERT_EQ(Code(Message(mgmt::kOpDeleteLu).Set("guid", guid)), 0u);
  auto lease = [&] {
    auto s = lu::OpenLu(dir_ + "/r.img");
    return s.ok() ? (*s)->metadata().lease : lu::OwnershipLease{};
  };
  {
    auto s = lu::OpenLu(dir_ + "/r.img");  // as the pair's owner leaves it (ha/pair_node.h)
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->WriteLease({1, 4, 0, true}).ok());
  }
  Message from_peer = Message(mgmt::kOpImportLu).Set("file", dir_ + "/r.img");
  from_peer.Set("from_peer", uint64_t{1});
  ASSERT_EQ(Code(from_peer), 0u);
  EXPECT_TRUE(lease().retired);
  ASSERT_EQ(Code(Message(mgmt::kOpDeleteLu).Set("guid", guid)), 0u);

  ASSERT_EQ(Code(Message(mgmt::kOpImportLu).Set("file", dir_ + "/r.img")), 0u);
  EXPECT_EQ(lease(), (lu::OwnershipLease{1, 4, 0, false}));
}

TEST_F(MgmtLuTest, OfflineLuLeavesEveryLunMapAndStaysOfflineAfterRestart) {
  const std::string guid = NewLu("o.img");
  EXPECT_EQ(fw_->LunMap("iqn.x:a", "iqn.t,t,0x0001").size(), 2u);
  ASSERT_EQ(Code(Message(mgmt::kOpOfflineLu).Set("guid", guid)), 0u);
  EXPECT_EQ(fw_->LunMap("iqn.x:a", "iqn.t,t,0x0001").size(), 1u);
  EXPECT_EQ(Get(guid).Text("state"), "offline");
  Restart();
  EXPECT_EQ(Get(guid).Text("state"), "offline");
  EXPECT_EQ(fw_->LunMap("iqn.x:a", "iqn.t,t,0x0001").size(), 1u);
  ASSERT_EQ(Code(Message(mgmt::kOpOnlineLu).Set("guid", guid)), 0u);
  EXPECT_EQ(fw_->LunMap("iqn.x:a", "iqn.t,t,0x0001").size(), 2u);
}

TEST_F(MgmtLuTest, MissingBackingFileIsSkippedAtStart) {
  const std::string guid = NewLu("gone.img");
  Stop();
  ASSERT_EQ(unlink((dir_ + "/gone.img").c_str()), 0);
  Start();
  EXPECT_EQ(mgmt::ReplyStatus(Get(guid)), mgmt::kStmfErrorNotFound);
  EXPECT_EQ(fw_->Lus().size(), 1u);
}

TEST_F(MgmtLuTest, FlagLusAreServedButNeverStored) {
  Stop();
  LuSpec spec;
  spec.path = dir_ + "/flag.img";
  spec.size = 4 << 20;
  options_.lus.push_back(spec);
  Start();
  EXPECT_EQ(fw_->Lus().size(), 2u);
  EXPECT_EQ(store_->List("lu")->size(), 1u);
  stmf::LogicalUnit* flag = fw_->FindLuByPath(spec.path);
  ASSERT_NE(flag, nullptr);
  Message m(mgmt::kOpModifyLu);
  m.Set("guid", GuidBytes(flag->guid()));
  m.Append("props", Prop("alias", "x"));
  ASSERT_EQ(Code(m), 0u);
  EXPECT_EQ(store_->List("lu")->size(), 1u);
  Restart();
  EXPECT_EQ(fw_->Lus().size(), 2u);
}

TEST_F(MgmtLuTest, StoreFailureUndoesLuChanges) {
  const std::string guid = NewLu("f.img", "8M");
  ASSERT_TRUE(InstallFailingTriggers(dir_ + "/config.db"));
  EXPECT_EQ(mgmt::ReplyStatus(Create({{"data", dir_ + "/g.img"}, {"size", "1M"}})),
            mgmt::kStmfStatusError);
  EXPECT_FALSE(Exists("g.img"));
  Message m(mgmt::kOpModifyLu);
  m.Set("guid", guid);
  m.Append("props", Prop("size", "32M"));
  m.Append("props", Prop("alias", "changed"));
  EXPECT_EQ(Code(m), mgmt::kStmfStatusError);
  Message g = Get(guid);
  EXPECT_EQ(g.Text("size"), std::to_string(8 << 20));
  EXPECT_EQ(g.Text("alias"), "");
  EXPECT_EQ(Code(Message(mgmt::kOpOfflineLu).Set("guid", guid)), mgmt::kStmfStatusError);
  EXPECT_EQ(Get(guid).Text("state"), "online");
  EXPECT_EQ(fw_->Lus().size(), 2u);
}

}  // namespace
}  // namespace openstmf::daemon
