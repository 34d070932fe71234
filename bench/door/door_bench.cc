// door_bench: door_call round trips between two processes, against the same
// exchange over a plain AF_UNIX socketpair, in one run.
//
// Each server runs in a child process forked before any benchmark thread exists.
// After the benchmarks, a summary prints the medians and the two figures the
// project tracks: null door_call latency / socketpair ping-pong latency (goal
// <= 1.5) and 1 MiB argument throughput (goal >= 2 GB/s).
#include <door.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

namespace {

constexpr size_t k4K = 4096;
constexpr size_t k1M = 1 << 20;

// The two peer processes and the descriptors that reach them.
struct Peers {
  int door_fd = -1;    // door served by the door child
  int seq_fd = -1;     // SOCK_SEQPACKET echo child
  int stream_fd = -1;  // SOCK_STREAM echo child (for payloads above a datagram)
  std::vector<pid_t> children;
};

Peers& TheDoorPeers() {
  static Peers peers;  // set up once in main() before benchmarks run
  return peers;
}

// Server procedure: answers with the argument size, or with `cookie` bytes of
// result when the cookie is non-zero (the download case).
void ServerProc(void* cookie, char* argp, size_t arg_size, door_desc_t*, uint_t) {
  (void)argp;
  static thread_local std::vector<char> big;
  const size_t want = reinterpret_cast<uintptr_t>(cookie);
  if (want != 0 && arg_size == 1) {
    if (big.size() < want) big.assign(want, 'r');
    door_return(big.data(), want, nullptr, 0);
  }
  uint32_t n = static_cast<uint32_t>(arg_size);
  door_return(reinterpret_cast<char*>(&n), sizeof n, nullptr, 0);
}

void SendFd(int sock, int fd) {
  char byte = 'd';
  iovec iov{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
  if (sendmsg(sock, &msg, 0) != 1) _exit(2);
}

int RecvFd(int sock) {
  char byte = 0;
  iovec iov{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1) return -1;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if (c == nullptr || c->cmsg_type != SCM_RIGHTS) return -1;
  int fd = -1;
  std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
  return fd;
}

// Child: creates two doors (upload and download) and hands them to the parent.
pid_t StartDoorServer(int* upload_fd, int* download_fd) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(sv[0]);
    int up = door_create(ServerProc, nullptr, 0);
    int down = door_create(ServerProc, reinterpret_cast<void*>(k1M), 0);
    if (up < 0 || down < 0) _exit(1);
    SendFd(sv[1], up);
    SendFd(sv[1], down);
    for (;;) pause();
  }
  close(sv[1]);
  *upload_fd = RecvFd(sv[0]);
  *download_fd = RecvFd(sv[0]);
  close(sv[0]);
  return pid;
}

bool ReadFull(int fd, char* p, size_t n) {
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

bool WriteFull(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// Child: reads a request and answers with its size (4 bytes), like ServerProc.
// Stream requests are framed by an 8-byte length.
pid_t StartEchoServer(int type, int* client_fd) {
  int sv[2];
  if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(sv[0]);
    std::vector<char> buf(k1M + 64);
    for (;;) {
      uint32_t n = 0;
      if (type == SOCK_SEQPACKET) {
        ssize_t r = recv(sv[1], buf.data(), buf.size(), 0);
        if (r <= 0) _exit(0);
        n = static_cast<uint32_t>(r);
      } else {
        uint64_t len = 0;
        if (!ReadFull(sv[1], reinterpret_cast<char*>(&len), sizeof len) || len > buf.size() ||
            !ReadFull(sv[1], buf.data(), len)) {
          _exit(0);
        }
        n = static_cast<uint32_t>(len);
      }
      if (!WriteFull(sv[1], reinterpret_cast<char*>(&n), sizeof n)) _exit(0);
    }
  }
  close(sv[1]);
  *client_fd = sv[0];
  return pid;
}

int& DownloadDoor() {
  static int fd = -1;
  return fd;
}

void BM_DoorCall(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  std::vector<char> arg(std::max<size_t>(size, 1), 'a');
  uint32_t result = 0;
  for (auto _ : state) {
    door_arg_t a{};
    a.data_ptr = size ? arg.data() : nullptr;
    a.data_size = size;
    a.rbuf = reinterpret_cast<char*>(&result);
    a.rsize = sizeof result;
    if (door_call(TheDoorPeers().door_fd, &a) != 0 || a.data_size != sizeof result) {
      state.SkipWithError("door_call failed");
      break;
    }
    if (a.rbuf != reinterpret_cast<char*>(&result)) munmap(a.rbuf, a.rsize);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * size));
}

void BM_DoorCallResult1M(benchmark::State& state) {
  std::vector<char> rbuf(k1M);
  char one = 1;
  for (auto _ : state) {
    door_arg_t a{};
    a.data_ptr = &one;
    a.data_size = 1;
    a.rbuf = rbuf.data();
    a.rsize = rbuf.size();
    if (door_call(DownloadDoor(), &a) != 0 || a.data_size != k1M) {
      state.SkipWithError("door_call failed");
      break;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * k1M));
}

void BM_SocketpairPingPong(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  const bool stream = size > 64 * 1024;
  const int fd = stream ? TheDoorPeers().stream_fd : TheDoorPeers().seq_fd;
  std::vector<char> buf(std::max<size_t>(size, 1) + 8, 'a');
  uint32_t reply = 0;
  for (auto _ : state) {
    bool ok = true;
    if (stream) {
      uint64_t len = size;
      std::memcpy(buf.data(), &len, sizeof len);
      ok = WriteFull(fd, buf.data(), size + sizeof len);
    } else {
      ok = send(fd, buf.data(), std::max<size_t>(size, 1), 0) > 0;
    }
    ok = ok && ReadFull(fd, reinterpret_cast<char*>(&reply), sizeof reply);
    if (!ok) {
      state.SkipWithError("socketpair exchange failed");
      break;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * size));
}

BENCHMARK(BM_DoorCall)->Arg(0)->Arg(k4K)->Arg(k1M)->UseRealTime();
BENCHMARK(BM_DoorCallResult1M)->UseRealTime();
BENCHMARK(BM_SocketpairPingPong)->Arg(0)->Arg(k4K)->Arg(k1M)->UseRealTime();

// Keeps the median of each benchmark for the summary.
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median") {
        const double secs = r.GetAdjustedRealTime() / 1e9;  // time unit: ns
        median_ns_[r.run_name.function_name + "/" + r.run_name.args] = r.GetAdjustedRealTime();
        auto it = r.counters.find("bytes_per_second");
        if (it != r.counters.end())
          bps_[r.run_name.function_name + "/" + r.run_name.args] = it->second;
        (void)secs;
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  double Ns(const std::string& k) const { return Get(median_ns_, k); }
  double Bps(const std::string& k) const { return Get(bps_, k); }

 private:
  static double Get(const std::map<std::string, double>& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? 0 : it->second;
  }
  std::map<std::string, double> median_ns_;
  std::map<std::string, double> bps_;
};

}  // namespace

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  Peers& p = TheDoorPeers();
  p.children.push_back(StartDoorServer(&p.door_fd, &DownloadDoor()));
  p.children.push_back(StartEchoServer(SOCK_SEQPACKET, &p.seq_fd));
  p.children.push_back(StartEchoServer(SOCK_STREAM, &p.stream_fd));
  if (p.door_fd < 0 || DownloadDoor() < 0 || p.seq_fd < 0 || p.stream_fd < 0) {
    std::fprintf(stderr, "door_bench: could not start the peer processes\n");
    return 1;
  }

  // Medians over repetitions unless the caller chose otherwise.
  std::vector<char*> args(argv, argv + argc);
  std::string reps = "--benchmark_repetitions=5";
  std::string aggr = "--benchmark_report_aggregates_only=true";
  bool has_reps = false;
  for (int i = 1; i < argc; ++i) has_reps |= std::strstr(argv[i], "repetitions") != nullptr;
  if (!has_reps) {
    args.push_back(reps.data());
    args.push_back(aggr.data());
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);

  const double door_null = reporter.Ns("BM_DoorCall/0");
  const double sock_null = reporter.Ns("BM_SocketpairPingPong/0");
  const double door_4k = reporter.Ns("BM_DoorCall/4096");
  const double sock_4k = reporter.Ns("BM_SocketpairPingPong/4096");
  const double up_1m = reporter.Bps("BM_DoorCall/1048576");
  const double down_1m = reporter.Bps("BM_DoorCallResult1M/");
  const double sock_1m = reporter.Bps("BM_SocketpairPingPong/1048576");
  std::printf("\nsummary (medians)\n");
  if (door_null > 0 && sock_null > 0) {
    std::printf("null call: door %.2f us, socketpair %.2f us, ratio %.2f (goal <= 1.5)\n",
                door_null / 1e3, sock_null / 1e3, door_null / sock_null);
  }
  if (door_4k > 0 && sock_4k > 0) {
    std::printf("4 KiB argument: door %.2f us, socketpair %.2f us, ratio %.2f\n", door_4k / 1e3,
                sock_4k / 1e3, door_4k / sock_4k);
  }
  if (up_1m > 0) {
    std::printf("1 MiB argument: door %.2f GB/s, socketpair stream %.2f GB/s (goal >= 2 GB/s)\n",
                up_1m / 1e9, sock_1m / 1e9);
  }
  if (down_1m > 0) std::printf("1 MiB result: door %.2f GB/s\n", down_1m / 1e9);

  for (pid_t c : p.children) {
    kill(c, SIGKILL);
    waitpid(c, nullptr, 0);
  }
  benchmark::Shutdown();
  return 0;
}
