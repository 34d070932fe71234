// A client that gives up (signal, thread cancellation, process death) cancels the
// server thread serving its call, unless the door has DOOR_NO_CANCEL.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cerrno>
#include <thread>

#include <gtest/gtest.h>

#include "door.h"
#include "door_test_util.h"

namespace {

using door_test::Fork;
using door_test::ScopedFd;
using door_test::Wait;
using door_test::WaitFor;

enum State { kIdle, kEntered, kCancelled, kCompleted };

struct Probe {
  std::atomic<int> state{kIdle};
  int loops = 1000;  // x 5 ms
};

// Marks the probe cancelled if the thread unwinds through it.
struct UnwindMark {
  Probe* p;
  bool done = false;
  ~UnwindMark() {
    if (!done) p->state = kCancelled;
  }
};

void SlowProc(void* cookie, char* argp, size_t size, door_desc_t*, uint_t) {
  auto* p = static_cast<Probe*>(cookie);
  if (size == 1 && argp[0] == 'q') door_return(nullptr, 0, nullptr, 0);
  p->state = kEntered;
  {
    UnwindMark mark{p};
    for (int i = 0; i < p->loops; ++i) {
      // Cancellation acts only at pthread_testcancel(): ThreadSanitizer loses track
      // of locks after a cancellation inside one of its intercepted calls.
      int old;
      pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
      usleep(5000);
      pthread_setcancelstate(old, nullptr);
      pthread_testcancel();
    }
    mark.done = true;
  }
  p->state = kCompleted;
  door_return(nullptr, 0, nullptr, 0);
}

void OnSignal(int) {}

int QuickCall(int d) {
  char q = 'q';
  door_arg_t a{};
  a.data_ptr = &q;
  a.data_size = 1;
  return door_call(d, &a) == 0 ? 0 : errno;
}

// Calls d on a thread that a signal (no SA_RESTART) interrupts once the server
// procedure runs; returns door_call's errno.
int InterruptedCall(int d, Probe* p) {
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // door_call(3C) is not restarted
  struct sigaction old {};
  sigaction(SIGUSR1, &sa, &old);
  std::atomic<int> result{-1};
  std::thread caller([&] { result = door_call(d, nullptr) == 0 ? 0 : errno; });
  EXPECT_TRUE(WaitFor([&] { return p->state.load() == kEntered; }));
  // The client may not be waiting for the reply yet: signal until it returns.
  while (result.load() == -1) {
    pthread_kill(caller.native_handle(), SIGUSR1);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  caller.join();
  sigaction(SIGUSR1, &old, nullptr);
  return result.load();
}

TEST(DoorCancel, InterruptedClientCancelsTheServerThread) {
  Probe p;
  ScopedFd d(door_create(SlowProc, &p, 0));
  EXPECT_EQ(InterruptedCall(d.get(), &p), EINTR);
  EXPECT_TRUE(WaitFor([&] { return p.state.load() == kCancelled; }, 4)) << p.state.load();
  EXPECT_EQ(QuickCall(d.get()), 0);  // the pool replaced the cancelled thread
}

TEST(DoorCancel, NoCancelLetsTheProcedureFinish) {
  Probe p;
  p.loops = 40;
  ScopedFd d(door_create(SlowProc, &p, DOOR_NO_CANCEL));
  EXPECT_EQ(InterruptedCall(d.get(), &p), EINTR);
  EXPECT_TRUE(WaitFor([&] { return p.state.load() == kCompleted; }, 4)) << p.state.load();
  EXPECT_EQ(QuickCall(d.get()), 0);
}

TEST(DoorCancel, CancelledClientThreadCancelsTheServerThread) {
  Probe p;
  static int door_fd = -1;
  ScopedFd d(door_create(SlowProc, &p, DOOR_PRIVATE));
  door_fd = d.get();
  auto call = [](void*) -> void* {
    door_call(door_fd, nullptr);
    return nullptr;
  };
  pthread_t caller;
  ASSERT_EQ(pthread_create(&caller, nullptr, call, nullptr), 0);
  ASSERT_TRUE(WaitFor([&] { return p.state.load() == kEntered; }));
  pthread_cancel(caller);
  void* ret = nullptr;
  pthread_join(caller, &ret);
  EXPECT_EQ(ret, PTHREAD_CANCELED);
  EXPECT_TRUE(WaitFor([&] { return p.state.load() == kCancelled; }, 4)) << p.state.load();
  EXPECT_EQ(QuickCall(d.get()), 0);
}

TEST(DoorCancel, ClientProcessDeathCancelsTheServerThread) {
  Probe p;
  ScopedFd d(door_create(SlowProc, &p, 0));
  pid_t child = Fork([&] {
    door_call(d.get(), nullptr);
    return 0;
  });
  ASSERT_TRUE(WaitFor([&] { return p.state.load() == kEntered; }));
  kill(child, SIGKILL);
  Wait(child);
  EXPECT_TRUE(WaitFor([&] { return p.state.load() == kCancelled; }, 4)) << p.state.load();
  EXPECT_EQ(QuickCall(d.get()), 0);
}

}  // namespace
