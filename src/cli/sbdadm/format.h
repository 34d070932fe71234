// sbdadm's LU table, as COMSTAR prints it:
//
//   Found 1 LU(s)
//
//   	      GUID                    DATA SIZE           SOURCE
//   --------------------------------  -------------------  ----------------
//   600144f0...                       1073741824           /var/lib/lu0
//
// Thread-safety: pure functions.
#ifndef OPENSTMF_CLI_SBDADM_FORMAT_H
#define OPENSTMF_CLI_SBDADM_FORMAT_H

#include <string>

namespace openstmf::cli {

struct SbdRow {
  std::string guid;    // 32 hex digits, printed in lower case
  std::string size;    // bytes, or "" when unknown
  std::string source;  // the data file, or "" when unknown
};

std::string SbdHeader();
std::string SbdRowText(const SbdRow& row);

}  // namespace openstmf::cli

#endif  // OPENSTMF_CLI_SBDADM_FORMAT_H
