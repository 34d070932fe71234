// TargetTable: the iSCSI port provider's targets and live sessions, and the
// SessionRegistry (port/iscsi/session_registry.h) the login state machine asks.
//
// A target is an iSCSI name with an alias, its negotiation policy and the portals
// (with their portal group tag) it is reached through. Sessions are recorded at
// login commit with the connection that leads them; ERL 0 with one connection per
// session (MaxConnections=1 is offered), so a session lives exactly as long as its
// connection. A login with an ISID already in use reinstates the session: the old
// connection is told to close (on its own loop) and the new session takes over.
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

namespace openstmf::iscsit {

struct TargetConfig {
  std::string name;  // iqn.... or eui....
  std::string alias;
  iscsi::NegotiationConfig negotiation;
  std::vector<iscsi::Portal> portals;
};

// What a committed session's leading connection is told from other threads.
class SessionOwner {
 public:
  virtual ~SessionOwner() = default;
  // Any thread: close the connection (session reinstated or target stopping).
  virtual void RequestClose(const char* why) = 0;
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
    uint16_t cid = 0;
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
