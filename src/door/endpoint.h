// Endpoints: the server-side sockets a pool's epoll instance watches.
//
// Ownership rule: every endpoint is registered EPOLLONESHOT, so at most one pool
// thread holds it at a time (the one that received its event). Only that thread
// reads it, re-arms it or closes and deletes it. Other threads that must end an
// endpoint (door_revoke, a door losing its last reference, fdetach) call
// shutdown(2) on its socket instead: that makes it readable, and the next holder
// sees the end of file and closes it. A connection's event data is its Endpoint
// pointer. A connection also has a watch: a duplicate of its descriptor registered
// edge-triggered for hang-up only, whose event data is the connection's serial
// number, never a pointer (see server.h, cancellation).
#ifndef OPENSTMF_DOOR_ENDPOINT_H
#define OPENSTMF_DOOR_ENDPOINT_H

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "door/arena.h"

namespace openstmf::door {

class Door;

enum class EndpointKind : unsigned char { kWake, kConn, kRef, kListener, kOpener };

struct Endpoint {
  Endpoint(EndpointKind k, int f) : kind(k), fd(f) {}
  virtual ~Endpoint() = default;
  Endpoint(const Endpoint&) = delete;
  Endpoint& operator=(const Endpoint&) = delete;

  const EndpointKind kind;
  int fd;  // owned; closed by the holder when the endpoint ends
};

// The credentials of a call connection's creator, as reported by the kernel.
struct Creds {
  pid_t pid = -1;
  uid_t euid = static_cast<uid_t>(-1);
  uid_t ruid = static_cast<uid_t>(-1);
  gid_t egid = static_cast<gid_t>(-1);
  gid_t rgid = static_cast<gid_t>(-1);
  uid_t suid = static_cast<uid_t>(-1);  // known only once read from /proc
  gid_t sgid = static_cast<gid_t>(-1);
  std::vector<gid_t> groups;
  uint64_t start_time = 0;  // of process pid, to tell a reused pid apart
};

// Server end of a call connection.
struct Conn : Endpoint {
  Conn(int f, std::shared_ptr<Door> d, uint64_t s)
      : Endpoint(EndpointKind::kConn, f), door(std::move(d)), serial(s) {}
  std::shared_ptr<Door> door;
  const uint64_t serial;  // unique in the process; names the connection in watch events
  int watch_fd = -1;      // tracked duplicate of fd for hang-up events (-1: DOOR_NO_CANCEL)
  Arena arena;            // arguments/results too large for one record
  Creds creds;
};

// Server end of a door reference.
struct Ref : Endpoint {
  Ref(int f, std::shared_ptr<Door> d, std::string n)
      : Endpoint(EndpointKind::kRef, f), door(std::move(d)), name(std::move(n)) {}
  std::shared_ptr<Door> door;
  std::string name;  // the client end's tag, when it has one
};

// A door published at a path by fattach().
struct Publication {
  Publication() = default;
  ~Publication();
  Publication(const Publication&) = delete;
  Publication& operator=(const Publication&) = delete;

  std::string path;
  dev_t dev = 0;  // identity of the socket file
  ino_t ino = 0;
  std::mutex mu;
  int ref = -1;           // guarded by mu; the reference it holds (counts as one), tracked
  int listen_fd = -1;     // guarded by mu; closed by the listener's holder once detached
  bool detached = false;  // guarded by mu
};

// The listening socket of a publication.
struct Listener : Endpoint {
  Listener(int f, std::shared_ptr<Publication> p)
      : Endpoint(EndpointKind::kListener, f), pub(std::move(p)) {}
  std::shared_ptr<Publication> pub;
};

// An accepted door_open() connection waiting for its kOpen request.
struct Opener : Endpoint {
  Opener(int f, std::shared_ptr<Publication> p)
      : Endpoint(EndpointKind::kOpener, f), pub(std::move(p)) {}
  std::shared_ptr<Publication> pub;
};

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_ENDPOINT_H
