// ThreadCtx: everything libdoor keeps per thread.
//
// Server side: the loop base that door_return() jumps back to, the pool the thread
// serves, its door_bind() binding, the call it is serving, and the buffers the call
// lives in (so no frame between the loop base and the server procedure owns
// anything). Client side: the call connection cache and the reply buffer.
//
// Thread-safety: owned by its thread. Only cancel_mu and the fields it guards are
// read by other threads (Pool::CancelWatched), and only while the pool lists this
// context as a member.
#ifndef OPENSTMF_DOOR_THREAD_CTX_H
#define OPENSTMF_DOOR_THREAD_CTX_H

#include <pthread.h>
#include <setjmp.h>

#include <cstdint>
#include <memory>
#include <mutex>

#include "door.h"
#include "door/conn_cache.h"
#include "door/msg_io.h"
#include "door/refs.h"
#include "door/wire.h"

namespace openstmf::door {

class Door;
class Pool;
struct Conn;

struct ThreadCtx {
  ThreadCtx();
  ~ThreadCtx();
  ThreadCtx(const ThreadCtx&) = delete;
  ThreadCtx& operator=(const ThreadCtx&) = delete;

  const uint64_t uid;  // unique among this process's threads
  const pthread_t tid;

  // --- server loop
  sigjmp_buf loop_base;
  bool in_loop = false;
  std::shared_ptr<Pool> pool;   // the pool whose loop the thread runs
  std::shared_ptr<Pool> bound;  // door_bind() binding
  bool bound_set = false;
  bool bound_invalid = false;  // bound before fork(), in the child

  // --- the call being served (a server procedure runs on this thread)
  bool serving = false;
  bool more = false;     // the call being served had kFlagMore
  Conn* conn = nullptr;  // null for an unreferenced invocation
  // A connection whose client sends calls without waiting (kFlagMore): after
  // answering, this thread reads its next call itself instead of re-arming it.
  Conn* next_conn = nullptr;
  Door* door = nullptr;
  std::shared_ptr<Door> hold;  // keeps door alive during an unreferenced invocation
  char* argp = nullptr;
  size_t arg_size = 0;
  uint32_t n_desc = 0;
  bool window_open = false;  // this call opened a cancellation window

  // Cancellation window (server.cc). Read by other threads under cancel_mu.
  std::mutex cancel_mu;
  bool in_window = false;       // guarded by cancel_mu
  uint64_t window_token = 0;    // guarded by cancel_mu; the call's watch token
  Door* window_door = nullptr;  // guarded by cancel_mu
  bool cancel_sent = false;     // guarded by cancel_mu

  // --- server buffers
  std::unique_ptr<unsigned char[]> srv_rx;  // kMaxMessage bytes, allocated on first use
  Received srv_recv;
  std::unique_ptr<char[]> argbuf;  // arguments copied out of an arena
  size_t argcap = 0;
  door_desc_t descs[kMaxDesc];
  OutDescs srv_out;  // descriptors of the reply being sent

  // --- client side
  ConnCache cache;
  std::unique_ptr<unsigned char[]> cli_rx;  // kMaxMessage bytes
  Received cli_recv;
  OutDescs cli_out;
};

// The calling thread's context, created on first use.
ThreadCtx* CurrentThread();
// The calling thread's context if it has one.
ThreadCtx* CurrentThreadIfAny();

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_THREAD_CTX_H
