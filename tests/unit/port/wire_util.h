// Test helper: builds the wire bytes of a PDU with TxFrame and flattens them.
#ifndef OPENSTMF_TESTS_UNIT_PORT_WIRE_UTIL_H
#define OPENSTMF_TESTS_UNIT_PORT_WIRE_UTIL_H

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "port/iscsi/bhs.h"
#include "port/iscsi/tx_frame.h"

namespace openstmf::iscsi::testing {

// bhs_and_ahs: an encoded BHS followed by AHS bytes. The BHS's DataSegmentLength is
// set to data.size().
inline std::vector<uint8_t> Wire(std::vector<uint8_t> bhs_and_ahs, std::string_view data,
                                 DigestConfig digests = {}) {
  const size_t ahs_len = bhs_and_ahs.size() - kBhsSize;
  SetSegmentLengths(bhs_and_ahs.data(), ahs_len, static_cast<uint32_t>(data.size()));
  bhs_and_ahs.resize(bhs_and_ahs.size() + kDigestSize);
  struct iovec iov = {const_cast<char*>(data.data()), data.size()};
  TxFrame frame;
  if (!frame.Build(bhs_and_ahs.data(), ahs_len, &iov, data.empty() ? 0 : 1, digests)) return {};
  std::vector<uint8_t> out;
  for (int i = 0; i < frame.iovcnt(); ++i) {
    const auto* p = static_cast<const uint8_t*>(frame.iov()[i].iov_base);
    out.insert(out.end(), p, p + frame.iov()[i].iov_len);
  }
  return out;
}

template <typename T>
std::vector<uint8_t> Header(const T& pdu) {
  std::vector<uint8_t> h(kBhsSize);
  pdu.Encode(h.data());
  return h;
}

}  // namespace openstmf::iscsi::testing

#endif  // OPENSTMF_TESTS_UNIT_PORT_WIRE_UTIL_H
