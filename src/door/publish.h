// Publishing doors in the file system: fattach(), fdetach(), door_open().
//
// Linux cannot mount a door on a path, so a publication is a SOCK_SEQPACKET
// listening socket at the path, served by the publishing process's shared pool and
// holding one reference to the door. door_open() connects, asks with a kOpen
// record, and receives a newly minted reference (close-on-exec); the connection
// itself is then closed. Thread-safe.
#ifndef OPENSTMF_DOOR_PUBLISH_H
#define OPENSTMF_DOOR_PUBLISH_H

#include "base/status.h"
#include "door/endpoint.h"

namespace openstmf::door {

class Pool;

Status Fattach(int d, const char* path);
Status Fdetach(const char* path);
Result<int> DoorOpen(const char* path);

// A listener or opener endpoint of pool reported an event (held by the caller).
void HandlePublicationEvent(Pool* pool, Endpoint* ep);

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_PUBLISH_H
