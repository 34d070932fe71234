// aluaadm: ALUA on this node of an ALUA pair (see docs/aluaadm.md).
#include <iostream>
#include <string>
#include <vector>

#include "cli/aluaadm/commands.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  openstmf::cli::Context ctx("aluaadm", std::cout, std::cerr);
  return openstmf::cli::RunAluaadm(ctx, args);
}
