// Server thread pools: the shared pool growing on demand, DOOR_PRIVATE pools,
// door_bind / door_unbind, and door_server_create.
#include <pthread.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "door.h"
#include "door_test_util.h"

namespace {

using door_test::EchoProc;
using door_test::ScopedFd;
using door_test::WaitFor;

thread_local int tls_marker = 0;

void MarkerProc(void*, char*, size_t, door_desc_t*, uint_t) {
  int m = tls_marker;
  door_return(reinterpret_cast<char*>(&m), sizeof m, nullptr, 0);
}

// Blocks until `release` is set, counting concurrent procedures.
struct Gate {
  std::atomic<int> inside{0};
  std::atomic<bool> release{false};
};

void GateProc(void* cookie, char*, size_t, door_desc_t*, uint_t) {
  auto* g = static_cast<Gate*>(cookie);
  g->inside.fetch_add(1);
  while (!g->release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  g->inside.fetch_sub(1);
  door_return(nullptr, 0, nullptr, 0);
}

int CallMarker(int d) {
  int m = -1;
  door_arg_t a{};
  a.rbuf = reinterpret_cast<char*>(&m);
  a.rsize = sizeof m;
  if (door_call(d, &a) != 0) return -errno;
  return m;
}

TEST(DoorPool, SharedPoolGrowsToServeConcurrentCalls) {
  Gate g;
  ScopedFd d(door_create(GateProc, &g, 0));
  std::vector<std::thread> callers;
  for (int i = 0; i < 6; ++i) callers.emplace_back([&] { door_call(d.get(), nullptr); });
  EXPECT_TRUE(WaitFor([&] { return g.inside.load() == 6; }));
  g.release = true;
  for (auto& t : callers) t.join();
}

TEST(DoorPool, PrivateDoorIsServedByItsOwnDefaultThreads) {
  Gate g;
  ScopedFd d(door_create(GateProc, &g, DOOR_PRIVATE));
  std::vector<std::thread> callers;
  for (int i = 0; i < 4; ++i) callers.emplace_back([&] { door_call(d.get(), nullptr); });
  EXPECT_TRUE(WaitFor([&] { return g.inside.load() == 4; }));
  g.release = true;
  for (auto& t : callers) t.join();
}

TEST(DoorPool, BindErrors) {
  EXPECT_EQ(door_bind(-1), -1);
  EXPECT_EQ(errno, EBADF);
  ScopedFd shared(door_create(EchoProc, nullptr, 0));
  EXPECT_EQ(door_bind(shared.get()), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(door_unbind(), -1);
  EXPECT_EQ(errno, EBADF);
  ScopedFd priv(door_create(EchoProc, nullptr, DOOR_PRIVATE));
  EXPECT_EQ(door_bind(priv.get()), 0);
  EXPECT_EQ(door_unbind(), 0);
  EXPECT_EQ(door_unbind(), -1);
  EXPECT_EQ(errno, EBADF);
}

// door_server_create() with a function that counts requests and starts marked
// threads bound to the door named in the request.
struct Creator {
  std::atomic<int> shared_requests{0};
  std::atomic<int> private_requests{0};  // for the doors of this test
  std::atomic<door_id_t> last_id{0};
  std::atomic<door_id_t> min_id{0};  // earlier tests' pools may still ask
  std::atomic<int> exited_einval{0};
  std::mutex mu;
  std::map<door_id_t, int> fds;  // guarded by mu: door id -> descriptor

  void Publish(int fd) {
    door_info_t info{};
    door_info(fd, &info);
    std::lock_guard<std::mutex> lock(mu);
    fds[info.di_uniquifier] = fd;
  }
  int FdFor(door_id_t id) {
    for (;;) {
      {
        std::lock_guard<std::mutex> lock(mu);
        auto it = fds.find(id);
        if (it != fds.end()) return it->second;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
};
Creator* creator = nullptr;

void* CreatedThread(void* arg) {
  const auto id = static_cast<door_id_t>(reinterpret_cast<uintptr_t>(arg));
  tls_marker = 42;
  // door_bind(3C): a thread for a private pool binds to the door it was made for.
  // A thread that starts after its door is revoked cannot bind: it ends too.
  if (id != 0 && door_bind(creator->FdFor(id)) != 0) {
    creator->exited_einval.fetch_add(1);
    return nullptr;
  }
  pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, nullptr);
  if (door_return(nullptr, 0, nullptr, 0) == -1 && errno == EINVAL) {
    creator->exited_einval.fetch_add(1);
  }
  return nullptr;
}

void CreateFunc(door_info_t* info) {
  if (info == nullptr) {
    creator->shared_requests.fetch_add(1);
  } else if (info->di_uniquifier >= creator->min_id.load()) {
    creator->private_requests.fetch_add(1);
    creator->last_id = info->di_uniquifier;
  } else {
    return;  // a door of another test
  }
  pthread_t t;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_create(&t, &attr, CreatedThread,
                 reinterpret_cast<void*>(static_cast<uintptr_t>(info ? info->di_uniquifier : 0)));
  pthread_attr_destroy(&attr);
}

TEST(DoorPool, ServerCreateFunctionStartsPrivateThreads) {
  Creator c;
  creator = &c;
  {
    // Door ids grow within a process: anything older than this door is not ours.
    const int probe = door_create(EchoProc, nullptr, 0);
    door_info_t pi{};
    door_info(probe, &pi);
    c.min_id = pi.di_uniquifier + 1;
    close(probe);
  }
  door_server_func_t* prev = door_server_create(CreateFunc);
  const int d = door_create(MarkerProc, nullptr, DOOR_PRIVATE);
  ASSERT_GE(d, 0);
  door_info_t info{};
  ASSERT_EQ(door_info(d, &info), 0);
  EXPECT_EQ(c.private_requests.load(), 1);  // at door_create
  EXPECT_EQ(c.last_id.load(), info.di_uniquifier);
  c.Publish(d);
  EXPECT_EQ(CallMarker(d), 42);  // served by a thread the function started
  // Concurrent calls make the pool ask for more threads.
  Gate g;
  const int gd = door_create(GateProc, &g, DOOR_PRIVATE);
  const int before = c.private_requests.load();
  c.Publish(gd);
  std::vector<std::thread> callers;
  for (int i = 0; i < 3; ++i) callers.emplace_back([&] { door_call(gd, nullptr); });
  EXPECT_TRUE(WaitFor([&] { return g.inside.load() == 3; }));
  EXPECT_GE(c.private_requests.load() - before, 3);
  g.release = true;
  for (auto& t : callers) t.join();
  // Revoking a private door sends its bound threads back from door_return().
  const int threads = c.private_requests.load();
  EXPECT_EQ(door_revoke(gd), 0);
  EXPECT_EQ(door_revoke(d), 0);
  EXPECT_TRUE(WaitFor([&] { return c.exited_einval.load() == threads; }))
      << c.exited_einval.load() << " of " << threads;
  door_server_create(prev);
  creator = nullptr;
}

TEST(DoorPool, ThreadBoundInAProcedureMovesToThePrivatePool) {
  static int priv = -1;
  priv = door_create(MarkerProc, nullptr, DOOR_PRIVATE);
  auto binder = [](void*, char*, size_t, door_desc_t*, uint_t) {
    int rc = door_bind(priv);
    door_return(reinterpret_cast<char*>(&rc), sizeof rc, nullptr, 0);
  };
  ScopedFd d(door_create(binder, nullptr, 0));
  int rc = -1;
  door_arg_t a{};
  a.rbuf = reinterpret_cast<char*>(&rc);
  a.rsize = sizeof rc;
  ASSERT_EQ(door_call(d.get(), &a), 0);
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(CallMarker(priv), 0);
  EXPECT_EQ(door_call(d.get(), nullptr), 0);  // the shared pool still serves
  close(priv);
}

}  // namespace
