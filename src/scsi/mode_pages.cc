#include "scsi/mode_pages.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "base/byte_order.h"
#include "scsi/sense.h"

namespace openstmf::scsi {
namespace {

constexpr uint8_t kDeviceSpecificWp = 0x80;      // SBC-3 6.4.1 WP
constexpr uint8_t kDeviceSpecificDpoFua = 0x10;  // DPOFUA
constexpr size_t kMaxSenseData = 8 + 16 + ModePages::kAreaSize;

int HighestBit(uint8_t v) { return 31 - std::countl_zero(static_cast<unsigned>(v)); }

}  // namespace

const std::array<ModePages::PageDef, ModePages::kPageCount>& ModePages::Defs() {
  // Lengths include the page header: page_0 format 2 bytes, sub_page format 4.
  static const std::array<PageDef, kPageCount> kDefs = {{
      {0x01, 0x00, 12, 0},   // SBC-3 6.4.7 read-write error recovery
      {0x02, 0x00, 16, 12},  // SPC-4 7.5.9 disconnect-reconnect
      {0x08, 0x00, 20, 28},  // SBC-3 6.4.5 caching
      {0x0A, 0x00, 12, 48},  // SPC-4 7.5.7 control
      {0x0A, 0x01, 32, 60},  // SPC-4 7.5.8 control extension
      {0x1C, 0x00, 12, 92},  // SPC-4 7.5.10 informational exceptions control
  }};
  return kDefs;
}

ModePages::ModePages(bool write_cache_enabled, bool savable) : savable_(savable) {
  for (const PageDef& d : Defs()) {
    uint8_t* p = &default_[d.offset];
    if (d.subpage == 0) {
      p[0] = d.page;
      p[1] = static_cast<uint8_t>(d.length - 2);
    } else {
      p[0] = static_cast<uint8_t>(0x40 | d.page);  // SPF
      p[1] = d.subpage;
      PutBe16(p + 2, static_cast<uint16_t>(d.length - 4));
    }
    std::memcpy(&changeable_[d.offset], p, d.subpage == 0 ? 2 : 4);
  }
  default_[0 + 2] = 0xC0;      // AWRE, ARRE
  default_[28 + 2] = 0x04;     // WCE
  default_[48 + 3] = 0x10;     // QUEUE ALGORITHM MODIFIER: unrestricted reordering
  default_[92 + 2] = 0x08;     // DEXCPT: no informational exception reporting
  changeable_[28 + 2] = 0x04;  // WCE
  changeable_[48 + 2] = 0x04;  // D_SENSE
  changeable_[48 + 4] = 0x08;  // SWP
  changeable_[48 + 5] = 0x40;  // TAS
  changeable_[92 + 2] = 0x08;  // DEXCPT
  if (!write_cache_enabled) default_[28 + 2] = 0;
  current_ = default_;
  saved_ = default_;
}

bool ModePages::write_cache_enabled() const { return (current_[28 + 2] & 0x04) != 0; }
bool ModePages::descriptor_sense() const { return (current_[48 + 2] & 0x04) != 0; }
bool ModePages::software_write_protect() const { return (current_[48 + 4] & 0x08) != 0; }
bool ModePages::task_aborted_status() const { return (current_[48 + 5] & 0x40) != 0; }

void ModePages::SetWriteCacheEnabled(bool on) {
  current_[28 + 2] = static_cast<uint8_t>((current_[28 + 2] & ~0x04) | (on ? 0x04 : 0));
}

bool ModePages::RestoreSaved(std::span<const uint8_t> bytes) {
  if (bytes.size() != kAreaSize) return false;
  // Only changeable bits may differ from the defaults.
  for (size_t i = 0; i < kAreaSize; ++i) {
    if ((bytes[i] ^ default_[i]) & ~changeable_[i]) return false;
  }
  std::copy(bytes.begin(), bytes.end(), saved_.begin());
  return true;
}

const uint8_t* ModePages::Values(PageControl pc) const {
  switch (pc) {
    case PageControl::kChangeable:
      return changeable_.data();
    case PageControl::kDefault:
      return default_.data();
    case PageControl::kSaved:
      return saved_.data();
    case PageControl::kCurrent:
      break;
  }
  return current_.data();
}

size_t ModePages::AppendPages(uint8_t page, uint8_t subpage, PageControl pc, uint8_t* out) const {
  const uint8_t* values = Values(pc);
  size_t len = 0;
  for (const PageDef& d : Defs()) {
    bool match;
    if (page == 0x3F) {
      match = subpage == 0xFF || (subpage == 0 && d.subpage == 0);
    } else {
      match = d.page == page && (subpage == 0xFF || subpage == d.subpage);
    }
    if (!match) continue;
    std::memcpy(out + len, values + d.offset, d.length);
    if (savable_) out[len] |= 0x80;  // PS
    len += d.length;
  }
  return len;
}

ScsiResult ModePages::Sense(std::span<const uint8_t> cdb, const ModeMedium& medium,
                            std::span<uint8_t> out, size_t* length) const {
  bool is10 = cdb[0] == 0x5A;
  bool dbd = (cdb[1] & 0x08) != 0;
  bool llbaa = is10 && (cdb[1] & 0x10) != 0;
  auto pc = static_cast<PageControl>(cdb[2] >> 6);
  uint8_t page = cdb[2] & 0x3F;
  uint8_t subpage = cdb[3];
  // SPC-4 6.12.3: saved values requested but not kept.
  if (pc == PageControl::kSaved && !savable_) return SenseFor(Asc::kSavingParametersNotSupported);
  uint8_t buf[kMaxSenseData] = {};
  size_t header = is10 ? 8 : 4;
  size_t bd_len = dbd ? 0 : (llbaa ? 16 : 8);
  uint8_t dev_specific = static_cast<uint8_t>(
      kDeviceSpecificDpoFua |
      (medium.write_protected || software_write_protect() ? kDeviceSpecificWp : 0));
  uint8_t* bd = buf + header;
  if (bd_len == 8) {
    // SBC-3 6.4.2: short LBA descriptor saturates the block count.
    PutBe32(bd, static_cast<uint32_t>(std::min<uint64_t>(medium.block_count, 0xFFFFFFFFu)));
    PutBe24(bd + 5, medium.block_size);
  } else if (bd_len == 16) {
    PutBe64(bd, medium.block_count);
    PutBe32(bd + 12, medium.block_size);
  }
  size_t pages = AppendPages(page, subpage, pc, buf + header + bd_len);
  if (pages == 0) {
    bool page_known = page == 0x3F || std::any_of(Defs().begin(), Defs().end(),
                                                  [&](const PageDef& d) { return d.page == page; });
    return page_known ? InvalidFieldInCdb(3) : InvalidFieldInCdb(2, 5);
  }
  size_t total = header + bd_len + pages;
  if (is10) {
    PutBe16(buf, static_cast<uint16_t>(total - 2));
    buf[3] = dev_specific;
    buf[4] = llbaa && bd_len == 16 ? 0x01 : 0x00;  // LONGLBA
    PutBe16(buf + 6, static_cast<uint16_t>(bd_len));
  } else {
    buf[0] = static_cast<uint8_t>(std::min<size_t>(total - 1, 255));
    buf[2] = dev_specific;
    buf[3] = static_cast<uint8_t>(bd_len);
  }
  if (!out.empty()) std::memcpy(out.data(), buf, std::min(total, out.size()));
  *length = total;
  return Good();
}

ScsiResult ModePages::Select(std::span<const uint8_t> cdb, std::span<const uint8_t> p,
                             const ModeMedium& medium, bool* changed) {
  *changed = false;
  bool is10 = cdb[0] == 0x55;
  bool pf = (cdb[1] & 0x10) != 0;
  bool sp = (cdb[1] & 0x01) != 0;
  int len_byte = is10 ? 7 : 4;
  // SPC-4 6.11: SP without saved pages is an invalid CDB field.
  if (sp && !savable_) return InvalidFieldInCdb(1, 0);
  if (p.empty()) return Good();
  if (!pf) return InvalidFieldInCdb(1, 4);
  size_t header = is10 ? 8 : 4;
  if (p.size() < header) return ParameterListLengthError(len_byte);
  bool longlba = is10 && (p[4] & 0x01) != 0;
  size_t bd_len = is10 ? GetBe16(&p[6]) : p[3];
  size_t bd_size = longlba ? 16 : 8;
  if (bd_len % bd_size != 0) return InvalidFieldInParameterList(is10 ? 6 : 3);
  if (header + bd_len > p.size()) return ParameterListLengthError(len_byte);
  for (size_t at = header; at < header + bd_len; at += bd_size) {
    // SBC-3 6.4.2: only the current block length is accepted.
    uint32_t block_len = longlba ? GetBe32(&p[at + 12]) : GetBe24(&p[at + 5]);
    if (block_len != medium.block_size) {
      return InvalidFieldInParameterList(static_cast<uint16_t>(at + (longlba ? 12 : 5)));
    }
  }
  std::array<uint8_t, kAreaSize> next = current_;
  for (size_t at = header + bd_len; at < p.size();) {
    if (p.size() - at < 2) return ParameterListLengthError(len_byte);
    uint8_t page = p[at] & 0x3F;
    bool spf = (p[at] & 0x40) != 0;
    if (spf && p.size() - at < 4) return ParameterListLengthError(len_byte);
    uint8_t subpage = spf ? p[at + 1] : 0;
    size_t plen = spf ? GetBe16(&p[at + 2]) + 4u : p[at + 1] + 2u;
    const PageDef* def = nullptr;
    for (const PageDef& d : Defs()) {
      if (d.page == page && d.subpage == subpage) def = &d;
    }
    if (def == nullptr) return InvalidFieldInParameterList(static_cast<uint16_t>(at), 5);
    if (plen != def->length) {
      return InvalidFieldInParameterList(static_cast<uint16_t>(at + (spf ? 2 : 1)));
    }
    if (at + plen > p.size()) return ParameterListLengthError(len_byte);
    for (size_t i = spf ? 4 : 2; i < plen; ++i) {
      uint8_t bad = static_cast<uint8_t>((p[at + i] ^ current_[def->offset + i]) &
                                         ~changeable_[def->offset + i]);
      if (bad != 0) {
        return InvalidFieldInParameterList(static_cast<uint16_t>(at + i), HighestBit(bad));
      }
      next[def->offset + i] = p[at + i];
    }
    at += plen;
  }
  *changed = next != current_;
  current_ = next;
  if (sp) saved_ = next;
  return Good();
}

}  // namespace openstmf::scsi
