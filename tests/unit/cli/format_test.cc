// What stmfadm and sbdadm print: COMSTAR's layouts and the JSON documents.
#include <gtest/gtest.h>

#include <cstring>

#include "cli/sbdadm/format.h"
#include "cli/stmfadm/format.h"

namespace openstmf::cli {
namespace {

TEST(StmfadmFormatTest, GroupsWithMembers) {
  std::vector<GroupInfo> groups{{"hg1", {"iqn.a", "iqn.b"}}, {"hg2", {}}};
  EXPECT_EQ(FormatGroups("Host Group", groups, false), "Host Group: hg1\nHost Group: hg2\n");
  EXPECT_EQ(FormatGroups("Host Group", groups, true),
            "Host Group: hg1\n\tMember: iqn.a\n\tMember: iqn.b\nHost Group: hg2\n");
  EXPECT_EQ(GroupsJson("host_groups", groups).Dump(),
            R"({"host_groups":[{"name":"hg1","members":["iqn.a","iqn.b"]},)"
            R"({"name":"hg2","members":[]}]})");
}

TEST(StmfadmFormatTest, ViewEntries) {
  stmfViewEntry ve{};
  ve.veIndex = 1;
  ve.allHosts = B_FALSE;
  strcpy(ve.hostGroup, "hg1");
  ve.allTargets = B_TRUE;
  ve.luNbr[0] = 0x01;
  ve.luNbr[1] = 0x2c;
  std::vector<ViewInfo> views{ViewInfo{0, {}, {}, 0}, ViewFromEntry(ve)};
  EXPECT_EQ(FormatViews(views),
            "View Entry: 0\n"
            "    Host group   : All\n"
            "    Target group : All\n"
            "    LUN          : 0\n"
            "View Entry: 1\n"
            "    Host group   : hg1\n"
            "    Target group : All\n"
            "    LUN          : 300\n");
  EXPECT_EQ(ViewsJson("AB", views).Dump(),
            R"({"lu":"AB","views":[{"index":0,"host_group":null,"target_group":null,"lun":0},)"
            R"({"index":1,"host_group":"hg1","target_group":null,"lun":300}]})");
}

LuInfo SampleLu() {
  LuInfo lu;
  lu.guid = "600144F0AABBCCDDEEFF001122334455";
  stmfLogicalUnitProperties p{};
  p.status = STMF_LOGICAL_UNIT_ONLINE;
  strcpy(p.providerName, "sbd");
  memcpy(p.vendor, "OPENSTMF", 8);
  lu.props = p;
  lu.view_count = 2;
  LuInfo::Ext e;
  e.data_file = "/var/lib/lu0";
  e.size = "1073741824";
  e.block_size = "512";
  e.write_protect = "false";
  e.write_cache_disabled = "false";
  e.access_state = "0";
  lu.ext = e;
  return lu;
}

TEST(StmfadmFormatTest, LuVerboseLayout) {
  EXPECT_EQ(FormatLu(SampleLu(), false), "LU Name: 600144F0AABBCCDDEEFF001122334455\n");
  EXPECT_EQ(FormatLu(SampleLu(), true),
            "LU Name: 600144F0AABBCCDDEEFF001122334455\n"
            "    Operational Status: Online\n"
            "    Provider Name     : sbd\n"
            "    Alias             : -\n"
            "    View Entry Count  : 2\n"
            "    Data File         : /var/lib/lu0\n"
            "    Meta File         : not set\n"
            "    Size              : 1073741824\n"
            "    Block Size        : 512\n"
            "    Management URL    : not set\n"
            "    Vendor ID         : not set\n"
            "    Product ID        : not set\n"
            "    Serial Num        : not set\n"
            "    Write Protect     : Disabled\n"
            "    Writeback Cache   : Enabled\n"
            "    Access State      : Active\n");
}

TEST(StmfadmFormatTest, LuJsonKeys) {
  std::string j = LuJson(SampleLu()).Dump();
  EXPECT_NE(j.find(R"("name":"600144F0AABBCCDDEEFF001122334455")"), std::string::npos);
  EXPECT_NE(j.find(R"("operational_status":"Online")"), std::string::npos);
  EXPECT_NE(j.find(R"("size":1073741824)"), std::string::npos);
  EXPECT_NE(j.find(R"("write_protect":false)"), std::string::npos);
  EXPECT_NE(j.find(R"("writeback_cache":true)"), std::string::npos);
  EXPECT_NE(j.find(R"("meta_file":null)"), std::string::npos);
  EXPECT_NE(j.find(R"("vendor":"OPENSTMF")"), std::string::npos);
}

TEST(StmfadmFormatTest, AccessStates) {
  EXPECT_EQ(AccessStateText(STMF_ACCESS_ACTIVE), "Active");
  EXPECT_EQ(AccessStateText(STMF_ACCESS_ACTIVE_TO_STANDBY), "Active->Standby");
  EXPECT_EQ(AccessStateText(STMF_ACCESS_STANDBY), "Standby");
  EXPECT_EQ(AccessStateText(STMF_ACCESS_STANDBY_TO_ACTIVE), "Standby->Active");
  EXPECT_EQ(AccessStateText("9"), "Unknown");
}

TEST(StmfadmFormatTest, TargetVerbose) {
  TargetInfo t;
  t.name = "iqn.2026-11.org.openstmf:default";
  stmfTargetProperties p{};
  strcpy(p.providerName, "iscsit");
  p.status = STMF_TARGET_PORT_ONLINE;
  p.protocol = STMF_PROTOCOL_ISCSI;
  t.props = p;
  t.sessions = std::vector<SessionInfo>{};
  EXPECT_EQ(FormatTarget(t, true),
            "Target: iqn.2026-11.org.openstmf:default\n"
            "    Operational Status: Online\n"
            "    Provider Name     : iscsit\n"
            "    Alias             : -\n"
            "    Protocol          : iSCSI\n"
            "    Sessions          : 0\n");
}

TEST(StmfadmFormatTest, State) {
  stmfState s{STMF_SERVICE_STATE_ONLINE, STMF_CONFIG_STATE_INIT_DONE};
  EXPECT_EQ(FormatState(s, AluaState{}),
            "Operational Status: online\n"
            "Config Status     : initialized\n"
            "ALUA Status       : unknown\n"
            "ALUA Node         : unknown\n");
  EXPECT_EQ(StateJson(s, AluaState{}).Dump(),
            R"({"operational_status":"online","config_status":"initialized",)"
            R"("alua_status":null,"alua_node":null})");
  AluaState on{true, true, 1};
  EXPECT_EQ(FormatState(s, on),
            "Operational Status: online\n"
            "Config Status     : initialized\n"
            "ALUA Status       : enabled\n"
            "ALUA Node         : 1\n");
  EXPECT_EQ(StateJson(s, AluaState{true, false, 0}).Dump(),
            R"({"operational_status":"online","config_status":"initialized",)"
            R"("alua_status":"disabled","alua_node":0})");
}

TEST(SbdadmFormatTest, Table) {
  EXPECT_EQ(SbdHeader(),
            "\n\t      GUID                    DATA SIZE           SOURCE\n"
            "--------------------------------  -------------------  ----------------\n");
  EXPECT_EQ(SbdRowText({"600144F0AABBCCDDEEFF001122334455", "1073741824", "/var/lib/lu0"}),
            "600144f0aabbccddeeff001122334455  1073741824           /var/lib/lu0\n");
}

}  // namespace
}  // namespace openstmf::cli
