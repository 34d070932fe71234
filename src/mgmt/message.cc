#include "mgmt/message.h"

#include "base/byte_order.h"
#include "mgmt/status_codes.h"

namespace openstmf::mgmt {
namespace {

constexpr uint8_t kMagic[4] = {'O', 'S', 'M', '1'};
enum : uint8_t { kTypeNumber = 1, kTypeBytes = 2, kTypeList = 3 };

void PutU32(std::vector<uint8_t>& out, uint32_t v) {
  uint8_t b[4];
  PutBe32(b, v);
  out.insert(out.end(), b, b + 4);
}

void EncodeFields(const Message& m, std::vector<uint8_t>& out) {
  PutU32(out, static_cast<uint32_t>(m.fields().size()));
  for (const auto& [name, value] : m.fields()) {
    const uint8_t type = value.index() == 0   ? kTypeNumber
                         : value.index() == 1 ? kTypeBytes
                                              : kTypeList;
    out.push_back(type);
    out.push_back(static_cast<uint8_t>(name.size()));
    out.insert(out.end(), name.begin(), name.end());
    if (const auto* n = std::get_if<uint64_t>(&value)) {
      uint8_t b[8];
      PutBe64(b, *n);
      out.insert(out.end(), b, b + 8);
    } else if (const auto* s = std::get_if<std::string>(&value)) {
      PutU32(out, static_cast<uint32_t>(s->size()));
      out.insert(out.end(), s->begin(), s->end());
    } else {
      const auto& list = std::get<Message::List>(value);
      PutU32(out, static_cast<uint32_t>(list.size()));
      for (const Message& item : list) EncodeFields(item, out);
    }
  }
}

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> b) : b_(b) {}

  Status Need(size_t n, const char* what) const {
    if (b_.size() - pos_ < n) {
      return Status(Code::kInvalidArgument, std::string("management message truncated in ") + what);
    }
    return Status::Ok();
  }
  Result<uint32_t> U32(const char* what) {
    RETURN_IF_ERROR(Need(4, what));
    uint32_t v = GetBe32(b_.data() + pos_);
    pos_ += 4;
    return v;
  }
  Result<std::string> Take(size_t n, const char* what) {
    RETURN_IF_ERROR(Need(n, what));
    std::string s(reinterpret_cast<const char*>(b_.data() + pos_), n);
    pos_ += n;
    return s;
  }
  Result<uint8_t> U8(const char* what) {
    RETURN_IF_ERROR(Need(1, what));
    return b_[pos_++];
  }
  Result<uint64_t> U64(const char* what) {
    RETURN_IF_ERROR(Need(8, what));
    uint64_t v = GetBe64(b_.data() + pos_);
    pos_ += 8;
    return v;
  }
  bool done() const { return pos_ == b_.size(); }
  // Each field takes at least 2 bytes and each list item 4, so counts beyond
  // what is left are lies; reject them before reserving anything.
  size_t left() const { return b_.size() - pos_; }

 private:
  std::span<const uint8_t> b_;
  size_t pos_ = 0;
};

Status Bad(const std::string& why) {
  return Status(Code::kInvalidArgument, "malformed management message: " + why);
}

Status DecodeFields(Reader& r, size_t depth, size_t& budget, Message& out) {
  ASSIGN_OR_RETURN(uint32_t count, r.U32("field count"));
  if (count > r.left() / 2) return Bad("field count larger than the message");
  for (uint32_t i = 0; i < count; ++i) {
    if (budget == 0) return Bad("more than 65536 fields");
    --budget;
    ASSIGN_OR_RETURN(uint8_t type, r.U8("field type"));
    ASSIGN_OR_RETURN(uint8_t name_len, r.U8("field name length"));
    if (name_len == 0) return Bad("empty field name");
    ASSIGN_OR_RETURN(std::string name, r.Take(name_len, "field name"));
    if (out.Has(name)) return Bad("field \"" + name + "\" appears twice");
    switch (type) {
      case kTypeNumber: {
        ASSIGN_OR_RETURN(uint64_t v, r.U64("number"));
        out.Set(name, v);
        break;
      }
      case kTypeBytes: {
        ASSIGN_OR_RETURN(uint32_t len, r.U32("byte string length"));
        ASSIGN_OR_RETURN(std::string v, r.Take(len, "byte string"));
        out.Set(name, std::string_view(v));
        break;
      }
      case kTypeList: {
        if (depth + 1 >= kMaxDepth) return Bad("lists nested too deep");
        ASSIGN_OR_RETURN(uint32_t items, r.U32("list length"));
        if (items > r.left() / 4) return Bad("list longer than the message");
        Message::List list;
        list.reserve(items);
        for (uint32_t j = 0; j < items; ++j) {
          Message item;
          RETURN_IF_ERROR(DecodeFields(r, depth + 1, budget, item));
          list.push_back(std::move(item));
        }
        out.Set(name, std::move(list));
        break;
      }
      default:
        return Bad("unknown field type " + std::to_string(type));
    }
  }
  return Status::Ok();
}

}  // namespace

Message& Message::Set(std::string_view name, uint64_t v) {
  fields_.insert_or_assign(std::string(name), Value(v));
  return *this;
}

Message& Message::Set(std::string_view name, std::string_view v) {
  fields_.insert_or_assign(std::string(name), Value(std::string(v)));
  return *this;
}

Message& Message::Set(std::string_view name, List v) {
  fields_.insert_or_assign(std::string(name), Value(std::move(v)));
  return *this;
}

Message& Message::Append(std::string_view name, Message item) {
  auto it = fields_.find(name);
  if (it == fields_.end() || !std::holds_alternative<List>(it->second)) {
    it = fields_.insert_or_assign(std::string(name), Value(List{})).first;
  }
  std::get<List>(it->second).push_back(std::move(item));
  return *this;
}

void Message::Erase(std::string_view name) {
  auto it = fields_.find(name);
  if (it != fields_.end()) fields_.erase(it);
}

bool Message::Has(std::string_view name) const { return fields_.find(name) != fields_.end(); }

std::optional<uint64_t> Message::Number(std::string_view name) const {
  auto it = fields_.find(name);
  if (it == fields_.end()) return std::nullopt;
  if (const auto* v = std::get_if<uint64_t>(&it->second)) return *v;
  return std::nullopt;
}

std::optional<std::string> Message::Bytes(std::string_view name) const {
  auto it = fields_.find(name);
  if (it == fields_.end()) return std::nullopt;
  if (const auto* v = std::get_if<std::string>(&it->second)) return *v;
  return std::nullopt;
}

const Message::List* Message::ListOf(std::string_view name) const {
  auto it = fields_.find(name);
  if (it == fields_.end()) return nullptr;
  return std::get_if<List>(&it->second);
}

std::string Message::Text(std::string_view name, std::string_view fallback) const {
  auto v = Bytes(name);
  return v ? *v : std::string(fallback);
}

uint64_t Message::NumberOr(std::string_view name, uint64_t fallback) const {
  auto v = Number(name);
  return v ? *v : fallback;
}

std::vector<uint8_t> Encode(const Message& m) {
  std::vector<uint8_t> out(kMagic, kMagic + 4);
  EncodeFields(m, out);
  return out;
}

Result<Message> Decode(std::span<const uint8_t> bytes) {
  if (bytes.size() > kMaxMessageBytes) return Bad("larger than 16 MiB");
  if (bytes.size() < 4 || !std::equal(kMagic, kMagic + 4, bytes.begin())) {
    return Bad("no OSM1 magic");
  }
  Reader r(bytes.subspan(4));
  Message m;
  size_t budget = kMaxFields;
  RETURN_IF_ERROR(DecodeFields(r, 0, budget, m));
  if (!r.done()) return Bad("trailing bytes after the last field");
  return m;
}

Message Reply(uint32_t status, std::string_view error) {
  Message m;
  m.Set("status", uint64_t{status});
  if (!error.empty()) m.Set("error", error);
  return m;
}

uint32_t ReplyStatus(const Message& reply) {
  auto s = reply.Number("status");
  if (!s || *s > UINT32_MAX) return kStmfStatusError;
  return static_cast<uint32_t>(*s);
}

}  // namespace openstmf::mgmt
