// Fuzzes login/text key handling: the key=value parser, the negotiation engine,
// binary value decoding, SendTargets, and whole logins through the login state
// machine (including CHAP) against an in-memory registry.
//
// Input: byte 0 selects the mode (bit 0 discovery, bit 1 secondary connection,
// bit 2 target requires CHAP, bit 3 mutual CHAP, bits 4-5 the first login stage and
// transitions); the rest is login text, cut into one Login Request per 0xff byte.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "port/iscsi/binary_value.h"
#include "port/iscsi/login.h"
#include "port/iscsi/negotiator.h"
#include "port/iscsi/send_targets.h"

namespace openstmf::iscsi {
namespace {

class Registry : public SessionRegistry {
 public:
  explicit Registry(bool chap, bool mutual) {
    access_.require_chap = chap;
    access_.chap.initiator = {"iqn.1994-05.com.example:init", "abcdefghijklmnop"};
    if (mutual) access_.chap.target = ChapCredentials{"tgt", "targetsecret9876"};
  }
  TargetAccess LookupTarget(std::string_view name, std::string_view, uint16_t) override {
    if (name == "iqn.nope") return TargetAccess{LoginStatus::kNotFound};
    return access_;
  }
  TargetAccess LookupDiscovery(std::string_view, uint16_t) override { return access_; }
  std::optional<SessionRecord> FindSession(std::string_view, uint64_t, std::string_view,
                                           uint16_t) override {
    return std::nullopt;
  }
  std::optional<SessionRecord> FindSessionByTsih(uint16_t tsih, uint16_t) override {
    SessionRecord s;
    s.tsih = tsih;
    s.isid = 1;
    s.initiator_name = "iqn.1994-05.com.example:init";
    s.target_name = "iqn.2024-01.org.openstmf:disk0";
    s.params.max_connections = 2;
    return s;
  }
  CommitResult CommitLogin(const LoginCommit&) override { return {LoginStatus::kSuccess, 7}; }

 private:
  TargetAccess access_;
};

class ZeroRandom : public RandomSource {
 public:
  void Fill(std::span<uint8_t> out) override {
    for (auto& b : out) b = 0x5a;
  }
};

volatile size_t sink;

void Negotiate(std::span<const uint8_t> text, uint8_t mode) {
  auto keys = ParseKeyValues(text);
  if (!keys.ok()) return;
  Negotiator n(NegotiationConfig{}, (mode & 2) == 0);
  if (mode & 1) n.set_session_type(SessionType::kDiscovery);
  TextWriter out;
  for (const KeyValue& kv : *keys) {
    const KeyDef* def = FindKey(kv.key);
    if (def != nullptr && def->kind == KeyKind::kSecurity) continue;
    (void)n.Offer(kv, def);
    n.OfferInFullFeature(kv, def);
    std::vector<uint8_t> bin;
    sink = DecodeBinaryValue(kv.value, &bin) ? bin.size() : 0;
  }
  n.FlushAnswers(&out);
  n.DeclareTargetValues(&out);
  sink = n.Finish().first_burst_length + out.text().size();
  static const std::vector<TargetEntry> kVisible = {
      {"iqn.2024-01.org.openstmf:disk0", {{"127.0.0.1", 3260, 1}, {"::1", 3260, 1}}}};
  for (const KeyValue& kv : *keys) {
    if (kv.key == "SendTargets") {
      sink = BuildSendTargets(kv.value, (mode & 1) ? SessionType::kDiscovery : SessionType::kNormal,
                              "iqn.2024-01.org.openstmf:disk0", kVisible)
                 .size();
    }
  }
}

void Login(std::span<const uint8_t> text, uint8_t mode) {
  Registry registry((mode & 4) != 0, (mode & 8) != 0);
  ZeroRandom random;
  LoginSettings settings;
  settings.random = &random;
  LoginStateMachine m(&registry, settings);
  uint8_t stage = (mode >> 4) & 1;
  size_t start = 0;
  for (size_t i = 0; i <= text.size() && !m.failed() && !m.complete(); ++i) {
    if (i != text.size() && text[i] != 0xff) continue;
    const std::span<const uint8_t> piece = text.subspan(start, i - start);
    start = i + 1;
    LoginRequest r;
    r.csg = stage;
    r.transit = (mode & 0x20) != 0 || i == text.size();
    r.nsg = stage == 0 ? 1 : 3;
    r.isid = 1;
    r.tsih = (mode & 2) ? 7 : 0;
    r.data_segment_length = static_cast<uint32_t>(piece.size());
    uint8_t bhs[kBhsSize];
    r.Encode(bhs);
    const LoginReply reply = m.Process(bhs, piece);
    sink = reply.text.size();
    if (reply.header.transit) stage = reply.header.nsg;
  }
}

}  // namespace
}  // namespace openstmf::iscsi

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size > 65536) return 0;
  const std::span<const uint8_t> text(data + 1, size - 1);
  openstmf::iscsi::Negotiate(text, data[0]);
  openstmf::iscsi::Login(text, data[0]);
  return 0;
}
