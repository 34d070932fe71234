// Persistent reservations across several I_T nexuses, through the dispatcher.
#include "scsi/persistent_reservation.h"

#include <gtest/gtest.h>

#include "base/byte_order.h"
#include "scsi_test_util.h"

namespace openstmf::scsi {
namespace {

using testing::Cdb;
using testing::IsSense;
using testing::Outcome;
using testing::Read10;
using testing::TestLu;
using testing::Write10;

constexpr int kWe = 1, kEa = 3, kWeRo = 5, kEaRo = 6, kWeAr = 7, kEaAr = 8;

struct PrLu : TestLu {
  PrLu() {
    c = lu.AttachNexus(testing::NexusNamed("iqn.1994-05.com.example:c", 0x3), false);
    viewer = lu.AttachNexus(testing::NexusNamed("iqn.1994-05.com.example:v", 0x4), false);
  }

  Outcome Out(NexusId n, int sa, int type, uint64_t key, uint64_t sa_key, int flags = 0,
              std::vector<uint8_t> extra = {}) {
    std::vector<uint8_t> p(24, 0);
    PutBe64(&p[0], key);
    PutBe64(&p[8], sa_key);
    p[20] = static_cast<uint8_t>(flags);
    p.insert(p.end(), extra.begin(), extra.end());
    auto cdb = Cdb({0x5F, sa, type, 0, 0, 0, 0, 0, static_cast<int>(p.size()), 0});
    return Run(cdb, p, n);
  }
  Outcome In(NexusId n, int sa) { return Run(Cdb({0x5E, sa, 0, 0, 0, 0, 0, 4, 0, 0}), {}, n); }
  std::vector<uint64_t> Keys() {
    auto o = In(viewer, 0);
    std::vector<uint64_t> keys;
    for (size_t i = 8; i + 8 <= o.data.size(); i += 8) keys.push_back(GetBe64(&o.data[i]));
    return keys;
  }
  ScsiStatus ReadStatus(NexusId n) { return Run(Read10(0, 1), {}, n).result.status; }
  ScsiStatus WriteStatus(NexusId n) { return Run(Write10(0, 1), {}, n).result.status; }

  NexusId c;
  NexusId viewer;  // never registers; reads keys without consuming others' UAs
};

constexpr auto kGood = ScsiStatus::kGood;
constexpr auto kConflict = ScsiStatus::kReservationConflict;

TEST(PersistentReservationTest, RegisterAddsKeysAndBumpsGeneration) {
  PrLu t;
  EXPECT_TRUE(t.Out(t.a, 0, 0, 0, 0xA).result.good());
  EXPECT_TRUE(t.Out(t.b, 0, 0, 0, 0xB).result.good());
  EXPECT_EQ(t.Keys(), (std::vector<uint64_t>{0xA, 0xB}));
  EXPECT_EQ(GetBe32(&t.In(t.a, 0).data[0]), 2u);
}

TEST(PersistentReservationTest, RegisterWithWrongKeyConflicts) {
  PrLu t;
  EXPECT_EQ(t.Out(t.a, 0, 0, 5, 0xA).result.status, kConflict);  // unregistered, key != 0
  ASSERT_TRUE(t.Out(t.a, 0, 0, 0, 0xA).result.good());
  EXPECT_EQ(t.Out(t.a, 0, 0, 0xB, 0xC).result.status, kConflict);
  EXPECT_TRUE(t.Out(t.a, 0, 0, 0xA, 0xC).result.good());
  EXPECT_TRUE(t.Out(t.a, 6, 0, 0x999, 0xD).result.good());  // REGISTER AND IGNORE
  EXPECT_EQ(t.Keys(), (std::vector<uint64_t>{0xD}));
  EXPECT_TRUE(t.Out(t.a, 0, 0, 0xD, 0).result.good());  // unregister
  EXPECT_TRUE(t.Keys().empty());
}

TEST(PersistentReservationTest, WrongParameterListLengthIsALengthError) {
  PrLu t;
  auto cdb = Cdb({0x5F, 0, 0, 0, 0, 0, 0, 0, 20, 0});
  EXPECT_TRUE(IsSense(t.Run(cdb, std::vector<uint8_t>(20)), SenseKey::kIllegalRequest, 0x1A00));
}

TEST(PersistentReservationTest, WriteExclusiveLetsOthersReadButNotWrite) {
  PrLu t;
  ASSERT_TRUE(t.Out(t.a, 0, 0, 0, 0xA).result.good());
  ASSERT_TRUE(t.Out(t.b, 0, 0, 0, 0xB).result.good());
  ASSERT_TRUE(t.Out(t.a, 1, kWe, 0xA, 0).result.good());
  EXPECT_EQ(t.WriteStatus(t.a), kGood);
  EXPECT_EQ(t.ReadStatus(t.b), kGood);
  EXPECT_EQ(t.WriteStatus(t.b), kConflict);
  EXPECT_EQ(t.WriteStatus(t.c), kConflict);
  auto rr = t.In(t.b, 1);
  EXPECT_EQ(GetBe32(&rr.data[4]), 16u);
  EXPECT_EQ(GetBe64(&rr.data[8]), 0xAu);
  EXPECT_EQ(rr.data[21], kWe);
}

TEST(PersistentReservationTest, ExclusiveAccessBlocksReadsButNotInquiry) {
  PrLu t;
  ASSERT_TRUE(t.Out(t.a, 0, 0, 0, 0xA).result.good());
  ASSERT_TRUE(t.Out(t.a, 1, kEa, 0xA, 0).result.good());
  EXPECT_EQ(t.ReadStatus(t.b), kConflict);
  EXPECT_EQ(t.Run(Cdb({0x1A, 0, 0x3F, 0, 255, 0}), {}, t.b).result.status, kConflict);
  EXPECT_TRUE(t.Run(Cdb({0x12, 0, 0, 0, 96, 0}), {}, t.b).result.good());
  EXPECT_TRUE(t.Run(Cdb({0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0}), {}, t.b).result.good());
  EXPECT_TRUE(t.Run(Cdb({0, 0, 0, 0, 0, 0}), {}, t.b).result.good());
}

TEST(PersistentReservationTest, RegistrantsOnlyTypesAdmitEveryRegistrant) {
  for (int type : {kWeRo, kEaRo, kWeAr, kEaAr}) {
    PrLu t;
    ASSERT_TRUE(t.Out(t.a, 0, 0, 0, 0xA).result.good());
    ASSERT_TRUE(t.Out(t.b, 0, 0, 0, 0xB).result.good());
    ASSERT_TRUE(t.Out(t.a, 1, type, 0xA, 0).result.good());
    EXPECT_EQ(t.WriteStatus(t.b), kGood) << type;
    EXPECT_EQ(t.WriteStatus(t.c), kConflict) << type;
    bool ea = type == kEaRo || type == kEaAr;
    EXPECT_EQ(t.ReadStatus(t.c), ea ? kConflict : kGood) << type;
  }
}

TEST(PersistentReservationTest, AllRegistrantsReservationReportsKeyZeroAndSurvivesHolderLeaving) {
  PrLu t;
  ASSERT_TRUE(t.Out(t.a, 0, 0, 0, 0xA).result.good());
  ASSERT_TRUE(t.Out(t.b, 0, 0, 0, 0xB).result.good());
  ASSERT_TRUE(t.Out(t.a, 1, kWeAr, 0xA, 0).result.good());
  EXPECT_EQ(GetBe64(&t.In(t.a, 1).data[8]), 0u);
  ASSERT_TRUE(t.Out(t.a, 0, 0, 0xA, 0).result.good());  // a unregisters
  EXPECT_TRUE(t.lu.pr().reserved());
  EXPECT_EQ(t.WriteStatus(t.b), kGood);
  ASSERT_TRUE(t.Out(t.b, 0, 0, 0xB, 0).result.good());
  EXPECT_FALSE(t.lu.pr().reserved());
}

TEST(PersistentReservationTest, ReserveConflictsForOtherHolderAndForTypeChange) {
  PrLu t;
  ASSERT_TRUE(t.Out(t.a, 0, 0, 0, 0xA).result.good());
  ASSERT_TRUE(t.Out(t.b, 0, 0, 0, 0xB).result.good());
  ASSERT_TRUE(t.Out(t.a, 1, kWe, 0xA, 0).result.good());
  EXPECT_TRUE(t.Out(t.a, 1, kWe, 0xA, 0).result.good());
  EXPECT_EQ(t.Out(t.a, 1, kEa, 0xA, 0).result.status, kConflict);
  EXPECT_EQ(t.Out(t.b, 1, kWe, 0xB, 0).result.status, kConflict);
  EXPECT_EQ(t.Out(t.c, 1, kWe, 0, 0).result.status, kConflict);  // unregistered
  EXPECT_TRUE(IsSense(t.Out(t.a, 1, 0x2, 0xA, 0), SenseKey::kIllegalRequest, 0x2400));
  EXPECT_TRUE(IsSense(t.Out(t.b, 1, 0x11, 0xB, 0), SenseKey::kIllegalRequest, 0x2400));
}

TEST(PersistentReservationTest, ReleaseChecksTypeAndNotifiesRegistrantsOnlyReservations) {
  PrLu t;
  ASSERT_TRUE(t.Out(t.a, 0, 0, 0, 0xA).result.good());
  ASSERT_TRUE(t.Out(t.b, 0, 0, 0, 0xB).result.good());
  ASSERT_TRUE(t.Out(t.a, 1, kWeRo, 0xA, 0).result.good());
  EXPECT_TRUE(t.Out(t.b, 2, kWeRo, 0xB, 0).result.good());  // not the holder: no effect
  EXPECT_TRUE(t.lu.pr().reserved());
  EXPECT_TRUE(IsSense(t.Out(t.a, 2, kWe, 0xA, 0), SenseKey::kIllegalRequest, 0x2604));
  ASSERT_TRUE(t.Out(t.a, 2, kWeRo, 0xA, 0).result.good());
  EXPECT_FALSE(t.lu.pr().reserved());
  EXPECT_TRUE(IsSense(t.Run(Read10(0, 1), {}, t.b), SenseKey::kUnitAttention, 0x2A04));
  EXPECT_TRUE(t.lu.unit_attentions(t.a).empty());
}

TEST(PersistentReservationTest, ClearRemovesEverythingAndNotifiesOthers) {
  PrLu t;
  ASSERT_TRUE(t.Out(t.a, 0, 0, 0, 0xA).result.good());
  ASSERT_TRUE(t.Out(t.b, 0, 0, 0, 0xB).result.good());
  ASSERT_TRUE(t.Out(t.a, 1, kEa, 0xA, 0).result.good());
  EXPECT_EQ(t.Out(t.b, 3, 0, 0xC, 0).result.status, kConflict);
  ASSERT_TRUE(t.Out(t.b, 3, 0, 0xB, 0).result.good());
  EXPECT_TRUE(t.Keys().empty());
  EXPECT_FALSE(t.lu.pr().reserved());
  EXPECT_TRUE(t.lu.unit_attentions(t.a).Has(UnitAttention::kReservationsPreempted));
  EXPECT_FALSE(t.lu.unit_attentions(t.b).Has(UnitAttention::kReservationsPreempted));
}

TEST(PersistentReservationTest, PreemptTakesOverTheReservation) {
  PrLu t;
  ASSERT_TRUE(t.Out(t.a, 0, 0, 0, 0xA).result.good());
  ASSERT_TRUE(t.Out(t.b, 0, 0, 0, 0xB).result.good());
  ASSERT_TRUE(t.Out(t.a, 1, kWe, 0xA, 0).result.good());
  ASSERT_TRUE(t.Out(t.b, 4, kEa, 0xB, 0xA).result.good());
  EXPECT_EQ(t.Keys(), (std::vector<uint64_t>{0xB}));
  EXPECT_EQ(t.lu.pr().type(), PrType::kExclusiveAccess);
  EXPECT_TRUE(IsSense(t.Run(Read10(0, 1), {}, t.a), SenseKey::kUnitAttention, 0x2A05));
  EXPECT_EQ(t.ReadStatus(t.a), kConflict);
}

TEST(PersistentReservationTest, PreemptWithoutReservationRemovesRegistrations) {
  PrLu t;
  ASSERT_TRUE(t.Out(t.a, 0, 0, 0, 0xA).result.good());
  ASSERT_TRUE(t.Out(t.b, 0, 0, 0, 0xB).result.good());
  EXPECT_EQ(t.Out(t.a, 4, kWe, 0xA, 0x77).result.status, kConflict);
  EXPECT_TRUE(IsSense(t.Out(t.a, 4, kWe, 0xA, 0), SenseKey::kIllegalRequest, 0x2600));
  ASSERT_TRUE(t.Out(t.a, 4, kWe, 0xA, 0xB).result.good());
  EXPECT_EQ(t.Keys(), (std::vector<uint64_t>{0xA}));
  EXPECT_FALSE(t.lu.pr().reserved());
}

TEST(PersistentReservationTest, PreemptAllRegistrantsWithZeroKeyClearsOthers) {
  PrLu t;
  ASSERT_TRUE(t.Out(t.a, 0, 0, 0, 0xA).result.good());
  ASSERT_TRUE(t.Out(t.b, 0, 0, 0, 0xB).result.good());
  ASSERT_TRUE(t.Out(t.c, 0, 0, 0, 0xC).result.good());
  ASSERT_TRUE(t.Out(t.a, 1, kEaAr, 0xA, 0).result.good());
  ASSERT_TRUE(t.Out(t.b, 4, kWe, 0xB, 0).result.good());
  EXPECT_EQ(t.Keys(), (std::vector<uint64_t>{0xB}));
  EXPECT_EQ(t.lu.pr().type(), PrType::kWriteExclusive);
  EXPECT_TRUE(IsSense(t.Run(Write10(0, 1), {}, t.c), SenseKey::kUnitAttention, 0x2A05));
  EXPECT_EQ(t.WriteStatus(t.c), kConflict);
}

class AbortRecorder : public LuListener {
 public:
  void OnAbortTasksOf(NexusId n) override { aborted.push_back(n); }
  void OnPreemptAndAbort(NexusId n, bool report_task_aborted) override {
    tas.push_back(report_task_aborted);
    LuListener::OnPreemptAndAbort(n, report_task_aborted);
  }
  std::vector<bool> tas;
  void OnReservationChanged(const PersistentReservation&) override { ++changes; }
  std::vector<NexusId> aborted;
  int changes = 0;
};

TEST(PersistentReservationTest, PreemptAndAbortAsksToAbortThePreemptedNexusTasks) {
  AbortRecorder rec;
  testing::TestLu t(testing::DefaultConfig(), &rec);
  auto out = [&](NexusId n, int sa, int type, uint64_t key, uint64_t sa_key) {
    std::vector<uint8_t> p(24, 0);
    PutBe64(&p[0], key);
    PutBe64(&p[8], sa_key);
    return t.Run(Cdb({0x5F, sa, type, 0, 0, 0, 0, 0, 24, 0}), p, n);
  };
  ASSERT_TRUE(out(t.a, 0, 0, 0, 0xA).result.good());
  ASSERT_TRUE(out(t.b, 0, 0, 0, 0xB).result.good());
  ASSERT_TRUE(out(t.a, 1, kWe, 0xA, 0).result.good());
  ASSERT_TRUE(out(t.b, 5, kWe, 0xB, 0xA).result.good());
  EXPECT_EQ(rec.aborted, std::vector<NexusId>{t.a});
  EXPECT_EQ(rec.tas, std::vector<bool>{false});
  EXPECT_EQ(rec.changes, 4);
}

TEST(PersistentReservationTest, PreemptAndAbortTellsTheListenerAboutTas) {
  AbortRecorder rec;
  testing::TestLu t(testing::DefaultConfig(), &rec);
  ASSERT_TRUE(testing::SetControlModeBits(t, 5, 0x40));
  auto out = [&](NexusId n, int sa, int type, uint64_t key, uint64_t sa_key) {
    std::vector<uint8_t> p(24, 0);
    PutBe64(&p[0], key);
    PutBe64(&p[8], sa_key);
    return t.Run(Cdb({0x5F, sa, type, 0, 0, 0, 0, 0, 24, 0}), p, n);
  };
  ASSERT_TRUE(out(t.a, 0, 0, 0, 0xA).result.good());
  ASSERT_TRUE(out(t.b, 0, 0, 0, 0xB).result.good());
  ASSERT_TRUE(out(t.a, 1, kWe, 0xA, 0).result.good());
  ASSERT_TRUE(out(t.b, 5, kWe, 0xB, 0xA).result.good());
  EXPECT_EQ(rec.tas, std::vector<bool>{true});
}

std::vector<uint8_t> IscsiTid(const std::string& name_isid) {
  return EncodeTransportId(name_isid.find(",i,0x") == std::string::npos
                               ? TransportId{Protocol::kIscsi, name_isid, ""}
                               : TransportId{Protocol::kIscsi,
                                             name_isid.substr(0, name_isid.find(',')),
                                             name_isid.substr(name_isid.find(",i,0x") + 5)});
}

TEST(PersistentReservationTest, SpecIPtRegistersListedInitiators) {
  PrLu t;
  auto tid = IscsiTid("iqn.1994-05.com.example:b");
  std::vector<uint8_t> extra(4, 0);
  PutBe32(&extra[0], static_cast<uint32_t>(tid.size()));
  extra.insert(extra.end(), tid.begin(), tid.end());
  ASSERT_TRUE(t.Out(t.a, 0, 0, 0, 0xA, 0x08, extra).result.good());
  EXPECT_EQ(t.Keys(), (std::vector<uint64_t>{0xA, 0xA}));
  EXPECT_TRUE(t.lu.pr().IsRegistered(t.lu.PrNexusOf(t.b)));
  // Registered nexus may not use SPEC_I_PT.
  EXPECT_TRUE(IsSense(t.Out(t.a, 0, 0, 0xA, 0xA, 0x08, extra), SenseKey::kIllegalRequest, 0x2600));
  // A truncated TransportID list is a length error.
  std::vector<uint8_t> bad = extra;
  PutBe32(&bad[0], 400);
  EXPECT_TRUE(IsSense(t.Out(t.c, 0, 0, 0, 0xC, 0x08, bad), SenseKey::kIllegalRequest, 0x1A00));
}

TEST(PersistentReservationTest, AllTargetPortsRegistrationCoversOtherPorts) {
  PrLu t;
  NexusId a2 = t.lu.AttachNexus(testing::NexusNamed("iqn.1994-05.com.example:a", 0x1, 2), false);
  ASSERT_TRUE(t.Out(t.a, 0, 0, 0, 0xA, 0x04).result.good());
  EXPECT_TRUE(t.lu.pr().IsRegistered(t.lu.PrNexusOf(a2)));
  auto fs = t.In(t.a, 3);
  EXPECT_EQ(fs.data[8 + 12] & 0x02, 0x02);
}

TEST(PersistentReservationTest, RegisterAndMoveHandsTheReservationOver) {
  PrLu t;
  ASSERT_TRUE(t.Out(t.a, 0, 0, 0, 0xA).result.good());
  ASSERT_TRUE(t.Out(t.a, 1, kWe, 0xA, 0).result.good());
  auto tid = IscsiTid("iqn.1994-05.com.example:b,i,0x000000000002");
  std::vector<uint8_t> p(24, 0);
  PutBe64(&p[0], 0xA);
  PutBe64(&p[8], 0xBB);
  p[17] = 0x02;  // UNREG
  PutBe16(&p[18], 1);
  PutBe32(&p[20], static_cast<uint32_t>(tid.size()));
  p.insert(p.end(), tid.begin(), tid.end());
  auto cdb = Cdb({0x5F, 7, kWe, 0, 0, 0, 0, 0, static_cast<int>(p.size()), 0});
  ASSERT_TRUE(t.Run(cdb, p, t.a).result.good());
  EXPECT_EQ(t.Keys(), (std::vector<uint64_t>{0xBB}));
  EXPECT_EQ(t.WriteStatus(t.b), kGood);
  EXPECT_EQ(t.WriteStatus(t.a), kConflict);
  // Only the holder may move it.
  EXPECT_EQ(t.Run(cdb, p, t.c).result.status, kConflict);
}

TEST(PersistentReservationTest, RegisterAndMoveRefusesAnUnknownRelativeTargetPort) {
  PrLu t;
  t.lu.SetRelativeTargetPorts({1, 2});
  ASSERT_TRUE(t.Out(t.a, 0, 0, 0, 0xA).result.good());
  ASSERT_TRUE(t.Out(t.a, 1, kWe, 0xA, 0).result.good());
  auto tid = IscsiTid("iqn.1994-05.com.example:b,i,0x000000000002");
  auto list = [&](uint16_t port) {
    std::vector<uint8_t> p(24, 0);
    PutBe64(&p[0], 0xA);
    PutBe64(&p[8], 0xBB);
    PutBe16(&p[18], port);
    PutBe32(&p[20], static_cast<uint32_t>(tid.size()));
    p.insert(p.end(), tid.begin(), tid.end());
    return p;
  };
  auto cdb = Cdb({0x5F, 7, kWe, 0, 0, 0, 0, 0, static_cast<int>(list(1).size()), 0});
  auto o = t.Run(cdb, list(3), t.a);
  EXPECT_TRUE(IsSense(o, SenseKey::kIllegalRequest, 0x2600));
  EXPECT_EQ(o.result.field.byte, 18);
  EXPECT_EQ(t.Keys(), (std::vector<uint64_t>{0xA}));  // nothing moved
  EXPECT_TRUE(t.Run(cdb, list(2), t.a).result.good());
}

TEST(PersistentReservationTest, RegisterAndMoveKnowsThePortsOfTheTargetPortGroups) {
  PrLu t;
  TargetPortGroup g;
  g.id = 1;
  g.relative_port_ids = {1, 5};
  t.lu.SetTargetPortGroups({g});
  EXPECT_EQ(t.lu.RelativeTargetPorts(), (std::vector<uint16_t>{1, 5}));
  t.lu.SetRelativeTargetPorts({7});
  EXPECT_EQ(t.lu.RelativeTargetPorts(), (std::vector<uint16_t>{7}));
}

TEST(PersistentReservationTest, ReportCapabilitiesAndFullStatus) {
  PrLu t;
  auto caps = t.In(t.a, 2);
  ASSERT_EQ(caps.data.size(), 8u);
  EXPECT_EQ(GetBe16(&caps.data[0]), 8);
  EXPECT_EQ(caps.data[2] & 0x0D, 0x0D);
  EXPECT_EQ(caps.data[5], 0x01);
  ASSERT_TRUE(t.Out(t.a, 0, 0, 0, 0xA, 0x01).result.good());
  ASSERT_TRUE(t.Out(t.a, 1, kEa, 0xA, 0).result.good());
  EXPECT_EQ(t.In(t.a, 2).data[3] & 0x01, 0x01);  // PTPL_A
  auto fs = t.In(t.b, 3);
  ASSERT_TRUE(fs.result.good());
  EXPECT_EQ(GetBe64(&fs.data[8]), 0xAu);
  EXPECT_EQ(fs.data[8 + 12] & 1, 1);
  EXPECT_EQ(fs.data[8 + 13], kEa);
  uint32_t tid_len = GetBe32(&fs.data[8 + 20]);
  size_t used = 0;
  auto id = ParseTransportId(std::span<const uint8_t>(fs.data).subspan(8 + 24, tid_len), &used);
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->name, "iqn.1994-05.com.example:a");
  EXPECT_EQ(id->isid, "000000000001");
  EXPECT_TRUE(IsSense(t.In(t.a, 4), SenseKey::kIllegalRequest, 0x2400));
}

TEST(PersistentReservationTest, LegacyReserveConflictsOnceRegistered) {
  PrLu t;
  ASSERT_TRUE(t.Out(t.a, 0, 0, 0, 0xA).result.good());
  EXPECT_EQ(t.Run(Cdb({0x16, 0, 0, 0, 0, 0}), {}, t.a).result.status, kConflict);
  EXPECT_EQ(t.Run(Cdb({0x57, 0, 0, 0, 0, 0, 0, 0, 0, 0}), {}, t.b).result.status, kConflict);
}

TEST(PersistentReservationTest, StateSerialisesAndRestores) {
  PrLu t;
  ASSERT_TRUE(t.Out(t.a, 0, 0, 0, 0xA, 0x01).result.good());
  ASSERT_TRUE(t.Out(t.b, 0, 0, 0, 0xB, 0x05).result.good());
  ASSERT_TRUE(t.Out(t.a, 1, kWeRo, 0xA, 0).result.good());
  auto bytes = t.lu.pr().Serialize();
  auto restored = PersistentReservation::Deserialize(bytes);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ(restored->Serialize(), bytes);
  EXPECT_TRUE(restored->reserved());
  EXPECT_TRUE(restored->aptpl());
  EXPECT_EQ(restored->registrations().size(), 2u);
  EXPECT_TRUE(restored->registrations()[1].all_tg_pt);
  bytes.pop_back();
  EXPECT_FALSE(PersistentReservation::Deserialize(bytes).ok());
  EXPECT_FALSE(PersistentReservation::Deserialize(std::vector<uint8_t>(3)).ok());
}

}  // namespace
}  // namespace openstmf::scsi
