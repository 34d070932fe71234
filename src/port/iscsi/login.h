// The login phase of one connection, target side (RFC 7143 §6.3, §11.12, §11.13): a
// pure state machine from Login Request PDUs to Login Response PDUs.
//
// Stages: security negotiation (CSG 0) -> operational negotiation (CSG 1) -> full
// feature phase (NSG 3). The initiator asks for a transition with T=1 and NSG; the
// target agrees (T=1 in the response) only when its own conditions hold — in the
// security stage, that authentication has succeeded. The first request must name
// the initiator (and, for a normal session, the target); the registry then says
// whether the target exists and how it authenticates, and classifies the login by
// ISID/TSIH: new session, session reinstatement, added connection (MC/S) or
// connection reinstatement. The final response carries the TSIH after the registry
// committed the login.
//
// Every refusal is a Login Response with the status class/detail of RFC 7143
// §11.13.5 and a log line; after it the connection must be closed (failed() is true).
// Login Requests split with the C bit are reassembled; each piece is answered with
// an empty response.
//
// Thread-safety: none; one per connection, used on its loop.
#ifndef OPENSTMF_PORT_ISCSI_LOGIN_H
#define OPENSTMF_PORT_ISCSI_LOGIN_H

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "port/iscsi/chap.h"
#include "port/iscsi/negotiator.h"
#include "port/iscsi/pdu_initiator.h"
#include "port/iscsi/pdu_target.h"
#include "port/iscsi/session_registry.h"
#include "port/iscsi/text.h"

namespace openstmf::iscsi {

struct LoginSettings {
  uint16_t tpgt = 1;             // this portal's target portal group tag
  uint32_t initial_stat_sn = 0;  // StatSN of the connection's first response
  uint32_t command_window = 32;  // MaxCmdSN - ExpCmdSN + 1 offered to a new session
  RandomSource* random = &SystemRandom();
};

// One response to send.
struct LoginReply {
  LoginResponse header;  // header.data_segment_length == text.size()
  std::string text;
};

class LoginStateMachine {
 public:
  LoginStateMachine(SessionRegistry* registry, const LoginSettings& settings);
  ~LoginStateMachine();

  // Handles one Login Request (bhs: its 48-byte header; data: its data segment).
  LoginReply Process(const uint8_t* bhs, std::span<const uint8_t> data);

  bool complete() const { return complete_; }  // the full feature phase starts now
  bool failed() const { return failed_; }      // close the connection after the reply

  // After complete(): the outcome.
  const LoginCommit& commit() const { return commit_; }
  uint16_t tsih() const { return tsih_; }
  const OperationalParams& params() const { return negotiator_->params(); }
  // The StatSN of the connection's first full-feature response.
  uint32_t next_stat_sn() const { return stat_sn_; }

 private:
  struct Failure {
    LoginStatus status;
    std::string why;
    std::string text = {};  // response data (a redirection's TargetAddress)
  };

  std::optional<Failure> First(const LoginRequest& req, const std::vector<KeyValue>& keys,
                               TextWriter* out);
  std::optional<Failure> Keys(const LoginRequest& req, const std::vector<KeyValue>& keys,
                              TextWriter* out);
  std::optional<Failure> Security(const std::vector<KeyValue>& keys, TextWriter* out);
  std::optional<Failure> Finish();
  LoginReply Reply(const LoginRequest& req, bool transit, uint8_t nsg, std::string text);
  LoginReply Refuse(const LoginRequest& req, const Failure& failure);

  SessionRegistry* registry_;
  LoginSettings settings_;
  TextAssembler assembler_{65536};
  std::unique_ptr<Negotiator> negotiator_;
  std::unique_ptr<ChapTarget> chap_;
  TargetAccess access_;

  bool started_ = false;
  bool complete_ = false;
  bool failed_ = false;
  uint8_t stage_ = 0;  // current stage (CSG expected next)
  enum class Auth : uint8_t { kNone, kChapOffered, kChapChallenged, kDone } auth_ = Auth::kNone;
  bool auth_method_seen_ = false;
  bool identity_pending_ = true;  // the first request's InitiatorName etc. not yet taken
  uint64_t isid_ = 0;
  uint16_t request_tsih_ = 0;
  uint16_t cid_ = 0;
  uint16_t tsih_ = 0;
  uint32_t exp_cmd_sn_ = 0;
  uint32_t max_cmd_sn_ = 0;
  uint32_t stat_sn_ = 0;
  LoginCommit commit_;
};

}  // namespace openstmf::iscsi

#endif  // OPENSTMF_PORT_ISCSI_LOGIN_H
