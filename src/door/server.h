// The server side: the loop server threads run, and door_return().
//
// A server thread's loop base calls sigsetjmp(); door_return() answers the call
// and siglongjmp()s back there, so a thread serves any number of calls without its
// stack growing. No frame between the loop base and the server procedure owns a
// resource (they keep everything in ThreadCtx), so jumping over them loses nothing.
//
// Cancellation (DOOR_NO_CANCEL unset): each connection has a watch, a duplicate of
// its descriptor registered edge-triggered for hang-up with the connection's serial
// number as event data, so watching costs nothing per call. While the procedure
// runs, the serving thread enables cancellation and records the serial under its
// cancel_mu. A pool thread that sees a hang-up cancels the thread whose open window
// carries that serial, under the same lock; the serving thread leaves the window
// under that lock and, if a cancel was sent, lets it act. The pool replaces a
// cancelled thread.
#ifndef OPENSTMF_DOOR_SERVER_H
#define OPENSTMF_DOOR_SERVER_H

#include <cstddef>

#include "door.h"
#include "door/endpoint.h"

namespace openstmf::door {

struct ThreadCtx;
class Pool;

// Makes the calling thread a server thread of its bound pool (or the shared pool)
// until that pool stops. Returns -1 with errno EINVAL (bound to a door that no
// longer exists, or called from a server thread that is not serving a call).
int ServeAsPoolThread(ThreadCtx* t);

// door_return(3C).
int DoorReturn(char* data, size_t size, door_desc_t* descs, uint_t n);

// The credentials of the client whose call the calling thread serves, or null.
const Creds* CurrentCaller();

// Unregisters, closes and deletes a call connection held by the caller.
void CloseConn(Conn* c);

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_SERVER_H
