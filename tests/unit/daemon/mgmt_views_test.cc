// Host groups, target groups and views through the management dispatcher.
#include "daemon/mgmt_reply.h"
#include "mgmt/ops.h"
#include "mgmt_test_util.h"
#include "stmf/framework.h"

namespace openstmf::daemon {
namespace {

using mgmt::Message;

Message Group(const char* op, const char* kind, const std::string& name) {
  return Message(op).Set("kind", kind).Set("name", name);
}
Message Member(const char* op, const char* kind, const std::string& name, const std::string& m) {
  return Group(op, kind, name).Set("member", m);
}

class MgmtViewsTest : public MgmtFixture {
 protected:
  stmf::Guid DefaultGuid() { return fw_->Lus().at(0)->guid(); }
  Message View(const std::string& hg, const std::string& tg) {
    Message m(mgmt::kOpAddView);
    m.Set("guid", GuidBytes(DefaultGuid()));
    if (!hg.empty()) m.Set("host_group", hg);
    if (!tg.empty()) m.Set("target_group", tg);
    return m;
  }
};

TEST_F(MgmtViewsTest, GroupsMembersAndViewsComeBackAfterRestart) {
  EXPECT_EQ(Code(Group(mgmt::kOpCreateGroup, "host", "hg1")), 0u);
  EXPECT_EQ(Code(Member(mgmt::kOpAddMember, "host", "hg1", "iqn.1994-05.com.a:one")), 0u);
  EXPECT_EQ(Code(Member(mgmt::kOpAddMember, "host", "hg1", "iqn.1994-05.com.a:two")), 0u);
  EXPECT_EQ(Code(Group(mgmt::kOpCreateGroup, "target", "tg1")), 0u);
  EXPECT_EQ(Code(Member(mgmt::kOpAddMember, "target", "tg1", "iqn.t:one")), 0u);
  Message added = Run(View("hg1", "tg1").Set("lun", uint64_t{7}));
  ASSERT_EQ(mgmt::ReplyStatus(added), 0u) << added.Text("error");
  EXPECT_EQ(added.Number("lun"), 7u);
  EXPECT_EQ(added.Number("index"), 0u);

  Restart();
  Message groups = Run(Message(mgmt::kOpListGroups).Set("kind", "host"));
  ASSERT_NE(groups.ListOf("groups"), nullptr);
  ASSERT_EQ(groups.ListOf("groups")->size(), 1u);
  EXPECT_EQ(groups.ListOf("groups")->at(0).Text("name"), "hg1");
  Message members = Run(Group(mgmt::kOpListMembers, "host", "hg1"));
  ASSERT_EQ(members.ListOf("members")->size(), 2u);
  EXPECT_EQ(members.ListOf("members")->at(1).Text("name"), "iqn.1994-05.com.a:two");
  Message views = Run(Message(mgmt::kOpListViews).Set("guid", GuidBytes(DefaultGuid())));
  ASSERT_EQ(views.ListOf("views")->size(), 1u);
  const Message& v = views.ListOf("views")->at(0);
  EXPECT_EQ(v.Text("host_group"), "hg1");
  EXPECT_EQ(v.Text("target_group"), "tg1");
  EXPECT_EQ(v.Number("lun"), 7u);
  // And the framework masks with it: the target group names the target, the
  // session's port is "target,t,0x0001".
  EXPECT_EQ(fw_->LunMap("iqn.1994-05.com.a:one", "iqn.t:one,t,0x0001").size(), 1u);
  EXPECT_TRUE(fw_->LunMap("iqn.1994-05.com.a:one", "iqn.t:two,t,0x0001").empty());
  EXPECT_TRUE(fw_->LunMap("iqn.1994-05.com.a:three", "iqn.t:one,t,0x0001").empty());
}

TEST_F(MgmtViewsTest, AnswersComstarCodesAndChangesNothingOnError) {
  ASSERT_EQ(Code(Group(mgmt::kOpCreateGroup, "host", "hg1")), 0u);
  EXPECT_EQ(Code(Group(mgmt::kOpCreateGroup, "host", "hg1")), mgmt::kStmfErrorExists);
  EXPECT_EQ(Code(Group(mgmt::kOpCreateGroup, "disk", "x")), mgmt::kStmfErrorInvalidArg);
  EXPECT_EQ(Code(Group(mgmt::kOpCreateGroup, "host", "")), mgmt::kStmfErrorInvalidArg);
  EXPECT_EQ(Code(Group(mgmt::kOpDeleteGroup, "host", "nope")), mgmt::kStmfErrorGroupNotFound);
  EXPECT_EQ(Code(Member(mgmt::kOpAddMember, "host", "nope", "iqn.x")),
            mgmt::kStmfErrorGroupNotFound);
  EXPECT_EQ(Code(Member(mgmt::kOpRemoveMember, "host", "hg1", "iqn.x")),
            mgmt::kStmfErrorMemberNotFound);
  EXPECT_EQ(Code(Member(mgmt::kOpAddMember, "host", "hg1", "bad\nname")),
            mgmt::kStmfErrorInvalidArg);
  EXPECT_EQ(Code(View("nope", "")), mgmt::kStmfErrorInvalidHg);
  EXPECT_EQ(Code(View("", "nope")), mgmt::kStmfErrorInvalidTg);
  EXPECT_EQ(Code(View("hg1", "").Set("lun", uint64_t{16384})), mgmt::kStmfErrorInvalidArg);
  ASSERT_EQ(Code(View("hg1", "").Set("lun", uint64_t{3})), 0u);
  EXPECT_EQ(Code(View("hg1", "")), mgmt::kStmfErrorVeConflict);
  EXPECT_EQ(Code(Group(mgmt::kOpDeleteGroup, "host", "hg1")), mgmt::kStmfErrorGroupInUse);
  Message err = Run(
      Message(mgmt::kOpRemoveView).Set("guid", GuidBytes(DefaultGuid())).Set("index", uint64_t{9}));
  EXPECT_EQ(mgmt::ReplyStatus(err), mgmt::kStmfErrorNotFound);
  EXPECT_NE(err.Text("error").find("view entry 9"), std::string::npos);

  auto views = store_->List("view");
  ASSERT_TRUE(views.ok());
  EXPECT_EQ(views->size(), 1u);
}

TEST_F(MgmtViewsTest, LunInUseAcrossLus) {
  Message lu = Run(Message(mgmt::kOpCreateLu)
                       .Append("props", Message().Set("name", "data").Set("value", dir_ + "/b.img"))
                       .Append("props", Message().Set("name", "size").Set("value", "4M")));
  ASSERT_EQ(mgmt::ReplyStatus(lu), 0u) << lu.Text("error");
  ASSERT_EQ(Code(View("", "").Set("lun", uint64_t{1})), 0u);
  EXPECT_EQ(Code(Message(mgmt::kOpAddView).Set("guid", *lu.Bytes("guid")).Set("lun", uint64_t{1})),
            mgmt::kStmfErrorLunInUse);
  Message v = Run(Message(mgmt::kOpValidateView).Set("guid", *lu.Bytes("guid")));
  EXPECT_EQ(mgmt::ReplyStatus(v), 0u);
  EXPECT_EQ(v.Number("lun"), 0u);
  // Validation adds nothing.
  EXPECT_TRUE(
      Run(Message(mgmt::kOpListViews).Set("guid", *lu.Bytes("guid"))).ListOf("views")->empty());
}

TEST_F(MgmtViewsTest, TargetGroupOfAnOnlineTargetCannotChange) {
  ASSERT_TRUE(fw_->RegisterPort("iqn.t:one", "one", "iscsit", stmf::kProtocolIscsi).ok());
  ASSERT_EQ(Code(Group(mgmt::kOpCreateGroup, "target", "tg")), 0u);
  Message r = Run(Member(mgmt::kOpAddMember, "target", "tg", "iqn.t:one"));
  EXPECT_EQ(mgmt::ReplyStatus(r), mgmt::kStmfErrorTgOnline);
  EXPECT_NE(r.Text("error").find("iqn.t:one"), std::string::npos);
  ASSERT_TRUE(fw_->SetPortOnline("iqn.t:one", false).ok());
  EXPECT_EQ(Code(Member(mgmt::kOpAddMember, "target", "tg", "iqn.t:one")), 0u);
  ASSERT_TRUE(fw_->SetPortOnline("iqn.t:one", true).ok());
  EXPECT_EQ(Code(Member(mgmt::kOpRemoveMember, "target", "tg", "iqn.t:one")),
            mgmt::kStmfErrorTgOnline);
}

TEST_F(MgmtViewsTest, ViewChangesTellTheListener) {
  int calls = 0;
  fw_->SetLunsChangedListener([&] { ++calls; });
  ASSERT_EQ(Code(Group(mgmt::kOpCreateGroup, "host", "hg1")), 0u);
  EXPECT_EQ(calls, 0);  // an unused group changes no LUN map
  Message added = Run(View("hg1", ""));
  ASSERT_EQ(mgmt::ReplyStatus(added), 0u);
  EXPECT_EQ(calls, 1);
  ASSERT_EQ(Code(Member(mgmt::kOpAddMember, "host", "hg1", "iqn.x:a")), 0u);
  EXPECT_EQ(calls, 2);
  ASSERT_EQ(Code(Message(mgmt::kOpRemoveView)
                     .Set("guid", GuidBytes(DefaultGuid()))
                     .Set("index", *added.Number("index"))),
            0u);
  EXPECT_EQ(calls, 3);
}

// A store that refuses every write (a trigger another connection installs):
// each change is undone and answered STMF_STATUS_ERROR.
TEST_F(MgmtViewsTest, StoreFailureUndoesTheChange) {
  ASSERT_EQ(Code(Group(mgmt::kOpCreateGroup, "host", "hg1")), 0u);
  ASSERT_EQ(Code(Member(mgmt::kOpAddMember, "host", "hg1", "iqn.x:a")), 0u);
  ASSERT_EQ(Code(View("hg1", "")), 0u);
  ASSERT_EQ(Code(Group(mgmt::kOpCreateGroup, "host", "hg3")), 0u);
  ASSERT_TRUE(InstallFailingTriggers(dir_ + "/config.db"));

  Message r = Run(Group(mgmt::kOpCreateGroup, "host", "hg2"));
  EXPECT_EQ(mgmt::ReplyStatus(r), mgmt::kStmfStatusError);
  EXPECT_NE(r.Text("error").find("nothing was changed"), std::string::npos);
  EXPECT_EQ(Code(Member(mgmt::kOpAddMember, "host", "hg1", "iqn.x:b")), mgmt::kStmfStatusError);
  EXPECT_EQ(Code(Member(mgmt::kOpRemoveMember, "host", "hg1", "iqn.x:a")), mgmt::kStmfStatusError);
  EXPECT_EQ(Code(View("hg3", "").Set("lun", uint64_t{5})), mgmt::kStmfStatusError);
  EXPECT_EQ(Code(Group(mgmt::kOpDeleteGroup, "host", "hg3")), mgmt::kStmfStatusError);
  EXPECT_EQ(Code(Message(mgmt::kOpRemoveView)
                     .Set("guid", GuidBytes(DefaultGuid()))
                     .Set("index", uint64_t{0})),
            mgmt::kStmfStatusError);
  EXPECT_EQ(Code(Message(mgmt::kOpDeleteLu).Set("guid", GuidBytes(DefaultGuid()))),
            mgmt::kStmfStatusError);

  // Memory is as before: the same groups, members, views and LU.
  const stmf::Guid guid = DefaultGuid();
  fw_->ReadViews([&](const stmf::Views& v) {
    EXPECT_EQ(v.Groups(stmf::GroupKind::kHost), (std::vector<std::string>{"hg1", "hg3"}));
    auto members = v.Members(stmf::GroupKind::kHost, "hg1");
    EXPECT_EQ(members.value(), std::vector<std::string>{"iqn.x:a"});
    EXPECT_EQ(v.Entries(guid).size(), 1u);
    return 0;
  });
  EXPECT_EQ(fw_->Lus().size(), 1u);
}

}  // namespace
}  // namespace openstmf::daemon
