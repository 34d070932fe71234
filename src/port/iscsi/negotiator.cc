#include "port/iscsi/negotiator.h"

#include <algorithm>

namespace openstmf::iscsi {
namespace {

std::optional<NegotiationFailure> Fail(std::string message) {
  return NegotiationFailure{LoginStatus::kInitiatorError, std::move(message)};
}

// RFC 7143 §6.2: these words are answers, never offers.
bool IsAnswerWord(std::string_view v) {
  return v == "NotUnderstood" || v == "Irrelevant" || v == "Reject";
}

// Yes/No; anything else is malformed.
bool ParseBool(std::string_view v, bool* out) {
  if (v == "Yes") {
    *out = true;
    return true;
  }
  if (v == "No") {
    *out = false;
    return true;
  }
  return false;
}

const char* YesNo(bool b) { return b ? "Yes" : "No"; }

// Calls fn on each comma-separated value of a list offer, in offer order, until it
// returns true.
template <typename Fn>
bool FirstOf(std::string_view list, Fn fn) {
  while (true) {
    const size_t comma = list.find(',');
    if (fn(list.substr(0, comma))) return true;
    if (comma == std::string_view::npos) return false;
    list.remove_prefix(comma + 1);
  }
}

}  // namespace

Negotiator::Negotiator(const NegotiationConfig& config, bool leading)
    : config_(config), leading_(leading) {}

void Negotiator::InheritSession(const OperationalParams& session) {
  OperationalParams p = session;
  p.header_digest = params_.header_digest;
  p.data_digest = params_.data_digest;
  p.max_recv_data_segment_length = params_.max_recv_data_segment_length;
  p.max_xmit_data_segment_length = params_.max_xmit_data_segment_length;
  params_ = p;
}

void Negotiator::Answer(std::string_view key, std::string value) {
  answers_.emplace_back(std::string(key), std::move(value));
}

std::optional<NegotiationFailure> Negotiator::Offer(const KeyValue& kv, const KeyDef* def) {
  if (def == nullptr) {
    Answer(kv.key, "NotUnderstood");  // RFC 7143 §6.2, §13.22
    return std::nullopt;
  }
  if ((def->senders & kFromInitiator) == 0) return Fail(std::string(kv.key) + " is target-only");
  if (def->use == KeyUse::kFullFeatureOnly) {
    return Fail(std::string(kv.key) + " used during login");
  }
  if (def->use == KeyUse::kLeadingOnly && !leading_) {
    return Fail(std::string(kv.key) + " on a non-leading connection");
  }
  const size_t bit = static_cast<size_t>(def->id);
  if (seen_.test(bit)) return Fail(std::string(kv.key) + " negotiated twice");
  seen_.set(bit);
  if (IsAnswerWord(kv.value)) return std::nullopt;  // an answer to nothing we offered
  if (session_type_ == SessionType::kDiscovery && def->irrelevant_in_discovery) {
    Answer(kv.key, "Irrelevant");
    return std::nullopt;
  }
  if (def->id == KeyId::kMaxRecvDataSegmentLength) {
    // Declarative (RFC 7143 §13.12): what we may send from now on.
    uint64_t v = 0;
    if (!ParseNumber(kv.value, def->max, &v) || v < def->min) {
      return Fail("bad MaxRecvDataSegmentLength");
    }
    params_.max_xmit_data_segment_length = static_cast<uint32_t>(v);
    return std::nullopt;
  }
  NegotiateValue(kv, *def);
  return std::nullopt;
}

void Negotiator::NegotiateDigest(const KeyValue& kv, bool* result, bool allow_crc,
                                 bool allow_none) {
  std::string_view chosen;
  FirstOf(kv.value, [&](std::string_view v) {
    if ((v == "CRC32C" && allow_crc) || (v == "None" && allow_none)) chosen = v;
    return !chosen.empty();
  });
  if (chosen.empty()) {
    Answer(kv.key, "Reject");
    return;
  }
  *result = chosen == "CRC32C";
  Answer(kv.key, std::string(chosen));
}

void Negotiator::NegotiateValue(const KeyValue& kv, const KeyDef& def) {
  const NegotiationConfig& c = config_;
  OperationalParams& p = params_;
  switch (def.kind) {
    case KeyKind::kList:
      if (def.id == KeyId::kHeaderDigest) {
        NegotiateDigest(kv, &p.header_digest, c.header_digest_crc32c, c.header_digest_none);
      } else if (def.id == KeyId::kDataDigest) {
        NegotiateDigest(kv, &p.data_digest, c.data_digest_crc32c, c.data_digest_none);
      } else {  // TaskReporting (RFC 7143 §13.23): only the RFC 3720 semantics
        const bool ok = FirstOf(kv.value, [](std::string_view v) { return v == "RFC3720"; });
        Answer(kv.key, ok ? "RFC3720" : "Reject");
      }
      return;
    case KeyKind::kBoolAnd:
    case KeyKind::kBoolOr: {
      bool offer = false;
      if (!ParseBool(kv.value, &offer)) {
        Answer(kv.key, "Reject");
        return;
      }
      bool* field = nullptr;
      bool ours = false;  // markers (RFC 3720 §12.17) and iSER (RFC 7145 §6.3): never
      switch (def.id) {
        case KeyId::kInitialR2T:
          field = &p.initial_r2t, ours = c.initial_r2t;
          break;
        case KeyId::kImmediateData:
          field = &p.immediate_data, ours = c.immediate_data;
          break;
        case KeyId::kDataPDUInOrder:
          field = &p.data_pdu_in_order, ours = c.data_pdu_in_order;
          break;
        case KeyId::kDataSequenceInOrder:
          field = &p.data_sequence_in_order, ours = c.data_sequence_in_order;
          break;
        default:
          break;
      }
      const bool result = def.kind == KeyKind::kBoolAnd ? (offer && ours) : (offer || ours);
      if (field != nullptr) *field = result;
      Answer(kv.key, YesNo(result));
      return;
    }
    case KeyKind::kNumMin:
    case KeyKind::kNumMax: {
      if (def.id == KeyId::kMaxOutstandingUnexpectedPdus) {
        Answer(kv.key, "Irrelevant");  // iSER only (RFC 7145 §6.3.4)
        return;
      }
      uint64_t offer = 0;
      if (!ParseNumber(kv.value, def.max, &offer) || offer < def.min) {
        Answer(kv.key, "Reject");
        return;
      }
      uint32_t* field = nullptr;
      uint32_t ours = 0;
      switch (def.id) {
        case KeyId::kMaxConnections:
          field = &p.max_connections, ours = c.max_connections;
          break;
        case KeyId::kMaxBurstLength:
          field = &p.max_burst_length, ours = c.max_burst_length;
          break;
        case KeyId::kFirstBurstLength:
          field = &p.first_burst_length, ours = c.first_burst_length;
          break;
        case KeyId::kDefaultTime2Wait:
          field = &p.default_time2wait, ours = c.default_time2wait;
          break;
        case KeyId::kDefaultTime2Retain:
          field = &p.default_time2retain, ours = c.default_time2retain;
          break;
        case KeyId::kMaxOutstandingR2T:
          field = &p.max_outstanding_r2t, ours = c.max_outstanding_r2t;
          break;
        case KeyId::kErrorRecoveryLevel:
          field = &p.error_recovery_level, ours = c.error_recovery_level;
          break;
        case KeyId::kProtocolLevel:
          field = &p.protocol_level, ours = c.protocol_level;
          break;
        default:
          return;
      }
      const uint32_t o = static_cast<uint32_t>(offer);
      *field = def.kind == KeyKind::kNumMin ? std::min(o, ours) : std::max(o, ours);
      Answer(kv.key, std::to_string(*field));
      return;
    }
    case KeyKind::kDeclarative:
      // Marker intervals and iSER segment lengths mean nothing without markers and
      // RDMA, which this target never agrees to.
      if (def.id == KeyId::kOFMarkInt || def.id == KeyId::kIFMarkInt ||
          def.id == KeyId::kTargetRecvDataSegmentLength ||
          def.id == KeyId::kInitiatorRecvDataSegmentLength) {
        Answer(kv.key, "Irrelevant");
      }
      return;
    case KeyKind::kSecurity:
      return;
  }
}

void Negotiator::OfferInFullFeature(const KeyValue& kv, const KeyDef* def) {
  if (def == nullptr) {
    Answer(kv.key, "NotUnderstood");
    return;
  }
  if (def->use != KeyUse::kAll || (def->senders & kFromInitiator) == 0) {
    Answer(kv.key, "Reject");
    return;
  }
  if (def->id == KeyId::kMaxRecvDataSegmentLength) {
    uint64_t v = 0;
    if (ParseNumber(kv.value, def->max, &v) && v >= def->min) {
      params_.max_xmit_data_segment_length = static_cast<uint32_t>(v);
    } else {
      Answer(kv.key, "Reject");
    }
  }
}

void Negotiator::FlushAnswers(TextWriter* out) {
  for (auto& [key, value] : answers_) {
    if (key != "FirstBurstLength" || value == "Reject" || value == "Irrelevant") continue;
    // RFC 7143 §13.14: irrelevant without unsolicited data; never above MaxBurstLength.
    if (params_.initial_r2t && !params_.immediate_data) {
      value = "Irrelevant";
      params_.first_burst_length = OperationalParams{}.first_burst_length;
    } else if (params_.first_burst_length > params_.max_burst_length) {
      params_.first_burst_length = params_.max_burst_length;
      value = std::to_string(params_.first_burst_length);
    }
  }
  for (const auto& [key, value] : answers_) out->Add(key, value);
  answers_.clear();
}

void Negotiator::DeclareTargetValues(TextWriter* out) {
  if (declared_) return;
  declared_ = true;
  params_.max_recv_data_segment_length = config_.max_recv_data_segment_length;
  out->Add("MaxRecvDataSegmentLength", std::to_string(config_.max_recv_data_segment_length));
}

const OperationalParams& Negotiator::Finish() {
  params_.first_burst_length = std::min(params_.first_burst_length, params_.max_burst_length);
  return params_;
}

}  // namespace openstmf::iscsi
