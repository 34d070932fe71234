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

TEST(TargetTableTest, OneConnectionPerSession) {
  TargetTable t;
  auto s = t.CommitLogin(Commit(1));
  iscsi::LoginCommit add = Commit(1);
  add.kind = iscsi::LoginKind::kAddConnection;
  add.tsih = s.tsih;
  EXPECT_EQ(t.CommitLogin(add).status, iscsi::LoginStatus::kTooManyConnections);
  auto rec = t.FindSessionByTsih(s.tsih, 0);
  ASSERT_TRUE(rec.has_value());
  EXPECT_TRUE(rec->has_cid);
}

}  // namespace
}  // namespace openstmf::iscsit
