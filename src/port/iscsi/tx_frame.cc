#include "port/iscsi/tx_frame.h"

#include "base/crc32c.h"

namespace openstmf::iscsi {
namespace {
constexpr uint8_t kZeros[4] = {0, 0, 0, 0};
}  // namespace

uint32_t ComputeHeaderDigest(const uint8_t* bhs, std::span<const uint8_t> ahs) {
  return crc32c::Extend(crc32c::Value(bhs, kBhsSize), ahs.data(), ahs.size());
}

uint32_t ComputeDataDigest(std::span<const uint8_t> data) {
  // RFC 7143 §13.1: padding bytes are covered by the data digest.
  return crc32c::Extend(crc32c::Value(data.data(), data.size()), kZeros, PadLength(data.size()));
}

uint32_t ComputeDataDigestIov(const struct iovec* iov, int iovcnt, size_t length) {
  return crc32c::Extend(crc32c::ExtendIov(0, iov, iovcnt), kZeros, PadLength(length));
}

bool TxFrame::Build(uint8_t* header, size_t ahs_len, const struct iovec* data, int n,
                    DigestConfig digests) {
  if (n < 0 || n > kMaxDataIov) return false;
  size_t data_len = 0;
  for (int i = 0; i < n; ++i) data_len += data[i].iov_len;
  if (data_len != BhsView(header).data_segment_length()) return false;

  size_t header_len = kBhsSize + ahs_len;
  if (digests.header) {
    crc32c::StoreDigest(
        ComputeHeaderDigest(header, std::span<const uint8_t>(header + kBhsSize, ahs_len)),
        header + header_len);
    header_len += kDigestSize;
  }
  iovcnt_ = 0;
  iov_[iovcnt_++] = {header, header_len};
  size_ = header_len;
  for (int i = 0; i < n; ++i) {
    if (data[i].iov_len > 0) iov_[iovcnt_++] = data[i];
  }
  size_ += data_len;
  // RFC 7143 §11.2.3: no data digest when there is no data segment.
  if (data_len > 0) {
    const size_t pad = PadLength(data_len);
    size_t trailer_len = pad;
    for (size_t i = 0; i < pad; ++i) trailer_[i] = 0;
    if (digests.data) {
      crc32c::StoreDigest(ComputeDataDigestIov(data, n, data_len), trailer_ + pad);
      trailer_len += kDigestSize;
    }
    if (trailer_len > 0) iov_[iovcnt_++] = {trailer_, trailer_len};
    size_ += trailer_len;
  }
  return true;
}

}  // namespace openstmf::iscsi
