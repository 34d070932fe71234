// stmfadm and sbdadm refuse bad arguments with a clear sentence and exit 1
// before calling the daemon: the run directory here has no daemon, so any call
// that got through would say "stmfd is not running" instead.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "cli/sbdadm/commands.h"
#include "cli/stmfadm/commands.h"

namespace openstmf::cli {
namespace {

struct Outcome {
  int status;
  std::string out;
  std::string err;
};

Outcome RunCli(bool sbdadm, std::vector<std::string> args) {
  setenv("OPENSTMF_RUN_DIR", "/nonexistent/openstmf-cli-test", 1);
  std::ostringstream out, err;
  Context ctx(sbdadm ? "sbdadm" : "stmfadm", out, err);
  int status = sbdadm ? RunSbdadm(ctx, args) : RunStmfadm(ctx, args);
  return {status, out.str(), err.str()};
}

void ExpectRefused(bool sbdadm, std::vector<std::string> args, const std::string& words) {
  Outcome o = RunCli(sbdadm, args);
  std::string shown;
  for (const auto& a : args) shown += a + " ";
  EXPECT_EQ(o.status, 1) << shown;
  EXPECT_NE(o.err.find(words), std::string::npos) << shown << "-> " << o.err;
  EXPECT_EQ(o.err.find("not running"), std::string::npos) << shown << "reached the daemon";
}

constexpr const char* kGuid = "600144F0AABBCCDDEEFF001122334455";

TEST(StmfadmCommandsTest, UsageAndHelp) {
  Outcome o = RunCli(false, {"-?"});
  EXPECT_EQ(o.status, 0);
  EXPECT_NE(o.out.find("create-hg"), std::string::npos);
  EXPECT_NE(o.out.find("list-state"), std::string::npos);
  o = RunCli(false, {"create-lu", "--help"});
  EXPECT_EQ(o.status, 0);
  EXPECT_NE(o.out.find("Usage: stmfadm create-lu"), std::string::npos);
  EXPECT_NE(o.out.find("wcd"), std::string::npos);
  EXPECT_EQ(StmfadmCommands().size(), 24u);
}

TEST(StmfadmCommandsTest, InvalidArgumentsNeverReachTheDaemon) {
  ExpectRefused(false, {}, "no subcommand");
  ExpectRefused(false, {"frobnicate"}, "unknown subcommand \"frobnicate\"");
  ExpectRefused(false, {"list-lu", "-x"}, "unknown option -x");
  ExpectRefused(false, {"create-hg"}, "missing operand");
  ExpectRefused(false, {"create-hg", "a", "b"}, "too many operands");
  ExpectRefused(false, {"create-hg", std::string(256, 'g')}, "1 to 255 characters");
  ExpectRefused(false, {"add-hg-member", "iqn.a"}, "-g group-name");
  ExpectRefused(false, {"add-hg-member", "-g", "hg1", "iqn.ok", "bogus"},
                "bogus: unrecognized device id");
  ExpectRefused(false, {"add-view", "1234"}, "1234: must be 32 hexadecimal digits");
  ExpectRefused(false, {"add-view", "-n", "16384", kGuid}, "less than 16384");
  ExpectRefused(false, {"add-view", "-n", "x", kGuid}, "less than 16384");
  ExpectRefused(false, {"remove-view", "1"}, "logical unit (-l) not specified");
  ExpectRefused(false, {"remove-view", "-l", kGuid}, "no view entries specified");
  ExpectRefused(false, {"remove-view", "-l", kGuid, "one"}, "invalid view entry number");
  ExpectRefused(false, {"list-view"}, "logical unit (-l) not specified");
  ExpectRefused(false, {"create-lu", "-s", "10q", "/tmp/x"}, "10q: invalid size");
  ExpectRefused(false, {"create-lu", "-p", "colour=red", "/tmp/x"}, "invalid property specified");
  ExpectRefused(false, {"create-lu", "-p", "wp", "/tmp/x"}, "prop=val");
  ExpectRefused(false, {"create-lu", "-p", "wp=perhaps", "/tmp/x"}, "unable to set wp");
  ExpectRefused(false, {"create-lu", "-p", "vid=FAR_TOO_LONG", "/tmp/x"}, "unable to set vid");
  ExpectRefused(false, {"modify-lu", "-p", "guid=" + std::string(kGuid), kGuid},
                "invalid property for modify");
  ExpectRefused(false, {"modify-lu", kGuid}, "nothing to modify");
  ExpectRefused(false, {"modify-lu", "-s", "1g", "nothex"}, "must be 32 hexadecimal digits");
  ExpectRefused(false, {"delete-lu", kGuid, "123"}, "123: must be 32 hexadecimal digits");
  ExpectRefused(false, {"online-lu", "zz"}, "must be 32 hexadecimal digits");
  ExpectRefused(false, {"online-target", "target1"}, "unrecognized device id");
  ExpectRefused(false, {"list-lu", "-o", "yaml"}, "unknown output format");
  ExpectRefused(false, {"list-state", "extra"}, "too many operands");
}

TEST(StmfadmCommandsTest, NoDaemonIsReportedPlainly) {
  Outcome o = RunCli(false, {"list-hg"});
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.err.rfind("stmfadm: stmfd is not running (", 0), 0u) << o.err;
}

TEST(SbdadmCommandsTest, InvalidArgumentsNeverReachTheDaemon) {
  ExpectRefused(true, {"create-lu"}, "missing operand");
  ExpectRefused(true, {"create-lu", "-s", "big", "/tmp/x"}, "big: invalid size");
  ExpectRefused(true, {"delete-lu", "xyz"}, "must be 32 hexadecimal digits");
  ExpectRefused(true, {"modify-lu", kGuid}, "-s size");
  ExpectRefused(true, {"modify-lu", "-s", "1g", "relative/file"}, "absolute file name");
  ExpectRefused(true, {"list-lu", "extra"}, "too many operands");
  Outcome o = RunCli(true, {"--help"});
  EXPECT_EQ(o.status, 0);
  EXPECT_NE(o.out.find("modify-lu -s size GUID|lu-file"), std::string::npos);
}

}  // namespace
}  // namespace openstmf::cli
