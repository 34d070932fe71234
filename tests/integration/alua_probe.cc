// Asks one path of an ALUA pair what it reports, on libiscsi's synchronous API.
//
//   alua_probe URL rtpg        INQUIRY's TPGS field, then REPORT TARGET PORT
//                              GROUPS one line per group:
//                              "group ID STATE ports P,Q" (STATE: AO, ANO, S, U, T, O)
//   alua_probe URL filter      a fixed set of commands, one line each:
//                              "NAME GOOD" or "NAME KEY/ASC/ASCQ" (hex)
//   alua_probe URL stpg GROUP  SET TARGET PORT GROUPS asking GROUP to become
//                              Active/Optimized; prints the result as above
//   alua_probe URL register KEY   PERSISTENT RESERVE OUT REGISTER (then RESERVE,
//                              type 1, Write Exclusive) with KEY; prints results
//   alua_probe URL prin        "key K" per registered key, then
//                              "reservation K type T" or "reservation none"
//   alua_probe URL clear KEY   REGISTER (to be a registrant) then CLEAR
//   alua_probe URL watch SECONDS  TEST UNIT READY every 50 ms until one ends
//                              with a UNIT ATTENTION; prints it ("ua 6/2a/06")
//                              or "ua none" after SECONDS
//
// Unit attentions are cleared (TEST UNIT READY until none) before anything else.
// Exit status 0 when the commands could be sent, 1 otherwise.
#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Conn {
  iscsi_context* ctx = nullptr;
  int lun = 0;
  ~Conn() {
    if (ctx != nullptr) {
      iscsi_logout_sync(ctx);
      iscsi_destroy_context(ctx);
    }
  }
};

bool Login(const char* url, Conn* c) {
  c->ctx = iscsi_create_context("iqn.2026-11.org.openstmf:alua-probe");
  iscsi_url* u = iscsi_parse_full_url(c->ctx, url);
  if (u == nullptr) return false;
  iscsi_set_targetname(c->ctx, u->target);
  iscsi_set_session_type(c->ctx, ISCSI_SESSION_NORMAL);
  iscsi_set_header_digest(c->ctx, ISCSI_HEADER_DIGEST_NONE_CRC32C);
  c->lun = u->lun;
  bool ok = iscsi_full_connect_sync(c->ctx, u->portal, u->lun) == 0;
  iscsi_destroy_url(u);
  if (!ok) std::fprintf(stderr, "login to %s failed: %s\n", url, iscsi_get_error(c->ctx));
  return ok;
}

struct Result {
  bool sent = false;
  int status = 0;
  int key = 0, asc = 0, ascq = 0;
  std::vector<uint8_t> data;
  std::string Text() const {
    if (!sent) return "NOT-SENT";
    if (status == SCSI_STATUS_GOOD) return "GOOD";
    char b[32];
    if (status == SCSI_STATUS_CHECK_CONDITION) {
      std::snprintf(b, sizeof b, "%x/%02x/%02x", key, asc, ascq);
    } else {
      std::snprintf(b, sizeof b, "STATUS-%02x", status);
    }
    return b;
  }
};

Result Command(Conn& c, std::vector<uint8_t> cdb, int dir, int len, std::vector<uint8_t> out = {}) {
  Result r;
  scsi_task* t = scsi_create_task(static_cast<int>(cdb.size()), cdb.data(), dir, len);
  if (t == nullptr) return r;
  iscsi_data d{out.size(), out.empty() ? nullptr : out.data()};
  scsi_task* done = iscsi_scsi_command_sync(c.ctx, c.lun, t, out.empty() ? nullptr : &d);
  if (done != nullptr) {
    r.sent = true;
    r.status = done->status;
    r.key = done->sense.key;
    r.asc = (done->sense.ascq >> 8) & 0xFF;
    r.ascq = done->sense.ascq & 0xFF;
    if (done->datain.size > 0)
      r.data.assign(done->datain.data, done->datain.data + done->datain.size);
  }
  scsi_free_scsi_task(t);
  return r;
}

void ClearUnitAttentions(Conn& c) {
  for (int i = 0; i < 20; ++i) {
    Result r = Command(c, {0, 0, 0, 0, 0, 0}, SCSI_XFER_NONE, 0);
    if (!r.sent || r.status != SCSI_STATUS_CHECK_CONDITION || r.key != 6) return;
  }
}

const char* StateName(int s) {
  switch (s) {
    case 0:
      return "AO";
    case 1:
      return "ANO";
    case 2:
      return "S";
    case 3:
      return "U";
    case 0xE:
      return "O";
    case 0xF:
      return "T";
    default:
      return "?";
  }
}

int Rtpg(Conn& c) {
  Result inq = Command(c, {0x12, 0, 0, 0, 96, 0}, SCSI_XFER_READ, 96);
  if (!inq.sent || inq.status != 0 || inq.data.size() < 6) return 1;
  std::printf("tpgs %d\n", (inq.data[5] >> 4) & 3);
  Result r = Command(c, {0xA3, 0x0A, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0}, SCSI_XFER_READ, 4096);
  if (!r.sent || r.status != 0 || r.data.size() < 4) {
    std::printf("rtpg %s\n", r.Text().c_str());
    return r.sent ? 0 : 1;
  }
  size_t len = 4 + ((r.data[0] << 24) | (r.data[1] << 16) | (r.data[2] << 8) | r.data[3]);
  len = std::min(len, r.data.size());
  for (size_t at = 4; at + 8 <= len;) {
    const uint8_t* g = &r.data[at];
    int ports = g[7];
    std::string list;
    for (int i = 0; i < ports && at + 8 + 4 * i + 4 <= len; ++i) {
      const uint8_t* p = g + 8 + 4 * i;
      if (!list.empty()) list += ",";
      list += std::to_string((p[2] << 8) | p[3]);
    }
    std::printf("group %d %s ports %s\n", (g[2] << 8) | g[3], StateName(g[0] & 0x0F), list.c_str());
    at += 8 + 4 * static_cast<size_t>(ports);
  }
  return 0;
}

int Filter(Conn& c) {
  struct Probe {
    const char* name;
    std::vector<uint8_t> cdb;
    int dir, len;
    std::vector<uint8_t> out;
  };
  std::vector<uint8_t> block(512, 0x5A);
  const std::vector<Probe> probes = {
      {"TEST-UNIT-READY", {0, 0, 0, 0, 0, 0}, SCSI_XFER_NONE, 0, {}},
      {"INQUIRY", {0x12, 0, 0, 0, 36, 0}, SCSI_XFER_READ, 36, {}},
      {"REPORT-LUNS", {0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}, SCSI_XFER_READ, 256, {}},
      {"READ-CAPACITY-10", {0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0}, SCSI_XFER_READ, 8, {}},
      {"READ-10", {0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0}, SCSI_XFER_READ, 512, {}},
      {"MODE-SENSE-6", {0x1A, 0, 0x3F, 0, 0xFF, 0}, SCSI_XFER_READ, 255, {}},
      {"PERSISTENT-RESERVE-IN", {0x5E, 0, 0, 0, 0, 0, 0, 0x04, 0, 0}, SCSI_XFER_READ, 1024, {}},
      {"WRITE-10", {0x2A, 0, 0, 0, 0, 8, 0, 0, 1, 0}, SCSI_XFER_WRITE, 512, block},
      {"SYNCHRONIZE-CACHE-10", {0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0}, SCSI_XFER_NONE, 0, {}},
      {"VERIFY-10", {0x2F, 0, 0, 0, 0, 0, 0, 0, 0, 0}, SCSI_XFER_NONE, 0, {}},
  };
  for (const Probe& p : probes) {
    Result r = Command(c, p.cdb, p.dir, p.len, p.out);
    std::printf("%s %s\n", p.name, r.Text().c_str());
    if (!r.sent) return 1;
  }
  return 0;
}

int Stpg(Conn& c, int group) {
  std::vector<uint8_t> param = {
      0, 0, 0, 0, 0x00, 0, static_cast<uint8_t>(group >> 8), static_cast<uint8_t>(group)};
  Result r = Command(c, {0xA4, 0x0A, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0}, SCSI_XFER_WRITE, 8, param);
  std::printf("stpg %s\n", r.Text().c_str());
  return r.sent ? 0 : 1;
}

std::vector<uint8_t> PrParams(uint64_t key, uint64_t sark) {
  std::vector<uint8_t> p(24, 0);
  for (int i = 0; i < 8; ++i) {
    p[i] = static_cast<uint8_t>(key >> (56 - 8 * i));
    p[8 + i] = static_cast<uint8_t>(sark >> (56 - 8 * i));
  }
  return p;
}

Result ProutCommand(Conn& c, uint8_t sa, uint8_t type, uint64_t key, uint64_t sark) {
  return Command(c, {0x5F, sa, type, 0, 0, 0, 0, 0, 24, 0}, SCSI_XFER_WRITE, 24,
                 PrParams(key, sark));
}

uint64_t Be64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

int Register(Conn& c, uint64_t key) {
  std::printf("register %s\n", ProutCommand(c, 0x00, 0, 0, key).Text().c_str());
  std::printf("reserve %s\n", ProutCommand(c, 0x01, 0x01, key, 0).Text().c_str());
  return 0;
}

int Clear(Conn& c, uint64_t key) {
  // REGISTER AND IGNORE EXISTING KEY makes this nexus a registrant.
  std::printf("register %s\n", ProutCommand(c, 0x06, 0, 0, key).Text().c_str());
  std::printf("clear %s\n", ProutCommand(c, 0x03, 0, key, 0).Text().c_str());
  return 0;
}

int Prin(Conn& c) {
  Result k = Command(c, {0x5E, 0x00, 0, 0, 0, 0, 0, 0x04, 0, 0}, SCSI_XFER_READ, 1024);
  if (!k.sent || k.status != 0 || k.data.size() < 8) {
    std::printf("read-keys %s\n", k.Text().c_str());
    return 1;
  }
  size_t n = (k.data[4] << 24) | (k.data[5] << 16) | (k.data[6] << 8) | k.data[7];
  for (size_t at = 8; at + 8 <= 8 + n && at + 8 <= k.data.size(); at += 8) {
    std::printf("key 0x%llx\n", static_cast<unsigned long long>(Be64(&k.data[at])));
  }
  Result r = Command(c, {0x5E, 0x01, 0, 0, 0, 0, 0, 0x04, 0, 0}, SCSI_XFER_READ, 1024);
  if (!r.sent || r.status != 0 || r.data.size() < 8) {
    std::printf("read-reservation %s\n", r.Text().c_str());
    return 1;
  }
  if (r.data[7] == 0 || r.data.size() < 24) {
    std::printf("reservation none\n");
  } else {
    std::printf("reservation 0x%llx type %d\n", static_cast<unsigned long long>(Be64(&r.data[8])),
                r.data[21] & 0x0F);
  }
  return 0;
}

int Watch(Conn& c, int seconds) {
  std::printf("watching\n");
  std::fflush(stdout);
  for (int i = 0; i < seconds * 20; ++i) {
    Result r = Command(c, {0, 0, 0, 0, 0, 0}, SCSI_XFER_NONE, 0);
    if (!r.sent) return 1;
    if (r.status == SCSI_STATUS_CHECK_CONDITION && r.key == 6) {
      std::printf("ua %s\n", r.Text().c_str());
      return 0;
    }
    usleep(50000);
  }
  std::printf("ua none\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: see the comment at the top of alua_probe.cc\n");
    return 2;
  }
  Conn c;
  if (!Login(argv[1], &c)) return 1;
  ClearUnitAttentions(c);
  std::string mode = argv[2];
  if (mode == "rtpg") return Rtpg(c);
  if (mode == "filter") return Filter(c);
  if (mode == "stpg" && argc == 4) return Stpg(c, std::atoi(argv[3]));
  if (mode == "watch" && argc == 4) return Watch(c, std::atoi(argv[3]));
  if (mode == "register" && argc == 4) return Register(c, std::strtoull(argv[3], nullptr, 0));
  if (mode == "clear" && argc == 4) return Clear(c, std::strtoull(argv[3], nullptr, 0));
  if (mode == "prin") return Prin(c);
  std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
  return 2;
}
