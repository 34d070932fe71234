// Fuzzes the proxy message decoder (ha/proxy_msg.h): any bytes decode or are
// refused; whatever decodes encodes back to exactly the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "ha/proxy_msg.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto m = openstmf::ha::Decode({data, size});
  if (!m.ok()) return 0;
  std::vector<uint8_t> again = openstmf::ha::Encode(*m);
  if (again.size() != size || std::memcmp(again.data(), data, size) != 0) abort();
  return 0;
}
