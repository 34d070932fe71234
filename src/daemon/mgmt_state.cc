#include "daemon/mgmt_state.h"

#include <string>

namespace openstmf::daemon {

Status StmfState::Persist(const std::vector<ConfigChange>& changes) {
  if (persist_method == kPersistNone || changes.empty()) return Status::Ok();
  return store_->Apply(changes);
}

Status StmfState::PersistAlways(const std::vector<ConfigChange>& changes) {
  return store_->Apply(changes);
}

ConfigChange StmfState::ServiceObject(bool framework_online) const {
  return ConfigChange::Put(kKindStmf, kKeyService,
                           {{"operational", framework_online ? "online" : "offline"},
                            {"persist_method", persist_method == kPersistNone ? "none" : "smf"},
                            {"default_lu_state", default_lu_online ? "online" : "offline"},
                            {"default_port_state", default_port_online ? "online" : "offline"},
                            {"mgmt_url", global_mgmt_url},
                            {"alua_enabled", alua_enabled ? "true" : "false"},
                            {"alua_node", std::to_string(alua_node)}});
}

}  // namespace openstmf::daemon
