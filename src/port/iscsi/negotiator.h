// The operational-key negotiation engine of one connection's login (RFC 7143 §6.2,
// §13), and of key exchanges in Text requests afterwards.
//
// The login state machine hands every operational key the initiator offers to
// Offer(); identity keys (InitiatorName, TargetName, SessionType, InitiatorAlias)
// and security keys (AuthMethod, CHAP_*) are the login machine's own. Answers are
// collected and written by FlushAnswers(), after cross-key rules have been applied
// (FirstBurstLength never above MaxBurstLength; FirstBurstLength Irrelevant when
// InitialR2T=Yes and ImmediateData=No). Unknown keys, including X- and X# extension
// keys, are answered NotUnderstood; keys meaningless in a discovery session are
// answered Irrelevant; malformed or out-of-range values are answered Reject and the
// key keeps its default.
//
// Protocol violations (a key negotiated twice, a leading-only key on a secondary
// connection, a key only a target may send, a full-feature-only key during login,
// a bad declaration) fail the login with Initiator error (02/00).
//
// Thread-safety: none; one per connection.
#ifndef OPENSTMF_PORT_ISCSI_NEGOTIATOR_H
#define OPENSTMF_PORT_ISCSI_NEGOTIATOR_H

#include <bitset>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "port/iscsi/keys.h"
#include "port/iscsi/params.h"
#include "port/iscsi/status_codes.h"
#include "port/iscsi/text.h"

namespace openstmf::iscsi {

struct NegotiationFailure {
  LoginStatus status = LoginStatus::kInitiatorError;
  std::string message;
};

class Negotiator {
 public:
  // `leading`: this login creates the session (TSIH 0), so session-wide keys may be
  // negotiated; otherwise they were fixed by the leading connection.
  Negotiator(const NegotiationConfig& config, bool leading);

  void set_session_type(SessionType type) { session_type_ = type; }
  // A secondary connection starts from its session's session-wide values
  // (everything but digests and data segment lengths, which are per connection).
  void InheritSession(const OperationalParams& session);
  SessionType session_type() const { return session_type_; }

  // Negotiates one key offered during login. `def` is FindKey(kv.key).
  std::optional<NegotiationFailure> Offer(const KeyValue& kv, const KeyDef* def);

  // Negotiates one key of a Text request in the full feature phase: only keys with
  // Use ALL may change; login-only keys are answered Reject.
  void OfferInFullFeature(const KeyValue& kv, const KeyDef* def);

  // Writes the answers collected since the last flush.
  void FlushAnswers(TextWriter* out);

  // Writes the target's own declarations once (MaxRecvDataSegmentLength), for the
  // operational stage or the response that enters the full feature phase.
  void DeclareTargetValues(TextWriter* out);

  // Applies end-of-login rules and returns the agreed parameters.
  const OperationalParams& Finish();
  const OperationalParams& params() const { return params_; }

 private:
  void Answer(std::string_view key, std::string value);
  void NegotiateValue(const KeyValue& kv, const KeyDef& def);
  void NegotiateDigest(const KeyValue& kv, bool* result, bool allow_crc, bool allow_none);

  NegotiationConfig config_;
  OperationalParams params_;
  bool leading_;
  SessionType session_type_ = SessionType::kNormal;
  bool declared_ = false;
  std::bitset<static_cast<size_t>(KeyId::kCount)> seen_;
  std::vector<std::pair<std::string, std::string>> answers_;
};

}  // namespace openstmf::iscsi

#endif  // OPENSTMF_PORT_ISCSI_NEGOTIATOR_H
