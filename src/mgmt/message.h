// Message: what travels over stmfd's management door — a record of named values,
// the way COMSTAR's libstmf and kernel exchange nvlists.
//
// A message maps field names (1..255 bytes) to one of: an unsigned 64-bit
// number, a byte string (text or binary, e.g. a 16-byte GUID), or a list of
// nested messages. Requests carry the operation in the field "op"; replies carry
// "status" (a libstmf STMF_* code, 0 for success) and, on failure, "error" (a
// sentence naming the object). The operations and their fields are in ops.h.
//
// Wire form (all numbers big-endian):
//   message := magic "OSM1" (4) | field-count (u32) | field*
//   field   := type (u8: 1 number, 2 bytes, 3 list) | name-length (u8) | name
//              | number (u64) | length (u32) bytes | count (u32) nested*
//   nested  := field-count (u32) | field*
// Decode() accepts any bytes: lengths are checked against what is left, lists
// nest at most kMaxDepth deep, a name appears once per message, and a message has
// at most kMaxFields fields; anything else is InvalidArgument with the reason.
//
// Thread-safety: a value type.
#ifndef OPENSTMF_MGMT_MESSAGE_H
#define OPENSTMF_MGMT_MESSAGE_H

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/status.h"

namespace openstmf::mgmt {

inline constexpr size_t kMaxDepth = 4;
inline constexpr size_t kMaxFields = 65536;
inline constexpr size_t kMaxMessageBytes = size_t{16} << 20;

class Message {
 public:
  using List = std::vector<Message>;
  using Value = std::variant<uint64_t, std::string, List>;

  Message() = default;
  explicit Message(std::string_view op) { Set("op", op); }

  Message& Set(std::string_view name, uint64_t v);
  Message& Set(std::string_view name, std::string_view v);
  Message& Set(std::string_view name, const char* v) { return Set(name, std::string_view(v)); }
  Message& Set(std::string_view name, List v);
  Message& SetBool(std::string_view name, bool v) { return Set(name, uint64_t{v ? 1u : 0u}); }
  // Appends to the list `name` (created empty first if absent).
  Message& Append(std::string_view name, Message item);
  void Erase(std::string_view name);

  bool Has(std::string_view name) const;
  // Typed reads: nullopt when absent or of another type.
  std::optional<uint64_t> Number(std::string_view name) const;
  std::optional<std::string> Bytes(std::string_view name) const;
  const List* ListOf(std::string_view name) const;
  // Conveniences for optional fields.
  std::string Text(std::string_view name, std::string_view fallback = "") const;
  uint64_t NumberOr(std::string_view name, uint64_t fallback) const;
  bool Flag(std::string_view name) const { return NumberOr(name, 0) != 0; }

  const std::map<std::string, Value, std::less<>>& fields() const { return fields_; }
  bool operator==(const Message&) const = default;

 private:
  std::map<std::string, Value, std::less<>> fields_;
};

std::vector<uint8_t> Encode(const Message& m);
Result<Message> Decode(std::span<const uint8_t> bytes);

// Replies.
Message Reply(uint32_t status, std::string_view error = "");
// The status of a reply (STMF_STATUS_ERROR when the field is missing).
uint32_t ReplyStatus(const Message& reply);

}  // namespace openstmf::mgmt

#endif  // OPENSTMF_MGMT_MESSAGE_H
