// stmfd: the openstmf SCSI target daemon. Wiring only; see daemon/daemon.h.
#include <cstdio>

#include "base/log.h"
#include "base/main_guard.h"
#include "daemon/daemon.h"
#include "daemon/options.h"

namespace {

int Run(int argc, char** argv) {
  auto options = openstmf::daemon::ParseOptions(argc, argv);
  if (!options.ok()) {
    openstmf::Log(openstmf::LogLevel::kError, "stmfd", "%s", options.status().message().c_str());
    std::fputs(openstmf::daemon::Usage(), stderr);
    return 2;
  }
  if (options->help) {
    std::fputs(openstmf::daemon::Usage(), stdout);
    return 0;
  }
  return openstmf::daemon::RunDaemon(*options);
}

}  // namespace

int main(int argc, char** argv) {
  return openstmf::RunGuarded("stmfd", [&] { return Run(argc, argv); });
}
