// Drives one iSCSI session over several TCP connections (MC/S, RFC 7143 §6.3)
// against a running stmfd, on raw sockets (libiscsi cannot do MC/S):
//   - a leading login (TSIH 0, CID 1) and a second login with the TSIH (CID 2)
//     join the same session;
//   - CmdSN is session-wide: the connections take turns in one CmdSN sequence,
//     and a command ahead of a gap on one connection waits for the other's;
//   - a WRITE on one connection is read back on the other;
//   - Logout "close the connection" ends one connection, the other goes on;
//   - a login with a CID in use reinstates that connection (the old one closes);
//   - Logout "close the session" ends the session.
//
//   mcs_client HOST PORT TARGET
// Exit status 0 when every step behaved.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "base/byte_order.h"
#include "port/iscsi/bhs.h"
#include "port/iscsi/pdu_initiator.h"
#include "port/iscsi/pdu_target.h"
#include "raw_pdu_socket.h"

namespace {

using namespace openstmf::iscsi;
using openstmf::testing::Dial;
using openstmf::testing::ReadPdu;
using openstmf::testing::SendAll;

constexpr uint64_t kIsid = 0x80aabbcc0001ull;
constexpr uint32_t kBlock = 512;

int failures = 0;
void Expect(bool ok, const char* what) {
  std::printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
  if (!ok) ++failures;
}

std::vector<uint8_t> Pdu(const uint8_t* bhs, const void* data, size_t size) {
  std::vector<uint8_t> b(bhs, bhs + kBhsSize);
  SetSegmentLengths(b.data(), 0, static_cast<uint32_t>(size));
  const auto* p = static_cast<const uint8_t*>(data);
  b.insert(b.end(), p, p + size);
  b.resize(b.size() + PadLength(size), 0);
  return b;
}

struct Conn {
  int fd = -1;
  uint16_t cid = 0;
  uint32_t exp_stat_sn = 0;
};

uint32_t next_itt = 1;

// Logs in straight to the full feature phase; returns the session's TSIH (0 on
// failure) and the negotiated MaxConnections in *max_conns.
uint16_t Login(Conn* c, const char* host, int port, const std::string& target, uint16_t tsih,
               uint32_t cmd_sn, int* max_conns) {
  c->fd = Dial(host, port);
  LoginRequest q;
  q.transit = true;
  q.csg = 1;
  q.nsg = 3;
  q.isid = kIsid;
  q.tsih = tsih;
  q.cid = c->cid;
  q.itt = next_itt++;
  q.cmd_sn = cmd_sn;
  std::string text = std::string("InitiatorName=iqn.2026-11.org.openstmf:mcs") + '\0' +
                     "TargetName=" + target + '\0' + "HeaderDigest=None" + '\0' +
                     "DataDigest=None" + '\0';
  if (tsih == 0) text += std::string("SessionType=Normal") + '\0' + "MaxConnections=4" + '\0';
  uint8_t h[kBhsSize];
  q.Encode(h);
  SendAll(c->fd, Pdu(h, text.data(), text.size()));
  uint8_t r[kBhsSize];
  std::vector<uint8_t> data;
  if (!ReadPdu(c->fd, r, &data)) return 0;
  LoginResponse lr = LoginResponse::Decode(r);
  if (lr.status_class != 0 || !lr.transit || lr.nsg != 3) {
    std::printf("login refused: %02x/%02x\n", lr.status_class, lr.status_detail);
    return 0;
  }
  std::string answers(data.begin(), data.end());
  size_t at = answers.find("MaxConnections=");
  if (max_conns != nullptr && at != std::string::npos) {
    *max_conns = std::atoi(answers.c_str() + at + 15);
  }
  c->exp_stat_sn = lr.sn.stat_sn + 1;
  return lr.tsih;
}

void SendCommand(Conn* c, uint32_t cmd_sn, const uint8_t* cdb, size_t cdb_len, bool read,
                 const std::vector<uint8_t>& out, uint32_t itt) {
  ScsiCommand s;
  s.final_bit = true;
  s.read = read;
  s.write = !out.empty();
  s.attr = 1;  // SIMPLE
  s.itt = itt;
  s.expected_data_transfer_length = read ? kBlock : static_cast<uint32_t>(out.size());
  s.cmd_sn = cmd_sn;
  s.exp_stat_sn = c->exp_stat_sn;
  std::memcpy(s.cdb.data(), cdb, cdb_len);
  uint8_t h[kBhsSize];
  s.Encode(h);
  SendAll(c->fd, Pdu(h, out.data(), out.size()));
}

// Waits for the status of `itt`: SCSI status, or -1. Data-In lands in *in.
int AwaitStatus(Conn* c, uint32_t itt, std::vector<uint8_t>* in) {
  for (;;) {
    uint8_t r[kBhsSize];
    std::vector<uint8_t> data;
    if (!ReadPdu(c->fd, r, &data)) {
      std::printf("  CID %u: no PDU for ITT 0x%x (closed, or nothing within 5 s)\n", c->cid, itt);
      return -1;
    }
    BhsView h(r);
    auto op = static_cast<Opcode>(h.opcode());
    if (op == Opcode::kScsiDataIn) {
      DataIn d = DataIn::Decode(r);
      if (d.itt != itt) return -1;
      if (in != nullptr) {
        in->resize(std::max<size_t>(in->size(), d.buffer_offset + d.data_segment_length));
        std::memcpy(in->data() + d.buffer_offset, data.data(), d.data_segment_length);
      }
      if (d.status_present) {
        c->exp_stat_sn = d.sn.stat_sn + 1;
        return d.status;
      }
      continue;
    }
    if (op == Opcode::kScsiResponse) {
      ScsiResponse s = ScsiResponse::Decode(r);
      if (s.itt != itt) return -1;
      c->exp_stat_sn = s.sn.stat_sn + 1;
      return s.status;
    }
    if (op == Opcode::kAsyncMessage || op == Opcode::kNopIn) continue;
    std::printf("  CID %u: opcode 0x%02x while waiting for ITT 0x%x\n", c->cid, h.opcode(), itt);
    return -1;
  }
}

// A command and its status on one connection.
int Run(Conn* c, uint32_t* cmd_sn, const uint8_t* cdb, size_t cdb_len, bool read,
        const std::vector<uint8_t>& out, std::vector<uint8_t>* in) {
  uint32_t itt = next_itt++;
  SendCommand(c, (*cmd_sn)++, cdb, cdb_len, read, out, itt);
  return AwaitStatus(c, itt, in);
}

const uint8_t kTur[6] = {0x00, 0, 0, 0, 0, 0};
const uint8_t kRead10[10] = {0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0};
const uint8_t kWrite10[10] = {0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0};

bool Logout(Conn* c, uint32_t* cmd_sn, uint8_t reason, uint16_t cid) {
  LogoutRequest q;
  q.immediate = true;
  q.reason = reason;
  q.itt = next_itt++;
  q.cid = cid;
  q.cmd_sn = *cmd_sn;
  q.exp_stat_sn = c->exp_stat_sn;
  uint8_t h[kBhsSize];
  q.Encode(h);
  SendAll(c->fd, Pdu(h, nullptr, 0));
  uint8_t r[kBhsSize];
  std::vector<uint8_t> data;
  while (ReadPdu(c->fd, r, &data)) {
    if (BhsView(r).opcode() != static_cast<uint8_t>(Opcode::kLogoutResponse)) continue;
    return LogoutResponse::Decode(r).response == 0;
  }
  return false;
}

// True when the target has closed the connection (EOF within 5 s).
bool ClosedByTarget(Conn* c) {
  uint8_t r[kBhsSize];
  std::vector<uint8_t> data;
  while (ReadPdu(c->fd, r, &data)) {
  }
  pollfd pfd{c->fd, POLLIN, 0};
  if (poll(&pfd, 1, 0) <= 0) return false;
  uint8_t b;
  return recv(c->fd, &b, 1, MSG_DONTWAIT) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: mcs_client HOST PORT TARGET\n");
    return 2;
  }
  const char* host = argv[1];
  int port = std::atoi(argv[2]);
  std::string target = argv[3];
  uint32_t cmd_sn = 1;

  Conn a{-1, 1, 0};
  int max_conns = 0;
  uint16_t tsih = Login(&a, host, port, target, 0, cmd_sn, &max_conns);
  Expect(tsih != 0, "leading login (CID 1)");
  Expect(max_conns > 1, "MaxConnections above 1 negotiated");
  if (tsih == 0) return 1;
  // The new I_T nexus starts with POWER ON; clear it on the first connection.
  while (Run(&a, &cmd_sn, kTur, 6, false, {}, nullptr) == 2) {
  }

  Conn b{-1, 2, 0};
  uint16_t joined = Login(&b, host, port, target, tsih, cmd_sn, nullptr);
  Expect(joined == tsih, "second connection (CID 2) joins the session with its TSIH");
  if (joined != tsih) return 1;

  std::vector<uint8_t> pattern(kBlock);
  for (size_t i = 0; i < pattern.size(); ++i) pattern[i] = static_cast<uint8_t>(i * 7 + 3);
  Expect(Run(&a, &cmd_sn, kWrite10, 10, false, pattern, nullptr) == 0,
         "WRITE(10) on the first connection");
  std::vector<uint8_t> in;
  Expect(Run(&b, &cmd_sn, kRead10, 10, true, {}, &in) == 0 && in == pattern,
         "READ(10) on the second connection returns what the first wrote");

  {  // A command ahead of a gap on B waits for the gap's command on A.
    uint32_t itt_b = next_itt++, itt_a = next_itt++;
    SendCommand(&b, cmd_sn + 1, kTur, 6, false, {}, itt_b);
    SendCommand(&a, cmd_sn, kTur, 6, false, {}, itt_a);
    cmd_sn += 2;
    Expect(AwaitStatus(&a, itt_a, nullptr) == 0 && AwaitStatus(&b, itt_b, nullptr) == 0,
           "one CmdSN window across the connections");
  }

  Expect(Logout(&b, &cmd_sn, 1, b.cid), "Logout closes the second connection");
  Expect(ClosedByTarget(&b), "the second connection is closed");
  close(b.fd);
  in.clear();
  Expect(Run(&a, &cmd_sn, kRead10, 10, true, {}, &in) == 0 && in == pattern,
         "the first connection carries on after the other's logout");

  Conn c{-1, 1, 0};
  Expect(Login(&c, host, port, target, tsih, cmd_sn, nullptr) == tsih,
         "a login with CID 1 in use reinstates that connection");
  Expect(ClosedByTarget(&a), "the reinstated connection is closed");
  close(a.fd);
  in.clear();
  const int status = Run(&c, &cmd_sn, kRead10, 10, true, {}, &in);
  Expect(status == 0 && in == pattern, "the session goes on over the new connection");
  if (status != 0 || in != pattern) {
    std::printf("  READ(10) with CmdSN %u: status %d, %zu bytes%s\n", cmd_sn - 1, status, in.size(),
                status == 0 && in != pattern ? " not what was written" : "");
  }

  Expect(Logout(&c, &cmd_sn, 0, c.cid), "Logout closes the session");
  Expect(ClosedByTarget(&c), "the last connection is closed");
  close(c.fd);

  Conn d{-1, 3, 0};
  Expect(Login(&d, host, port, target, tsih, cmd_sn, nullptr) == 0,
         "the ended session cannot be joined");
  close(d.fd);
  std::printf("%s\n", failures == 0 ? "PASS" : "FAILED");
  return failures == 0 ? 0 : 1;
}
