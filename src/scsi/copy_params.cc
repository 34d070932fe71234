#include "scsi/copy_params.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "base/byte_order.h"
#include "scsi/sense.h"

namespace openstmf::scsi {
namespace {

constexpr size_t kHeaderLength = 16;
constexpr size_t kTargetDescriptorLength = 32;
constexpr uint8_t kIdentificationDescriptor = 0xE4;

ScsiResult ParamError(size_t byte, int bit = -1) {
  return InvalidFieldInParameterList(static_cast<uint16_t>(std::min<size_t>(byte, 0xFFFF)), bit);
}

ScsiResult PointAt(Asc code, size_t byte) {
  ScsiResult r = SenseFor(code);
  r.field.valid = true;
  r.field.byte = static_cast<uint16_t>(std::min<size_t>(byte, 0xFFFF));
  return r;
}

// SPC-4 6.3.6.2 identification descriptor CSCD; `at` is its offset in the list.
ScsiResult ParseTarget(const uint8_t* p, size_t at, CopyTargetDescriptor* t) {
  // Byte 1: LU ID TYPE and NUL are ignored (SPC-4 obsoleted NUL; the LU is
  // named by the designator), as is RELATIVE INITIATOR PORT IDENTIFIER.
  t->device_type = p[1] & 0x1F;
  t->code_set = p[4] & 0x0F;
  t->association = (p[5] >> 4) & 0x03;
  t->designator_type = p[5] & 0x0F;
  t->designator_length = p[7];
  // The designator fills at most bytes 8..27 (SPC-4 Table 99).
  if (t->designator_length > t->designator.size()) return ParamError(at + 7);
  std::memcpy(t->designator.data(), p + 8, t->designator_length);
  // Device type specific parameters for block devices (SPC-4 6.3.6.4.2).
  t->block_length = GetBe24(p + 29);
  return Good();
}

ScsiResult ParseSegment(const uint8_t* p, size_t at, size_t avail, CopySegment* s) {
  s->type = p[0];
  size_t want = s->type == 0x02 ? 0x18 : 0x1C;
  uint16_t length = GetBe16(p + 2);
  if (length != want) return ParamError(at + 2);
  if (avail < 4 + want) return ParameterListLengthError();
  s->dc = s->type == 0x02 && (p[1] & 0x02) != 0;
  s->cat = (p[1] & 0x01) != 0;
  s->source = GetBe16(p + 4);
  s->destination = GetBe16(p + 6);
  s->source_lba = GetBe64(p + 12);
  s->destination_lba = GetBe64(p + 20);
  if (s->type == 0x02) {
    s->count = GetBe16(p + 10);
  } else {
    if (p[1] & 0x02) return ParamError(at + 1, 1);  // DC is reserved in 0Ah
    s->count = GetBe32(p + 8);
    if (s->count > kCopyMaxSegmentBytes) return ParamError(at + 8);
    s->source_offset = GetBe16(p + 28);
    s->destination_offset = GetBe16(p + 30);
  }
  return Good();
}

void PutDescriptorHeader(std::vector<uint8_t>& d, uint16_t type, size_t at) {
  // Descriptor lengths are padded to a multiple of four (SPC-4 7.8.17.1).
  d.resize(at + ((d.size() - at + 3) & ~size_t{3}), 0);
  PutBe16(&d[at], type);
  PutBe16(&d[at + 2], static_cast<uint16_t>(d.size() - at - 4));
}

}  // namespace

ScsiResult ParseCopyParameters(std::span<const uint8_t> list, CopyParameters* out) {
  *out = CopyParameters{};
  if (list.empty()) return Good();
  if (list.size() < kHeaderLength) return ParameterListLengthError();
  const uint8_t* b = list.data();
  out->list_id = b[0];
  uint8_t usage = (b[1] >> 3) & 0x03;
  if (usage == 1) return ParamError(1, 3);
  out->usage = static_cast<ListIdUsage>(usage);
  // SPC-4 6.3.2: with LIST ID USAGE 11b the LIST IDENTIFIER must be zero.
  if (out->usage == ListIdUsage::kNone && out->list_id != 0) return ParamError(0);
  size_t targets_length = GetBe16(b + 2);
  size_t segments_length = GetBe32(b + 8);
  size_t inline_length = GetBe32(b + 12);
  if (targets_length + segments_length > kCopyMaxDescriptorListLength) {
    return ParameterListLengthError();
  }
  if (inline_length != 0) return PointAt(Asc::kInlineDataLengthExceeded, 12);
  if (kHeaderLength + targets_length + segments_length > list.size()) {
    return ParameterListLengthError();
  }

  size_t at = kHeaderLength;
  size_t end = at + targets_length;
  while (at < end) {
    if (b[at] != kIdentificationDescriptor) {
      return PointAt(Asc::kUnsupportedTargetDescriptorType, at);
    }
    if (out->targets.size() == kCopyMaxTargetDescriptors) {
      return SenseFor(Asc::kTooManyTargetDescriptors);
    }
    if (end - at < kTargetDescriptorLength) return ParameterListLengthError();
    CopyTargetDescriptor t;
    ScsiResult r = ParseTarget(b + at, at, &t);
    if (!r.good()) return r;
    out->targets.push_back(t);
    at += kTargetDescriptorLength;
  }
  end = at + segments_length;
  while (at < end) {
    if (end - at < 4) return ParameterListLengthError();
    if (b[at] != 0x02 && b[at] != 0x0A) return PointAt(Asc::kUnsupportedSegmentDescriptorType, at);
    if (out->segments.size() == kCopyMaxSegmentDescriptors) {
      return SenseFor(Asc::kTooManySegmentDescriptors);
    }
    CopySegment s;
    ScsiResult r = ParseSegment(b + at, at, end - at, &s);
    if (!r.good()) return r;
    out->segments.push_back(s);
    at += 4 + GetBe16(b + at + 2);
  }
  return Good();
}

std::vector<uint8_t> CopyOperatingParameters(uint32_t /*block_size*/) {
  std::vector<uint8_t> d(44 + std::size(kCopyDescriptorCodes), 0);
  PutBe32(&d[0], static_cast<uint32_t>(d.size() - 4));
  d[4] = 0x01;  // SNLID: LIST ID USAGE 11b is supported
  PutBe16(&d[8], kCopyMaxTargetDescriptors);
  PutBe16(&d[10], kCopyMaxSegmentDescriptors);
  PutBe32(&d[12], kCopyMaxDescriptorListLength);
  PutBe32(&d[16], kCopyMaxSegmentBytes);
  // MAXIMUM INLINE DATA LENGTH, HELD DATA LIMIT, MAXIMUM STREAM DEVICE TRANSFER
  // SIZE: 0 (no inline data, no held data, no stream devices).
  PutBe16(&d[34], kCopyMaxConcurrent);
  d[36] = static_cast<uint8_t>(kCopyMaxConcurrent);
  // Granularities (log2): byte-offset segments make any byte count valid.
  d[43] = static_cast<uint8_t>(std::size(kCopyDescriptorCodes));
  std::copy(std::begin(kCopyDescriptorCodes), std::end(kCopyDescriptorCodes), d.begin() + 44);
  return d;
}

void AppendThirdPartyCopyDescriptors(std::vector<uint8_t>& d, uint32_t /*block_size*/) {
  // SPC-4 7.8.17.3 Supported Commands: EXTENDED COPY (LID1) and the RECEIVE
  // COPY RESULTS service actions it pairs with.
  size_t at = d.size();
  const uint8_t commands[] = {0x83, 1, 0x00, 0x84, 4, 0x00, 0x01, 0x03, 0x04};
  d.resize(at + 5, 0);
  d[at + 4] = sizeof(commands);
  d.insert(d.end(), std::begin(commands), std::end(commands));
  PutDescriptorHeader(d, 0x0001, at);
  // SPC-4 7.8.17.4 Parameter Data.
  at = d.size();
  d.resize(at + 32, 0);
  PutBe16(&d[at + 8], kCopyMaxTargetDescriptors);
  PutBe16(&d[at + 10], kCopyMaxSegmentDescriptors);
  PutBe32(&d[at + 12], kCopyMaxDescriptorListLength);
  PutDescriptorHeader(d, 0x0004, at);
  // SPC-4 7.8.17.5 Supported Descriptors.
  at = d.size();
  d.resize(at + 5, 0);
  d[at + 4] = static_cast<uint8_t>(std::size(kCopyDescriptorCodes));
  d.insert(d.end(), std::begin(kCopyDescriptorCodes), std::end(kCopyDescriptorCodes));
  PutDescriptorHeader(d, 0x0008, at);
  // SPC-4 7.8.17.7 General Copy Operations.
  at = d.size();
  d.resize(at + 32, 0);
  PutBe32(&d[at + 4], kCopyMaxConcurrent);
  PutBe32(&d[at + 8], kCopyMaxConcurrent);
  PutBe32(&d[at + 12], kCopyMaxSegmentBytes);
  PutDescriptorHeader(d, 0x8001, at);
}

}  // namespace openstmf::scsi
