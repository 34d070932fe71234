/*
 * ucred.h - credentials of a door client (Solaris ucred(3C) subset).
 *
 * A ucred_t is filled in by door_ucred(3DOOR) inside a door server procedure and
 * describes the process that made the door_call(). It is opaque: read it with the
 * accessors below and release it with ucred_free().
 *
 * Valid C and C++. Thread-safe: a ucred_t is immutable once filled in.
 */
#ifndef OPENSTMF_UCRED_H
#define OPENSTMF_UCRED_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ucred_s ucred_t;

/* Each returns the value, or (uid_t)-1 / (gid_t)-1 / -1 with errno EINVAL when the
 * argument is NULL or the value is unknown. */
uid_t ucred_geteuid(const ucred_t* uc);
uid_t ucred_getruid(const ucred_t* uc);
uid_t ucred_getsuid(const ucred_t* uc);
gid_t ucred_getegid(const ucred_t* uc);
gid_t ucred_getrgid(const ucred_t* uc);
gid_t ucred_getsgid(const ucred_t* uc);
pid_t ucred_getpid(const ucred_t* uc);

/* Supplementary groups: stores a pointer to the array (owned by uc) in *groups and
 * returns how many there are, or -1 with errno EINVAL. */
int ucred_getgroups(const ucred_t* uc, const gid_t** groups);

/* Size in bytes of a ucred_t, for callers that preallocate. */
size_t ucred_size(void);

/* Releases a ucred_t allocated by door_ucred(). NULL is ignored. */
void ucred_free(ucred_t* uc);

#ifdef __cplusplus
}
#endif

#endif /* OPENSTMF_UCRED_H */
