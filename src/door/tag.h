// Door reference tags: the abstract socket name bound to the client end of every
// door reference.
//
// A tag reads "libdoor/<server pid>/<door id>/<attributes>/<server nonce>/<minter
// nonce>.<seq>" (numbers in hex except the pid). Any process recognises a door
// descriptor with one getsockname(2) and learns the server, the door and its
// creation attributes without a round trip; the minter part makes each reference's
// name unique. Tags are public (see /proc/net/unix): they identify, they do not
// authorise. Thread-safe (pure functions and system calls).
#ifndef OPENSTMF_DOOR_TAG_H
#define OPENSTMF_DOOR_TAG_H

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "base/status.h"

namespace openstmf::door {

struct Tag {
  pid_t server_pid = 0;
  uint64_t door_id = 0;
  uint32_t attributes = 0;  // creation attributes (DOOR_CREATE_MASK)
  uint64_t server_nonce = 0;
  uint64_t minter_nonce = 0;
  uint64_t seq = 0;
};

// The name without its leading NUL.
std::string FormatTag(const Tag& tag);
// Parses a name (without the leading NUL); false when it is not a door tag.
bool ParseTag(const char* name, size_t len, Tag* tag);

// Binds fd to the tag's abstract name. EADDRINUSE when the name is taken.
Status BindTag(int fd, const Tag& tag);

// Reads the tag of a door descriptor. EBADF when fd is not a door descriptor. With
// name non-null, also returns the full name.
Result<Tag> ReadTag(int fd, std::string* name = nullptr);
// Reads the tag of the peer of a connected socket (the server end of a reference).
bool ReadPeerTag(int fd, std::string* name);

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_TAG_H
