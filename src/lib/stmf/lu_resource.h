// luResource: a set of disk LU properties held in the caller's process, as
// COMSTAR keeps them. stmfCreateLuResource makes an empty one for stmfCreateLu;
// stmfGetLuResource fills one from the daemon's answer about an existing LU.
//
// Thread-safety: a handle belongs to one thread at a time.
#ifndef OPENSTMF_LIB_STMF_LU_RESOURCE_H
#define OPENSTMF_LIB_STMF_LU_RESOURCE_H

#include <cstdint>
#include <map>
#include <string>

#include "mgmt/message.h"

namespace openstmf::libstmf {

struct LuResource {
  uint16_t type = 0;                      // STMF_DISK
  std::map<uint32_t, std::string> props;  // STMF_LU_PROP_* -> normalised text
};

// The resource behind a handle (nullptr for a NULL handle).
inline LuResource* FromHandle(void* hdl) { return static_cast<LuResource*>(hdl); }

// Takes every property of a get-lu reply that has a STMF_LU_PROP_* id.
void FillFromReply(const mgmt::Message& reply, LuResource* res);

}  // namespace openstmf::libstmf

#endif  // OPENSTMF_LIB_STMF_LU_RESOURCE_H
