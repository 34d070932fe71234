// The security negotiation stage of LoginStateMachine: AuthMethod selection and the
// CHAP exchange (RFC 7143 §12).
#include "port/iscsi/login.h"

namespace openstmf::iscsi {

std::optional<LoginStateMachine::Failure> LoginStateMachine::Security(
    const std::vector<KeyValue>& keys, TextWriter* out) {
  std::optional<std::string_view> method, chap_a, chap_n, chap_r, chap_i, chap_c;
  bool any = false;
  for (const KeyValue& kv : keys) {
    const KeyDef* def = FindKey(kv.key);
    if (def == nullptr || def->kind != KeyKind::kSecurity) continue;
    any = true;
    switch (def->id) {
      case KeyId::kAuthMethod:
        method = kv.value;
        break;
      case KeyId::kChapA:
        chap_a = kv.value;
        break;
      case KeyId::kChapN:
        chap_n = kv.value;
        break;
      case KeyId::kChapR:
        chap_r = kv.value;
        break;
      case KeyId::kChapI:
        chap_i = kv.value;
        break;
      case KeyId::kChapC:
        chap_c = kv.value;
        break;
      default:
        break;
    }
  }
  if (!any) return std::nullopt;
  // RFC 7143 §12: security keys belong to the security negotiation stage.
  if (stage_ != 0) {
    return Failure{LoginStatus::kInitiatorError, "security key after security stage"};
  }
  if (method) {
    if (auth_method_seen_) return Failure{LoginStatus::kInitiatorError, "AuthMethod repeated"};
    auth_method_seen_ = true;
    // RFC 7143 §12.1: the first method in the initiator's list that we accept.
    const bool chap_possible = access_.require_chap || !access_.chap.initiator.user.empty();
    std::string_view chosen;
    std::string_view list = *method;
    while (chosen.empty()) {
      const size_t comma = list.find(',');
      const std::string_view m = list.substr(0, comma);
      if ((m == "None" && !access_.require_chap) || (m == "CHAP" && chap_possible)) chosen = m;
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
    if (chosen.empty()) {
      out->Add("AuthMethod", "Reject");
      return Failure{LoginStatus::kAuthenticationFailure, "no acceptable AuthMethod"};
    }
    out->Add("AuthMethod", chosen);
    if (chosen == "CHAP") {
      auth_ = Auth::kChapOffered;
      chap_ = std::make_unique<ChapTarget>(access_.chap, settings_.random);
    } else {
      auth_ = Auth::kDone;
    }
  }
  if (chap_a) {
    if (auth_ != Auth::kChapOffered) {
      return Failure{LoginStatus::kInitiatorError, "CHAP_A out of order"};
    }
    if (Status s = chap_->Start(*chap_a, out); !s.ok()) {
      return Failure{LoginStatus::kAuthenticationFailure, s.message()};
    }
    auth_ = Auth::kChapChallenged;
  }
  if (chap_n || chap_r) {
    if (auth_ != Auth::kChapChallenged) {
      return Failure{LoginStatus::kInitiatorError, "CHAP response out of order"};
    }
    if (!chap_n || !chap_r) {
      return Failure{LoginStatus::kAuthenticationFailure, "CHAP_N and CHAP_R must come together"};
    }
    // RFC 7143 §12.1.3: a failed response ends the login with 02/01.
    if (Status s = chap_->Verify(*chap_n, *chap_r, chap_i, chap_c, out); !s.ok()) {
      return Failure{LoginStatus::kAuthenticationFailure, s.message()};
    }
    auth_ = Auth::kDone;
  } else if (chap_i || chap_c) {
    return Failure{LoginStatus::kInitiatorError, "CHAP_I/CHAP_C without a response"};
  }
  return std::nullopt;
}

}  // namespace openstmf::iscsi
