// How every libstmf function reaches stmfd: one management-door call per request,
// with the outcome reduced to a libstmf status value.
//
// The door path is mgmt::DefaultDoorPath() ($OPENSTMF_RUN_DIR or /run/openstmf).
// A daemon that is not there is STMF_ERROR_SERVICE_NOT_FOUND (COMSTAR's "STMF
// service not found"); a refused caller is STMF_ERROR_PERM (stmfd's answer).
//
// Each failure also records a sentence for stmfGetErrorDetail() in the calling
// thread's slot (like errno); each call starts by clearing it.
//
// Thread-safety: safe from any thread.
#ifndef OPENSTMF_LIB_STMF_DOOR_CALL_H
#define OPENSTMF_LIB_STMF_DOOR_CALL_H

#include <string>

#include "mgmt/message.h"

namespace openstmf::libstmf {

// Sends `request`; on STMF_STATUS_SUCCESS *reply holds the daemon's reply.
// Otherwise returns the daemon's status (or the transport's mapping) and records
// the daemon's "error" text.
int Call(const mgmt::Message& request, mgmt::Message* reply);
// Call() for requests whose reply carries nothing but the status.
int CallSimple(const mgmt::Message& request);

// Records `detail` for stmfGetErrorDetail() and returns `status`.
int Fail(int status, std::string detail);
// Clears the calling thread's detail (start of every public function).
void ClearDetail();
const char* Detail();

}  // namespace openstmf::libstmf

#endif  // OPENSTMF_LIB_STMF_DOOR_CALL_H
