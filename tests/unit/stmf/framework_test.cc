#include "stmf/framework.h"

#include <gtest/gtest.h>

#include "scsi/dispatcher.h"
#include "stmf/no_lu.h"

namespace openstmf::stmf {
namespace {

std::unique_ptr<lu::SbdStore> RamLu(uint64_t size) {
  lu::SbdCreateOptions o;
  o.size = size;
  return std::move(lu::CreateRamLu(o)).value();
}

struct Done {
  static void Fn(scsi::ScsiCommand* /*cmd*/, void* arg) { ++*static_cast<int*>(arg); }
};

TEST(FrameworkTest, DefaultViewShowsEveryLuToEveryone) {
  Framework fw({}, {});
  auto a = fw.AddLu(RamLu(1 << 20));
  auto b = fw.AddLu(RamLu(2 << 20));
  ASSERT_TRUE(a.ok() && b.ok());
  std::vector<LunRef> map = fw.LunMap("iqn.x:any", "iqn.t,t,0x0001");
  ASSERT_EQ(map.size(), 2u);
  EXPECT_EQ(map[0].lun, 0u);
  EXPECT_EQ(map[0].lu, *a);
  EXPECT_EQ(map[1].lun, 1u);
  EXPECT_EQ(fw.FindLu((*b)->guid()), *b);
}

TEST(FrameworkTest, ViewEntriesReplaceTheDefaultView) {
  Framework fw({}, {});
  LogicalUnit* a = fw.AddLu(RamLu(1 << 20)).value();
  LogicalUnit* b = fw.AddLu(RamLu(1 << 20)).value();
  Status s = fw.WithViews([&](Views& v) {
    RETURN_IF_ERROR(v.CreateGroup(GroupKind::kHost, "hg"));
    RETURN_IF_ERROR(v.AddMember(GroupKind::kHost, "hg", "iqn.x:one"));
    ViewRequest r;
    r.host_group = "hg";
    r.lun = 5;
    return v.AddEntry(b->guid(), r).status();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::vector<LunRef> one = fw.LunMap("iqn.x:one", "iqn.t,t,0x0001");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].lun, 5u);
  EXPECT_EQ(one[0].lu, b);
  EXPECT_TRUE(fw.LunMap("iqn.x:two", "iqn.t,t,0x0001").empty());
  (void)a;
}

TEST(FrameworkTest, RamLuRunsCommandsThroughTheLuLock) {
  Framework fw({}, {});
  LogicalUnit* u = fw.AddLu(RamLu(1 << 20)).value();
  std::lock_guard<std::recursive_mutex> lock(u->mu());
  scsi::ItNexus n;
  n.initiator = scsi::IscsiInitiatorPort("iqn.x:one", 1);
  scsi::NexusId id = u->Attach(n, {});
  u->scsi().unit_attentions(id).ClearAll();

  std::vector<uint8_t> data(4096, 0xab);
  uint8_t write10[10] = {0x2a, 0, 0, 0, 0, 8, 0, 0, 8, 0};
  int done = 0;
  scsi::ScsiCommand w;
  w.cdb_bytes = write10;
  w.cdb_size = sizeof(write10);
  w.nexus = id;
  w.done = &Done::Fn;
  w.done_arg = &done;
  ASSERT_TRUE(scsi::Prepare(u->scsi(), w));
  EXPECT_EQ(w.direction, scsi::DataDirection::kOut);
  w.data_out = data;
  scsi::Execute(u->scsi(), w);
  EXPECT_EQ(done, 1);
  EXPECT_TRUE(w.result.good());

  std::vector<uint8_t> back(4096);
  uint8_t read10[10] = {0x28, 0, 0, 0, 0, 8, 0, 0, 8, 0};
  scsi::ScsiCommand r;
  r.cdb_bytes = read10;
  r.cdb_size = sizeof(read10);
  r.nexus = id;
  r.done = &Done::Fn;
  r.done_arg = &done;
  r.data_in = back;
  ASSERT_TRUE(scsi::Prepare(u->scsi(), r));
  scsi::Execute(u->scsi(), r);
  EXPECT_EQ(done, 2);
  EXPECT_EQ(back, data);
  u->Detach(id);
}

TEST(NoLuTest, AnswersInquiryReportLunsAndRefusesTheRest) {
  int done = 0;
  std::vector<uint8_t> buf(96);
  uint8_t inquiry[6] = {0x12, 0, 0, 0, 96, 0};
  scsi::ScsiCommand c;
  c.cdb_bytes = inquiry;
  c.cdb_size = 6;
  c.data_in = buf;
  c.done = &Done::Fn;
  c.done_arg = &done;
  EXPECT_EQ(NoLuDataInLength(inquiry, 6), 96u);
  RespondWithoutLu(c, {});
  EXPECT_EQ(done, 1);
  EXPECT_EQ(buf[0], 0x7f);

  uint64_t luns[] = {0, 3};
  uint8_t report[12] = {0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 96, 0, 0};
  scsi::ScsiCommand rl;
  rl.cdb_bytes = report;
  rl.cdb_size = 12;
  rl.data_in = buf;
  rl.done = &Done::Fn;
  rl.done_arg = &done;
  RespondWithoutLu(rl, luns);
  EXPECT_TRUE(rl.result.good());
  EXPECT_EQ(buf[3], 16);  // two LUNs of 8 bytes

  uint8_t tur[6] = {0, 0, 0, 0, 0, 0};
  scsi::ScsiCommand t;
  t.cdb_bytes = tur;
  t.cdb_size = 6;
  t.done = &Done::Fn;
  t.done_arg = &done;
  RespondWithoutLu(t, {});
  EXPECT_EQ(t.result.status, scsi::ScsiStatus::kCheckCondition);
  EXPECT_EQ(t.result.asc_ascq(), 0x2500);
}

}  // namespace
}  // namespace openstmf::stmf
