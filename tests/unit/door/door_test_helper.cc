// A separate process image for the multi-process libdoor tests: exec'd by the
// tests (door_test_util.h), so it starts single-threaded and may start server
// threads even under ThreadSanitizer. Usage: door_test_helper MODE, with a control
// socket on descriptor 3.
//
// Modes:
//   serve   creates a door and sends it on fd 3; serves until fd 3 closes. The
//           first argument byte selects: 'e' echo, 's' report on fd 3 then sleep,
//           'c' reply with the caller's door_cred_t, 'd' reply with the received
//           descriptors (DOOR_RELEASE), 'i' reply with door_info(DOOR_QUERY).
//   stress  receives a door on fd 3, runs 8 threads x N calls (N from the second
//           control byte, in thousands) with payload checks; exit status 0 if all
//           calls were right.
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "door.h"
#include "door_test_util.h"

namespace {

using door_test::RecvFd;
using door_test::SendFd;

constexpr int kCtl = 3;

void Serve(void*, char* argp, size_t size, door_desc_t* dp, uint_t n) {
  const char op = size > 0 ? argp[0] : 'e';
  switch (op) {
    case 's': {
      char b = 'S';
      (void)!::write(kCtl, &b, 1);
      for (;;) ::pause();
    }
    case 'c': {
      door_cred_t c{};
      door_cred(&c);
      door_return(reinterpret_cast<char*>(&c), sizeof c, nullptr, 0);
      break;
    }
    case 'd': {
      static door_desc_t out[8];  // outlives the frame door_return() leaves
      for (uint_t i = 0; i < n && i < 8; ++i) {
        out[i] = dp[i];
        out[i].d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
      }
      door_return(argp, size, out, n < 8 ? n : 8);
      break;
    }
    case 'i': {
      door_info_t info{};
      door_info(DOOR_QUERY, &info);
      door_return(reinterpret_cast<char*>(&info), sizeof info, nullptr, 0);
      break;
    }
    default:
      door_return(argp, size, nullptr, 0);
  }
}

int RunServe() {
  int d = door_create(Serve, nullptr, 0);
  if (d < 0 || !SendFd(kCtl, d)) return 2;
  char b;
  while (::read(kCtl, &b, 1) > 0) {
  }
  return 0;
}

int RunStress() {
  int d = RecvFd(kCtl);
  char count = 0;
  if (d < 0 || ::read(kCtl, &count, 1) != 1) return 2;
  const int calls = count * 1000;
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < calls; ++i) {
        char in[64];
        char out[64];
        const int len = 1 + (i + t) % 60;
        for (int k = 0; k < len; ++k) in[k] = static_cast<char>('a' + (t * 7 + i + k) % 26);
        in[0] = 'e';
        door_arg_t a{};
        a.data_ptr = in;
        a.data_size = static_cast<size_t>(len);
        a.rbuf = out;
        a.rsize = sizeof out;
        if (door_call(d, &a) != 0 || a.data_size != static_cast<size_t>(len) ||
            std::memcmp(a.data_ptr, in, static_cast<size_t>(len)) != 0) {
          bad.fetch_add(1);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  return bad.load() == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const std::string mode = argv[1];
  if (mode == "serve") return RunServe();
  if (mode == "stress") return RunStress();
  return 2;
}
