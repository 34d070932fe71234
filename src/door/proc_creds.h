// The current credentials of a door client, read from /proc when the server asks
// for them (door_ucred, door_cred) instead of checked by the client on every call.
//
// A call connection remembers its client's pid and the process start time read
// when the connection was accepted. ReadCurrentCreds overlays the ids found in
// /proc/<pid>/status on the connection's credentials only if the start time still
// matches afterwards, so a pid reused after the client died is never mistaken for
// it; otherwise the connection-time credentials stand.
//
// Thread-safety: pure functions over /proc; safe from any thread.
#ifndef OPENSTMF_DOOR_PROC_CREDS_H
#define OPENSTMF_DOOR_PROC_CREDS_H

#include <sys/types.h>

#include <cstdint>

#include "door/endpoint.h"

namespace openstmf::door {

// Start time of process pid in clock ticks since boot (/proc/<pid>/stat field
// 22), or 0 when it cannot be read.
uint64_t ProcStartTime(pid_t pid);

// Fills *c (whose pid and start_time identify the client) with the client's
// current real, effective and saved ids and supplementary groups. Returns false,
// leaving *c unchanged, when /proc cannot tell for certain.
bool ReadCurrentCreds(Creds* c);

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_PROC_CREDS_H
