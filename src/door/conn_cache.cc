#include "door/conn_cache.h"

#include <unistd.h>

#include "door/fd_registry.h"

namespace openstmf::door {

CallConn* ConnCache::Find(dev_t dev, ino_t ino) {
  for (CallConn& c : entries_) {
    if (c.fd >= 0 && c.ino == ino && c.dev == dev) {
      c.last_use = ++clock_;
      return &c;
    }
  }
  return nullptr;
}

CallConn* ConnCache::Slot() {
  CallConn* oldest = &entries_[0];
  for (CallConn& c : entries_) {
    if (c.fd < 0) {
      c.last_use = ++clock_;
      return &c;
    }
    if (c.last_use < oldest->last_use) oldest = &c;
  }
  Evict(oldest);
  oldest->last_use = ++clock_;
  return oldest;
}

void ConnCache::Evict(CallConn* c) {
  CloseTracked(c->fd);
  c->fd = -1;
  c->dev = 0;
  c->ino = 0;
  c->arena.Reset();
}

void ConnCache::Clear() {
  for (CallConn& c : entries_) Evict(&c);
}

void ConnCache::ForgetInChild() {
  for (CallConn& c : entries_) {
    c.fd = -1;
    c.dev = 0;
    c.ino = 0;
    c.arena.ForgetInChild();
  }
}

}  // namespace openstmf::door
