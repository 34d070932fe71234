// StmfState: the framework settings the management plane keeps besides what the
// framework itself holds — how changes are persisted (stmfadm's persist method),
// the default state of new LUs and ports, provider data, and which LUs came from
// --lu flags (served every start, never written to the store) — and the one
// place changes reach the configuration store.
//
// Persistence (COMSTAR's STMF_PERSIST_SMF / STMF_PERSIST_NONE): with SMF every
// change is written to the store in one batch before it is acknowledged; with
// NONE nothing is written from then on (the store keeps the configuration as it
// was when persistence was turned off, and the method itself is stored, so a
// restart brings that configuration back, still unpersisted).
//
// Thread-safety: none; used by the management handlers, which run one at a time,
// and by start-up before the door opens.
#ifndef OPENSTMF_DAEMON_MGMT_STATE_H
#define OPENSTMF_DAEMON_MGMT_STATE_H

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/config_store.h"
#include "stmf/views.h"

namespace openstmf::daemon {

inline constexpr uint64_t kPersistSmf = 1;   // STMF_PERSIST_SMF
inline constexpr uint64_t kPersistNone = 2;  // STMF_PERSIST_NONE
// libstmf stmfState values.
inline constexpr uint64_t kServiceStateOnline = 9;    // STMF_SERVICE_STATE_ONLINE
inline constexpr uint64_t kServiceStateOffline = 10;  // STMF_SERVICE_STATE_OFFLINE
inline constexpr uint64_t kConfigStateInitDone = 16;  // STMF_CONFIG_STATE_INIT_DONE
// Provider data types (stmfGetProviderData).
inline constexpr uint64_t kLuProviderType = 1;    // STMF_LU_PROVIDER_TYPE
inline constexpr uint64_t kPortProviderType = 2;  // STMF_PORT_PROVIDER_TYPE

// The store's kinds and keys (src/mgmt/ops.h).
inline constexpr const char* kKindLu = "lu";
inline constexpr const char* kKindHostGroup = "host-group";
inline constexpr const char* kKindTargetGroup = "target-group";
inline constexpr const char* kKindView = "view";
inline constexpr const char* kKindStmf = "stmf";
inline constexpr const char* kKeyService = "service";
inline constexpr const char* kKindProviderData = "provider-data";

struct ProviderData {
  std::string data;  // packed bytes, as the provider gave them
  uint64_t token = 0;
};

class StmfState {
 public:
  explicit StmfState(ConfigStore* store) : store_(store) {}

  // Writes the batch unless persistence is off; an error leaves the store as it was.
  Status Persist(const std::vector<ConfigChange>& changes);
  // Writes whatever the persist method (set-persist-method itself).
  Status PersistAlways(const std::vector<ConfigChange>& changes);
  // The "stmf"/"service" object for these settings and the framework's state.
  ConfigChange ServiceObject(bool framework_online) const;
  ConfigStore* store() const { return store_; }

  uint64_t persist_method = kPersistSmf;
  bool default_lu_online = true;
  bool default_port_online = true;
  std::string global_mgmt_url;  // stmfSetGlobalLuProp(STMF_LU_PROP_MGMT_URL)
  bool alua_enabled = false;    // stmfSetAluaState
  uint64_t alua_node = 0;       // 0 or 1
  std::map<std::pair<uint64_t, std::string>, ProviderData> provider_data;  // (type, name)
  std::set<stmf::Guid> transient_lus;                                      // from --lu flags

 private:
  ConfigStore* store_;
};

}  // namespace openstmf::daemon

#endif  // OPENSTMF_DAEMON_MGMT_STATE_H
