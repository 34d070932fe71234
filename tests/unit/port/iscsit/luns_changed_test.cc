// IscsiPort::NotifyLunsChanged against a real port on loopback TCP: a logged-in
// session whose LUN map grows gets an Async Message with REPORTED LUNS DATA HAS
// CHANGED (RFC 7143 §11.9), the unit attention on its LUs (SPC-4), and REPORT
// LUNS lists the new LU.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "base/byte_order.h"
#include "event/loop_group.h"
#include "port/iscsi/bhs.h"
#include "port/iscsi/pdu_initiator.h"
#include "port/iscsi/pdu_target.h"
#include "port/iscsit/iscsi_port.h"
#include "stmf/framework.h"

namespace openstmf::iscsit {
namespace {

using iscsi::BhsView;
using iscsi::kBhsSize;
using iscsi::Opcode;

constexpr char kTarget[] = "iqn.2026-11.org.openstmf:test";

std::unique_ptr<lu::SbdStore> RamLu() {
  lu::SbdCreateOptions o;
  o.size = 1 << 20;
  return std::move(lu::CreateRamLu(o)).value();
}

class Initiator {
 public:
  explicit Initiator(uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
  }
  ~Initiator() { close(fd_); }
  bool connected() const { return connected_; }

  void Send(const uint8_t* bhs, const std::string& data) {
    std::vector<uint8_t> b(bhs, bhs + kBhsSize);
    iscsi::SetSegmentLengths(b.data(), 0, static_cast<uint32_t>(data.size()));
    b.insert(b.end(), data.begin(), data.end());
    b.resize(b.size() + iscsi::PadLength(data.size()), 0);
    ASSERT_EQ(send(fd_, b.data(), b.size(), MSG_NOSIGNAL), static_cast<ssize_t>(b.size()));
  }
  // Next PDU within 5 s: header and data segment.
  bool Read(uint8_t* bhs, std::vector<uint8_t>* data) {
    if (!ReadN(bhs, kBhsSize)) return false;
    BhsView h(bhs);
    size_t len = h.total_ahs_length() + h.data_segment_length();
    data->resize(len + iscsi::PadLength(len));
    if (!data->empty() && !ReadN(data->data(), data->size())) return false;
    data->resize(len);
    return true;
  }

  bool Login() {
    iscsi::LoginRequest q;
    q.transit = true;
    q.csg = 1;
    q.nsg = 3;
    q.isid = 0x80000000abcdull;
    q.itt = itt_++;
    q.cmd_sn = cmd_sn_;
    std::string text = std::string("InitiatorName=iqn.2026-11.org.openstmf:init") + '\0' +
                       "TargetName=" + kTarget + '\0' + "SessionType=Normal" + '\0';
    uint8_t h[kBhsSize];
    q.Encode(h);
    Send(h, text);
    uint8_t r[kBhsSize];
    std::vector<uint8_t> data;
    if (!Read(r, &data)) return false;
    iscsi::LoginResponse lr = iscsi::LoginResponse::Decode(r);
    exp_stat_sn_ = lr.sn.stat_sn + 1;
    return lr.status_class == 0 && lr.transit;
  }

  // Sends a command for LUN `lun` and returns its SCSI status; sense and Data-In
  // land in *data. Async Messages on the way are skipped.
  int Command(uint16_t lun, std::initializer_list<uint8_t> cdb, uint32_t read_len,
              std::vector<uint8_t>* data) {
    iscsi::ScsiCommand c;
    c.final_bit = true;
    c.read = read_len > 0;
    c.attr = 1;
    c.lun = uint64_t{lun} << 48;
    c.itt = itt_++;
    c.expected_data_transfer_length = read_len;
    c.cmd_sn = cmd_sn_++;
    c.exp_stat_sn = exp_stat_sn_;
    std::copy(cdb.begin(), cdb.end(), c.cdb.begin());
    uint8_t h[kBhsSize];
    c.Encode(h);
    Send(h, "");
    data->clear();
    for (;;) {
      uint8_t r[kBhsSize];
      std::vector<uint8_t> seg;
      if (!Read(r, &seg)) return -1;
      auto op = static_cast<Opcode>(BhsView(r).opcode());
      if (op == Opcode::kScsiDataIn) {
        iscsi::DataIn d = iscsi::DataIn::Decode(r);
        data->insert(data->end(), seg.begin(), seg.end());
        if (d.status_present) return d.status;
      } else if (op == Opcode::kScsiResponse) {
        if (seg.size() > 2) data->assign(seg.begin() + 2, seg.end());
        return iscsi::ScsiResponse::Decode(r).status;
      } else if (op != Opcode::kAsyncMessage) {
        return -1;
      }
    }
  }

 private:
  bool ReadN(uint8_t* p, size_t n) {
    size_t got = 0;
    while (got < n) {
      pollfd pfd{fd_, POLLIN, 0};
      if (poll(&pfd, 1, 5000) <= 0) return false;
      ssize_t r = recv(fd_, p + got, n - got, 0);
      if (r <= 0) return false;
      got += static_cast<size_t>(r);
    }
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  uint32_t itt_ = 1;
  uint32_t cmd_sn_ = 1;
  uint32_t exp_stat_sn_ = 0;
};

class LunsChangedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(loops_.Start(2, false).ok());
    fw_ = std::make_unique<stmf::Framework>(std::vector<event::EventLoop*>{},
                                            std::vector<event::IoRing*>{});
    ASSERT_TRUE(fw_->AddLu(RamLu()).ok());
    port_ = std::make_unique<IscsiPort>(fw_.get(), &loops_, IscsiPortOptions{});
    TargetConfig t;
    t.name = kTarget;
    port_->targets().AddTarget(t);
    auto bound = port_->Listen(tcp::SocketAddress::Parse("127.0.0.1:0", 0).value());
    ASSERT_TRUE(bound.ok());
    tcp_port_ = bound->port();
  }
  void TearDown() override {
    if (port_) port_->Stop(std::chrono::milliseconds(2000));
    port_.reset();
    loops_.Stop();
  }

  event::LoopGroup loops_;
  std::unique_ptr<stmf::Framework> fw_;
  std::unique_ptr<IscsiPort> port_;
  uint16_t tcp_port_ = 0;
};

TEST_F(LunsChangedTest, SessionGetsAsyncEventAndUnitAttentionWhenItsLunMapChanges) {
  Initiator ini(tcp_port_);
  ASSERT_TRUE(ini.connected());
  ASSERT_TRUE(ini.Login());
  std::vector<uint8_t> data;
  // The new nexus reports POWER ON once; then the unit is ready.
  while (ini.Command(0, {0x00, 0, 0, 0, 0, 0}, 0, &data) == 2) {
  }
  ASSERT_EQ(ini.Command(0, {0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}, 256, &data), 0);
  ASSERT_GE(data.size(), 8u);
  EXPECT_EQ(GetBe32(data.data()), 8u);  // one LUN

  // A second LU appears in the default view; the port is told.
  ASSERT_TRUE(fw_->AddLu(RamLu()).ok());
  port_->NotifyLunsChanged();

  uint8_t r[kBhsSize];
  std::vector<uint8_t> seg;
  ASSERT_TRUE(ini.Read(r, &seg));
  ASSERT_EQ(BhsView(r).opcode(), static_cast<uint8_t>(Opcode::kAsyncMessage));
  iscsi::AsyncMessage m = iscsi::AsyncMessage::Decode(r);
  EXPECT_EQ(m.event, 0);  // SCSI async event
  ASSERT_GE(seg.size(), 2u + 14u);
  const uint8_t* sense = seg.data() + 2;
  EXPECT_EQ(sense[2] & 0x0f, 0x06);  // UNIT ATTENTION
  EXPECT_EQ(sense[12], 0x3f);        // REPORTED LUNS DATA HAS CHANGED
  EXPECT_EQ(sense[13], 0x0e);

  // The unit attention is pending as well (SPC-4: always reported).
  ASSERT_EQ(ini.Command(0, {0x00, 0, 0, 0, 0, 0}, 0, &data), 2);
  ASSERT_GE(data.size(), 14u);
  EXPECT_EQ(data[12], 0x3f);
  EXPECT_EQ(data[13], 0x0e);
  ASSERT_EQ(ini.Command(0, {0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}, 256, &data), 0);
  ASSERT_GE(data.size(), 8u);
  EXPECT_EQ(GetBe32(data.data()), 16u);  // two LUNs now
}

TEST_F(LunsChangedTest, NothingIsReportedWhenTheLunMapStaysTheSame) {
  Initiator ini(tcp_port_);
  ASSERT_TRUE(ini.Login());
  std::vector<uint8_t> data;
  while (ini.Command(0, {0x00, 0, 0, 0, 0, 0}, 0, &data) == 2) {
  }
  port_->NotifyLunsChanged();
  EXPECT_EQ(ini.Command(0, {0x00, 0, 0, 0, 0, 0}, 0, &data), 0);
}

}  // namespace
}  // namespace openstmf::iscsit
