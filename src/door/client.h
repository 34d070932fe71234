// The client side: door_call() and the remote half of door_info()/door_getparam().
//
// A call travels over the calling thread's private call connection to the door
// (conn_cache.h), made on first use by sending one end of a new socketpair to the
// server over the door's reference socket (kConnect). Per call the client does one
// fstat(2) of the door descriptor, one sendmsg(2) and one recvmsg(2); arguments
// above kMaxInline are copied into the connection's arena instead of the record.
// A connection found closed before the call was sent is replaced once.
//
// Thread-safe (each thread uses its own connections).
#ifndef OPENSTMF_DOOR_CLIENT_H
#define OPENSTMF_DOOR_CLIENT_H

#include "base/status.h"
#include "door.h"
#include "door/wire.h"

namespace openstmf::door {

// door_call(3C).
Status DoorCall(int d, door_arg_t* params);

// A new call connection to the door behind reference d: the client end
// (tracked, close-on-exec); the server end went to the server (kConnect).
// `pipelined`: it will carry only pipelined calls (served_pipeline.h).
Result<int> NewCallConnection(int d, bool pipelined = false);

// Asks the server of door d for its description and limits (kInfo).
Result<WireInfo> QueryServer(int d);

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_CLIENT_H
