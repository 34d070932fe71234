// Test helper: an in-memory SessionRegistry.
#ifndef OPENSTMF_TESTS_UNIT_PORT_FAKE_REGISTRY_H
#define OPENSTMF_TESTS_UNIT_PORT_FAKE_REGISTRY_H

#include <map>
#include <string>
#include <vector>

#include "port/iscsi/session_registry.h"

namespace openstmf::iscsi::testing {

class FakeRegistry : public SessionRegistry {
 public:
  std::map<std::string, TargetAccess> targets;
  TargetAccess discovery;
  std::vector<SessionRecord> sessions;
  std::vector<LoginCommit> commits;
  uint16_t next_tsih = 0x100;

  TargetAccess LookupTarget(std::string_view target_name, std::string_view, uint16_t) override {
    auto it = targets.find(std::string(target_name));
    if (it == targets.end()) return TargetAccess{LoginStatus::kNotFound};
    return it->second;
  }
  TargetAccess LookupDiscovery(std::string_view, uint16_t) override { return discovery; }
  std::optional<SessionRecord> FindSession(std::string_view initiator, uint64_t isid,
                                           std::string_view target, uint16_t) override {
    for (const auto& s : sessions) {
      if (s.initiator_name == initiator && s.isid == isid && s.target_name == target) return s;
    }
    return std::nullopt;
  }
  std::optional<SessionRecord> FindSessionByTsih(uint16_t tsih, uint16_t cid) override {
    for (auto s : sessions) {
      if (s.tsih == tsih) {
        s.has_cid = cid == 0;  // sessions here hold CID 0
        return s;
      }
    }
    return std::nullopt;
  }
  CommitResult CommitLogin(const LoginCommit& c) override {
    commits.push_back(c);
    return {LoginStatus::kSuccess, c.tsih != 0 ? c.tsih : next_tsih++};
  }
};

}  // namespace openstmf::iscsi::testing

#endif  // OPENSTMF_TESTS_UNIT_PORT_FAKE_REGISTRY_H
