#include "cli/common/args.h"

#include <cstring>

namespace openstmf::cli {
namespace {

const OptionSpec* FindShort(std::span<const OptionSpec> spec, char c) {
  for (const OptionSpec& o : spec) {
    if (o.short_name == c) return &o;
  }
  return nullptr;
}

const OptionSpec* FindLong(std::span<const OptionSpec> spec, std::string_view name) {
  for (const OptionSpec& o : spec) {
    if (o.long_name != nullptr && name == o.long_name) return &o;
  }
  return nullptr;
}

Status Missing(const std::string& shown) {
  return Status(Code::kInvalidArgument, "option " + shown + " requires an argument");
}

}  // namespace

bool ParsedArgs::Has(char name) const {
  for (const auto& [n, v] : options) {
    if (n == name) return true;
  }
  return false;
}

std::optional<std::string> ParsedArgs::Last(char name) const {
  std::optional<std::string> out;
  for (const auto& [n, v] : options) {
    if (n == name) out = v;
  }
  return out;
}

std::vector<std::string> ParsedArgs::All(char name) const {
  std::vector<std::string> out;
  for (const auto& [n, v] : options) {
    if (n == name) out.push_back(v);
  }
  return out;
}

Result<ParsedArgs> ParseArgs(std::span<const std::string> args, std::span<const OptionSpec> spec) {
  ParsedArgs out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      for (++i; i < args.size(); ++i) out.operands.push_back(args[i]);
      break;
    }
    if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
      std::string name = a.substr(2);
      std::optional<std::string> value;
      if (size_t eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name.resize(eq);
      }
      const OptionSpec* o = FindLong(spec, name);
      if (o == nullptr) return Status(Code::kInvalidArgument, "unknown option --" + name);
      if (o->arg_name == nullptr) {
        if (value) return Status(Code::kInvalidArgument, "option --" + name + " takes no argument");
        out.options.emplace_back(o->short_name, "");
        continue;
      }
      if (!value) {
        if (i + 1 >= args.size()) return Missing("--" + name);
        value = args[++i];
      }
      out.options.emplace_back(o->short_name, *value);
      continue;
    }
    if (a.size() > 1 && a[0] == '-') {
      for (size_t j = 1; j < a.size(); ++j) {
        const OptionSpec* o = FindShort(spec, a[j]);
        if (o == nullptr) {
          return Status(Code::kInvalidArgument, std::string("unknown option -") + a[j]);
        }
        if (o->arg_name == nullptr) {
          out.options.emplace_back(o->short_name, "");
          continue;
        }
        if (j + 1 < a.size()) {
          out.options.emplace_back(o->short_name, a.substr(j + 1));
        } else if (i + 1 < args.size()) {
          out.options.emplace_back(o->short_name, args[++i]);
        } else {
          return Missing(std::string("-") + a[j]);
        }
        break;
      }
      continue;
    }
    out.operands.push_back(a);
  }
  return out;
}

}  // namespace openstmf::cli
