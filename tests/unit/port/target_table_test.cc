#include "port/iscsit/target_table.h"

#include <gtest/gtest.h>

namespace openstmf::iscsit {
namespace {

class FakeOwner : public SessionOwner {
 public:
  void RequestClose(const char* /*why*/) override { ++closes; }
  int closes = 0;
};

iscsi::LoginCommit Commit(uint64_t isid) {
  iscsi::LoginCommit c;
  c.kind = iscsi::LoginKind::kNewSession;
  c.isid = isid;
  c.initiator_name = "iqn.x:init";
  c.target_name = "iqn.x:tgt";
  return c;
}

TEST(TargetTableTest, FindsTargetsCaseInsensitively) {
  TargetTable t;
  t.AddTarget({"iqn.2026-11.org.openstmf:default", "a", {}, {{"127.0.0.1", 3260, 1}}});
  EXPECT_EQ(t.LookupTarget("IQN.2026-11.org.openstmf:DEFAULT", "i", 1).status,
            iscsi::LoginStatus::kSuccess);
  EXPECT_EQ(t.LookupTarget("iqn.other", "i", 1).status, iscsi::LoginStatus::kNotFound);
  EXPECT_EQ(t.LookupTarget("iqn.2026-11.org.openstmf:default", "i", 7).status,
            iscsi::LoginStatus::kNotFound);
  EXPECT_EQ(t.Targets().size(), 1u);
}

TEST(TargetTableTest, ReinstatementClosesTheOldSession) {
  TargetTable t;
  auto first = t.CommitLogin(Commit(0x80aa));
  ASSERT_EQ(first.status, iscsi::LoginStatus::kSuccess);
  auto owner = std::make_shared<FakeOwner>();
  t.Bind(first.tsih, owner);
  ASSERT_TRUE(t.FindSession("iqn.x:init", 0x80aa, "iqn.x:tgt", 1).has_value());

  iscsi::LoginCommit again = Commit(0x80aa);
  again.kind = iscsi::LoginKind::kSessionReinstatement;
  auto second = t.CommitLogin(again);
  EXPECT_EQ(second.status, iscsi::LoginStatus::kSuccess);
  EXPECT_NE(second.tsih, first.tsih);
  EXPECT_EQ(owner->closes, 1);
  EXPECT_EQ(t.session_count(), 1u);
  // The old connection's late unbind does not remove the new session.
  t.Unbind(first.tsih, owner.get());
  EXPECT_EQ(t.session_count(), 1u);
}

TEST(TargetTableTest, ConnectionsJoinUpToMaxConnections) {
  TargetTable t;
  iscsi::LoginCommit lead = Commit(1);
  lead.cid = 1;
  lead.params.max_connections = 2;
  auto s = t.CommitLogin(lead);
  iscsi::LoginCommit add = Commit(1);
  add.kind = iscsi::LoginKind::kAddConnection;
  add.tsih = s.tsih;
  add.cid = 2;
  EXPECT_EQ(t.CommitLogin(add).status, iscsi::LoginStatus::kSuccess);
  auto rec = t.FindSessionByTsih(s.tsih, 2);
  ASSERT_TRUE(rec.has_value());
  EXPECT_TRUE(rec->has_cid);
  EXPECT_EQ(rec->connection_count, 2u);
  // A third CID is over MaxConnections; a CID in use is a reinstatement.
  add.cid = 3;
  EXPECT_EQ(t.CommitLogin(add).status, iscsi::LoginStatus::kTooManyConnections);
  add.kind = iscsi::LoginKind::kConnectionReinstatement;
  add.cid = 1;
  EXPECT_EQ(t.CommitLogin(add).status, iscsi::LoginStatus::kSuccess);
  EXPECT_EQ(t.FindSessionByTsih(s.tsih, 1)->connection_count, 2u);
  // A released CID makes room again.
  t.ReleaseCid(s.tsih, 2);
  EXPECT_FALSE(t.FindSessionByTsih(s.tsih, 2)->has_cid);
  add.kind = iscsi::LoginKind::kAddConnection;
  add.cid = 3;
  EXPECT_EQ(t.CommitLogin(add).status, iscsi::LoginStatus::kSuccess);
}

TEST(TargetTableTest, ColdResetClosesEverySessionOfTheTarget) {
  TargetTable t;
  auto first = t.CommitLogin(Commit(1));
  auto second = t.CommitLogin(Commit(2));
  iscsi::LoginCommit other = Commit(3);
  other.target_name = "iqn.x:other";
  auto third = t.CommitLogin(other);
  auto o1 = std::make_shared<FakeOwner>(), o2 = std::make_shared<FakeOwner>(),
       o3 = std::make_shared<FakeOwner>();
  t.Bind(first.tsih, o1);
  t.Bind(second.tsih, o2);
  t.Bind(third.tsih, o3);
  t.CloseSessionsOf("iqn.x:tgt", "target cold reset");
  EXPECT_EQ(o1->closes, 1);
  EXPECT_EQ(o2->closes, 1);
  EXPECT_EQ(o3->closes, 0);
}

}  // namespace
}  // namespace openstmf::iscsit
