#include "stmf/no_lu.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "base/byte_order.h"
#include "scsi/dispatcher.h"
#include "scsi/lun.h"
#include "scsi/opcodes.h"
#include "scsi/sense.h"

namespace openstmf::stmf {
namespace {

constexpr uint8_t kInquiry = 0x12;
constexpr uint8_t kRequestSense = 0x03;
constexpr uint8_t kReportLuns = 0xa0;

void Finish(scsi::ScsiCommand& cmd, const uint8_t* data, size_t len) {
  size_t n = std::min<size_t>(len, cmd.data_in.size());
  if (n != 0) std::memcpy(cmd.data_in.data(), data, n);
  cmd.transfer_length = static_cast<uint32_t>(cmd.data_in.size());
  cmd.data_in_length = static_cast<uint32_t>(n);
  scsi::Complete(cmd, scsi::Good());
}

}  // namespace

uint32_t NoLuDataInLength(const uint8_t* cdb, size_t cdb_size) {
  if (cdb_size < 6) return 0;
  switch (cdb[0]) {
    case kInquiry:
      return GetBe16(cdb + 3);
    case kRequestSense:
      return cdb[4];
    case kReportLuns:
      return cdb_size >= 12 ? GetBe32(cdb + 6) : 0;
    default:
      return 0;
  }
}

void RespondWithoutLu(scsi::ScsiCommand& cmd, std::span<const uint64_t> luns) {
  const uint8_t* cdb = cmd.cdb_bytes;
  uint8_t op = cmd.cdb_size > 0 ? cdb[0] : 0xff;
  if (op == kInquiry && cmd.cdb_size >= 6 && (cdb[1] & 1) == 0 && cdb[2] == 0) {
    uint8_t inq[36] = {};
    inq[0] = 0x7f;  // SPC-4 6.6.2: qualifier 011b, type 1Fh
    inq[2] = 0x06;  // SPC-4
    inq[3] = 0x02;
    inq[4] = sizeof(inq) - 5;
    // Space-padded ASCII fields, not C strings (SPC-4 4.3.1).
    constexpr std::string_view kVendor = "OPENSTMF", kProduct = "NO LU           ", kRev = "1.0 ";
    std::copy(kVendor.begin(), kVendor.end(), inq + 8);
    std::copy(kProduct.begin(), kProduct.end(), inq + 16);
    std::copy(kRev.begin(), kRev.end(), inq + 32);
    return Finish(cmd, inq, sizeof(inq));
  }
  if (op == kReportLuns && cmd.cdb_size >= 12) {
    size_t length = 0;
    std::vector<uint8_t> out(std::max<size_t>(cmd.data_in.size(), 8));
    scsi::ScsiResult r = scsi::BuildReportLuns(luns, cdb[2], out, &length);
    if (!r.good()) return scsi::Complete(cmd, r);
    return Finish(cmd, out.data(), std::min(length, out.size()));
  }
  if (op == kRequestSense && cmd.cdb_size >= 6) {
    uint8_t sense[scsi::kMaxSenseLength] = {};
    size_t n = scsi::BuildSense(
        scsi::SenseFor(scsi::Asc::kLunNotSupported),
        (cdb[1] & 1) ? scsi::SenseFormat::kDescriptor : scsi::SenseFormat::kFixed, sense);
    return Finish(cmd, sense, n);
  }
  scsi::Complete(cmd, scsi::SenseFor(scsi::Asc::kLunNotSupported));
}

}  // namespace openstmf::stmf
