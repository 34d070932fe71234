// The disk LU properties of <libstmf.h> (STMF_LU_PROP_*): their names in the
// management messages (ops.h), and the checks COMSTAR's stmfSetLuProp makes
// before anything reaches the daemon.
//
// CheckProp() validates a value and gives its normalised text: sizes and block
// sizes as decimal bytes (k, m, g, t, p, e suffixes accepted, powers of 1024),
// booleans as "true"/"false", GUIDs, OUIs and host ids as upper-case hex, file
// names as absolute paths. Errors: STMF_ERROR_INVALID_PROP (unknown or read-only
// property), STMF_ERROR_INVALID_PROPSIZE (too long), STMF_ERROR_INVALID_ARG (bad
// format), with the detail recorded for stmfGetErrorDetail().
//
// Thread-safety: pure functions.
#ifndef OPENSTMF_LIB_STMF_LU_PROPS_H
#define OPENSTMF_LIB_STMF_LU_PROPS_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace openstmf::libstmf {

// The message field name of a property id; nullptr for ids that have none.
const char* PropName(uint32_t prop);
// Whether stmfModifyLu may change the property.
bool PropModifiable(uint32_t prop);

// "10g" -> 10737418240. nullopt for anything else (empty, junk, overflow).
std::optional<uint64_t> ParseNiceNumber(std::string_view text);

// Validates `value` for `prop`; on success returns STMF_STATUS_SUCCESS and the
// normalised text in *out.
int CheckProp(uint32_t prop, std::string_view value, std::string* out);

}  // namespace openstmf::libstmf

#endif  // OPENSTMF_LIB_STMF_LU_PROPS_H
