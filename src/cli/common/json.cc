#include "cli/common/json.h"

#include <cstdio>

namespace openstmf::cli {

std::string JsonQuote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20) {
          char buf[8];
          snprintf(buf, sizeof(buf), "\\u%04x", u);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

Json Json::String(std::string_view s) {
  Json j(Kind::kString);
  j.scalar_ = JsonQuote(s);
  return j;
}

Json Json::Number(uint64_t n) {
  Json j(Kind::kNumber);
  j.scalar_ = std::to_string(n);
  return j;
}

Json Json::Bool(bool b) {
  Json j(Kind::kBool);
  j.scalar_ = b ? "true" : "false";
  return j;
}

Json& Json::Add(std::string_view key, Json value) {
  members_.emplace_back(std::string(key), std::move(value));
  return *this;
}

Json& Json::Push(Json value) {
  elements_.push_back(std::move(value));
  return *this;
}

std::string Json::Dump() const {
  std::string out;
  DumpTo(&out);
  return out;
}

void Json::DumpTo(std::string* out) const {
  switch (kind_) {
    case Kind::kNull:
      *out += "null";
      return;
    case Kind::kBool:
    case Kind::kNumber:
    case Kind::kString:
      *out += scalar_;
      return;
    case Kind::kArray:
      *out += '[';
      for (size_t i = 0; i < elements_.size(); ++i) {
        if (i > 0) *out += ',';
        elements_[i].DumpTo(out);
      }
      *out += ']';
      return;
    case Kind::kObject:
      *out += '{';
      for (size_t i = 0; i < members_.size(); ++i) {
        if (i > 0) *out += ',';
        *out += JsonQuote(members_[i].first);
        *out += ':';
        members_[i].second.DumpTo(out);
      }
      *out += '}';
      return;
  }
}

}  // namespace openstmf::cli
