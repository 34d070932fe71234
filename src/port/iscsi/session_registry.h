// What the login state machine asks of the rest of the target: which targets exist
// and how they authenticate, which sessions exist, and committing a finished login.
//
// A later step implements this over the framework's session table (an I_T nexus per
// session); tests implement it with a fake. Calls happen on the connection's loop
// during login, so an implementation answers from loop-local or lock-protected state
// and must not block.
#ifndef OPENSTMF_PORT_ISCSI_SESSION_REGISTRY_H
#define OPENSTMF_PORT_ISCSI_SESSION_REGISTRY_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "port/iscsi/chap.h"
#include "port/iscsi/params.h"
#include "port/iscsi/status_codes.h"

namespace openstmf::iscsi {

// The answer to "may this initiator log in to this target here?".
struct TargetAccess {
  // kSuccess, or the refusal: kNotFound (02/03), kTargetRemoved (02/04),
  // kAuthorizationFailure (02/02), kSessionTypeNotSupported (02/09),
  // kTargetMovedTemporarily/Permanently (01/01, 01/02, with redirect_address),
  // kServiceUnavailable (03/01) ...
  LoginStatus status = LoginStatus::kSuccess;
  std::string alias;             // TargetAlias, sent when not empty
  std::string redirect_address;  // "host:port[,tpgt]" for redirections
  bool require_chap = false;     // AuthMethod=None refused
  ChapPolicy chap;               // credentials when CHAP is used
  NegotiationConfig negotiation;
};

// A session the registry knows.
struct SessionRecord {
  uint16_t tsih = 0;
  uint64_t isid = 0;
  std::string initiator_name;
  std::string target_name;
  SessionType type = SessionType::kNormal;
  uint32_t connection_count = 0;
  bool has_cid = false;  // FindSessionByTsih: the asked CID is already a connection
  uint32_t exp_cmd_sn = 0;
  uint32_t max_cmd_sn = 0;
  OperationalParams params;  // session-wide values fixed by its leading login
};

enum class LoginKind : uint8_t {
  kNewSession,               // TSIH 0, no session with this ISID
  kSessionReinstatement,     // TSIH 0, the old session with this ISID is replaced
  kAddConnection,            // TSIH of a live session, new CID (MC/S)
  kConnectionReinstatement,  // TSIH of a live session, CID already in use
};

struct LoginCommit {
  LoginKind kind = LoginKind::kNewSession;
  SessionType type = SessionType::kNormal;
  uint64_t isid = 0;
  uint16_t tsih = 0;  // 0 for new sessions and reinstatements
  uint16_t cid = 0;
  uint16_t tpgt = 0;
  std::string initiator_name;
  std::string initiator_alias;
  std::string target_name;
  uint32_t cmd_sn = 0;  // the login's CmdSN: the session's first ExpCmdSN
  OperationalParams params;
};

struct CommitResult {
  LoginStatus status = LoginStatus::kSuccess;
  uint16_t tsih = 0;  // the session's TSIH (newly assigned for new sessions)
};

class SessionRegistry {
 public:
  virtual ~SessionRegistry() = default;

  // A normal session's target, as seen by this initiator through portal group tpgt.
  virtual TargetAccess LookupTarget(std::string_view target_name, std::string_view initiator_name,
                                    uint16_t tpgt) = 0;
  // Discovery sessions: whether allowed and how they authenticate.
  virtual TargetAccess LookupDiscovery(std::string_view initiator_name, uint16_t tpgt) = 0;
  // The live session of this I_T nexus with this ISID (RFC 7143 §6.3.5).
  virtual std::optional<SessionRecord> FindSession(std::string_view initiator_name, uint64_t isid,
                                                   std::string_view target_name, uint16_t tpgt) = 0;
  // The live session with this TSIH; has_cid tells whether `cid` is in use in it.
  virtual std::optional<SessionRecord> FindSessionByTsih(uint16_t tsih, uint16_t cid) = 0;
  // Makes the login real: creates, reinstates or extends the session.
  virtual CommitResult CommitLogin(const LoginCommit& commit) = 0;
};

}  // namespace openstmf::iscsi

#endif  // OPENSTMF_PORT_ISCSI_SESSION_REGISTRY_H
