// References: minting new door references, and converting door_desc_t arrays to
// and from what travels in a record.
//
// A door descriptor passed in a call or a reply is never sent as is: the sender
// mints a new reference (a new socketpair whose server end joins the door's
// server), so each receiving process holds its own reference and the door's count
// sees it. A door served here is minted directly; a door served elsewhere is minted
// by sending the new server end to its server in a kRef message over the door's own
// reference socket. Other descriptors are passed as they are.
//
// Thread-safe.
#ifndef OPENSTMF_DOOR_REFS_H
#define OPENSTMF_DOOR_REFS_H

#include <cstdint>

#include "base/status.h"
#include "door.h"
#include "door/wire.h"

namespace openstmf::door {

class Door;

// A new reference to a door served by this process: returns the client end
// (tagged, close-on-exec). With track, the descriptor is libdoor's own
// (fd_registry.h); otherwise it is the caller's (door_create()).
Result<int> MintLocalReference(Door* door, bool track);
// A new reference to the door that door_fd refers to, wherever it is served.
// Tracked. EBADF when door_fd is not a door or its server cannot be reached.
Result<int> MintReference(int door_fd);

// Descriptors of an outgoing call or reply.
struct OutDescs {
  uint32_t n = 0;
  int fds[kMaxDesc];
  WireDesc words[kMaxDesc];
  int owned[kMaxDesc];  // minted references, closed once sent
  uint32_t n_owned = 0;

  void CloseOwned();
};

// Validates d[0..n) and fills out: EINVAL for bad attributes, EBADF for a
// descriptor that is not open, E2BIG above kMaxDesc.
Status PrepareOutgoing(const door_desc_t* d, uint32_t n, OutDescs* out);
// Closes the descriptors marked DOOR_RELEASE.
void ReleaseDescriptors(const door_desc_t* d, uint32_t n);
// Describes received descriptors for the receiver (DOOR_DESCRIPTOR; for doors also
// d_id, the creation attributes, and DOOR_LOCAL / DOOR_REVOKED when served here).
void DescribeIncoming(const int* fds, uint32_t n, door_desc_t* out);

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_REFS_H
