#include "port/iscsi/login.h"

#include <cinttypes>

#include "base/log.h"

namespace openstmf::iscsi {
namespace {

// RFC 7143 §11.12.4: the only defined iSCSI version.
constexpr uint8_t kVersion = 0x00;

std::optional<std::string_view> Get(const std::vector<KeyValue>& keys, std::string_view name) {
  for (const KeyValue& kv : keys) {
    if (kv.key == name) return kv.value;
  }
  return std::nullopt;
}

}  // namespace

LoginStateMachine::LoginStateMachine(SessionRegistry* registry, const LoginSettings& settings)
    : registry_(registry), settings_(settings), stat_sn_(settings.initial_stat_sn) {}

LoginStateMachine::~LoginStateMachine() = default;

LoginReply LoginStateMachine::Process(const uint8_t* bhs, std::span<const uint8_t> data) {
  const LoginRequest req = LoginRequest::Decode(bhs);
  if (failed_ || complete_) {
    return Refuse(req, {LoginStatus::kInitiatorError, "login request after login ended"});
  }
  if (!started_) {
    // RFC 7143 §11.12.4: refuse a range that excludes our version.
    if (req.version_min > kVersion) {
      return Refuse(req, {LoginStatus::kUnsupportedVersion, "unsupported version"});
    }
    isid_ = req.isid;
    request_tsih_ = req.tsih;
    cid_ = req.cid;
    exp_cmd_sn_ = req.cmd_sn;  // login is immediate: CmdSN is not advanced
    max_cmd_sn_ = exp_cmd_sn_ + settings_.command_window - 1;
    stage_ = req.csg;
    started_ = true;
  } else if (req.isid != isid_ || req.tsih != request_tsih_ || req.cid != cid_) {
    return Refuse(req, {LoginStatus::kInitiatorError, "ISID, TSIH or CID changed during login"});
  }
  if (req.csg != stage_ || req.csg > 1) {
    return Refuse(req, {LoginStatus::kInitiatorError, "unexpected current stage"});
  }
  if (Status s = assembler_.Add(data, !req.continue_); !s.ok()) {
    return Refuse(req, {LoginStatus::kInitiatorError, s.message()});
  }
  // RFC 7143 §11.12.2: each piece of a continued request gets an empty response.
  if (req.continue_) return Reply(req, false, 0, "");

  auto keys = ParseKeyValues(assembler_.text());
  if (!keys.ok()) return Refuse(req, {LoginStatus::kInitiatorError, keys.status().message()});
  TextWriter out;
  if (negotiator_ == nullptr) {
    if (auto f = First(req, *keys, &out)) return Refuse(req, *f);
  }
  if (auto f = Keys(req, *keys, &out)) return Refuse(req, *f);
  negotiator_->FlushAnswers(&out);

  bool transit = false;
  if (req.transit) {
    // RFC 7143 §6.3: stages only move forward; 0->1, 0->3, 1->3.
    const bool forward =
        (req.csg == 0 && (req.nsg == 1 || req.nsg == 3)) || (req.csg == 1 && req.nsg == 3);
    if (!forward) return Refuse(req, {LoginStatus::kInitiatorError, "invalid stage transition"});
    transit = true;
    if (req.csg == 0) {
      if (auth_ == Auth::kChapOffered || auth_ == Auth::kChapChallenged) {
        transit = false;  // the CHAP exchange is still running
      } else if (auth_ == Auth::kNone && access_.require_chap) {
        return Refuse(req, {LoginStatus::kAuthenticationFailure, "authentication required"});
      }
    }
  }
  const bool to_ffp = transit && req.nsg == 3;
  if ((transit ? req.nsg : stage_) == 1 || to_ffp) negotiator_->DeclareTargetValues(&out);
  if (to_ffp) {
    if (auto f = Finish()) return Refuse(req, *f);
  }
  LoginReply reply = Reply(req, transit, req.nsg, out.text());
  if (transit) stage_ = req.nsg;
  complete_ = to_ffp;
  return reply;
}

std::optional<LoginStateMachine::Failure> LoginStateMachine::First(
    const LoginRequest& req, const std::vector<KeyValue>& keys, TextWriter* out) {
  const auto initiator = Get(keys, "InitiatorName");
  const auto target = Get(keys, "TargetName");
  const auto type = Get(keys, "SessionType");
  // RFC 7143 §13.5, §13.4: the first request names the initiator and the target.
  if (!initiator || initiator->empty()) {
    return Failure{LoginStatus::kMissingParameter, "InitiatorName missing"};
  }
  commit_.initiator_name = std::string(*initiator);
  if (type && *type != "Normal" && *type != "Discovery") {
    return Failure{LoginStatus::kSessionTypeNotSupported, "unknown SessionType"};
  }
  commit_.type = (type && *type == "Discovery") ? SessionType::kDiscovery : SessionType::kNormal;
  commit_.tpgt = settings_.tpgt;
  if (commit_.type == SessionType::kNormal) {
    if (!target || target->empty()) {
      return Failure{LoginStatus::kMissingParameter, "TargetName missing"};
    }
    commit_.target_name = std::string(*target);
    access_ = registry_->LookupTarget(*target, *initiator, settings_.tpgt);
  } else {
    access_ = registry_->LookupDiscovery(*initiator, settings_.tpgt);
  }
  if (access_.status != LoginStatus::kSuccess) {
    Failure f{access_.status, std::string(LoginStatusName(access_.status))};
    // RFC 7143 §11.13.5: redirections name the new address.
    if (StatusClass(access_.status) == 1) {
      TextWriter redirect;
      redirect.Add("TargetAddress", access_.redirect_address);
      f.text = redirect.text();
    }
    return f;
  }
  if (req.csg == 1 && access_.require_chap) {
    return Failure{LoginStatus::kAuthenticationFailure, "security stage skipped"};
  }

  // RFC 7143 §6.3.5 (session reinstatement) and §6.3.4 (adding connections).
  const bool leading = request_tsih_ == 0;
  std::optional<SessionRecord> existing;
  if (leading) {
    existing =
        registry_->FindSession(commit_.initiator_name, isid_, commit_.target_name, settings_.tpgt);
    commit_.kind = existing ? LoginKind::kSessionReinstatement : LoginKind::kNewSession;
  } else {
    existing = registry_->FindSessionByTsih(request_tsih_, cid_);
    if (!existing || existing->isid != isid_ ||
        existing->initiator_name != commit_.initiator_name ||
        existing->target_name != commit_.target_name || existing->type != commit_.type) {
      return Failure{LoginStatus::kSessionDoesNotExist, "no such session"};
    }
    if (existing->type == SessionType::kDiscovery) {
      return Failure{LoginStatus::kCantIncludeInSession, "discovery sessions have one connection"};
    }
    commit_.kind =
        existing->has_cid ? LoginKind::kConnectionReinstatement : LoginKind::kAddConnection;
    if (!existing->has_cid && existing->connection_count >= existing->params.max_connections) {
      return Failure{LoginStatus::kTooManyConnections, "MaxConnections reached"};
    }
    exp_cmd_sn_ = existing->exp_cmd_sn;
    max_cmd_sn_ = existing->max_cmd_sn;
  }
  negotiator_ = std::make_unique<Negotiator>(access_.negotiation, leading);
  negotiator_->set_session_type(commit_.type);
  if (!leading) negotiator_->InheritSession(existing->params);
  if (commit_.type == SessionType::kNormal) {
    // RFC 7143 §13.9: returned in the first response of a normal session's login.
    out->Add("TargetPortalGroupTag", std::to_string(settings_.tpgt));
    if (!access_.alias.empty()) out->Add("TargetAlias", access_.alias);
  }
  return std::nullopt;
}

std::optional<LoginStateMachine::Failure> LoginStateMachine::Keys(const LoginRequest& /*req*/,
                                                                  const std::vector<KeyValue>& keys,
                                                                  TextWriter* out) {
  if (auto f = Security(keys, out)) return f;
  for (const KeyValue& kv : keys) {
    const KeyDef* def = FindKey(kv.key);
    if (def != nullptr && def->kind == KeyKind::kSecurity) continue;
    if (def != nullptr && (def->id == KeyId::kInitiatorName || def->id == KeyId::kTargetName ||
                           def->id == KeyId::kSessionType)) {
      if (!identity_pending_) {
        return Failure{LoginStatus::kInitiatorError, std::string(kv.key) + " repeated"};
      }
      continue;
    }
    if (def != nullptr && def->id == KeyId::kInitiatorAlias) {
      commit_.initiator_alias = std::string(kv.value);
      continue;
    }
    if (auto f = negotiator_->Offer(kv, def)) return Failure{f->status, f->message};
  }
  identity_pending_ = false;
  return std::nullopt;
}

std::optional<LoginStateMachine::Failure> LoginStateMachine::Finish() {
  commit_.isid = isid_;
  commit_.tsih = request_tsih_;
  commit_.cid = cid_;
  commit_.cmd_sn = exp_cmd_sn_;
  commit_.params = negotiator_->Finish();
  const CommitResult r = registry_->CommitLogin(commit_);
  if (r.status != LoginStatus::kSuccess) return Failure{r.status, "session registry refused"};
  tsih_ = r.tsih;
  return std::nullopt;
}

LoginReply LoginStateMachine::Reply(const LoginRequest& req, bool transit, uint8_t nsg,
                                    std::string text) {
  LoginReply r;
  LoginResponse& h = r.header;
  h.transit = transit;
  h.csg = req.csg;
  h.nsg = transit ? nsg : 0;
  h.version_max = kVersion;
  h.version_active = kVersion;
  h.isid = isid_;
  // RFC 7143 §11.13.4: the final response carries the session's TSIH.
  h.tsih = (transit && nsg == 3) ? tsih_ : request_tsih_;
  h.itt = req.itt;
  // RFC 7143 §11.13: each login response takes the next StatSN.
  h.sn = {stat_sn_++, exp_cmd_sn_, max_cmd_sn_};
  h.data_segment_length = static_cast<uint32_t>(text.size());
  r.text = std::move(text);
  return r;
}

LoginReply LoginStateMachine::Refuse(const LoginRequest& req, const Failure& failure) {
  failed_ = true;
  Log(LogLevel::kWarn, "iscsi",
      "login of %s (ISID %012" PRIx64 ") to %s refused: %02x/%02x %.*s: %s",
      commit_.initiator_name.empty() ? "?" : commit_.initiator_name.c_str(), req.isid,
      commit_.target_name.empty() ? "-" : commit_.target_name.c_str(), StatusClass(failure.status),
      StatusDetail(failure.status), static_cast<int>(LoginStatusName(failure.status).size()),
      LoginStatusName(failure.status).data(), failure.why.c_str());
  LoginReply r = Reply(req, false, 0, failure.text);
  r.header.status_class = StatusClass(failure.status);
  r.header.status_detail = StatusDetail(failure.status);
  return r;
}

}  // namespace openstmf::iscsi
