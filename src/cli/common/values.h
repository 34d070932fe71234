// The operands and option values the admin tools take, checked before anything
// reaches the daemon: LU GUIDs, LUNs, sizes, device ids, LU property names.
//
// Thread-safety: pure functions.
#ifndef OPENSTMF_CLI_COMMON_VALUES_H
#define OPENSTMF_CLI_COMMON_VALUES_H

#include <libstmf.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace openstmf::cli {

inline constexpr uint32_t kMaxLun = 16383;

// 32 hexadecimal digits (either case).
std::optional<stmfGuid> ParseGuid(std::string_view text);
// 32 upper-case hexadecimal digits (stmfadm's form).
std::string GuidText(const stmfGuid& guid);

// A decimal LUN from 0 to 16383.
std::optional<uint32_t> ParseLun(std::string_view text);
// A decimal number that fits in 32 bits (view entry numbers).
std::optional<uint32_t> ParseIndex(std::string_view text);

// Bytes with an optional k, m, g, t, p or e suffix (powers of 1024, either case,
// an optional trailing "b"): "512", "10g", "1T". Zero and overflow are refused.
std::optional<uint64_t> ParseSize(std::string_view text);

// A SCSI name string as stmfadm takes it: "iqn." + at most 219 more characters
// of letters, digits, '-', '.', ':' (lower-cased), or "eui." / "wwn." + 16 hex
// digits (upper-cased). Returns the normalised name.
std::optional<std::string> ParseDevid(std::string_view text);
// The devid of a normalised name.
stmfDevid MakeDevid(std::string_view name);
std::string DevidName(const stmfDevid& devid);

// stmfadm's -p property names (case-insensitive) -> STMF_LU_PROP_*.
std::optional<uint32_t> LuPropId(std::string_view name);

}  // namespace openstmf::cli

#endif  // OPENSTMF_CLI_COMMON_VALUES_H
