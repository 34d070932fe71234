// The layout behind the opaque ucred_t of <ucred.h>.
//
// Fixed size, so door_ucred() can refill a ucred_t the caller allocated earlier
// (door_ucred(3C) reuses *uc when it is not NULL). Up to kMaxGroups supplementary
// groups are kept (Solaris's largest NGROUPS_MAX); more are cut off.
#ifndef OPENSTMF_DOOR_UCRED_IMPL_H
#define OPENSTMF_DOOR_UCRED_IMPL_H

#include <sys/types.h>

#include <cstdint>

#include "door/endpoint.h"
#include "ucred.h"

struct ucred_s {
  uint32_t magic;
  pid_t pid;
  uid_t euid, ruid;
  gid_t egid, rgid;
  uid_t suid;  // (uid_t)-1 when unknown
  gid_t sgid;
  int ngroups;
  gid_t groups[1024];
};

namespace openstmf::door {

inline constexpr uint32_t kUcredMagic = 0x75637264;  // "ucrd"
inline constexpr int kMaxGroups = 1024;

void FillUcred(const Creds& c, ucred_t* uc);

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_UCRED_IMPL_H
