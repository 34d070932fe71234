// A small initiator for the integration tests, on libiscsi's synchronous API.
//
//   pattern_client URL write  FIRST_LBA BLOCKS SEED    write a pattern, read it back
//   pattern_client URL verify FIRST_LBA BLOCKS SEED    check the pattern is there
//   pattern_client URL durable FIRST_LBA BLOCKS SEED ACKLOG
//       writes CHUNK-block pieces forever (until killed or BLOCKS are done): odd
//       pieces with FUA, even ones plain and followed by SYNCHRONIZE CACHE(16); each
//       piece is appended to ACKLOG (fsynced) only after the target acknowledged it
//       durable
//   pattern_client URL checklog ACKLOG SEED            check every piece in ACKLOG
//
// The pattern of a block depends on the seed and the LBA only, so any reader can
// check any block. Exit status 0 on success, 1 on a mismatch or SCSI error.
#include <fcntl.h>
#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr uint32_t kBlock = 512;
constexpr uint32_t kChunk = 64;  // blocks per command

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

void Fill(uint8_t* p, uint64_t lba, uint32_t blocks, uint64_t seed) {
  for (uint32_t b = 0; b < blocks; ++b) {
    for (uint32_t w = 0; w < kBlock / 8; ++w) {
      uint64_t v = Mix(seed ^ ((lba + b) << 16) ^ w);
      std::memcpy(p + b * kBlock + w * 8, &v, 8);
    }
  }
}

struct Session {
  iscsi_context* ctx = nullptr;
  int lun = 0;
  ~Session() {
    if (ctx != nullptr) {
      iscsi_logout_sync(ctx);
      iscsi_destroy_context(ctx);
    }
  }
};

bool Connect(const char* url, Session* s) {
  s->ctx = iscsi_create_context("iqn.2026-11.org.openstmf:pattern-client");
  iscsi_url* u = iscsi_parse_full_url(s->ctx, url);
  if (u == nullptr) {
    std::fprintf(stderr, "bad URL %s: %s\n", url, iscsi_get_error(s->ctx));
    return false;
  }
  iscsi_set_targetname(s->ctx, u->target);
  iscsi_set_session_type(s->ctx, ISCSI_SESSION_NORMAL);
  iscsi_set_header_digest(s->ctx, ISCSI_HEADER_DIGEST_NONE_CRC32C);
  iscsi_set_noautoreconnect(s->ctx, 1);  // a dead target is an error, not a retry
  s->lun = u->lun;
  bool ok = iscsi_full_connect_sync(s->ctx, u->portal, u->lun) == 0;
  if (!ok) std::fprintf(stderr, "login to %s failed: %s\n", url, iscsi_get_error(s->ctx));
  iscsi_destroy_url(u);
  return ok;
}

bool Good(Session* s, scsi_task* t, const char* what, uint64_t lba) {
  bool ok = t != nullptr && t->status == SCSI_STATUS_GOOD;
  if (!ok) {
    std::fprintf(stderr, "%s at LBA %" PRIu64 " failed: %s\n", what, lba,
                 t == nullptr ? iscsi_get_error(s->ctx) : iscsi_get_error(s->ctx));
  }
  if (t != nullptr) scsi_free_scsi_task(t);
  return ok;
}

bool WriteChunk(Session* s, uint64_t lba, uint32_t blocks, uint64_t seed, bool fua) {
  std::vector<uint8_t> buf(blocks * kBlock);
  Fill(buf.data(), lba, blocks, seed);
  scsi_task* t =
      iscsi_write16_sync(s->ctx, s->lun, lba, buf.data(), static_cast<uint32_t>(buf.size()), kBlock,
                         0, 0, fua ? 1 : 0, 0, 0);
  return Good(s, t, "WRITE(16)", lba);
}

bool VerifyChunk(Session* s, uint64_t lba, uint32_t blocks, uint64_t seed) {
  std::vector<uint8_t> want(blocks * kBlock);
  Fill(want.data(), lba, blocks, seed);
  scsi_task* t = iscsi_read16_sync(s->ctx, s->lun, lba, static_cast<uint32_t>(want.size()), kBlock,
                                   0, 0, 0, 0, 0);
  if (t == nullptr || t->status != SCSI_STATUS_GOOD) return Good(s, t, "READ(16)", lba);
  bool same = t->datain.size == static_cast<int>(want.size()) &&
              std::memcmp(t->datain.data, want.data(), want.size()) == 0;
  scsi_free_scsi_task(t);
  if (!same) std::fprintf(stderr, "pattern mismatch in blocks %" PRIu64 "+%u\n", lba, blocks);
  return same;
}

int Run(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: see the comment at the top of pattern_client.cc\n");
    return 2;
  }
  std::string mode = argv[2];
  Session s;
  if (!Connect(argv[1], &s)) return 1;
  if (mode == "checklog" && argc == 5) {
    FILE* f = std::fopen(argv[3], "r");
    if (f == nullptr) return 1;
    uint64_t seed = std::strtoull(argv[4], nullptr, 0);
    uint64_t lba = 0;
    unsigned blocks = 0;
    int pieces = 0;
    while (std::fscanf(f, "%" SCNu64 " %u", &lba, &blocks) == 2) {
      if (!VerifyChunk(&s, lba, blocks, seed)) return 1;
      ++pieces;
    }
    std::fclose(f);
    std::printf("%d acknowledged pieces verified\n", pieces);
    return pieces > 0 ? 0 : 1;
  }
  if (argc < 6) return 2;
  uint64_t first = std::strtoull(argv[3], nullptr, 0);
  uint64_t count = std::strtoull(argv[4], nullptr, 0);
  uint64_t seed = std::strtoull(argv[5], nullptr, 0);
  if (mode == "write" || mode == "verify") {
    for (uint64_t lba = first; lba < first + count; lba += kChunk) {
      uint32_t n = static_cast<uint32_t>(std::min<uint64_t>(kChunk, first + count - lba));
      if (mode == "write" && !WriteChunk(&s, lba, n, seed, false)) return 1;
    }
    for (uint64_t lba = first; lba < first + count; lba += kChunk) {
      uint32_t n = static_cast<uint32_t>(std::min<uint64_t>(kChunk, first + count - lba));
      if (!VerifyChunk(&s, lba, n, seed)) return 1;
    }
    return 0;
  }
  if (mode == "durable" && argc == 7) {
    int log = open(argv[6], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log < 0) return 1;
    uint64_t piece = 0;
    for (uint64_t lba = first; lba + kChunk <= first + count; lba += kChunk, ++piece) {
      bool fua = (piece & 1) != 0;
      if (!WriteChunk(&s, lba, kChunk, seed, fua)) return 1;
      if (!fua && !Good(&s, iscsi_synchronizecache16_sync(s.ctx, s.lun, lba, kChunk, 0, 0),
                        "SYNCHRONIZE CACHE(16)", lba)) {
        return 1;
      }
      char line[64];
      int n = std::snprintf(line, sizeof(line), "%" PRIu64 " %u\n", lba, kChunk);
      if (write(log, line, static_cast<size_t>(n)) != n || fsync(log) != 0) return 1;
    }
    close(log);
    return 0;
  }
  return 2;
}

}  // namespace

int main(int argc, char** argv) { return Run(argc, argv); }
