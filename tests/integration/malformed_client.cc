// Sends malformed PDUs to a running stmfd on a raw socket and checks each is
// answered the way RFC 7143 asks — Reject (§11.17) in the full feature phase, a
// Login Response with an error status or a closed connection during login — and
// that the connection still works afterwards where it should.
//
//   malformed_client HOST PORT TARGET
// Exit status 0 when every case behaved; the script then checks the daemon still
// serves other initiators.
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

#include "port/iscsi/bhs.h"
#include "port/iscsi/pdu_initiator.h"
#include "port/iscsi/pdu_target.h"
#include "raw_pdu_socket.h"

namespace {

using namespace openstmf::iscsi;
using openstmf::testing::Dial;
using openstmf::testing::ReadN;
using openstmf::testing::ReadPdu;
using openstmf::testing::SendAll;

std::vector<uint8_t> Pdu(const uint8_t* bhs, const std::string& text) {
  std::vector<uint8_t> b(bhs, bhs + kBhsSize);
  SetSegmentLengths(b.data(), 0, static_cast<uint32_t>(text.size()));
  b.insert(b.end(), text.begin(), text.end());
  b.resize(b.size() + PadLength(text.size()), 0);
  return b;
}

int failures = 0;
void Expect(bool ok, const char* what) {
  std::printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
  if (!ok) ++failures;
}

int Login(const char* host, int port, const std::string& target, uint32_t* stat_sn) {
  int fd = Dial(host, port);
  LoginRequest q;
  q.transit = true;
  q.csg = 1;
  q.nsg = 3;
  q.isid = 0x80123456789aull;
  q.itt = 1;
  std::string text = std::string("InitiatorName=iqn.2026-11.org.openstmf:malformed") + '\0' +
                     "TargetName=" + target + '\0' + "SessionType=Normal" + '\0' +
                     "HeaderDigest=None" + '\0' + "DataDigest=None" + '\0';
  uint8_t h[kBhsSize];
  q.Encode(h);
  SendAll(fd, Pdu(h, text));
  uint8_t r[kBhsSize];
  std::vector<uint8_t> data;
  bool ok = ReadPdu(fd, r, &data);
  LoginResponse lr = LoginResponse::Decode(r);
  Expect(ok && BhsView(r).opcode() == static_cast<uint8_t>(Opcode::kLoginResponse) &&
             lr.status_class == 0 && lr.transit,
         "login to the full feature phase");
  *stat_sn = lr.sn.stat_sn + 1;
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: malformed_client HOST PORT TARGET\n");
    return 2;
  }
  const char* host = argv[1];
  int port = std::atoi(argv[2]);
  std::string target = argv[3];
  uint8_t r[kBhsSize];
  std::vector<uint8_t> data;

  {  // Garbage instead of a Login Request: login failure or close, never a hang.
    int fd = Dial(host, port);
    std::vector<uint8_t> junk(kBhsSize, 0xa5);
    junk[0] = 0x01;  // SCSI Command during login
    junk[5] = junk[6] = junk[7] = 0;
    SendAll(fd, junk);
    bool got = ReadPdu(fd, r, &data);
    Expect(!got || (BhsView(r).opcode() == static_cast<uint8_t>(Opcode::kLoginResponse) &&
                    LoginResponse::Decode(r).status_class != 0),
           "non-login PDU during login is refused");
    close(fd);
  }
  {  // A login text that does not parse.
    int fd = Dial(host, port);
    LoginRequest q;
    q.transit = true;
    q.csg = 1;
    q.nsg = 3;
    q.itt = 7;
    uint8_t h[kBhsSize];
    q.Encode(h);
    SendAll(fd, Pdu(h, std::string("no-equals-sign\0", 15)));
    bool got = ReadPdu(fd, r, &data);
    Expect(got && LoginResponse::Decode(r).status_class == 2, "bad login text gets 02/xx");
    close(fd);
  }
  uint32_t stat_sn = 0;
  int fd = Login(host, port, target, &stat_sn);
  uint32_t cmd_sn = 0;
  {  // An opcode no initiator may send.
    std::vector<uint8_t> b(kBhsSize, 0);
    b[0] = 0x1c;
    b[1] = 0x80;
    openstmf::PutBe32(b.data() + 16, 0x42);
    SendAll(fd, b);
    bool got = ReadPdu(fd, r, &data);
    Expect(got && BhsView(r).opcode() == static_cast<uint8_t>(Opcode::kReject) &&
               data.size() >= kBhsSize && data[0] == 0x1c,
           "unknown opcode gets Reject carrying the header");
  }
  {  // A data segment above MaxRecvDataSegmentLength (8 KiB before declaration).
    NopOut n;
    n.immediate = true;
    n.itt = 0x43;
    n.cmd_sn = cmd_sn;
    uint8_t h[kBhsSize];
    n.Encode(h);
    SendAll(fd, Pdu(h, std::string(300000, 'x')));
    bool got = ReadPdu(fd, r, &data);
    Expect(got && BhsView(r).opcode() == static_cast<uint8_t>(Opcode::kReject),
           "oversized data segment gets Reject");
  }
  {  // The connection still works: a NOP-Out ping is answered.
    NopOut n;
    n.immediate = true;
    n.itt = 0x44;
    n.cmd_sn = cmd_sn;
    n.exp_stat_sn = stat_sn;
    uint8_t h[kBhsSize];
    n.Encode(h);
    SendAll(fd, Pdu(h, "ping"));
    bool got = ReadPdu(fd, r, &data);
    Expect(got && BhsView(r).opcode() == static_cast<uint8_t>(Opcode::kNopIn) &&
               BhsView(r).itt() == 0x44 && data.size() >= 4 &&
               std::memcmp(data.data(), "ping", 4) == 0,
           "NOP-Out after the bad PDUs is answered");
  }
  {  // A Data-Out for a task that does not exist is dropped without harm.
    DataOut d;
    d.final_bit = true;
    d.itt = 0x99;
    d.ttt = 12345;
    uint8_t h[kBhsSize];
    d.Encode(h);
    SendAll(fd, Pdu(h, std::string(512, 'd')));
    NopOut n;
    n.immediate = true;
    n.itt = 0x45;
    n.cmd_sn = cmd_sn;
    n.Encode(h);
    SendAll(fd, Pdu(h, ""));
    bool got = ReadPdu(fd, r, &data);
    Expect(got && BhsView(r).itt() == 0x45, "stray Data-Out is ignored");
  }
  {  // 48 bytes of 0xff: reserved opcode, then the peer vanishes mid-PDU.
    std::vector<uint8_t> b(kBhsSize + 10, 0xff);
    b[4] = 0;
    SendAll(fd, b);
    close(fd);
  }
  std::printf("%d failure(s)\n", failures);
  return failures == 0 ? 0 : 1;
}
