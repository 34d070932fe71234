// INQUIRY (SPC-4 6.6): standard data and the VPD pages 00, 80, 83, 86 (SPC-4
// 7.8) and B0, B1, B2 (SBC-3 6.5).
#include <algorithm>
#include <cstring>
#include <string_view>

#include "base/byte_order.h"
#include "scsi/copy_params.h"
#include "scsi/dispatcher.h"
#include "scsi/handlers.h"
#include "scsi/sense.h"

namespace openstmf::scsi::handlers {
namespace {

constexpr size_t kStandardLength = 96;
constexpr uint8_t kSupportedVpd[] = {0x00, 0x80, 0x83, 0x86, 0x8F, 0xB0, 0xB1, 0xB2};

void PutPadded(uint8_t* at, std::string_view s, size_t width) {
  std::memset(at, ' ', width);
  std::memcpy(at, s.data(), std::min(s.size(), width));
}

// Appends one identification descriptor (SPC-4 7.8.6.1).
void Designator(std::vector<uint8_t>& d, uint8_t code_set, uint8_t assoc_type,
                std::span<const uint8_t> id) {
  d.push_back(code_set);
  d.push_back(assoc_type);
  d.push_back(0);
  d.push_back(static_cast<uint8_t>(id.size()));
  d.insert(d.end(), id.begin(), id.end());
}

// SCSI name string designator: null-terminated, padded to a multiple of 4.
void NameDesignator(std::vector<uint8_t>& d, uint8_t code_set, uint8_t assoc_type,
                    std::string_view name) {
  std::vector<uint8_t> id(name.begin(), name.end());
  id.resize((name.size() + 4) / 4 * 4, 0);
  if (id.size() > 252) id.resize(252);
  Designator(d, code_set, assoc_type, id);
}

std::string GuidHex(const LuIdentity& id) {
  static const char kDigits[] = "0123456789abcdef";
  std::string s;
  for (uint8_t b : id.guid) {
    s.push_back(kDigits[b >> 4]);
    s.push_back(kDigits[b & 15]);
  }
  return s;
}

void Standard(Lu& lu, ScsiCommand& cmd, std::vector<uint8_t>& d) {
  const LuConfig& c = lu.config();
  d.assign(kStandardLength, 0);
  d[1] = c.removable ? 0x80 : 0;  // RMB
  d[2] = 0x06;                    // VERSION: SPC-4
  d[3] = 0x12;                    // HISUP, RESPONSE DATA FORMAT 2
  d[4] = kStandardLength - 5;
  // TPGS (SPC-4 6.6.2) and 3PC: EXTENDED COPY is supported.
  d[5] = 0x08;
  if (lu.alua_enabled()) d[5] |= static_cast<uint8_t>(0x10 | (c.explicit_alua ? 0x20 : 0));
  d[7] = 0x02;  // CMDQUE
  PutPadded(&d[8], c.identity.vendor, 8);
  PutPadded(&d[16], c.identity.product, 16);
  PutPadded(&d[32], c.identity.revision, 4);
  // Version descriptors (SPC-4 Table 147): SAM-5, SPC-4, SBC-3, iSCSI.
  const uint16_t versions[] = {0x00A0, 0x0460, 0x04C0, 0x0960};
  for (size_t i = 0; i < std::size(versions); ++i) PutBe16(&d[58 + 2 * i], versions[i]);
  (void)cmd;
}

void DeviceIdentification(Lu& lu, ScsiCommand& cmd, std::vector<uint8_t>& d) {
  const LuIdentity& id = lu.config().identity;
  const ItNexus& n = lu.nexus(cmd.nexus);
  // LU: NAA (type 3, binary) from the GUID, and its SCSI name string.
  Designator(d, 0x01, 0x03, id.guid);
  NameDesignator(d, 0x03, 0x08, "naa." + GuidHex(id));
  // Target port (association 01b, PIV, protocol iSCSI): relative port and group.
  uint8_t rel[4] = {0, 0, 0, 0};
  PutBe16(rel + 2, n.relative_target_port);
  Designator(d, 0x51, 0x94, rel);
  uint8_t tpg[4] = {0, 0, 0, 0};
  PutBe16(tpg + 2, lu.TargetPortGroupOf(cmd.nexus));
  Designator(d, 0x51, 0x95, tpg);
  if (!n.target_port_name.empty()) NameDesignator(d, 0x53, 0x98, n.target_port_name);
  // Target device (association 10b).
  if (!n.target_name.empty()) NameDesignator(d, 0x53, 0xA8, n.target_name);
}

void BlockLimits(const LuConfig& c, std::vector<uint8_t>& d) {
  d.resize(64, 0);
  const LuLimits& l = c.limits;
  // WSNZ 0: WRITE SAME with zero blocks runs to the last LBA (SBC-3 6.5.3).
  d[4] = 0x00;
  d[5] = l.max_compare_write_blocks;
  PutBe16(&d[6], l.optimal_transfer_granularity);
  PutBe32(&d[8], l.max_transfer_blocks);
  PutBe32(&d[12], l.optimal_transfer_blocks);
  PutBe32(&d[16], l.max_transfer_blocks);  // MAXIMUM PREFETCH LENGTH
  if (c.thin_provisioned) {
    PutBe32(&d[20], l.max_unmap_blocks);
    PutBe32(&d[24], l.max_unmap_descriptors);
    PutBe32(&d[28], l.unmap_granularity);
  }
  PutBe64(&d[36], l.max_write_same_blocks);
  PutBe32(&d[44], l.max_atomic_blocks);
  if (l.max_atomic_blocks != 0) {
    PutBe32(&d[48], l.atomic_alignment);
    PutBe32(&d[52], l.atomic_granularity);
  }
}

ScsiResult Vpd(Lu& lu, ScsiCommand& cmd, uint8_t page, std::vector<uint8_t>& d) {
  const LuConfig& c = lu.config();
  d.assign(4, 0);
  d[1] = page;
  switch (page) {
    case 0x00:
      d.insert(d.end(), std::begin(kSupportedVpd), std::end(kSupportedVpd));
      break;
    case 0x80: {
      std::string serial = c.identity.serial.empty() ? GuidHex(c.identity) : c.identity.serial;
      d.insert(d.end(), serial.begin(), serial.end());
      break;
    }
    case 0x83:
      DeviceIdentification(lu, cmd, d);
      break;
    case 0x86:  // SPC-4 7.8.7
      d.resize(64, 0);
      d[5] = 0x07;  // HEADSUP, ORDSUP, SIMPSUP
      d[6] = 0x01;  // V_SUP: volatile cache
      d[7] = 0x01;  // LUICLR
      break;
    case 0x8F:  // SPC-4 7.8.17 Third-party Copy
      AppendThirdPartyCopyDescriptors(d, c.block_size);
      break;
    case 0xB0:
      BlockLimits(c, d);
      break;
    case 0xB1:  // SBC-3 6.5.2
      d.resize(64, 0);
      PutBe16(&d[4], 1);  // non-rotating medium
      d[7] = 0x50;        // WABEREQ 01b, WACEREQ 01b: erased blocks read GOOD
      break;
    case 0xB2:  // SBC-3 6.5.4
      d.resize(8, 0);
      if (c.thin_provisioned) {
        d[5] = 0x80 | 0x40 | 0x20 | 0x04;  // LBPU, LBPWS, LBPWS10, LBPRZ
        d[6] = 0x02;                       // thin provisioned
      }
      break;
    default:
      return InvalidFieldInCdb(2);
  }
  PutBe16(&d[2], static_cast<uint16_t>(d.size() - 4));
  return Good();
}

}  // namespace

void Inquiry(Lu& lu, ScsiCommand& cmd) {
  const uint8_t* b = cmd.cdb.bytes;
  bool evpd = (b[1] & 0x01) != 0;
  // SPC-4 6.6.1: a page code without EVPD is invalid.
  if (!evpd && b[2] != 0) return Complete(cmd, InvalidFieldInCdb(2));
  std::vector<uint8_t>& d = cmd.scratch;
  if (evpd) {
    ScsiResult r = Vpd(lu, cmd, b[2], d);
    if (!r.good()) return Complete(cmd, r);
  } else {
    Standard(lu, cmd, d);
  }
  CopyToDataIn(cmd, d.data(), d.size());
  CompleteWithData(cmd, d.size());
}

}  // namespace openstmf::scsi::handlers
