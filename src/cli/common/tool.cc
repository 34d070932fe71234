#include "cli/common/tool.h"

#include <libstmf.h>

#include <cstdlib>

namespace openstmf::cli {
namespace {

void PrintUsage(const Context& ctx, std::ostream& os, std::span<const Subcommand> commands) {
  os << "Usage: " << ctx.prog() << " [-R run-dir] subcommand [options] [operands]\n"
     << "       " << ctx.prog() << " subcommand -?   (usage of one subcommand)\n"
     << "Subcommands:\n";
  for (const Subcommand& c : commands) os << "  " << c.name << " " << c.usage << "\n";
}

void PrintSubUsage(const Context& ctx, std::ostream& os, const Subcommand& c) {
  os << "Usage: " << ctx.prog() << " " << c.name << " " << c.usage << "\n";
  if (!c.options.empty()) {
    os << "Options:\n";
    for (const OptionSpec& o : c.options) {
      os << "  -" << o.short_name << ", --" << o.long_name;
      if (o.arg_name != nullptr) os << " <" << o.arg_name << ">";
      os << "\n";
    }
  }
  if (c.help != nullptr) os << c.help;
}

bool IsHelp(const std::string& a) { return a == "-?" || a == "--help"; }

}  // namespace

int Context::Error(std::string_view message) const {
  err_ << prog_ << ": " << message << "\n";
  return 1;
}

int Context::StmfError(int status, std::string_view object) const {
  std::string detail = stmfGetErrorDetail();
  if (!detail.empty()) return Error(detail);
  std::string words = stmfStatusText(status);
  if (object.empty()) return Error(words);
  return Error(std::string(object) + ": " + words);
}

bool WantsJson(const ParsedArgs& args) { return args.Last('o').value_or("") == "json"; }

int RunTool(const Context& ctx, std::span<const Subcommand> commands,
            std::span<const std::string> args) {
  size_t i = 0;
  while (i < args.size() && !args[i].empty() && args[i][0] == '-') {
    const std::string& a = args[i];
    if (IsHelp(a)) {
      PrintUsage(ctx, ctx.out(), commands);
      return 0;
    }
    if (a == "-R" || a == "--run-dir") {
      if (i + 1 >= args.size()) return ctx.Error("option " + a + " requires an argument");
      setenv("OPENSTMF_RUN_DIR", args[i + 1].c_str(), 1);
      i += 2;
      continue;
    }
    if (a.rfind("--run-dir=", 0) == 0) {
      setenv("OPENSTMF_RUN_DIR", a.substr(10).c_str(), 1);
      ++i;
      continue;
    }
    return ctx.Error("unknown option " + a + " (see " + ctx.prog() + " -?)");
  }
  if (i >= args.size()) {
    return ctx.Error("no subcommand given (see " + ctx.prog() + " -?)");
  }
  const std::string& name = args[i];
  const Subcommand* cmd = nullptr;
  for (const Subcommand& c : commands) {
    if (name == c.name) cmd = &c;
  }
  if (cmd == nullptr) {
    return ctx.Error("unknown subcommand \"" + name + "\" (see " + ctx.prog() + " -?)");
  }
  std::span<const std::string> rest = args.subspan(i + 1);
  for (const std::string& a : rest) {
    if (a == "--") break;
    if (IsHelp(a)) {
      PrintSubUsage(ctx, ctx.out(), *cmd);
      return 0;
    }
  }
  auto parsed = ParseArgs(rest, cmd->options);
  if (!parsed.ok()) {
    return ctx.Error(name + ": " + parsed.status().message() + " (usage: " + ctx.prog() + " " +
                     name + " " + cmd->usage + ")");
  }
  size_t n = parsed->operands.size();
  if (n < cmd->min_operands) {
    return ctx.Error(name + ": missing operand (usage: " + ctx.prog() + " " + name + " " +
                     cmd->usage + ")");
  }
  if (n > cmd->max_operands) {
    return ctx.Error(name + ": too many operands (usage: " + ctx.prog() + " " + name + " " +
                     cmd->usage + ")");
  }
  if (auto format = parsed->Last('o'); format && *format != "json") {
    return ctx.Error(name + ": unknown output format \"" + *format + "\" (only json)");
  }
  return cmd->run(*parsed, ctx) == 0 ? 0 : 1;
}

}  // namespace openstmf::cli
