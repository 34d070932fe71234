// Outgoing PDU framing without copying the data segment: header digest, padding and
// data digest are added around caller-owned memory and the result is an iovec list
// for writev/sendmsg (RFC 7143 §11.1 padding, §11.2.3 digests).
//
// The caller encodes the BHS (and any AHS) into `header`, which must have room for
// kDigestSize more bytes after the AHS; the header digest is written there. Data
// stays where it is (a LU buffer, a sense buffer, a text buffer); TxFrame keeps the
// padding and the data digest in its own trailer, so a TxFrame must not be moved or
// copied while its iovecs are in use.
//
// Thread-safety: none; one frame belongs to one connection.
#ifndef OPENSTMF_PORT_ISCSI_TX_FRAME_H
#define OPENSTMF_PORT_ISCSI_TX_FRAME_H

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include "port/iscsi/bhs.h"

namespace openstmf::iscsi {

struct DigestConfig {
  bool header = false;  // HeaderDigest=CRC32C negotiated
  bool data = false;    // DataDigest=CRC32C negotiated
};

// CRC32C over BHS + AHS (RFC 7143 §11.2.3).
uint32_t ComputeHeaderDigest(const uint8_t* bhs, std::span<const uint8_t> ahs);
// CRC32C over the data segment and its zero padding.
uint32_t ComputeDataDigest(std::span<const uint8_t> data);
uint32_t ComputeDataDigestIov(const struct iovec* iov, int iovcnt, size_t length);

class TxFrame {
 public:
  // Up to this many data iovecs per PDU.
  static constexpr int kMaxDataIov = 16;

  TxFrame() = default;
  TxFrame(const TxFrame&) = delete;
  TxFrame& operator=(const TxFrame&) = delete;

  // Frames one PDU. header[0, 48 + ahs_len) holds the encoded BHS/AHS; its
  // DataSegmentLength must equal the sum of data[0, n). Returns false (nothing
  // framed) if n > kMaxDataIov or the lengths disagree.
  [[nodiscard]] bool Build(uint8_t* header, size_t ahs_len, const struct iovec* data, int n,
                           DigestConfig digests);

  const struct iovec* iov() const { return iov_; }
  int iovcnt() const { return iovcnt_; }
  // Total bytes on the wire.
  size_t size() const { return size_; }

 private:
  struct iovec iov_[kMaxDataIov + 2] = {};
  uint8_t trailer_[8] = {};  // up to 3 pad bytes + 4 digest bytes
  int iovcnt_ = 0;
  size_t size_ = 0;
};

}  // namespace openstmf::iscsi

#endif  // OPENSTMF_PORT_ISCSI_TX_FRAME_H
