// Conversions between libstmf's C structures and the management messages'
// fields (ops.h): group names, device ids, GUIDs, LUNs, and the lists libstmf
// hands to callers (allocated with calloc, released with stmfFreeMemory).
//
// The readers check what a C caller passed: a NULL pointer, a name without its
// terminating NUL inside its array, an empty name or a devid longer than its
// array are answered with nullopt, which callers turn into STMF_ERROR_INVALID_ARG.
//
// Thread-safety: pure functions.
#ifndef OPENSTMF_LIB_STMF_CONVERT_H
#define OPENSTMF_LIB_STMF_CONVERT_H

#include <libstmf.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace openstmf::libstmf {

std::optional<std::string> GroupNameText(const stmfGroupName* name);
std::optional<std::string> DevidText(const stmfDevid* devid);
// Fills *devid with `text` (truncated to STMF_IDENT_LENGTH bytes), rest zeroed.
void SetDevid(std::string_view text, stmfDevid* devid);

// The 16 raw bytes the messages carry.
std::string GuidBytes(const stmfGuid& guid);
// False unless `bytes` is 16 bytes long.
bool SetGuid(std::string_view bytes, stmfGuid* guid);

// SAM single-level LUN bytes <-> 0..16383.
uint32_t LunFromBytes(const uchar_t lun[8]);
void LunToBytes(uint32_t lun, uchar_t out[8]);

// Copies `text` into dst[cap] with a terminating NUL (truncating).
void CopyText(std::string_view text, char* dst, size_t cap);
// Copies `text` into dst[cap] padded with spaces, no NUL (SCSI INQUIRY style).
void CopyPadded(std::string_view text, uchar_t* dst, size_t cap);

// A list structure (cnt + one element array) with room for n elements, zeroed;
// nullptr when out of memory. Released with free() (stmfFreeMemory).
template <typename List, typename Elem>
List* AllocList(size_t n) {
  auto* list = static_cast<List*>(calloc(1, sizeof(List) + n * sizeof(Elem)));
  if (list != nullptr) list->cnt = static_cast<uint32_t>(n);
  return list;
}

}  // namespace openstmf::libstmf

#endif  // OPENSTMF_LIB_STMF_CONVERT_H
