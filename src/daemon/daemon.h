// The stmfd daemon: brings the framework up from its options, serves until
// SIGTERM or SIGINT, then drains and stops.
//
// Start-up order: directories and locks; event loops (one per CPU unless told)
// with an io_uring ring each; the LUs (the embedded default — a sparse 1 GiB file
// LU in the state directory, created on first start and imported afterwards —
// or the --lu list); the default target with every portal; then READY=1 to
// systemd. Every failure before READY is a log line and exit status 1; nothing
// aborts. On SIGTERM/SIGINT: STOPPING=1, portals close, connections finish the
// commands they have started, loops stop, exit status 0.
//
// Thread-safety: RunDaemon runs on the main thread; it blocks SIGTERM, SIGINT
// and SIGHUP in every thread it starts and waits for them with sigwait.
#ifndef OPENSTMF_DAEMON_DAEMON_H
#define OPENSTMF_DAEMON_DAEMON_H

#include "daemon/options.h"

namespace openstmf::daemon {

// Returns the process exit status.
int RunDaemon(const Options& options);

}  // namespace openstmf::daemon

#endif  // OPENSTMF_DAEMON_DAEMON_H
