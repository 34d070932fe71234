// TargetTable: the iSCSI port provider's targets and live sessions, and the
// SessionRegistry (port/iscsi/session_registry.h) the login state machine asks.
//
// A target is an iSCSI name with an alias, its negotiation policy and the portals
// (with their portal group tag) it is reached through. Sessions are recorded at
// login commit with the CIDs of their connections (RFC 7143 §6.3: several
// connections per session, up to the negotiated MaxConnections); the session's
// owner (session.h) binds at the end of the leading login and unbinds when its
// last connection ends. A login with an ISID already in use reinstates the
// session: its owner is told to close every connection (on its own loop) and
// the new session takes over. A login with a TSIH adds a connection; with a CID
// already in use it reinstates that connection, which the owner replaces.
//
// Thread-safety: every method may be called from any loop; one mutex guards the
// tables. Only logins, logouts and discovery take it, never a SCSI command.
#ifndef OPENSTMF_PORT_ISCSIT_TARGET_TABLE_H
#define OPENSTMF_PORT_ISCSIT_TARGET_TABLE_H

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "port/iscsi/send_targets.h"
#include "port/iscsi/session_registry.h"

namespace openstmf::event {
class EventLoop;
}
namespace openstmf::stmf {
class Framework;
}

namespace openstmf::iscsit {

// How a login authenticates (itadm's auth property, "default" resolved by the
// caller). kRadius is configuration only: such logins are refused with
// Authentication Failure (02/01) and a log line saying RADIUS is not supported.
enum class TargetAuth : uint8_t { kNone, kChap, kRadius };

struct TargetConfig {
  std::string name;  // iqn.... or eui....
  std::string alias;
  iscsi::NegotiationConfig negotiation;
  std::vector<iscsi::Portal> portals;  // empty: reachable through every portal group
  TargetAuth auth = TargetAuth::kNone;
  // The target's own CHAP identity, offered for mutual CHAP (RFC 7143 §12.1.3).
  std::optional<iscsi::ChapCredentials> chap;
  // Offline targets refuse logins with 03/01 and are left out of SendTargets.
  bool online = true;
};

// Who the initiators are, for CHAP: the secret (and CHAP name; empty: the
// initiator name) configured for each initiator name, and how discovery
// sessions authenticate.
struct AuthSettings {
  std::map<std::string, iscsi::ChapCredentials, std::less<>> initiators;
  TargetAuth discovery = TargetAuth::kNone;
};

// What a committed session is told from other threads.
class SessionOwner {
 public:
  virtual ~SessionOwner() = default;
  // Any thread: close every connection of the session (session reinstated,
  // target cold reset, target stopping).
  virtual void RequestClose(const char* why) = 0;
  // The event loop every connection of the session runs on (nullptr: none).
  virtual event::EventLoop* loop() const { return nullptr; }
};

class TargetTable final : public iscsi::SessionRegistry {
 public:
  void AddTarget(TargetConfig target);
  // Adds the target or replaces the one of the same name; taking it offline
  // closes its sessions.
  void UpdateTarget(TargetConfig target);
  // Removes the target and closes its sessions; false when there is none.
  bool RemoveTarget(std::string_view name);
  std::vector<TargetConfig> TargetConfigs() const;
  void SetAuth(AuthSettings auth);
  // Normal sessions are added to the framework's session registry when their
  // login commits and removed when they end (stmfadm list-target -v).
  void SetFramework(stmf::Framework* framework);
  // Every online target with its portals (discovery answers).
  std::vector<iscsi::TargetEntry> Targets() const;

  // The connection that completed the login of session `tsih` binds to it;
  // Unbind removes the session when that connection ends.
  void Bind(uint16_t tsih, std::weak_ptr<SessionOwner> owner);
  void Unbind(uint16_t tsih, const SessionOwner* owner);
  // A connection of session `tsih` ended: its CID is free again (MaxConnections
  // counts the CIDs in use).
  void ReleaseCid(uint16_t tsih, uint16_t cid);
  // The owner of session `tsih`, or nullptr.
  std::shared_ptr<SessionOwner> Owner(uint16_t tsih) const;
  // RFC 7143 §11.5.1 TARGET COLD RESET: every session of the target closes.
  void CloseSessionsOf(std::string_view target_name, const char* why);
  size_t session_count() const;

  // SessionRegistry.
  iscsi::TargetAccess LookupTarget(std::string_view target_name, std::string_view initiator_name,
                                   uint16_t tpgt) override;
  iscsi::TargetAccess LookupDiscovery(std::string_view initiator_name, uint16_t tpgt) override;
  std::optional<iscsi::SessionRecord> FindSession(std::string_view initiator_name, uint64_t isid,
                                                  std::string_view target_name,
                                                  uint16_t tpgt) override;
  std::optional<iscsi::SessionRecord> FindSessionByTsih(uint16_t tsih, uint16_t cid) override;
  iscsi::CommitResult CommitLogin(const iscsi::LoginCommit& commit) override;

 private:
  struct Session {
    iscsi::SessionRecord record;
    std::vector<uint16_t> cids;  // connections in use (committed logins)
    std::weak_ptr<SessionOwner> owner;
    uint64_t registry_id = 0;  // the framework's session id, 0: none
  };
  uint16_t NewTsih();
  void Forget(const Session& s);  // mu_ held: leaves the framework's registry
  void CloseOwner(Session& s, const char* why);

  mutable std::mutex mu_;
  const TargetConfig* FindTarget(std::string_view name) const;  // mu_ held
  iscsi::TargetAccess Authenticate(TargetAuth auth, std::string_view initiator_name,
                                   const TargetConfig* target) const;  // mu_ held

  std::vector<TargetConfig> targets_;     // guarded by mu_
  AuthSettings auth_;                     // guarded by mu_
  stmf::Framework* framework_ = nullptr;  // guarded by mu_
  std::map<uint16_t, Session> sessions_;  // by TSIH; guarded by mu_
  uint16_t next_tsih_ = 1;                // guarded by mu_
};

}  // namespace openstmf::iscsit

#endif  // OPENSTMF_PORT_ISCSIT_TARGET_TABLE_H
