// Two PairNodes in one process, each with its own framework and loop, on one
// shared backing file; messages go through a BatchSender each way, as in stmfd,
// and the "link" between them can be cut.
#include "ha/pair_node.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <future>
#include <shared_mutex>
#include <thread>

#include "event/loop_group.h"
#include "ha/batch_sender.h"
#include "lu/sbd/sbd_lu.h"
#include "scsi/dispatcher.h"

namespace openstmf::ha {
namespace {

using namespace std::chrono_literals;
constexpr auto kLease = 300ms;

struct Node {
  std::shared_mutex gate;  // held (shared) while the peer's sender calls into pair
  event::LoopGroup group;
  std::unique_ptr<stmf::Framework> fw;
  std::unique_ptr<BatchSender> out;
  std::unique_ptr<PairNode> pair;
};

class PairNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/openstmf-pair.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    lu::SbdCreateOptions o;
    o.size = 8 << 20;
    auto store = lu::CreateFileLu(dir_ + "/lu.img", o);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    guid_ = (*store)->metadata().guid;
    store->reset();
    for (int i = 0; i < 2; ++i) {
      Node& n = nodes_[i];
      ASSERT_TRUE(n.group.Start(1, false).ok());
      n.fw = std::make_unique<stmf::Framework>(std::vector<event::EventLoop*>{n.group.loop(0)},
                                               std::vector<event::IoRing*>{});
      auto opened = lu::OpenLu(dir_ + "/lu.img");
      ASSERT_TRUE(opened.ok());
      ASSERT_TRUE(n.fw->AddLu(std::move(opened).value()).ok());
      n.fw->RegisterPort(i == 0 ? "iqn.a,t,0x0001" : "iqn.b,t,0x0001");
      Node* peer = &nodes_[1 - i];
      n.out = std::make_unique<BatchSender>(
          [this, i, peer](std::span<const uint8_t> b) {
            std::shared_lock<std::shared_mutex> gate(peer->gate);
            if (cut_) return Status(Code::kUnavailable, "cut");
            std::vector<uint8_t> kept;
            if (i == 1 && drop_commands_) {
              kept = WithoutCommands(b);
              if (kept.empty()) return Status::Ok();
              b = kept;
            }
            return peer->pair && peer->pair->OnMessage(b) == 0
                       ? Status::Ok()
                       : Status(Code::kInvalidArgument, "refused");
          },
          nullptr);
    }
    for (int i = 0; i < 2; ++i) StartPair(i);
  }

  void StartPair(int i) {
    Node& n = nodes_[i];
    PairOptions o;
    o.framework = n.fw.get();
    o.loops = {n.group.loop(0)};
    o.lease = kLease;
    o.tick = 20ms;
    o.echo_interval = 50ms;
    o.peer_timeout = peer_timeout_;
    o.drain_timeout = 500ms;
    o.delete_lu = [fw = n.fw.get()](const Guid& g) { return fw->RemoveLu(g); };
    BatchSender* out = n.out.get();
    o.send = [out](MessageParts m, bool wait) { return wait ? out->SendAndWait(m) : out->Send(m); };
    auto pair = std::make_unique<PairNode>(o);
    std::unique_lock<std::shared_mutex> gate(n.gate);
    n.pair = std::move(pair);
  }

  void StopPair(int i) {
    std::unique_ptr<PairNode> gone;
    {
      std::unique_lock<std::shared_mutex> gate(nodes_[i].gate);
      gone = std::move(nodes_[i].pair);
    }
    gone.reset();  // its threads may still send through its own sender
  }

  void TearDown() override {
    cut_ = true;
    StopPair(0);
    StopPair(1);
    for (Node& n : nodes_) n.out.reset();
    for (Node& n : nodes_) {
      n.fw.reset();
      n.group.Stop();
    }
    std::string cmd = "rm -rf " + dir_;
    (void)std::system(cmd.c_str());
  }

  // Waits until node i reports `want` for the LU.
  bool WaitAccess(int i, LuAccess want, std::chrono::milliseconds limit = 5000ms) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      if (nodes_[i].pair && nodes_[i].pair->Access(guid_) == want) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  std::vector<scsi::TargetPortGroup> Groups(int i) {
    stmf::LogicalUnit* u = nodes_[i].fw->FindLu(guid_);
    std::lock_guard<std::recursive_mutex> lock(u->mu());
    return u->scsi().target_port_groups();
  }

  lu::OwnershipLease LeaseOnDisk() {
    auto s = lu::OpenLu(dir_ + "/lu.img");
    return s.ok() ? (*s)->metadata().lease : lu::OwnershipLease{};
  }

  void EnableBoth() {
    ASSERT_TRUE(nodes_[0].pair->SetAluaState(true, 0).ok());
    ASSERT_TRUE(nodes_[1].pair->SetAluaState(true, 1).ok());
    ASSERT_TRUE(WaitAccess(0, LuAccess::kActive));
    ASSERT_TRUE(WaitAccess(1, LuAccess::kActiveNonOptimized));
    for (int i = 0;
         i < 500 && !(nodes_[0].pair->state().peer_alive && nodes_[1].pair->state().peer_alive);
         ++i) {
      std::this_thread::sleep_for(10ms);
    }
    ASSERT_TRUE(nodes_[0].pair->state().peer_alive);
  }

  // The batch without its SCSI commands: the owner never sees them, while the
  // liveness check and everything else still flow.
  static std::vector<uint8_t> WithoutCommands(std::span<const uint8_t> batch) {
    std::vector<uint8_t> out;
    auto decoded = DecodeBatch(batch);
    if (!decoded.ok()) return out;
    for (const ProxyMsg& m : *decoded) {
      if (m.type == MsgType::kScsiCmd && m.tmf == 0) continue;
      std::vector<uint8_t> one = Encode(m);
      out.insert(out.end(), one.begin(), one.end());
    }
    return out;
  }

  std::string dir_;
  Guid guid_{};
  Node nodes_[2];
  std::atomic<bool> cut_{false};
  std::atomic<bool> drop_commands_{false};  // node 1's SCSI commands never reach node 0
  std::chrono::milliseconds peer_timeout_{400};
};

TEST_F(PairNodeTest, NodeZeroOwnsAndBothReportTheSameGroups) {
  EnableBoth();
  EXPECT_FALSE(nodes_[0].pair->SetAluaState(true, 2).ok());
  // Node 1's port was renumbered from 256; both nodes list both groups alike.
  auto deadline = std::chrono::steady_clock::now() + 3s;
  std::vector<scsi::TargetPortGroup> a, b;
  do {
    std::this_thread::sleep_for(20ms);
    a = Groups(0);
    b = Groups(1);
  } while ((a.size() != 2 || b.size() != 2 || a[1].relative_port_ids.empty() ||
            b[0].relative_port_ids.empty()) &&
           std::chrono::steady_clock::now() < deadline);
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  for (size_t g = 0; g < 2; ++g) {
    EXPECT_EQ(a[g].id, b[g].id);
    EXPECT_EQ(a[g].state, b[g].state);
    EXPECT_EQ(a[g].relative_port_ids, b[g].relative_port_ids);
  }
  EXPECT_EQ(a[0].state, scsi::AluaState::kActiveOptimized);
  EXPECT_EQ(a[1].state, scsi::AluaState::kActiveNonOptimized);
  EXPECT_EQ(a[0].relative_port_ids, std::vector<uint16_t>{1});
  EXPECT_EQ(a[1].relative_port_ids, std::vector<uint16_t>{256});
  EXPECT_EQ(LeaseOnDisk().owner_node, 0u);
  EXPECT_FALSE(nodes_[1].pair->MayModify(guid_));
}

TEST_F(PairNodeTest, CutLinkKeepsTheOwnerAndNeverSplitsTheBrain) {
  EnableBoth();
  cut_ = true;
  ASSERT_TRUE(WaitAccess(1, LuAccess::kUnavailable));
  std::this_thread::sleep_for(kLease * 4);  // the owner keeps renewing
  EXPECT_EQ(nodes_[0].pair->Access(guid_), LuAccess::kActive);
  EXPECT_EQ(nodes_[1].pair->Access(guid_), LuAccess::kUnavailable);
  EXPECT_EQ(LeaseOnDisk().owner_node, 0u);
}

TEST_F(PairNodeTest, TheOtherNodeTakesOverOnlyAfterTheLeaseExpires) {
  EnableBoth();
  const uint64_t gen = LeaseOnDisk().generation;
  cut_ = true;
  auto t0 = std::chrono::steady_clock::now();
  StopPair(0);  // the owner dies: no more renewals
  ASSERT_TRUE(WaitAccess(1, LuAccess::kActive));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, kLease - 50ms);
  lu::OwnershipLease l = LeaseOnDisk();
  EXPECT_EQ(l.owner_node, 1u);
  EXPECT_GT(l.generation, gen);
  // The old owner comes back: the lease names node 1, so it is not the owner.
  cut_ = false;
  StartPair(0);
  ASSERT_TRUE(nodes_[0].pair->SetAluaState(true, 0).ok());
  ASSERT_TRUE(WaitAccess(0, LuAccess::kActiveNonOptimized));
  EXPECT_EQ(nodes_[1].pair->Access(guid_), LuAccess::kActive);
}

TEST_F(PairNodeTest, OwnershipMovesOnRequestBothWays) {
  EnableBoth();
  ASSERT_TRUE(nodes_[0].pair->MakeStandby(guid_).ok());
  ASSERT_TRUE(WaitAccess(1, LuAccess::kActive));
  EXPECT_EQ(nodes_[0].pair->Access(guid_), LuAccess::kActiveNonOptimized);
  EXPECT_EQ(LeaseOnDisk().owner_node, 1u);
  ASSERT_TRUE(nodes_[0].pair->MakeActive(guid_).ok());
  EXPECT_EQ(nodes_[0].pair->Access(guid_), LuAccess::kActive);
  ASSERT_TRUE(WaitAccess(1, LuAccess::kActiveNonOptimized));
  Guid unknown{};
  EXPECT_EQ(nodes_[0].pair->MakeStandby(unknown).code(), Code::kNotFound);
}

TEST_F(PairNodeTest, MalformedMessagesAreRefusedAndChangeNothing) {
  EnableBoth();
  const std::vector<uint8_t> garbage = {0xde, 0xad, 0xbe, 0xef};
  EXPECT_EQ(nodes_[1].pair->OnMessage(garbage), uint32_t{EINVAL});
  ProxyMsg m;
  m.type = MsgType::kLunActive;
  m.guid = guid_;
  std::vector<uint8_t> truncated = Encode(m);
  truncated.resize(truncated.size() - 3);
  EXPECT_EQ(nodes_[1].pair->OnMessage(truncated), uint32_t{EINVAL});
  // A grant whose data is not a message is ignored.
  m.data = {1, 2, 3};
  EXPECT_EQ(nodes_[1].pair->OnMessage(Encode(m)), 0u);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(nodes_[0].pair->Access(guid_), LuAccess::kActive);
  EXPECT_EQ(nodes_[1].pair->Access(guid_), LuAccess::kActiveNonOptimized);
}

TEST_F(PairNodeTest, OnTheProxyLoopOnlyCommandsAndTheirAnswersAreHandled) {
  EnableBoth();
  // An answer nobody waits for is handled (and dropped) right there.
  ProxyMsg status;
  status.type = MsgType::kScsiStatus;
  status.msgid = 12345;
  status.guid = guid_;
  EXPECT_EQ(nodes_[1].pair->OnLoopMessage(Encode(status)), std::optional<uint32_t>(0));
  // Anything else may block: declined, with nothing done, also when it comes
  // in a batch with an answer.
  ProxyMsg dereg;
  dereg.type = MsgType::kDeregisterLun;
  dereg.guid = guid_;
  dereg.provider = "sbd";
  std::vector<uint8_t> batch = Encode(status);
  Encode(dereg, batch);
  EXPECT_EQ(nodes_[1].pair->OnLoopMessage(batch), std::nullopt);
  EXPECT_EQ(nodes_[1].pair->OnLoopMessage(Encode(dereg)), std::nullopt);
  std::this_thread::sleep_for(100ms);
  EXPECT_NE(nodes_[1].fw->FindLu(guid_), nullptr);
  // The same message off the loop removes the standby copy (the owner asked).
  EXPECT_EQ(nodes_[1].pair->OnMessage(batch), 0u);
  for (int i = 0; i < 500 && nodes_[1].fw->FindLu(guid_) != nullptr; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(nodes_[1].fw->FindLu(guid_), nullptr);
  const std::vector<uint8_t> garbage = {0xde, 0xad, 0xbe, 0xef};
  EXPECT_EQ(nodes_[1].pair->OnLoopMessage(garbage), std::optional<uint32_t>(EINVAL));
}

TEST_F(PairNodeTest, DeletingOnTheOwnerRemovesTheOtherNodesCopy) {
  EnableBoth();
  // Only the owner deletes a LU for the pair: a DEREGISTER_LUN sent to it changes nothing.
  ProxyMsg m;
  m.type = MsgType::kDeregisterLun;
  m.guid = guid_;
  m.provider = "sbd";
  EXPECT_EQ(nodes_[0].pair->OnMessage(Encode(m)), 0u);
  std::this_thread::sleep_for(100ms);
  ASSERT_NE(nodes_[0].fw->FindLu(guid_), nullptr);
  EXPECT_EQ(nodes_[0].pair->Access(guid_), LuAccess::kActive);

  ASSERT_TRUE(nodes_[0].fw->RemoveLu(guid_).ok());  // stmfadm delete-lu on the owner
  for (int i = 0; i < 500 && nodes_[1].fw->FindLu(guid_) != nullptr; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(nodes_[1].fw->FindLu(guid_), nullptr);
  // The lease nobody renews runs out, and still the other node never takes the LU.
  std::this_thread::sleep_for(kLease * 3);
  EXPECT_EQ(nodes_[1].fw->FindLu(guid_), nullptr);
  EXPECT_EQ(LeaseOnDisk().owner_node, 0u);
}

TEST_F(PairNodeTest, ALuDeletedOnItsOwnerWhileTheLinkIsCutIsNotTakenOver) {
  EnableBoth();
  cut_ = true;
  ASSERT_TRUE(WaitAccess(1, LuAccess::kUnavailable));
  stmf::LogicalUnit* u = nodes_[0].fw->FindLu(guid_);
  nodes_[0].pair->Retire(*u);  // stmfadm delete-lu on the owner
  ASSERT_TRUE(nodes_[0].fw->RemoveLu(guid_).ok());
  EXPECT_TRUE(LeaseOnDisk().retired);
  for (int i = 0; i < 500 && nodes_[1].fw->FindLu(guid_) != nullptr; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(nodes_[1].fw->FindLu(guid_), nullptr);
  std::this_thread::sleep_for(kLease * 3);
  lu::OwnershipLease l = LeaseOnDisk();
  EXPECT_TRUE(l.retired);
  EXPECT_EQ(l.owner_node, 0u);
  EXPECT_EQ(l.expires_unix_ms, 0u);
}

TEST_F(PairNodeTest, ACopyOfARetiredLuIsRemovedWhenItIsClassified) {
  EnableBoth();
  StopPair(1);
  nodes_[0].pair->Retire(*nodes_[0].fw->FindLu(guid_));
  ASSERT_TRUE(nodes_[0].fw->RemoveLu(guid_).ok());
  // Node 1 starts again with the LU in its configuration.
  StartPair(1);
  ASSERT_TRUE(nodes_[1].pair->SetAluaState(true, 1).ok());
  for (int i = 0; i < 500 && nodes_[1].fw->FindLu(guid_) != nullptr; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(nodes_[1].fw->FindLu(guid_), nullptr);
  EXPECT_TRUE(LeaseOnDisk().retired);
}

TEST_F(PairNodeTest, OnlyTheOwnerRetiresALease) {
  EnableBoth();
  nodes_[1].pair->Retire(*nodes_[1].fw->FindLu(guid_));  // delete-lu on the non-owner
  std::this_thread::sleep_for(kLease);
  EXPECT_FALSE(LeaseOnDisk().retired);
  EXPECT_EQ(nodes_[0].pair->Access(guid_), LuAccess::kActive);
}

struct Completion {
  std::promise<void> done;
  static void Fn(scsi::ScsiCommand* /*cmd*/, void* arg) {
    static_cast<Completion*>(arg)->done.set_value();
  }
};

// A MODE SENSE(6) from an initiator on node 1's port, for the LU.
struct ModeSense {
  uint8_t cdb[6] = {0x1a, 0, 0x3f, 0, 0xff, 0};
  std::vector<uint8_t> buf = std::vector<uint8_t>(255);
  scsi::ScsiCommand cmd;
  Completion c;
  std::future<void> finished = c.done.get_future();
};

class PairNodeCommandTest : public PairNodeTest {
 protected:
  // Until node 1's groups say Active/Non-optimized, its port is Unavailable.
  void WaitForTheProxiedPath() {
    for (int i = 0; i < 300; ++i) {
      auto g = Groups(1);
      if (g.size() == 2 && g[1].state == scsi::AluaState::kActiveNonOptimized) return;
      std::this_thread::sleep_for(10ms);
    }
  }

  // Runs ms on node 1's loop, as the iSCSI port runs commands; proxied, it
  // completes later on that loop.
  void Start(ModeSense& ms) {
    stmf::LogicalUnit* u = nodes_[1].fw->FindLu(guid_);
    nodes_[1].group.loop(0)->Post([&ms, u] {
      std::lock_guard<std::recursive_mutex> lock(u->mu());
      scsi::ItNexus n;
      n.initiator = scsi::IscsiInitiatorPort("iqn.x:host", 1);
      n.relative_target_port = 256;
      n.target_port_name = "iqn.b,t,0x0001";
      scsi::NexusId id = u->Attach(n, {});
      u->scsi().unit_attentions(id).ClearAll();
      ms.cmd.cdb_bytes = ms.cdb;
      ms.cmd.cdb_size = sizeof ms.cdb;
      ms.cmd.nexus = id;
      ms.cmd.done = &Completion::Fn;
      ms.cmd.done_arg = &ms.c;
      ASSERT_TRUE(scsi::Prepare(u->scsi(), ms.cmd));
      ms.cmd.data_in = ms.buf;
      u->Execute(ms.cmd);
    });
  }

  // The command ended NOT READY, LOGICAL UNIT NOT ACCESSIBLE, TARGET PORT IN
  // UNAVAILABLE STATE (04/0C), which initiators retry.
  static void ExpectUnavailable(const scsi::ScsiCommand& cmd) {
    EXPECT_EQ(cmd.result.key, scsi::SenseKey::kNotReady);
    EXPECT_EQ(cmd.result.asc, 0x04);
    EXPECT_EQ(cmd.result.ascq, 0x0c);
  }
};

TEST_F(PairNodeCommandTest, TheNonOwnerRunsCommandsOnTheOwner) {
  EnableBoth();
  WaitForTheProxiedPath();
  ModeSense ms;
  Start(ms);
  ASSERT_EQ(ms.finished.wait_for(5s), std::future_status::ready);
  // The owner's nexus for this initiator reports no POWER ON of its own (the
  // local nexus did), so the command succeeds at once.
  EXPECT_TRUE(ms.cmd.result.good()) << int(ms.cmd.result.key) << " " << int(ms.cmd.result.asc);
  EXPECT_GT(ms.cmd.data_in_length, 4u);
  EXPECT_EQ(ms.cmd.data_in_length, ms.buf[0] + 1u);
}

TEST_F(PairNodeCommandTest, AProxiedCommandWaitsUntilEnablingAgainEndsIt) {
  EnableBoth();
  WaitForTheProxiedPath();
  drop_commands_ = true;
  ModeSense ms;
  Start(ms);
  // The owner answers the liveness check, so the command waits, past the
  // peer timeout, for an answer that may still come.
  EXPECT_EQ(ms.finished.wait_for(3 * peer_timeout_), std::future_status::timeout);
  EXPECT_TRUE(nodes_[1].pair->state().peer_alive);
  // stmfproxy enables ALUA again whenever the peer link is back; what was in
  // flight on the old link may be lost.
  ASSERT_TRUE(nodes_[1].pair->SetAluaState(true, 1).ok());
  ASSERT_EQ(ms.finished.wait_for(5s), std::future_status::ready);
  ExpectUnavailable(ms.cmd);
}

TEST_F(PairNodeCommandTest, AProxiedCommandEndsWhenThePeerRestarts) {
  // A peer timeout the test never reaches: only the new boot id can end it.
  peer_timeout_ = 60s;
  StopPair(1);
  StopPair(0);
  StartPair(0);
  StartPair(1);
  EnableBoth();
  WaitForTheProxiedPath();
  drop_commands_ = true;
  ModeSense ms;
  Start(ms);
  EXPECT_EQ(ms.finished.wait_for(300ms), std::future_status::timeout);
  StopPair(0);
  StartPair(0);
  ASSERT_TRUE(nodes_[0].pair->SetAluaState(true, 0).ok());
  ASSERT_EQ(ms.finished.wait_for(5s), std::future_status::ready);
  ExpectUnavailable(ms.cmd);
}

}  // namespace
}  // namespace openstmf::ha
