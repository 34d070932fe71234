// Happens-before annotations for ThreadSanitizer; no code in other builds.
//
// Two hand-overs go through the kernel where ThreadSanitizer (as shipped with
// GCC 12) cannot see them:
//  - an endpoint passes from one pool thread to the next by epoll_ctl(MOD) and
//    epoll_wait(); only EPOLL_CTL_ADD is modelled;
//  - a call passes from client to server and back over sockets received with
//    SCM_RIGHTS, which it does not model at all.
// Within one process, HandOver()/TakeOver() on the endpoint, or on a cell chosen by
// the door id, state what the kernel guarantees.
#ifndef OPENSTMF_DOOR_TSAN_H
#define OPENSTMF_DOOR_TSAN_H

#include <cstdint>

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
// Exported by libtsan, not declared by GCC 12's header.
extern "C" void __tsan_ignore_thread_begin();
extern "C" void __tsan_ignore_thread_end();
#endif

namespace openstmf::door {

#if defined(__SANITIZE_THREAD__)
inline void HandOver(const void* p) { __tsan_release(const_cast<void*>(p)); }
inline void TakeOver(const void* p) { __tsan_acquire(const_cast<void*>(p)); }
// The calling thread's own accesses are not recorded in between (epoll_ctl()
// touches a descriptor another thread may close right after the hand-over).
inline void IgnoreBegin() { __tsan_ignore_thread_begin(); }
inline void IgnoreEnd() { __tsan_ignore_thread_end(); }
inline const void* CallCell(uint64_t door_id) {
  static const char cells[256] = {};
  return &cells[door_id % sizeof cells];
}
#else
inline void HandOver(const void*) {}
inline void TakeOver(const void*) {}
inline void IgnoreBegin() {}
inline void IgnoreEnd() {}
inline const void* CallCell(uint64_t) { return nullptr; }
#endif

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_TSAN_H
