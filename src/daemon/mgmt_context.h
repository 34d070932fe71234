// MgmtContext: what stmfd's management handlers work on — the framework, the
// configuration store, the iSCSI port provider and the daemon's options. The
// daemon fills it before the management door opens; handlers run one at a time
// (mgmt::Dispatcher), so they may use the store without further locking.
//
// Thread-safety: the pointers are set once at start-up; what they point to has
// its own rules (the framework is thread-safe, the store is the handlers').
#ifndef OPENSTMF_DAEMON_MGMT_CONTEXT_H
#define OPENSTMF_DAEMON_MGMT_CONTEXT_H

#include <vector>

#include "base/config_store.h"
#include "daemon/options.h"
#include "event/loop_group.h"
#include "port/tcp/socket_address.h"
#include "stmf/framework.h"

namespace openstmf::iscsit {
class IscsiPort;
}  // namespace openstmf::iscsit
namespace openstmf::ha {
class PairNode;
}  // namespace openstmf::ha

namespace openstmf::daemon {

struct MgmtContext {
  stmf::Framework* framework = nullptr;
  ConfigStore* store = nullptr;
  iscsit::IscsiPort* port = nullptr;
  ha::PairNode* pair = nullptr;  // the ALUA pair (ha/pair_node.h)
  event::LoopGroup* loops = nullptr;
  const Options* options = nullptr;
  // The --listen portals as bound (port 0 replaced by the port chosen).
  std::vector<tcp::SocketAddress> portals;
};

}  // namespace openstmf::daemon

#endif  // OPENSTMF_DAEMON_MGMT_CONTEXT_H
