// CHAP for iSCSI login, target side (RFC 1994; RFC 7143 §12.1.3), with mutual
// authentication.
//
// Exchange, all in the security negotiation stage:
//   initiator: CHAP_A=<list>            target: CHAP_A=<chosen> CHAP_I=<id> CHAP_C=<chal>
//   initiator: CHAP_N=<name> CHAP_R=<resp> [CHAP_I=<id2> CHAP_C=<chal2>]
//   target (mutual only): CHAP_N=<target user> CHAP_R=<response to chal2>
// where resp = H(id || secret || chal) and H is MD5 (5), SHA-1 (6), SHA-256 (7) or
// SHA3-256 (8) — the IANA "PPP Authentication Algorithms" values that RFC 7143 and
// current initiators (Linux, libiscsi) use. Which ones are accepted is configured.
// Responses are compared in constant time. A challenge from the initiator equal to
// the target's own is refused (reflection attack, RFC 7143 §12.1.3).
//
// Uses OpenSSL libcrypto (EVP) for hashing and, by default, for random challenges.
//
// Thread-safety: ChapTarget is per login; the functions are pure.
#ifndef OPENSTMF_PORT_ISCSI_CHAP_H
#define OPENSTMF_PORT_ISCSI_CHAP_H

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "port/iscsi/text.h"

namespace openstmf::iscsi {

enum class ChapAlgorithm : uint8_t { kMd5 = 5, kSha1 = 6, kSha256 = 7, kSha3_256 = 8 };

// Digest length in bytes: 16, 20, 32, 32.
size_t ChapDigestLength(ChapAlgorithm algorithm);

// H(id || secret || challenge), RFC 1994 §4.1.
std::vector<uint8_t> ChapResponse(ChapAlgorithm algorithm, uint8_t id,
                                  std::span<const uint8_t> secret,
                                  std::span<const uint8_t> challenge);

struct ChapCredentials {
  std::string user;
  std::string secret;
};

// Source of challenge bytes; tests inject fixed bytes.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void Fill(std::span<uint8_t> out) = 0;
};
// OpenSSL RAND_bytes.
RandomSource& SystemRandom();

struct ChapPolicy {
  // Accepted algorithms; the first one in the initiator's CHAP_A list that appears
  // here is chosen.
  std::vector<ChapAlgorithm> algorithms = {ChapAlgorithm::kSha3_256, ChapAlgorithm::kSha256,
                                           ChapAlgorithm::kSha1, ChapAlgorithm::kMd5};
  // What the initiator must prove (CHAP_N must equal user).
  ChapCredentials initiator;
  // The target's identity for mutual CHAP; without it mutual CHAP is refused.
  std::optional<ChapCredentials> target;
  // Refuse initiators that do not ask for mutual authentication.
  bool require_mutual = false;
  // Challenge length in bytes; 0 picks max(16, digest length).
  size_t challenge_length = 0;
};

// Configuration check for secrets: each at least `min_length` bytes (RFC 7143
// §12.1.3 recommends 12 or more; some initiators need at most 16) and at most
// `max_length`, and the two directions not sharing a secret.
Status ValidateChapSecrets(const ChapPolicy& policy, size_t min_length = 12,
                           size_t max_length = 255);

class ChapTarget {
 public:
  explicit ChapTarget(ChapPolicy policy, RandomSource* random = &SystemRandom());

  // Handles the initiator's CHAP_A list: answers CHAP_A, CHAP_I and CHAP_C, or fails
  // (PermissionDenied) when no algorithm is acceptable, after answering CHAP_A=Reject.
  Status Start(std::string_view chap_a, TextWriter* out);

  // Checks CHAP_N/CHAP_R (and answers a mutual challenge if chap_i/chap_c are
  // given). PermissionDenied with a reason on any failure.
  Status Verify(std::string_view chap_n, std::string_view chap_r,
                std::optional<std::string_view> chap_i, std::optional<std::string_view> chap_c,
                TextWriter* out);

  bool started() const { return started_; }
  ChapAlgorithm algorithm() const { return algorithm_; }
  uint8_t id() const { return id_; }
  const std::vector<uint8_t>& challenge() const { return challenge_; }

 private:
  ChapPolicy policy_;
  RandomSource* random_;
  bool started_ = false;
  ChapAlgorithm algorithm_ = ChapAlgorithm::kMd5;
  uint8_t id_ = 0;
  std::vector<uint8_t> challenge_;
};

}  // namespace openstmf::iscsi

#endif  // OPENSTMF_PORT_ISCSI_CHAP_H
