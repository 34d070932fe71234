#include "cli/sbdadm/format.h"

#include <cctype>
#include <cstdio>

namespace openstmf::cli {

std::string SbdHeader() {
  return "\n\t      GUID                    DATA SIZE           SOURCE\n"
         "--------------------------------  -------------------  ----------------\n";
}

std::string SbdRowText(const SbdRow& row) {
  std::string guid = row.guid;
  for (char& ch : guid) ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
  char size[64];
  snprintf(size, sizeof(size), "  %-19s  ", row.size.empty() ? "not set" : row.size.c_str());
  return guid + size + (row.source.empty() ? "not set" : row.source) + "\n";
}

}  // namespace openstmf::cli
