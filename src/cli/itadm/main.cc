// itadm: administers stmfd's iSCSI targets, portal groups, initiators and
// defaults (see docs/itadm.md).
#include <iostream>
#include <string>
#include <vector>

#include "cli/itadm/itadm.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  openstmf::cli::Context ctx("itadm", std::cout, std::cerr);
  return openstmf::cli::RunItadm(ctx, args);
}
