#include "ha/peer_auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstring>

namespace openstmf::ha {
namespace {

constexpr char kMagic[4] = {'O', 'S', 'P', 'L'};
constexpr uint8_t kVersion = 1;
constexpr char kLabel[] = "openstmf peer link v1";

}  // namespace

Result<PeerAuth> PeerAuth::Create(std::string secret, uint8_t node) {
  if (secret.size() < kMinSecret) {
    return Status(Code::kInvalidArgument, "the peer link secret must have at least " +
                                              std::to_string(kMinSecret) + " characters");
  }
  std::vector<uint8_t> hello(kHelloSize);
  std::memcpy(hello.data(), kMagic, 4);
  hello[4] = kVersion;
  hello[5] = node;
  if (RAND_bytes(hello.data() + 6, 32) != 1) {
    return Status(Code::kInternal, "no random bytes for the peer link nonce");
  }
  return PeerAuth(std::move(secret), node, std::move(hello));
}

Result<uint8_t> PeerAuth::OnPeerHello(std::span<const uint8_t> hello) {
  if (hello.size() != kHelloSize || std::memcmp(hello.data(), kMagic, 4) != 0) {
    return Status(Code::kPermissionDenied, "the peer did not send an openstmf peer link greeting");
  }
  if (hello[4] != kVersion) {
    return Status(Code::kPermissionDenied,
                  "the peer speaks peer link version " + std::to_string(hello[4]));
  }
  if (std::equal(hello.begin() + 6, hello.end(), hello_.begin() + 6)) {
    return Status(Code::kPermissionDenied, "the peer echoed our own greeting");
  }
  if (hello[5] == node_) {
    return Status(Code::kPermissionDenied, "the peer is also node " + std::to_string(node_) +
                                               "; one node must be 0, the other 1");
  }
  peer_hello_.assign(hello.begin(), hello.end());
  return hello[5];
}

std::vector<uint8_t> PeerAuth::Mac(const std::vector<uint8_t>& first,
                                   const std::vector<uint8_t>& second) const {
  std::vector<uint8_t> msg(kLabel, kLabel + sizeof(kLabel) - 1);
  msg.insert(msg.end(), first.begin(), first.end());
  msg.insert(msg.end(), second.begin(), second.end());
  std::vector<uint8_t> out(EVP_MAX_MD_SIZE);
  unsigned len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()), msg.data(), msg.size(),
       out.data(), &len);
  out.resize(len);
  return out;
}

std::vector<uint8_t> PeerAuth::Proof() const { return Mac(hello_, peer_hello_); }

Status PeerAuth::VerifyPeerProof(std::span<const uint8_t> proof) const {
  if (peer_hello_.empty()) return Status(Code::kInternal, "peer proof before its greeting");
  std::vector<uint8_t> want = Mac(peer_hello_, hello_);
  if (proof.size() != want.size() || CRYPTO_memcmp(proof.data(), want.data(), want.size()) != 0) {
    return Status(Code::kPermissionDenied, "the peer does not know the pair's secret");
  }
  return Status::Ok();
}

}  // namespace openstmf::ha
