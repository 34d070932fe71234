// Fuzzes the proxy message decoder (ha/proxy_msg.h): any bytes decode or are
// refused, as one message and as a batch; whatever decodes encodes back to
// exactly the same bytes.
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
  return 0;
}
