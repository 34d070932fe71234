// ConnCache: a thread's call connections, one per door reference it has called.
//
// A call connection is a private socketpair whose other end was handed to the
// server in a kConnect message; only its thread uses it, so replies never cross.
// Entries are keyed by the reference socket's (st_dev, st_ino), bounded (least
// recently used entries are closed). Credentials are not tied to a connection:
// the server reads the caller's current ids when it asks (proc_creds.h).
//
// Thread-safety: owned by one thread (ThreadCtx).
#ifndef OPENSTMF_DOOR_CONN_CACHE_H
#define OPENSTMF_DOOR_CONN_CACHE_H

#include <sys/types.h>

#include <cstdint>

#include "door/arena.h"

namespace openstmf::door {

struct CallConn {
  dev_t dev = 0;
  ino_t ino = 0;
  int fd = -1;
  uint64_t door_id = 0;
  uint32_t door_attributes = 0;  // creation attributes, from the tag
  uint64_t last_use = 0;
  Arena arena;
};

class ConnCache {
 public:
  static constexpr int kCapacity = 64;

  ConnCache() = default;
  ConnCache(const ConnCache&) = delete;
  ConnCache& operator=(const ConnCache&) = delete;
  ~ConnCache() { Clear(); }

  CallConn* Find(dev_t dev, ino_t ino);
  // A free slot for a new connection (closing the least recently used if full).
  CallConn* Slot();
  void Evict(CallConn* c);
  void Clear();
  // After fork, in the child: forgets every connection (fd_registry closed them).
  void ForgetInChild();
  // Drops every connection when the ids differ from the ones they were made with.

 private:
  CallConn entries_[kCapacity];
  uint64_t clock_ = 0;
};

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_CONN_CACHE_H
