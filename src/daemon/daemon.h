// The stmfd daemon: brings the framework up from its options, serves until
// SIGTERM or SIGINT, then drains and stops.
//
// Start-up order: directories and locks; the configuration store
// (STATE_DIR/config.db — one that cannot be read stops the start, naming the
// file); event loops (one per CPU unless told) with an io_uring ring each; the
// framework's persisted configuration (LUs, groups, views, provider data,
// service state — mgmt_stmf.h; on the first start the embedded default LU, a
// sparse 1 GiB file in the state directory) and the --lu LUs; the iSCSI port
// provider with every --listen portal and its persisted targets
// (mgmt_iscsi.h); the management door RUN_DIR/stmfd.door; then READY=1 to
// systemd. Every failure before READY is a log line and exit status 1; nothing
// aborts. On SIGTERM/SIGINT: STOPPING=1, the door closes, portals close,
// connections finish the commands they have started, loops stop, exit status 0.
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
