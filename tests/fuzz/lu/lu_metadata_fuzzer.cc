// Feeds arbitrary bytes to the LU metadata decoder: it must answer with a value or
// an error, never crash; whatever it accepts must encode and decode to the same.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "lu/sbd/lu_metadata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto decoded = openstmf::lu::DecodeMetadata(std::span<const uint8_t>(data, size));
  if (!decoded.ok()) return 0;
  auto again = openstmf::lu::EncodeMetadata(decoded->metadata, decoded->seq);
  if (!again.ok()) std::abort();
  auto round = openstmf::lu::DecodeMetadata(*again);
  if (!round.ok() || !(round->metadata == decoded->metadata)) std::abort();
  return 0;
}
