// Command-line parsing for the admin tools: "tool [global options] subcommand
// [options] operands", with short (-g name, -gname, -kv) and long options
// (--group-name name, --group-name=name), "--" ending the options, as COMSTAR's
// cmdparse accepts them.
//
// Thread-safety: pure functions.
#ifndef OPENSTMF_CLI_COMMON_ARGS_H
#define OPENSTMF_CLI_COMMON_ARGS_H

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace openstmf::cli {

struct OptionSpec {
  char short_name;
  const char* long_name;
  const char* arg_name;  // nullptr: the option takes no argument
};

struct ParsedArgs {
  std::vector<std::pair<char, std::string>> options;  // in command-line order
  std::vector<std::string> operands;

  bool Has(char name) const;
  // The last value given for `name`.
  std::optional<std::string> Last(char name) const;
  std::vector<std::string> All(char name) const;
};

// Parses `args` (without the tool and subcommand names) against `spec`. Errors
// (InvalidArgument) name the offending option: "unknown option -x",
// "option -g requires an argument".
Result<ParsedArgs> ParseArgs(std::span<const std::string> args, std::span<const OptionSpec> spec);

}  // namespace openstmf::cli

#endif  // OPENSTMF_CLI_COMMON_ARGS_H
