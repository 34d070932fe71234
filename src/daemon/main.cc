// stmfd: the openstmf SCSI target daemon. Wiring only; see daemon/daemon.h.
#include <cstdio>
#include <exception>

#include "base/log.h"
#include "daemon/daemon.h"
#include "daemon/options.h"

int main(int argc, char** argv) try {
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
} catch (const std::exception& e) {
  // Only the standard library throws (out of memory); nothing is left to save.
  std::fprintf(stderr, "stmfd: %s\n", e.what());
  return 1;
} catch (...) {
  std::fputs("stmfd: unexpected exception\n", stderr);
  return 1;
}
