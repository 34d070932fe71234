// What stmfd needs from the host around it: its directories, a lock that keeps two
// daemons off one state directory, and systemd's readiness protocol.
//
// Thread-safety: call from the main thread.
#ifndef OPENSTMF_DAEMON_HOST_H
#define OPENSTMF_DAEMON_HOST_H

#include <string>

#include "base/status.h"
#include "base/unique_fd.h"

namespace openstmf::daemon {

// Creates dir (and missing parents) with mode 0755 if needed and checks that it
// is a writable directory.
Status PrepareDir(const std::string& dir, const char* what);

// Takes an exclusive flock(2) on dir/name, writing our pid into it. Unavailable
// (with the holder's pid) when another process holds it. The lock lasts as long
// as the returned descriptor.
Result<UniqueFd> TakeLock(const std::string& dir, const std::string& name);

// sd_notify(3) without libsystemd: sends `state` ("READY=1", "STOPPING=1") to
// $NOTIFY_SOCKET when set (an abstract socket when it starts with '@'). Errors
// are returned for logging; they never stop the daemon.
Status NotifySystemd(const std::string& state);

}  // namespace openstmf::daemon

#endif  // OPENSTMF_DAEMON_HOST_H
