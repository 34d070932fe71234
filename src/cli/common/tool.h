// The frame every admin tool runs in: global options, subcommand lookup, usage
// text, option and operand checks, and how errors are printed.
//
//   tool [-R run-dir] subcommand [options] [operands]
//   tool -? | --help            lists the subcommands
//   tool subcommand -? | --help shows one subcommand's usage
//
// -R (--run-dir) points libstmf at the stmfd whose run directory that is (it sets
// $OPENSTMF_RUN_DIR for this process). Exit status: 0 on success, 1 on any error.
// Errors go to stderr as "tool: sentence".
//
// Thread-safety: RunTool runs once per process (it may set an environment variable).
#ifndef OPENSTMF_CLI_COMMON_TOOL_H
#define OPENSTMF_CLI_COMMON_TOOL_H

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/common/args.h"

namespace openstmf::cli {

class Context {
 public:
  Context(std::string prog, std::ostream& out, std::ostream& err)
      : prog_(std::move(prog)), out_(out), err_(err) {}

  std::ostream& out() const { return out_; }
  const std::string& prog() const { return prog_; }

  // Prints "prog: message" to stderr; returns 1 (the exit status).
  int Error(std::string_view message) const;
  // Reports a failed libstmf call: the daemon's own sentence when there is one
  // (stmfGetErrorDetail), else "object: <status words>". Returns 1.
  int StmfError(int status, std::string_view object = "") const;

 private:
  std::string prog_;
  std::ostream& out_;
  std::ostream& err_;
};

inline constexpr size_t kAnyCount = SIZE_MAX;

struct Subcommand {
  const char* name;
  std::vector<OptionSpec> options;
  size_t min_operands;
  size_t max_operands;  // kAnyCount: no limit
  const char* usage;    // options and operands, e.g. "[-v] [LU-name ...]"
  const char* help;     // more lines after the usage, or nullptr
  int (*run)(const ParsedArgs& args, const Context& ctx);
};

// The -o option of list subcommands.
inline constexpr OptionSpec kOutputOption{'o', "output", "json"};
// True when -o json was given. Any other -o value is rejected by RunTool.
bool WantsJson(const ParsedArgs& args);

// Runs the tool on args (argv without argv[0]). Returns the exit status.
int RunTool(const Context& ctx, std::span<const Subcommand> commands,
            std::span<const std::string> args);

}  // namespace openstmf::cli

#endif  // OPENSTMF_CLI_COMMON_TOOL_H
