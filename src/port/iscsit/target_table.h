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
#include <string>
#include <vector>

#include "port/iscsi/send_targets.h"
#include "port/iscsi/session_registry.h"

namespace openstmf::event {
class EventLoop;
}

namespace openstmf::iscsit {

struct TargetConfig {
  std::string name;  // iqn.... or eui....
  std::string alias;
  iscsi::NegotiationConfig negotiation;
  std::vector<iscsi::Portal> portals;
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
  // Every target with its portals (discovery answers).
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
  };
  uint16_t NewTsih();
  void CloseOwner(Session& s, const char* why);

  mutable std::mutex mu_;
  std::vector<TargetConfig> targets_;     // guarded by mu_
  std::map<uint16_t, Session> sessions_;  // by TSIH; guarded by mu_
  uint16_t next_tsih_ = 1;                // guarded by mu_
};

}  // namespace openstmf::iscsit

#endif  // OPENSTMF_PORT_ISCSIT_TARGET_TABLE_H
