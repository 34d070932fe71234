// stmfadm's subcommand table: COMSTAR's subcommands, options and operands.
#include <array>

#include "cli/stmfadm/commands.h"

namespace openstmf::cli {
namespace {

constexpr const char* kCreateHelp =
    "Valid properties for -p, --lu-prop are:\n"
    "     alias    - alias for logical unit (up to 255 chars)\n"
    "     blk      - block size in bytes in 2^n\n"
    "     guid     - 32 ascii hex characters in NAA format\n"
    "     host-id  - host identifier to be used for GUID generation\n"
    "                8 ascii hex characters\n"
    "     meta     - separate meta data file name\n"
    "     mgmt-url - Management URL address\n"
    "     oui      - organizational unique identifier\n"
    "                6 ascii hex characters of valid format\n"
    "     pid      - product identifier (up to 16 chars)\n"
    "     serial   - serial number (up to 252 chars)\n"
    "     vid      - vendor identifier (up to 8 chars)\n"
    "     wcd      - write cache disabled (true, false)\n"
    "     wp       - write protect (true, false)\n"
    "Sizes take a k, m, g, t, p or e suffix (powers of 1024).\n";

constexpr const char* kModifyHelp =
    "Valid properties for -p, --lu-prop are:\n"
    "     alias    - alias for logical unit (up to 255 chars)\n"
    "     mgmt-url - Management URL address\n"
    "     wcd      - write cache disabled (true, false)\n"
    "     wp       - write protect (true, false)\n"
    "-f makes the operand a file name rather than an LU name.\n";

const OptionSpec kGroupName{'g', "group-name", "group-name"};
const OptionSpec kVerbose{'v', "verbose", nullptr};
const OptionSpec kLuName{'l', "lu-name", "LU-name"};
const OptionSpec kLuProp{'p', "lu-prop", "prop=value"};
const OptionSpec kSize{'s', "size", "size"};

const std::array<Subcommand, 24>& Table() {
  static const std::array<Subcommand, 24> kTable{{
      {"add-hg-member",
       {kGroupName},
       1,
       kAnyCount,
       "-g group-name member ...",
       nullptr,
       AddHgMember},
      {"add-tg-member",
       {kGroupName},
       1,
       kAnyCount,
       "-g group-name member ...",
       nullptr,
       AddTgMember},
      {"add-view",
       {{'n', "lun", "logical-unit-number"},
        {'t', "target-group", "group-name"},
        {'h', "host-group", "group-name"}},
       1,
       1,
       "[-n lun] [-t target-group] [-h host-group] LU-name",
       nullptr,
       AddView},
      {"create-hg", {}, 1, 1, "group-name", nullptr, CreateHg},
      {"create-lu",
       {kLuProp, kSize},
       1,
       1,
       "[-p prop=value] ... [-s size] lu-file",
       kCreateHelp,
       CreateLu},
      {"create-tg", {}, 1, 1, "group-name", nullptr, CreateTg},
      {"delete-hg", {}, 1, 1, "group-name", nullptr, DeleteHg},
      {"delete-lu",
       {{'k', "keep-views", nullptr}},
       1,
       kAnyCount,
       "[-k] LU-name ...",
       nullptr,
       DeleteLu},
      {"delete-tg", {}, 1, 1, "group-name", nullptr, DeleteTg},
      {"import-lu", {}, 1, 1, "lu-file", nullptr, ImportLu},
      {"list-hg",
       {kVerbose, kOutputOption},
       0,
       kAnyCount,
       "[-v] [-o json] [group-name ...]",
       nullptr,
       ListHg},
      {"list-lu",
       {kVerbose, kOutputOption},
       0,
       kAnyCount,
       "[-v] [-o json] [LU-name ...]",
       nullptr,
       ListLu},
      {"list-state", {kOutputOption}, 0, 0, "[-o json]", nullptr, ListState},
      {"list-target",
       {kVerbose, kOutputOption},
       0,
       kAnyCount,
       "[-v] [-o json] [target ...]",
       nullptr,
       ListTarget},
      {"list-tg",
       {kVerbose, kOutputOption},
       0,
       kAnyCount,
       "[-v] [-o json] [group-name ...]",
       nullptr,
       ListTg},
      {"list-view",
       {kLuName, kOutputOption},
       0,
       kAnyCount,
       "-l LU-name [-o json] [entry ...]",
       nullptr,
       ListView},
      {"modify-lu",
       {kLuProp, kSize, {'f', "file", nullptr}},
       1,
       1,
       "[-p prop=value] ... [-s size] [-f] LU-name|lu-file",
       kModifyHelp,
       ModifyLu},
      {"offline-lu", {}, 1, 1, "LU-name", nullptr, OfflineLu},
      {"offline-target", {}, 1, 1, "target", nullptr, OfflineTarget},
      {"online-lu", {}, 1, 1, "LU-name", nullptr, OnlineLu},
      {"online-target", {}, 1, 1, "target", nullptr, OnlineTarget},
      {"remove-hg-member",
       {kGroupName},
       1,
       kAnyCount,
       "-g group-name member ...",
       nullptr,
       RemoveHgMember},
      {"remove-tg-member",
       {kGroupName},
       1,
       kAnyCount,
       "-g group-name member ...",
       nullptr,
       RemoveTgMember},
      {"remove-view",
       {kLuName, {'a', "all", nullptr}},
       0,
       kAnyCount,
       "-l LU-name (-a | entry ...)",
       nullptr,
       RemoveView},
  }};
  return kTable;
}

}  // namespace

std::span<const Subcommand> StmfadmCommands() { return Table(); }

int RunStmfadm(const Context& ctx, std::span<const std::string> args) {
  return RunTool(ctx, StmfadmCommands(), args);
}

}  // namespace openstmf::cli
