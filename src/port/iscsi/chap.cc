#include "port/iscsi/chap.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdlib>

#include "port/iscsi/binary_value.h"

namespace openstmf::iscsi {
namespace {

const EVP_MD* Md(ChapAlgorithm a) {
  switch (a) {
    case ChapAlgorithm::kMd5:
      return EVP_md5();
    case ChapAlgorithm::kSha1:
      return EVP_sha1();
    case ChapAlgorithm::kSha256:
      return EVP_sha256();
    case ChapAlgorithm::kSha3_256:
      return EVP_sha3_256();
  }
  return EVP_md5();
}

class OpenSslRandom final : public RandomSource {
 public:
  void Fill(std::span<uint8_t> out) override {
    if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
      // No entropy is a broken host; a predictable challenge must never be sent.
      std::abort();
    }
  }
};

Status Denied(std::string why) { return Status(Code::kPermissionDenied, std::move(why)); }

// Longest initiator challenge accepted for mutual CHAP.
constexpr size_t kMaxPeerChallenge = 1024;

}  // namespace

size_t ChapDigestLength(ChapAlgorithm algorithm) {
  return static_cast<size_t>(EVP_MD_get_size(Md(algorithm)));
}

std::vector<uint8_t> ChapResponse(ChapAlgorithm algorithm, uint8_t id,
                                  std::span<const uint8_t> secret,
                                  std::span<const uint8_t> challenge) {
  std::vector<uint8_t> digest(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, Md(algorithm), nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, &id, 1) == 1 &&
                  EVP_DigestUpdate(ctx, secret.data(), secret.size()) == 1 &&
                  EVP_DigestUpdate(ctx, challenge.data(), challenge.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx, digest.data(), &len) == 1;
  EVP_MD_CTX_free(ctx);
  digest.resize(ok ? len : 0);
  return digest;
}

RandomSource& SystemRandom() {
  static OpenSslRandom random;
  return random;
}

Status ValidateChapSecrets(const ChapPolicy& policy, size_t min_length, size_t max_length) {
  auto check = [&](const ChapCredentials& c, const char* who) -> Status {
    if (c.secret.size() < min_length || c.secret.size() > max_length) {
      return Status(Code::kInvalidArgument, std::string(who) + " CHAP secret must be " +
                                                std::to_string(min_length) + ".." +
                                                std::to_string(max_length) + " bytes");
    }
    return Status::Ok();
  };
  RETURN_IF_ERROR(check(policy.initiator, "initiator"));
  if (policy.target) {
    RETURN_IF_ERROR(check(*policy.target, "target"));
    if (policy.target->secret == policy.initiator.secret) {
      return Status(Code::kInvalidArgument, "initiator and target CHAP secrets must differ");
    }
  }
  if (policy.algorithms.empty()) return Status(Code::kInvalidArgument, "no CHAP algorithm");
  return Status::Ok();
}

ChapTarget::ChapTarget(ChapPolicy policy, RandomSource* random)
    : policy_(std::move(policy)), random_(random) {}

Status ChapTarget::Start(std::string_view chap_a, TextWriter* out) {
  std::optional<ChapAlgorithm> chosen;
  while (!chosen) {
    const size_t comma = chap_a.find(',');
    uint64_t v = 0;
    if (ParseNumber(chap_a.substr(0, comma), 255, &v)) {
      for (ChapAlgorithm a : policy_.algorithms) {
        if (static_cast<uint64_t>(a) == v) chosen = a;
      }
    }
    if (comma == std::string_view::npos) break;
    chap_a.remove_prefix(comma + 1);
  }
  if (!chosen) {
    out->Add("CHAP_A", "Reject");
    return Denied("no acceptable CHAP algorithm");
  }
  algorithm_ = *chosen;
  const size_t len = policy_.challenge_length != 0
                         ? policy_.challenge_length
                         : std::max<size_t>(16, ChapDigestLength(algorithm_));
  challenge_.assign(len, 0);
  random_->Fill(challenge_);
  random_->Fill(std::span<uint8_t>(&id_, 1));
  started_ = true;
  out->Add("CHAP_A", std::to_string(static_cast<int>(algorithm_)));
  out->Add("CHAP_I", std::to_string(id_));
  out->Add("CHAP_C", EncodeHexValue(challenge_));
  return Status::Ok();
}

Status ChapTarget::Verify(std::string_view chap_n, std::string_view chap_r,
                          std::optional<std::string_view> chap_i,
                          std::optional<std::string_view> chap_c, TextWriter* out) {
  if (!started_) return Denied("CHAP response before challenge");
  started_ = false;  // one response per challenge
  if (chap_n != policy_.initiator.user) return Denied("unknown CHAP name");
  std::vector<uint8_t> response;
  if (!DecodeBinaryValue(chap_r, &response)) return Denied("malformed CHAP_R");
  const auto* secret = reinterpret_cast<const uint8_t*>(policy_.initiator.secret.data());
  const std::vector<uint8_t> expected =
      ChapResponse(algorithm_, id_, {secret, policy_.initiator.secret.size()}, challenge_);
  if (expected.empty() || response.size() != expected.size() ||
      CRYPTO_memcmp(response.data(), expected.data(), expected.size()) != 0) {
    return Denied("wrong CHAP response");
  }
  if (chap_i.has_value() != chap_c.has_value()) return Denied("CHAP_I without CHAP_C");
  if (!chap_c) {
    if (policy_.require_mutual) return Denied("mutual CHAP required");
    return Status::Ok();
  }
  // Mutual: the initiator authenticates the target.
  if (!policy_.target) return Denied("mutual CHAP requested but not configured");
  uint64_t peer_id = 0;
  if (!ParseNumber(*chap_i, 255, &peer_id)) return Denied("malformed CHAP_I");
  std::vector<uint8_t> peer_challenge;
  if (!DecodeBinaryValue(*chap_c, &peer_challenge) || peer_challenge.size() > kMaxPeerChallenge) {
    return Denied("malformed CHAP_C");
  }
  if (peer_challenge == challenge_) return Denied("reflected CHAP challenge");
  const auto* tsecret = reinterpret_cast<const uint8_t*>(policy_.target->secret.data());
  const std::vector<uint8_t> answer =
      ChapResponse(algorithm_, static_cast<uint8_t>(peer_id),
                   {tsecret, policy_.target->secret.size()}, peer_challenge);
  out->Add("CHAP_N", policy_.target->user);
  out->Add("CHAP_R", EncodeHexValue(answer));
  return Status::Ok();
}

}  // namespace openstmf::iscsi
