/* The <door.h> API used from C: compiled as C11 and called by door_c_api_test.cc. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "door.h"
#include "ucred.h"

int door_c_api_smoke(void);

static void Upcase(void* cookie, char* argp, size_t arg_size, door_desc_t* dp, uint_t n_desc) {
  static char out[64];
  size_t i;
  (void)cookie;
  (void)dp;
  (void)n_desc;
  if (arg_size > sizeof out) arg_size = sizeof out;
  for (i = 0; i < arg_size; ++i) {
    out[i] = (argp[i] >= 'a' && argp[i] <= 'z') ? (char)(argp[i] - 'a' + 'A') : argp[i];
  }
  door_return(out, arg_size, NULL, 0);
}

/* 0 on success, else the number of the failed step. */
int door_c_api_smoke(void) {
  char in[] = "from c";
  char out[64];
  door_arg_t arg;
  door_info_t info;
  size_t max = 0;
  int d = door_create(Upcase, NULL, DOOR_REFUSE_DESC);
  if (d < 0) return 1;
  memset(&arg, 0, sizeof arg);
  arg.data_ptr = in;
  arg.data_size = sizeof in;
  arg.rbuf = out;
  arg.rsize = sizeof out;
  if (door_call(d, &arg) != 0) return 2;
  if (strcmp(arg.data_ptr, "FROM C") != 0) return 3;
  if (door_info(d, &info) != 0 || info.di_target != getpid()) return 4;
  if (!(info.di_attributes & DOOR_LOCAL) || !(info.di_attributes & DOOR_REFUSE_DESC)) return 5;
  if (door_getparam(d, DOOR_PARAM_DESC_MAX, &max) != 0 || max != 0) return 6;
  if (door_revoke(d) != 0) return 7;
  if (door_call(d, &arg) != -1 || errno != EBADF) return 8;
  return 0;
}
