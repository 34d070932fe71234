/*
 * solaris_types.h - the SunOS scalar types that the COMSTAR, doors and UnixWare
 * interfaces are written in, for code ported from those systems.
 *
 * Each name is defined only once even when several openstmf headers are included.
 * Valid C (C99 and later) and C++.
 */
#ifndef OPENSTMF_SOLARIS_TYPES_H
#define OPENSTMF_SOLARIS_TYPES_H

#include <stdint.h>
#include <sys/types.h>

#ifndef OPENSTMF_HAVE_UINT_T
#define OPENSTMF_HAVE_UINT_T
typedef unsigned int uint_t;
typedef unsigned char uchar_t;
typedef unsigned short ushort_t;
typedef unsigned long ulong_t;
#endif

#ifndef OPENSTMF_HAVE_BOOLEAN_T
#define OPENSTMF_HAVE_BOOLEAN_T
typedef enum { B_FALSE = 0, B_TRUE = 1 } boolean_t;
#endif

#endif /* OPENSTMF_SOLARIS_TYPES_H */
