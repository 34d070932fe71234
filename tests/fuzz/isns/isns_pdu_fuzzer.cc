// Fuzzes what an iSNS client reads from a server: the PDU assembler (headers,
// segmentation, sequence checks), response decoding, the response checks and the
// attribute value accessors.
//
// Input: the byte stream as a server would send it; it is fed whole, and again in
// pieces of 1 + (size % 31) bytes as partial reads would deliver it.
#include <cstddef>
#include <cstdint>
#include <span>

#include "port/isns/isns_assembler.h"
#include "port/isns/isns_messages.h"
#include "port/isns/isns_pdu.h"

namespace openstmf::isns {
namespace {

volatile size_t sink;

void Use(const Message& m) {
  for (Function f : {Function::kDevAttrReg, Function::kDevAttrQry, Function::kDevDereg}) {
    auto checked = CheckResponse(m, f, m.transaction_id);
    sink = checked.ok() ? GrantedRegistrationPeriod(checked.value()) : 0;
  }
  auto response = DecodeResponse(m.payload);
  if (!response.ok()) return;
  for (const Attribute& a : response.value().attributes) {
    auto s = AttributeString(a);
    auto u = AttributeU32(a);
    auto ip = AttributeAddress(a);
    sink = (s.ok() ? s.value().size() : 0) + (u.ok() ? u.value() : 0) +
           (ip.ok() ? ip.value().size() : 0);
  }
}

void Feed(std::span<const uint8_t> stream, size_t step) {
  MessageAssembler assembler;
  for (size_t off = 0; off < stream.size(); off += step) {
    const size_t n = step < stream.size() - off ? step : stream.size() - off;
    if (!assembler.Push(stream.subspan(off, n)).ok()) return;
    while (auto m = assembler.Next()) Use(*m);
  }
}

}  // namespace
}  // namespace openstmf::isns

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace openstmf::isns;
  const std::span<const uint8_t> stream(data, size);
  if (size == 0) return 0;
  Feed(stream, size);
  Feed(stream, 1 + (size % 31));
  auto attributes = DecodeAttributes(stream);
  sink = attributes.ok() ? attributes.value().size() : 0;
  return 0;
}
