// sbdadm: creates, imports, resizes, lists and deletes sbd (disk) LUs (see
// docs/sbdadm.md).
#include <iostream>
#include <string>
#include <vector>

#include "cli/sbdadm/commands.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  openstmf::cli::Context ctx("sbdadm", std::cout, std::cerr);
  return openstmf::cli::RunSbdadm(ctx, args);
}
