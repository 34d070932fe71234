// Fuzzes the management door's message decoder (mgmt/message.h): any bytes must
// decode or be refused with a Status, and whatever decodes must encode into
// a message that decodes to the same fields.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "mgmt/message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto m = openstmf::mgmt::Decode({data, size});
  if (!m.ok()) return 0;
  std::vector<uint8_t> again = openstmf::mgmt::Encode(*m);
  auto m2 = openstmf::mgmt::Decode(again);
  if (!m2.ok() || !(*m2 == *m)) abort();
  return 0;
}
