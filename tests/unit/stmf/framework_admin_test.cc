// The framework's administrative side: removing LUs, LU and framework
// online/offline, the LUNs-changed listener, target-name matching in views,
// and the local port and session registry.
#include <gtest/gtest.h>

#include "stmf/framework.h"

namespace openstmf::stmf {
namespace {

std::unique_ptr<lu::SbdStore> RamLu(uint64_t size) {
  lu::SbdCreateOptions o;
  o.size = size;
  return std::move(lu::CreateRamLu(o)).value();
}

TEST(FrameworkAdminTest, RemovedLuLeavesMapsButStaysAlive) {
  Framework fw({}, {});
  LogicalUnit* a = fw.AddLu(RamLu(1 << 20)).value();
  LogicalUnit* b = fw.AddLu(RamLu(1 << 20)).value();
  int calls = 0;
  fw.SetLunsChangedListener([&] { ++calls; });
  const Guid ga = a->guid();
  ASSERT_TRUE(fw.RemoveLu(ga).ok());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(fw.FindLu(ga), nullptr);
  EXPECT_EQ(fw.RemoveLu(ga).code(), Code::kNotFound);
  std::vector<LunRef> map = fw.LunMap("iqn.x:a", "iqn.t,t,0x0001");
  ASSERT_EQ(map.size(), 1u);
  EXPECT_EQ(map[0].lu, b);
  // A session that still holds the pointer may use it.
  std::lock_guard<std::recursive_mutex> lock(a->mu());
  EXPECT_EQ(a->guid(), ga);
}

TEST(FrameworkAdminTest, OfflineLuAndOfflineFrameworkAreInNoMap) {
  Framework fw({}, {});
  LogicalUnit* a = fw.AddLu(RamLu(1 << 20)).value();
  LogicalUnit* b = fw.AddLu(RamLu(1 << 20), false).value();
  EXPECT_EQ(fw.LuOnline(b->guid()), false);
  std::vector<LunRef> map = fw.LunMap("iqn.x:a", "iqn.t,t,0x0001");
  ASSERT_EQ(map.size(), 1u);
  EXPECT_EQ(map[0].lu, a);
  int calls = 0;
  fw.SetLunsChangedListener([&] { ++calls; });
  ASSERT_TRUE(fw.SetLuOnline(b->guid(), true).ok());
  EXPECT_EQ(fw.LunMap("iqn.x:a", "iqn.t,t,0x0001").size(), 2u);
  ASSERT_TRUE(fw.SetLuOnline(a->guid(), false).ok());
  map = fw.LunMap("iqn.x:a", "iqn.t,t,0x0001");
  ASSERT_EQ(map.size(), 1u);
  EXPECT_EQ(map[0].lun, 1u);  // the default view keeps LUN numbers
  fw.SetOnline(false);
  EXPECT_FALSE(fw.online());
  EXPECT_TRUE(fw.LunMap("iqn.x:a", "iqn.t,t,0x0001").empty());
  fw.SetOnline(true);
  EXPECT_EQ(calls, 4);
  Guid none{};
  EXPECT_EQ(fw.SetLuOnline(none, true).code(), Code::kNotFound);
}

TEST(FrameworkAdminTest, TargetGroupsMatchTheTargetName) {
  Framework fw({}, {});
  LogicalUnit* a = fw.AddLu(RamLu(1 << 20)).value();
  int calls = 0;
  fw.SetLunsChangedListener([&] { ++calls; });
  Status s = fw.WithViews([&](Views& v) {
    RETURN_IF_ERROR(v.CreateGroup(GroupKind::kTarget, "tg"));
    RETURN_IF_ERROR(v.AddMember(GroupKind::kTarget, "tg", "iqn.t:one"));
    ViewRequest r;
    r.target_group = "tg";
    return v.AddEntry(a->guid(), r).status();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(fw.LunMap("iqn.x:a", "iqn.t:one,t,0x0001").size(), 1u);
  EXPECT_EQ(fw.LunMap("iqn.x:a", "iqn.t:one,t,0x0002").size(), 1u);
  EXPECT_TRUE(fw.LunMap("iqn.x:a", "iqn.t:two,t,0x0001").empty());
  // A failed change tells nobody.
  (void)fw.WithViews([&](Views& v) { return v.CreateGroup(GroupKind::kTarget, "tg"); });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(TargetNameOfPort("iqn.t:one,t,0x0001"), "iqn.t:one");
  EXPECT_EQ(TargetNameOfPort("iqn.t:one"), "iqn.t:one");
}

TEST(FrameworkAdminTest, RelativePortIdsStayPerPortName) {
  Framework fw({}, {});
  TargetPortInfo p1 = fw.RegisterPort("iqn.t:one,t,0x0001");
  TargetPortInfo p2 = fw.RegisterPort("iqn.t:one,t,0x0002");
  EXPECT_EQ(p1.relative_port_id, 1);
  EXPECT_EQ(p2.relative_port_id, 2);
  EXPECT_EQ(fw.RegisterPort("iqn.t:one,t,0x0001").relative_port_id, 1);
}

TEST(FrameworkAdminTest, LocalPortsAndSessions) {
  Framework fw({}, {});
  ASSERT_TRUE(fw.RegisterPort("iqn.t:one", "one", "iscsit", kProtocolIscsi).ok());
  EXPECT_EQ(fw.RegisterPort("iqn.t:one", "", "iscsit", kProtocolIscsi).code(),
            Code::kAlreadyExists);
  EXPECT_TRUE(fw.PortOnline("iqn.t:one"));
  ASSERT_TRUE(fw.SetPortOnline("iqn.t:one", false).ok());
  EXPECT_FALSE(fw.PortOnline("iqn.t:one"));
  EXPECT_EQ(fw.SetPortOnline("iqn.t:none", true).code(), Code::kNotFound);
  fw.SetDefaultPortOnline(false);
  ASSERT_TRUE(fw.RegisterPort("iqn.t:two", "", "iscsit", kProtocolIscsi).ok());
  EXPECT_FALSE(fw.PortOnline("iqn.t:two"));
  ASSERT_EQ(fw.Ports().size(), 2u);
  EXPECT_EQ(fw.Ports()[0].alias, "one");
  EXPECT_EQ(fw.FindPort("iqn.t:one")->provider, "iscsit");

  uint64_t s1 = fw.AddSession("iqn.t:one", "iqn.x:a", "host a");
  uint64_t s2 = fw.AddSession("iqn.t:one", "iqn.x:b", "");
  fw.AddSession("iqn.t:two", "iqn.x:c", "");
  EXPECT_NE(s1, s2);
  std::vector<SessionInfo> sessions = fw.Sessions("iqn.t:one");
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(sessions[0].initiator, "iqn.x:a");
  EXPECT_EQ(sessions[0].alias, "host a");
  EXPECT_GT(sessions[0].creation_time, 1700000000);
  fw.RemoveSession(s1);
  EXPECT_EQ(fw.Sessions("iqn.t:one").size(), 1u);
  ASSERT_TRUE(fw.DeregisterPort("iqn.t:two").ok());
  EXPECT_TRUE(fw.Sessions("iqn.t:two").empty());
  EXPECT_EQ(fw.DeregisterPort("iqn.t:two").code(), Code::kNotFound);
}

}  // namespace
}  // namespace openstmf::stmf
