/*
 * door.h - Solaris doors on Linux (libdoor, link with -ldoor).
 *
 * A door is a fast, synchronous, local remote procedure call. A server process
 * creates a door with door_create(); any process that holds a descriptor for the
 * door calls into it with door_call(). The server procedure runs on a thread of the
 * server process, reads the caller's arguments and descriptors, and hands its
 * results back with door_return(), which does not return to the server procedure.
 *
 * Names, types, flag values and errno values follow illumos <sys/door.h> and
 * <door.h>, so Solaris code recompiles unchanged. Differences that Linux forces
 * (how descriptors are counted for DOOR_UNREF, publishing a door in the file
 * system, credentials) are documented in docs/door.md. Every function is safe to
 * call from several threads at once (MT-Safe) unless its comment says otherwise.
 *
 * Valid C (C99 and later) and C++.
 */
#ifndef OPENSTMF_DOOR_H
#define OPENSTMF_DOOR_H

#include <stddef.h>
#include <sys/types.h>

#include "solaris_types.h"
#include "ucred.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned long long door_ptr_t; /* a pointer in the server's address space */
typedef unsigned long long door_id_t;  /* a door's unique number */
typedef unsigned int door_attr_t;

/* Attributes given to door_create(). */
#define DOOR_UNREF 0x01       /* one unreferenced invocation when references drop to one */
#define DOOR_PRIVATE 0x02     /* the door has its own pool of server threads (door_bind) */
#define DOOR_UNREF_MULTI 0x10 /* like DOOR_UNREF, but every time references drop to one */
#define DOOR_REFUSE_DESC 0x40 /* calls that pass descriptors fail with ENOTSUP */
#define DOOR_NO_CANCEL 0x80   /* a client that gives up does not cancel the server thread */

/* Attributes reported by door_info(). */
#define DOOR_LOCAL 0x04    /* the door is served by the calling process */
#define DOOR_REVOKED 0x08  /* the door has been revoked */
#define DOOR_IS_UNREF 0x20 /* the door is currently unreferenced */

#define DOOR_CREATE_MASK \
  (DOOR_UNREF | DOOR_PRIVATE | DOOR_UNREF_MULTI | DOOR_REFUSE_DESC | DOOR_NO_CANCEL)
#define DOOR_ATTR_MASK (DOOR_CREATE_MASK | DOOR_LOCAL | DOOR_REVOKED | DOOR_IS_UNREF)

/* Attributes of a door_desc_t. */
#define DOOR_DESCRIPTOR 0x10000 /* d_data.d_desc.d_descriptor is a file descriptor */
#define DOOR_RELEASE 0x40000    /* close the descriptor once it has been passed */

/* The argp a server procedure receives for an unreferenced invocation. */
#define DOOR_UNREF_DATA ((void*)1)

/* Special descriptor values. */
#define DOOR_INVAL (-1)
#define DOOR_QUERY (-2) /* door_info(): the door whose call the thread is serving */

/* door_getparam() / door_setparam() parameters. */
#define DOOR_PARAM_DESC_MAX 1 /* most descriptors a call may pass */
#define DOOR_PARAM_DATA_MAX 2 /* largest argument a call may pass, in bytes */
#define DOOR_PARAM_DATA_MIN 3 /* smallest argument a call may pass, in bytes */

typedef struct door_desc {
  door_attr_t d_attributes;
  union {
    struct {
      int d_descriptor;
      door_id_t d_id; /* the door's unique number when the descriptor is a door */
    } d_desc;
    int d_resv[5];
  } d_data;
} door_desc_t;

typedef struct door_arg {
  char* data_ptr;        /* in: argument bytes; out: result bytes (within rbuf) */
  size_t data_size;      /* in: argument size; out: result size */
  door_desc_t* desc_ptr; /* in: descriptors to pass; out: descriptors returned */
  uint_t desc_num;       /* in/out: how many */
  char* rbuf;            /* in: result buffer; out: may be a new mapping (see door_call) */
  size_t rsize;          /* in/out: size of rbuf */
} door_arg_t;

typedef struct door_info {
  pid_t di_target;           /* the server process (-1 if it is gone) */
  door_ptr_t di_proc;        /* server procedure, in the server's address space */
  door_ptr_t di_data;        /* cookie, in the server's address space */
  door_attr_t di_attributes; /* DOOR_* attributes, including the reported ones */
  door_id_t di_uniquifier;   /* unique number of the door */
  int di_resv[4];
} door_info_t;

typedef struct door_cred {
  uid_t dc_euid;
  gid_t dc_egid;
  uid_t dc_ruid;
  gid_t dc_rgid;
  pid_t dc_pid;
  int dc_resv[4];
} door_cred_t;

/* struct door_info and door_info(), struct door_cred and door_cred() share their
 * names as in Solaris; C++ compilers warn about that under -Wshadow. */
#if defined(__cplusplus) && defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#endif

typedef void door_server_procedure_t(void* cookie, char* argp, size_t arg_size, door_desc_t* dp,
                                     uint_t n_desc);
typedef void door_server_func_t(door_info_t*);

/*
 * Creates a door served by server_procedure with cookie, and returns a descriptor
 * for it (close-on-exec), or -1 with errno: EINVAL (attributes outside
 * DOOR_CREATE_MASK, or DOOR_UNREF with DOOR_UNREF_MULTI), EMFILE, ENOMEM.
 */
int door_create(door_server_procedure_t* server_procedure, void* cookie, uint_t attributes);

/*
 * Calls the door d and waits for its results. params may be NULL for a call with
 * no arguments and no results. On entry data_ptr/data_size and desc_ptr/desc_num
 * describe the arguments, rbuf/rsize a buffer for results. On return data_ptr and
 * desc_ptr point into rbuf at the results. If the results do not fit in rbuf, rbuf
 * is replaced by a new mapping of rsize bytes that the caller releases with
 * munmap(2). Descriptors the server returns are new descriptors in the caller.
 * Returns 0, or -1 with errno: EBADF (d is not a door, or it was revoked, or its
 * server is gone), EINTR (a signal interrupted the call, or the server died while
 * serving it), E2BIG, EINVAL, EFAULT, ENOTSUP (the door refuses descriptors),
 * ENFILE (more descriptors than DOOR_PARAM_DESC_MAX), ENOBUFS (argument size
 * outside DOOR_PARAM_DATA_MIN..DOOR_PARAM_DATA_MAX), EMFILE, EOVERFLOW (no memory
 * for the results), EAGAIN.
 */
int door_call(int d, door_arg_t* params);

/*
 * From a server procedure: hands results (and descriptors) back to the caller and
 * makes the thread wait for the next call; it does not return. Called by a thread
 * that is not serving a call, it makes the thread a server thread (of the private
 * pool it is bound to, or of the process's shared pool). Returns -1 only on error,
 * with errno E2BIG, EFAULT, EINVAL or EMFILE.
 */
int door_return(char* data_ptr, size_t data_size, door_desc_t* desc_ptr, uint_t num_desc);

/* Describes the door d (or, with DOOR_QUERY, the door being served). 0, or -1 with
 * errno EBADF or EFAULT. */
int door_info(int d, door_info_t* info);

/*
 * Revokes door d: calls in progress finish, later calls fail with EBADF, and d is
 * closed. Only the process that created the door may revoke it. 0, or -1 with
 * errno EBADF (not a door) or EPERM (not the creator).
 */
int door_revoke(int d);

/* Binds the calling thread to the private pool of door d, from its next
 * door_return() on. 0, or -1 with errno EBADF, EINVAL (d is not DOOR_PRIVATE). */
int door_bind(int d);

/* Releases the calling thread's binding. 0, or -1 with errno EBADF (not bound). */
int door_unbind(void);

/*
 * Installs the function that creates server threads and returns the previous one
 * (NULL means the default, which starts a detached thread that calls door_return()).
 * The function gets NULL for the shared pool, or the door_info_t of a DOOR_PRIVATE
 * door whose pool needs a thread; the thread it starts must door_bind() to that
 * door (private pool only) and then call door_return(NULL, 0, NULL, 0).
 */
door_server_func_t* door_server_create(door_server_func_t* create_func);

/* Within a server procedure: the credentials of the caller, in *uc (allocated when
 * *uc is NULL; release with ucred_free()). 0, or -1 with errno EINVAL (not serving
 * a call), EFAULT, ENOMEM. */
int door_ucred(ucred_t** uc);

/* Within a server procedure: the caller's credentials (legacy form). */
int door_cred(door_cred_t* info);

/* Reads / sets a DOOR_PARAM_* limit of door d. door_setparam() is for the creating
 * process, on a door not yet revoked. errno: EBADF, EINVAL, ENOTSUP, EPERM, ERANGE. */
int door_getparam(int d, int param, size_t* out);
int door_setparam(int d, int param, size_t val);

/*
 * Publishes door d at path: from then on door_open(path) returns a descriptor for
 * the door. On Linux the path is a socket file served by the calling process while
 * it lives (see docs/door.md). An existing regular file or a stale socket at path is
 * replaced. 0, or -1 with errno EBADF (d is not a door), EBUSY (a live door is
 * already published there), or the errno of creating the socket file.
 */
int fattach(int d, const char* path);

/* Withdraws the door published at path by this process and removes the socket
 * file. 0, or -1 with errno EINVAL (nothing published there by this process). */
int fdetach(const char* path);

/*
 * Opens the door published at path (Linux cannot open(2) a socket file, so this
 * call stands where Solaris code calls open(path, O_RDONLY)). Returns a door
 * descriptor (close-on-exec), or -1 with errno ENOENT (no such path), EACCES,
 * ECONNREFUSED (nobody serves the path any longer), ENOTSOCK, EMFILE.
 */
int door_open(const char* path);

#ifdef __cplusplus
}
#endif

#endif /* OPENSTMF_DOOR_H */
