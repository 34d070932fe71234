// PERSISTENT RESERVE IN (SPC-4 6.15) and the persisted byte form of the state.
#include <algorithm>
#include <cstring>

#include "base/byte_order.h"
#include "scsi/opcodes.h"
#include "scsi/persistent_reservation.h"

namespace openstmf::scsi {
namespace {

// Writes what fits; parameter data is truncated at the allocation length.
void Copy(std::span<uint8_t> out, const std::vector<uint8_t>& data) {
  if (!out.empty()) std::memcpy(out.data(), data.data(), std::min(out.size(), data.size()));
}

constexpr uint32_t kMagic = 0x4F535052;  // "OSPR"
constexpr uint8_t kVersion = 1;

}  // namespace

size_t PersistentReservation::In(uint8_t service_action, std::span<uint8_t> out) const {
  switch (service_action) {
    case op::kSaPrReadKeys:
      return ReadKeys(out);
    case op::kSaPrReadReservation:
      return ReadReservation(out);
    case op::kSaPrReportCapabilities:
      return ReportCapabilities(out);
    default:
      return ReadFullStatus(out);
  }
}

size_t PersistentReservation::ReadKeys(std::span<uint8_t> out) const {
  std::vector<uint8_t> d(8 + 8 * regs_.size());
  PutBe32(&d[0], generation_);
  PutBe32(&d[4], static_cast<uint32_t>(8 * regs_.size()));
  for (size_t i = 0; i < regs_.size(); ++i) PutBe64(&d[8 + 8 * i], regs_[i].key);
  Copy(out, d);
  return d.size();
}

size_t PersistentReservation::ReadReservation(std::span<uint8_t> out) const {
  std::vector<uint8_t> d(reserved_ ? 24 : 8);
  PutBe32(&d[0], generation_);
  if (reserved_) {
    PutBe32(&d[4], 16);
    // SPC-4 6.15.3.2: all-registrants reservations report key zero.
    uint64_t key = 0;
    if (!AllRegistrantsType()) {
      for (const auto& r : regs_) {
        if (r.holder) key = r.key;
      }
    }
    PutBe64(&d[8], key);
    d[21] = static_cast<uint8_t>(type_);  // SCOPE 0 (LU_SCOPE)
  }
  Copy(out, d);
  return d.size();
}

size_t PersistentReservation::ReportCapabilities(std::span<uint8_t> out) const {
  std::vector<uint8_t> d(8);
  PutBe16(&d[0], 8);
  // CRH, SIP_C, ATP_C, PTPL_C.
  d[2] = 0x10 | 0x08 | 0x04 | 0x01;
  // TMV, ALLOW COMMANDS 001b, PTPL_A.
  d[3] = static_cast<uint8_t>(0x80 | 0x10 | (aptpl_ ? 0x01 : 0));
  // Type mask: WR_EX_AR, EX_AC_RO, WR_EX_RO, EX_AC, WR_EX; EX_AC_AR.
  d[4] = 0x80 | 0x40 | 0x20 | 0x08 | 0x02;
  d[5] = 0x01;
  Copy(out, d);
  return d.size();
}

size_t PersistentReservation::ReadFullStatus(std::span<uint8_t> out) const {
  std::vector<uint8_t> d(8);
  PutBe32(&d[0], generation_);
  for (const auto& r : regs_) {
    std::vector<uint8_t> tid = EncodeTransportId(r.initiator);
    size_t at = d.size();
    d.resize(at + 24 + tid.size());
    PutBe64(&d[at], r.key);
    bool holder = reserved_ && (AllRegistrantsType() || r.holder);
    d[at + 12] = static_cast<uint8_t>((r.all_tg_pt ? 0x02 : 0) | (holder ? 0x01 : 0));
    if (holder) d[at + 13] = static_cast<uint8_t>(type_);
    PutBe16(&d[at + 18], r.all_tg_pt ? 0 : r.relative_target_port);
    PutBe32(&d[at + 20], static_cast<uint32_t>(tid.size()));
    std::memcpy(&d[at + 24], tid.data(), tid.size());
  }
  PutBe32(&d[4], static_cast<uint32_t>(d.size() - 8));
  Copy(out, d);
  return d.size();
}

std::vector<uint8_t> PersistentReservation::Serialize() const {
  std::vector<uint8_t> d(16);
  PutBe32(&d[0], kMagic);
  d[4] = kVersion;
  d[5] = static_cast<uint8_t>((aptpl_ ? 1 : 0) | (reserved_ ? 2 : 0));
  d[6] = static_cast<uint8_t>(type_);
  PutBe32(&d[8], generation_);
  PutBe32(&d[12], static_cast<uint32_t>(regs_.size()));
  for (const auto& r : regs_) {
    std::vector<uint8_t> tid = EncodeTransportId(r.initiator);
    size_t at = d.size();
    d.resize(at + 14 + tid.size());
    PutBe64(&d[at], r.key);
    PutBe16(&d[at + 8], r.relative_target_port);
    d[at + 10] = static_cast<uint8_t>((r.all_tg_pt ? 1 : 0) | (r.holder ? 2 : 0));
    PutBe16(&d[at + 12], static_cast<uint16_t>(tid.size()));
    std::memcpy(&d[at + 14], tid.data(), tid.size());
  }
  return d;
}

Result<PersistentReservation> PersistentReservation::Deserialize(std::span<const uint8_t> b) {
  auto corrupt = [](const char* what) {
    return Status(Code::kCorrupt, std::string("persistent reservation state: ") + what);
  };
  if (b.size() < 16 || GetBe32(&b[0]) != kMagic) return corrupt("bad header");
  if (b[4] != kVersion) return corrupt("unknown version");
  PersistentReservation pr;
  pr.aptpl_ = (b[5] & 1) != 0;
  pr.reserved_ = (b[5] & 2) != 0;
  uint8_t type = b[6];
  if (!(type == 1 || type == 3 || (type >= 5 && type <= 8))) return corrupt("bad type");
  pr.type_ = static_cast<PrType>(type);
  pr.generation_ = GetBe32(&b[8]);
  uint32_t count = GetBe32(&b[12]);
  size_t at = 16;
  for (uint32_t i = 0; i < count; ++i) {
    if (at + 14 > b.size()) return corrupt("truncated registration");
    PrRegistration r;
    r.key = GetBe64(&b[at]);
    r.relative_target_port = GetBe16(&b[at + 8]);
    r.all_tg_pt = (b[at + 10] & 1) != 0;
    r.holder = (b[at + 10] & 2) != 0;
    size_t len = GetBe16(&b[at + 12]);
    if (at + 14 + len > b.size()) return corrupt("truncated transport id");
    size_t used = 0;
    auto id = ParseTransportId(b.subspan(at + 14, len), &used);
    if (!id || used != len) return corrupt("bad transport id");
    r.initiator = *id;
    pr.regs_.push_back(r);
    at += 14 + len;
  }
  if (at != b.size()) return corrupt("trailing bytes");
  return pr;
}

}  // namespace openstmf::scsi
