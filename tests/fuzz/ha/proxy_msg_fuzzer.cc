// Fuzzes the proxy message decoder (ha/proxy_msg.h): any bytes decode or are
// refused, as one message and as a batch; whatever decodes encodes back to
// exactly the same bytes, and decoding in place agrees with decoding copies
// (data spans inside the input).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "ha/proxy_msg.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto m = openstmf::ha::Decode({data, size});
  if (m.ok()) {
    std::vector<uint8_t> again = openstmf::ha::Encode(*m);
    if (again.size() != size || std::memcmp(again.data(), data, size) != 0) abort();
  }
  auto batch = openstmf::ha::DecodeBatch({data, size});
  if (batch.ok()) {
    std::vector<uint8_t> again;
    for (const openstmf::ha::ProxyMsg& one : *batch) openstmf::ha::Encode(one, again);
    if (again.size() != size || std::memcmp(again.data(), data, size) != 0) abort();
    if (m.ok() && batch->size() != 1) abort();
  }
  auto in_place = openstmf::ha::DecodeBatchInPlace({data, size});
  if (in_place.ok() != batch.ok()) abort();
  if (in_place.ok()) {
    if (in_place->size() != batch->size()) abort();
    for (size_t i = 0; i < in_place->size(); ++i) {
      openstmf::ha::MsgInPlace& v = (*in_place)[i];
      if (!v.data.empty() &&
          (v.data.data() < data || v.data.data() + v.data.size() > data + size)) {
        abort();
      }
      if (!v.msg.data.empty()) abort();
      v.msg.data.assign(v.data.begin(), v.data.end());
      if (!(v.msg == (*batch)[i])) abort();
    }
  }
  return 0;
}
