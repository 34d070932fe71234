// PeerAuth: how two stmfproxy daemons prove to each other that they share the
// pair's secret before any proxy message crosses the peer link.
//
// COMSTAR's stmfproxy trusts whoever connects to port 6543. openstmf does not:
// both sides run this exchange, and the link carries proxy messages only after
// each side has verified the other's proof.
//
//   1. each side sends HELLO  := "OSPL" | version (u8 = 1) | node (u8) | nonce (32)
//   2. each side sends PROOF  := HMAC-SHA256(secret, "openstmf peer link v1"
//                                            | sender's HELLO | receiver's HELLO)
//
// The proof binds both fresh nonces and the direction, so a recorded or reflected
// proof fails. A HELLO with our own nonce (a reflection) or our own node number
// (two nodes configured alike) is refused. Proofs are compared in constant time.
//
// Thread-safety: not thread-safe; one per link attempt.
#ifndef OPENSTMF_HA_PEER_AUTH_H
#define OPENSTMF_HA_PEER_AUTH_H

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"

namespace openstmf::ha {

inline constexpr size_t kHelloSize = 38;
inline constexpr size_t kProofSize = 32;
inline constexpr size_t kMinSecret = 12;

class PeerAuth {
 public:
  // InvalidArgument for a secret shorter than kMinSecret bytes.
  static Result<PeerAuth> Create(std::string secret, uint8_t node);

  const std::vector<uint8_t>& Hello() const { return hello_; }
  // Checks and remembers the peer's HELLO; returns the peer's node number.
  Result<uint8_t> OnPeerHello(std::span<const uint8_t> hello);
  // Our proof; call after OnPeerHello succeeded.
  std::vector<uint8_t> Proof() const;
  // PermissionDenied when the peer does not know the secret.
  Status VerifyPeerProof(std::span<const uint8_t> proof) const;

 private:
  PeerAuth(std::string secret, uint8_t node, std::vector<uint8_t> hello)
      : secret_(std::move(secret)), node_(node), hello_(std::move(hello)) {}
  std::vector<uint8_t> Mac(const std::vector<uint8_t>& first,
                           const std::vector<uint8_t>& second) const;

  std::string secret_;
  uint8_t node_;
  std::vector<uint8_t> hello_;
  std::vector<uint8_t> peer_hello_;
};

}  // namespace openstmf::ha

#endif  // OPENSTMF_HA_PEER_AUTH_H
