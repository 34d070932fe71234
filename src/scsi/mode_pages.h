// Mode pages of a direct-access LU (SPC-4 7.5, SBC-3 6.4) with their current,
// changeable, default and saved values, and MODE SENSE / MODE SELECT parameter
// data built and parsed on top of them.
//
// Pages: 01 read-write error recovery, 02 disconnect-reconnect, 08 caching (WCE
// changeable; the LU honours it), 0A control (D_SENSE and SWP changeable), 0A/01 control
// extension, 1C informational exceptions control (DEXCPT changeable). Saved
// values exist only when the LU provider can keep them (`savable`).
#ifndef OPENSTMF_SCSI_MODE_PAGES_H
#define OPENSTMF_SCSI_MODE_PAGES_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "scsi/result.h"

namespace openstmf::scsi {

enum class PageControl : uint8_t { kCurrent = 0, kChangeable = 1, kDefault = 2, kSaved = 3 };

// What the mode parameter header and block descriptor describe.
struct ModeMedium {
  uint32_t block_size = 512;
  uint64_t block_count = 0;
  bool write_protected = false;
};

class ModePages {
 public:
  ModePages(bool write_cache_enabled, bool savable);

  // MODE SENSE(6)/(10) parameter data for the CDB `cdb` (page code, subpage, PC,
  // DBD, LLBAA already in it). Writes up to out.size() bytes; *length gets the
  // full data length. Errors: unsupported page, saved pages not savable.
  ScsiResult Sense(std::span<const uint8_t> cdb, const ModeMedium& medium, std::span<uint8_t> out,
                   size_t* length) const;

  // MODE SELECT(6)/(10): validates the whole parameter list first, then applies
  // it (and saves it with SP). *changed says whether any current value moved, so
  // the LU raises MODE PARAMETERS CHANGED for the other I_T nexuses.
  ScsiResult Select(std::span<const uint8_t> cdb, std::span<const uint8_t> param,
                    const ModeMedium& medium, bool* changed);

  bool write_cache_enabled() const;
  bool descriptor_sense() const;
  // SWP in the control page (SPC-4 7.5.7): the LU refuses writes while set.
  bool software_write_protect() const;
  // TAS in the control page (SPC-4 7.5.7, SAM-5 5.6): commands of other I_T
  // nexuses that a task management function or PREEMPT AND ABORT aborts end
  // with TASK ABORTED status (1) or silently with a unit attention (0).
  bool task_aborted_status() const;
  bool savable() const { return savable_; }
  // Saved values as bytes for the LU provider to persist, and to restore them.
  std::span<const uint8_t> saved_bytes() const { return saved_; }
  bool RestoreSaved(std::span<const uint8_t> bytes);
  // Current values from saved ones (power on / LUN reset, SPC-4 7.5.1).
  void LoadSaved() { current_ = saved_; }
  void SetWriteCacheEnabled(bool on);

  static constexpr size_t kPageCount = 6;
  static constexpr size_t kAreaSize = 12 + 16 + 20 + 12 + 32 + 12;

 private:
  struct PageDef {
    uint8_t page;
    uint8_t subpage;
    uint8_t length;  // whole page including its header
    uint16_t offset;
  };
  static const std::array<PageDef, kPageCount>& Defs();
  const uint8_t* Values(PageControl pc) const;
  size_t AppendPages(uint8_t page, uint8_t subpage, PageControl pc, uint8_t* out) const;

  bool savable_;
  std::array<uint8_t, kAreaSize> current_{};
  std::array<uint8_t, kAreaSize> default_{};
  std::array<uint8_t, kAreaSize> changeable_{};
  std::array<uint8_t, kAreaSize> saved_{};
};

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_MODE_PAGES_H
