// stmfadm: manages COMSTAR logical units, groups, views and targets (see
// docs/stmfadm.md).
#include <iostream>
#include <string>
#include <vector>

#include "cli/stmfadm/commands.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  openstmf::cli::Context ctx("stmfadm", std::cout, std::cerr);
  return openstmf::cli::RunStmfadm(ctx, args);
}
