// The opcode table: the SPC-4 and SBC-3 rows (opcode_table_spc.h,
// opcode_table_sbc.h) merged at compile time into one array sorted by opcode
// and service action, and the lookups the dispatcher and REPORT SUPPORTED
// OPERATION CODES use.
#include "scsi/opcode_table.h"

#include <algorithm>
#include <array>

#include "scsi/opcode_table_sbc.h"
#include "scsi/opcode_table_spc.h"

namespace openstmf::scsi {
namespace {

constexpr bool Before(const OpcodeEntry& a, const OpcodeEntry& b) {
  return a.opcode < b.opcode || (a.opcode == b.opcode && a.service_action < b.service_action);
}

constexpr auto Merged() {
  std::array<OpcodeEntry, std::size(opcode_rows::kSpcOpcodes) + std::size(opcode_rows::kSbcOpcodes)>
      all{};
  auto out = std::copy(std::begin(opcode_rows::kSpcOpcodes), std::end(opcode_rows::kSpcOpcodes),
                       all.begin());
  std::copy(std::begin(opcode_rows::kSbcOpcodes), std::end(opcode_rows::kSbcOpcodes), out);
  std::sort(all.begin(), all.end(), Before);
  return all;
}

constexpr auto kTable = Merged();

// No opcode/service action pair may appear twice.
constexpr bool Unique() {
  for (size_t i = 1; i < kTable.size(); ++i) {
    if (!Before(kTable[i - 1], kTable[i])) return false;
  }
  return true;
}
static_assert(Unique(), "duplicate opcode table row");

}  // namespace

std::span<const OpcodeEntry> OpcodeTable() { return kTable; }

bool OpcodeHasServiceAction(uint8_t opcode) {
  // SPC-4 4.2.5.1: the service action lives in byte 1 bits 4..0.
  return opcode == 0x48 || opcode == 0x83 || opcode == 0x84 || opcode == 0x9E || opcode == 0xA3 ||
         opcode == 0xA4;
}

const OpcodeEntry* FindOpcode(uint8_t opcode, uint16_t service_action, bool* opcode_known) {
  auto first = std::lower_bound(kTable.begin(), kTable.end(), opcode,
                                [](const OpcodeEntry& e, uint8_t op) { return e.opcode < op; });
  *opcode_known = first != kTable.end() && first->opcode == opcode;
  for (auto it = first; it != kTable.end() && it->opcode == opcode; ++it) {
    if (!it->has_service_action || it->service_action == service_action) return &*it;
  }
  return nullptr;
}

}  // namespace openstmf::scsi
