// Fuzzes the validators of every record libdoor receives (door/wire.h).
//
// Input: byte 0 picks the decoder (0 request, 1 reply, 2 control), byte 1 is the
// number of descriptors that "arrived" with the record, the rest is the record.
// Every byte a decoder reports as part of the record is read back, so an
// out-of-bounds view shows up under AddressSanitizer.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "door/wire.h"

namespace dw = openstmf::door;

namespace {

volatile unsigned sink;

void Touch(const unsigned char* p, size_t n) {
  unsigned s = 0;
  for (size_t i = 0; i < n; ++i) s += p[i];
  sink = s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const unsigned which = data[0] % 3;
  const size_t n_fds = data[1];
  // A private copy: decoders must not read past the received length.
  std::vector<unsigned char> rec(data + 2, data + size);
  const size_t len = rec.size();
  if (which == 0) {
    dw::Request r;
    if (dw::DecodeRequest(rec.data(), len, n_fds, &r).ok()) {
      for (uint32_t i = 0; i < r.n_desc; ++i) (void)dw::DescAt(r.descs, i);
      if (r.data != nullptr) Touch(r.data, r.data_size);
      if (r.first_desc_fd + r.n_desc != n_fds) __builtin_trap();
    }
  } else if (which == 1) {
    dw::Reply r;
    if (dw::DecodeReply(rec.data(), len, n_fds, &r).ok()) {
      for (uint32_t i = 0; i < r.n_desc; ++i) (void)dw::DescAt(r.descs, i);
      if (r.data != nullptr) Touch(r.data, r.data_size);
      if (r.type == dw::MsgType::kError && (r.err <= 0 || r.err > 4095)) __builtin_trap();
    }
  } else {
    dw::MsgType t;
    (void)dw::DecodeControl(rec.data(), len, n_fds, &t);
  }
  return 0;
}
