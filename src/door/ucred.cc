// ucred(3C) accessors for the credentials door_ucred() returns.
#include <cerrno>
#include <cstdlib>

#include "door/ucred_impl.h"

#define DOOR_API extern "C" __attribute__((visibility("default")))

namespace openstmf::door {

void FillUcred(const Creds& c, ucred_t* uc) {
  uc->magic = kUcredMagic;
  uc->pid = c.pid;
  uc->euid = c.euid;
  uc->ruid = c.ruid;
  uc->egid = c.egid;
  uc->rgid = c.rgid;
  uc->suid = c.suid;
  uc->sgid = c.sgid;
  int n = 0;
  for (gid_t g : c.groups) {
    if (n == kMaxGroups) break;
    uc->groups[n++] = g;
  }
  uc->ngroups = n;
}

}  // namespace openstmf::door

namespace {

using openstmf::door::kUcredMagic;

bool Valid(const ucred_t* uc) {
  if (uc == nullptr || uc->magic != kUcredMagic) {
    errno = EINVAL;
    return false;
  }
  return true;
}

}  // namespace

DOOR_API uid_t ucred_geteuid(const ucred_t* uc) {
  return Valid(uc) ? uc->euid : static_cast<uid_t>(-1);
}

DOOR_API uid_t ucred_getruid(const ucred_t* uc) {
  return Valid(uc) ? uc->ruid : static_cast<uid_t>(-1);
}

// The saved ids come from /proc; when it could not be read they are unknown.
DOOR_API uid_t ucred_getsuid(const ucred_t* uc) {
  if (!Valid(uc)) return static_cast<uid_t>(-1);
  if (uc->suid == static_cast<uid_t>(-1)) errno = EINVAL;
  return uc->suid;
}

DOOR_API gid_t ucred_getegid(const ucred_t* uc) {
  return Valid(uc) ? uc->egid : static_cast<gid_t>(-1);
}

DOOR_API gid_t ucred_getrgid(const ucred_t* uc) {
  return Valid(uc) ? uc->rgid : static_cast<gid_t>(-1);
}

DOOR_API gid_t ucred_getsgid(const ucred_t* uc) {
  if (!Valid(uc)) return static_cast<gid_t>(-1);
  if (uc->sgid == static_cast<gid_t>(-1)) errno = EINVAL;
  return uc->sgid;
}

DOOR_API pid_t ucred_getpid(const ucred_t* uc) { return Valid(uc) ? uc->pid : -1; }

DOOR_API int ucred_getgroups(const ucred_t* uc, const gid_t** groups) {
  if (!Valid(uc) || groups == nullptr) {
    errno = EINVAL;
    return -1;
  }
  *groups = uc->groups;
  return uc->ngroups;
}

DOOR_API size_t ucred_size(void) { return sizeof(ucred_t); }

DOOR_API void ucred_free(ucred_t* uc) { std::free(uc); }
