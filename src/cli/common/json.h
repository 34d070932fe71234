// A small JSON value for the tools' "-o json" output: objects keep the order
// their keys were added in, strings are escaped per RFC 8259 §7.
//
// Thread-safety: a value type.
#ifndef OPENSTMF_CLI_COMMON_JSON_H
#define OPENSTMF_CLI_COMMON_JSON_H

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace openstmf::cli {

class Json {
 public:
  static Json Object() { return Json(Kind::kObject); }
  static Json Array() { return Json(Kind::kArray); }
  static Json Null() { return Json(Kind::kNull); }
  static Json String(std::string_view s);
  static Json Number(uint64_t n);
  static Json Bool(bool b);

  // Object member / array element; return *this for chaining.
  Json& Add(std::string_view key, Json value);
  Json& Push(Json value);

  // Compact on one line, ending without a newline.
  std::string Dump() const;

 private:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  explicit Json(Kind k) : kind_(k) {}
  void DumpTo(std::string* out) const;

  Kind kind_;
  std::string scalar_;  // number / string / bool text
  std::vector<std::pair<std::string, Json>> members_;
  std::vector<Json> elements_;
};

// "text" with JSON escapes.
std::string JsonQuote(std::string_view text);

}  // namespace openstmf::cli

#endif  // OPENSTMF_CLI_COMMON_JSON_H
