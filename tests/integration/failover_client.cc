// An initiator with two paths to an ALUA pair, on libiscsi's synchronous API,
// for the failover tests.
//
//   failover_client run URL_A URL_B ACKLOG SEED SECONDS
//       for SECONDS, writes 64-block pieces at increasing LBAs (wrapping at the
//       end of the LU with a new generation), alternating the two paths, and
//       reads each acknowledged piece back through the other path. A command
//       that fails (connection lost, NOT READY, UNIT ATTENTION...) is retried on
//       either path until one takes it; a path whose connection broke logs in
//       again. Each acknowledged piece is appended to ACKLOG (fsynced) as
//       "LBA BLOCKS GENERATION". A read that succeeds with other data than the
//       last acknowledged write is fatal. Prints the number of pieces and the
//       longest time between two acknowledged writes ("max gap N ms").
//   failover_client checklog URL ACKLOG SEED
//       checks the last acknowledged generation of every piece in ACKLOG.
//
// Exit status 0 on success, 1 on a mismatch or when nothing could be written.
#include <fcntl.h>
#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>
#include <unistd.h>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr uint32_t kBlock = 512;
constexpr uint32_t kChunk = 64;

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

void Fill(uint8_t* p, uint64_t lba, uint32_t blocks, uint64_t seed, uint64_t gen) {
  for (uint32_t b = 0; b < blocks; ++b) {
    for (uint32_t w = 0; w < kBlock / 8; ++w) {
      uint64_t v = Mix(seed ^ (gen << 48) ^ ((lba + b) << 16) ^ w);
      std::memcpy(p + b * kBlock + w * 8, &v, 8);
    }
  }
}

struct Path {
  std::string url;
  iscsi_context* ctx = nullptr;
  int lun = 0;
  Clock::time_point retry_at{};

  ~Path() { Drop(); }
  void Drop() {
    if (ctx != nullptr) iscsi_destroy_context(ctx);
    ctx = nullptr;
  }
  bool Up() {
    if (ctx != nullptr) return true;
    if (Clock::now() < retry_at) return false;
    ctx = iscsi_create_context("iqn.2026-11.org.openstmf:failover-client");
    iscsi_url* u = iscsi_parse_full_url(ctx, url.c_str());
    if (u == nullptr) {
      std::fprintf(stderr, "bad URL %s\n", url.c_str());
      std::exit(2);
    }
    iscsi_set_targetname(ctx, u->target);
    iscsi_set_session_type(ctx, ISCSI_SESSION_NORMAL);
    iscsi_set_header_digest(ctx, ISCSI_HEADER_DIGEST_NONE_CRC32C);
    iscsi_set_noautoreconnect(ctx, 1);
    iscsi_set_timeout(ctx, 5);
    lun = u->lun;
    bool ok = iscsi_full_connect_sync(ctx, u->portal, u->lun) == 0;
    iscsi_destroy_url(u);
    if (!ok) {
      Drop();
      retry_at = Clock::now() + std::chrono::milliseconds(100);
    }
    return ok;
  }
};

// Runs one command; a transport failure drops the path's connection.
template <typename Fn>
scsi_task* OnPath(Path& p, Fn fn) {
  if (!p.Up()) return nullptr;
  scsi_task* t = fn(p);
  if (t == nullptr) p.Drop();
  return t;
}

bool Write(Path& p, uint64_t lba, const std::vector<uint8_t>& buf) {
  scsi_task* t = OnPath(p, [&](Path& q) {
    return iscsi_write16_sync(q.ctx, q.lun, lba, const_cast<uint8_t*>(buf.data()),
                              static_cast<uint32_t>(buf.size()), kBlock, 0, 0, 1, 0, 0);
  });
  bool ok = t != nullptr && t->status == SCSI_STATUS_GOOD;
  if (t != nullptr) scsi_free_scsi_task(t);
  return ok;
}

// 1: same data, 0: failed (retry), -1: different data.
int Read(Path& p, uint64_t lba, const std::vector<uint8_t>& want) {
  scsi_task* t = OnPath(p, [&](Path& q) {
    return iscsi_read16_sync(q.ctx, q.lun, lba, static_cast<uint32_t>(want.size()), kBlock, 0, 0, 0,
                             0, 0);
  });
  if (t == nullptr) return 0;
  int r = 0;
  if (t->status == SCSI_STATUS_GOOD) {
    r = t->datain.size == static_cast<int>(want.size()) &&
                std::memcmp(t->datain.data, want.data(), want.size()) == 0
            ? 1
            : -1;
  }
  scsi_free_scsi_task(t);
  return r;
}

uint64_t Capacity(Path& p) {
  for (int i = 0; i < 100; ++i) {
    scsi_task* t = OnPath(p, [](Path& q) { return iscsi_readcapacity16_sync(q.ctx, q.lun); });
    if (t != nullptr && t->status == SCSI_STATUS_GOOD) {
      auto* rc = static_cast<scsi_readcapacity16*>(scsi_datain_unmarshall(t));
      uint64_t blocks = rc != nullptr ? rc->returned_lba + 1 : 0;
      scsi_free_scsi_task(t);
      if (blocks != 0) return blocks;
    } else if (t != nullptr) {
      scsi_free_scsi_task(t);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return 0;
}

int RunWriters(char** argv) {
  Path paths[2];
  paths[0].url = argv[2];
  paths[1].url = argv[3];
  FILE* log = std::fopen(argv[4], "a");
  if (log == nullptr) return 1;
  const uint64_t seed = std::strtoull(argv[5], nullptr, 0);
  const auto end = Clock::now() + std::chrono::seconds(std::strtoull(argv[6], nullptr, 0));
  uint64_t cap = Capacity(paths[0]);
  if (cap == 0) cap = Capacity(paths[1]);
  if (cap < kChunk) {
    std::fprintf(stderr, "no capacity from either path\n");
    return 1;
  }
  const uint64_t pieces_per_round = cap / kChunk;
  std::vector<uint8_t> buf(kChunk * kBlock);
  uint64_t done = 0, reads = 0;
  auto last_ack = Clock::now();
  double max_gap_ms = 0;
  for (uint64_t i = 0; Clock::now() < end; ++i) {
    const uint64_t lba = (i % pieces_per_round) * kChunk;
    const uint64_t gen = i / pieces_per_round;
    Fill(buf.data(), lba, kChunk, seed, gen);
    int path = static_cast<int>(i % 2);
    while (!Write(paths[path], lba, buf)) {
      path ^= 1;
      if (Clock::now() >= end + std::chrono::seconds(30)) {
        std::fprintf(stderr, "no path took a write for 30 s\n");
        return 1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const auto now = Clock::now();
    max_gap_ms =
        std::max(max_gap_ms, std::chrono::duration<double, std::milli>(now - last_ack).count());
    last_ack = now;
    std::fprintf(log, "%" PRIu64 " %u %" PRIu64 "\n", lba, kChunk, gen);
    std::fflush(log);
    fdatasync(fileno(log));
    ++done;
    // Read it back through the other path (or this one when the other is down).
    int other = path ^ 1;
    for (int tries = 0; tries < 400; ++tries) {
      int r = Read(paths[other], lba, buf);
      if (r < 0) {
        std::fprintf(stderr, "piece at LBA %" PRIu64 " read back different data via %s\n", lba,
                     paths[other].url.c_str());
        return 1;
      }
      if (r > 0) {
        ++reads;
        break;
      }
      other ^= 1;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  std::fclose(log);
  std::printf("%" PRIu64 " pieces written, %" PRIu64 " read back, max gap %.0f ms\n", done, reads,
              max_gap_ms);
  return done > 0 ? 0 : 1;
}

int CheckLog(char** argv) {
  Path p;
  p.url = argv[2];
  FILE* f = std::fopen(argv[3], "r");
  if (f == nullptr) return 1;
  const uint64_t seed = std::strtoull(argv[4], nullptr, 0);
  std::map<uint64_t, uint64_t> last;  // lba -> generation
  uint64_t lba = 0, gen = 0;
  unsigned blocks = 0;
  while (std::fscanf(f, "%" SCNu64 " %u %" SCNu64, &lba, &blocks, &gen) == 3) last[lba] = gen;
  std::fclose(f);
  std::vector<uint8_t> want(kChunk * kBlock);
  for (const auto& [l, g] : last) {
    Fill(want.data(), l, kChunk, seed, g);
    int r = 0;
    for (int tries = 0; tries < 200 && r == 0; ++tries) {
      r = Read(p, l, want);
      if (r == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (r != 1) {
      std::fprintf(stderr, "acknowledged piece at LBA %" PRIu64 " (generation %" PRIu64 ") %s\n", l,
                   g, r < 0 ? "has other data" : "cannot be read");
      return 1;
    }
  }
  std::printf("%zu acknowledged pieces verified\n", last.size());
  return last.empty() ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 7 && std::strcmp(argv[1], "run") == 0) return RunWriters(argv);
  if (argc == 5 && std::strcmp(argv[1], "checklog") == 0) return CheckLog(argv);
  std::fprintf(stderr, "usage: see the comment at the top of failover_client.cc\n");
  return 2;
}
