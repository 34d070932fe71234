/*
 * libnvpair.h - the part of Solaris' name-value pair lists (libnvpair) that the
 * COMSTAR interfaces use, so provider data (stmfGetProviderData and friends in
 * <libstmf.h>) keeps its Solaris types. Provided by libstmf (-lstmf).
 *
 * An nvlist_t holds named string and uint64 values. Names are unique within a list
 * whatever the flags (adding a name again replaces its value, as NV_UNIQUE_NAME
 * does on Solaris). nvlist_pack/nvlist_unpack turn a list into bytes and back;
 * NV_ENCODE_NATIVE and NV_ENCODE_XDR are both accepted and give the same
 * openstmf format, which is not Solaris' byte layout.
 *
 * Functions return 0 or an errno value: EINVAL (bad argument or bytes), ENOMEM,
 * ENOENT (no value of that name and type). A string from nvlist_lookup_string
 * belongs to the list and stays valid until the list changes or is freed.
 *
 * Thread-safety: a list may be used by one thread at a time.
 * Valid C (C99 and later) and C++.
 */
#ifndef OPENSTMF_LIBNVPAIR_H
#define OPENSTMF_LIBNVPAIR_H

#include <stddef.h>
#include <stdint.h>

#include "solaris_types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nvlist nvlist_t;

/* nvlist_alloc flags. */
#define NV_UNIQUE_NAME 0x1
#define NV_UNIQUE_NAME_TYPE 0x2

/* nvlist_pack / nvlist_size encodings. */
#define NV_ENCODE_NATIVE 0
#define NV_ENCODE_XDR 1

int nvlist_alloc(nvlist_t** nvlp, uint_t nvflag, int kmflag);
void nvlist_free(nvlist_t* nvl);
int nvlist_add_string(nvlist_t* nvl, const char* name, const char* val);
int nvlist_add_uint64(nvlist_t* nvl, const char* name, uint64_t val);
int nvlist_lookup_string(nvlist_t* nvl, const char* name, char** val);
int nvlist_lookup_uint64(nvlist_t* nvl, const char* name, uint64_t* val);
int nvlist_size(nvlist_t* nvl, size_t* size, int encoding);
/* With *bufp NULL, allocates the buffer (release it with free()). */
int nvlist_pack(nvlist_t* nvl, char** bufp, size_t* buflen, int encoding, int kmflag);
int nvlist_unpack(char* buf, size_t buflen, nvlist_t** nvlp, int kmflag);

#ifdef __cplusplus
}
#endif

#endif /* OPENSTMF_LIBNVPAIR_H */
