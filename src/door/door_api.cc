// The C API of <door.h>: argument checks and errno mapping around the C++ core.
// Only the functions defined here (and in ucred.cc) are exported from libdoor.so.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "door.h"
#include "door/client.h"
#include "door/door_state.h"
#include "door/pool.h"
#include "door/proc_creds.h"
#include "door/publish.h"
#include "door/refs.h"
#include "door/runtime.h"
#include "door/server.h"
#include "door/thread_ctx.h"
#include "door/ucred_impl.h"

#define DOOR_API extern "C" __attribute__((visibility("default")))

namespace door = openstmf::door;
using openstmf::Result;
using openstmf::Status;

namespace {

// libdoor calls are not cancellation points (door_call() aside, see client.cc):
// a cancellation acting inside one could leave its bookkeeping half done.
class NoCancel {
 public:
  NoCancel() { ::pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old_); }
  ~NoCancel() { ::pthread_setcancelstate(old_, nullptr); }
  NoCancel(const NoCancel&) = delete;
  NoCancel& operator=(const NoCancel&) = delete;

 private:
  int old_ = PTHREAD_CANCEL_ENABLE;
};

int Fail(int err) {
  errno = err;
  return -1;
}

int Fail(const Status& s) { return Fail(s.sys_errno() != 0 ? s.sys_errno() : EINVAL); }

// door_info() from a tag alone, for a door whose server cannot be asked.
void DescribeFromTag(const door::Resolved& r, door_info_t* info) {
  std::memset(info, 0, sizeof *info);
  info->di_uniquifier = r.tag.door_id;
  info->di_attributes = r.tag.attributes & DOOR_CREATE_MASK;
  if (r.local) {
    info->di_target = r.tag.server_pid;
    info->di_attributes |= DOOR_LOCAL | DOOR_REVOKED;
    return;
  }
  // A live server that cannot be reached has revoked the door.
  if (::kill(r.tag.server_pid, 0) == 0 || errno == EPERM) {
    info->di_target = r.tag.server_pid;
    info->di_attributes |= DOOR_REVOKED;
  } else {
    info->di_target = -1;
  }
}

bool ValidParam(int param) {
  return param == DOOR_PARAM_DESC_MAX || param == DOOR_PARAM_DATA_MAX ||
         param == DOOR_PARAM_DATA_MIN;
}

}  // namespace

DOOR_API int door_create(door_server_procedure_t* server_procedure, void* cookie,
                         uint_t attributes) {
  NoCancel no_cancel;
  if (server_procedure == nullptr || (attributes & ~uint_t{DOOR_CREATE_MASK}) != 0 ||
      ((attributes & DOOR_UNREF) && (attributes & DOOR_UNREF_MULTI))) {
    return Fail(EINVAL);
  }
  door::Runtime& rt = door::Runtime::Get();
  auto d = std::make_shared<door::Door>(rt.NextDoorId(), server_procedure, cookie, attributes);
  Result<std::shared_ptr<door::Pool>> pool =
      (attributes & DOOR_PRIVATE) ? door::Pool::Create(d) : rt.SharedPool();
  if (!pool.ok()) return Fail(pool.status().sys_errno() == EMFILE ? EMFILE : ENOMEM);
  d->pool = *pool;
  rt.AddDoor(d);
  Result<int> fd = door::MintLocalReference(d.get(), false);
  if (!fd.ok()) {
    rt.DoorDead(d.get());
    const int err = fd.status().sys_errno();
    return Fail(err == EMFILE || err == ENFILE ? EMFILE : ENOMEM);
  }
  // door_server_create(3C): the first server thread is requested at creation.
  if (attributes & DOOR_PRIVATE) {
    d->pool->RequestThread();
  } else {
    d->pool->EnsureThread();
  }
  return *fd;
}

DOOR_API int door_call(int d, door_arg_t* params) {
  Status s = door::DoorCall(d, params);
  return s.ok() ? 0 : Fail(s);
}

DOOR_API int door_return(char* data_ptr, size_t data_size, door_desc_t* desc_ptr, uint_t num_desc) {
  return door::DoorReturn(data_ptr, data_size, desc_ptr, num_desc);
}

DOOR_API int door_info(int d, door_info_t* info) {
  NoCancel no_cancel;
  if (info == nullptr) return Fail(EFAULT);
  if (d == DOOR_QUERY) {
    door::ThreadCtx* t = door::CurrentThreadIfAny();
    if (t == nullptr || !t->serving || t->door == nullptr) return Fail(EBADF);
    t->door->Describe(info);
    return 0;
  }
  Result<door::Resolved> r = door::Runtime::Get().Resolve(d);
  if (!r.ok()) return Fail(EBADF);
  if (r->door) {
    r->door->Describe(info);
    return 0;
  }
  if (!r->local) {
    Result<door::WireInfo> wi = door::QueryServer(d);
    if (wi.ok()) {
      std::memset(info, 0, sizeof *info);
      info->di_target = static_cast<pid_t>(wi->pid);
      info->di_proc = wi->proc;
      info->di_data = wi->cookie;
      info->di_attributes = wi->attributes & ~uint32_t{DOOR_LOCAL};
      info->di_uniquifier = wi->id;
      return 0;
    }
  }
  DescribeFromTag(*r, info);
  return 0;
}

DOOR_API int door_revoke(int d) {
  NoCancel no_cancel;
  Result<door::Resolved> r = door::Runtime::Get().Resolve(d);
  if (!r.ok()) return Fail(EBADF);
  if (!r->local) return Fail(EPERM);
  if (!r->door || !r->door->Revoke()) return Fail(EBADF);
  ::close(d);
  return 0;
}

DOOR_API int door_bind(int d) {
  NoCancel no_cancel;
  Result<door::Resolved> r = door::Runtime::Get().Resolve(d);
  if (!r.ok() || !r->door) return Fail(EBADF);
  if (!(r->door->attributes & DOOR_PRIVATE)) return Fail(EINVAL);
  door::ThreadCtx* t = door::CurrentThread();
  t->bound = r->door->pool;
  t->bound_set = true;
  t->bound_invalid = false;
  return 0;
}

DOOR_API int door_unbind(void) {
  door::ThreadCtx* t = door::CurrentThreadIfAny();
  if (t == nullptr || !t->bound_set) return Fail(EBADF);
  t->bound.reset();
  t->bound_set = false;
  t->bound_invalid = false;
  return 0;
}

DOOR_API door_server_func_t* door_server_create(door_server_func_t* create_func) {
  return door::Runtime::Get().SetCreateFunc(create_func);
}

DOOR_API int door_ucred(ucred_t** uc) {
  if (uc == nullptr) return Fail(EFAULT);
  const door::Creds* caller = door::CurrentCaller();
  if (caller == nullptr) return Fail(EINVAL);
  door::Creds now = *caller;
  (void)door::ReadCurrentCreds(&now);  // else the ids from when it connected
  const door::Creds* c = &now;
  ucred_t* out = *uc;
  if (out == nullptr) {
    out = static_cast<ucred_t*>(std::calloc(1, sizeof(ucred_t)));
    if (out == nullptr) return Fail(ENOMEM);
  }
  door::FillUcred(*c, out);
  *uc = out;
  return 0;
}

DOOR_API int door_cred(door_cred_t* info) {
  if (info == nullptr) return Fail(EFAULT);
  const door::Creds* caller = door::CurrentCaller();
  if (caller == nullptr) return Fail(EINVAL);
  door::Creds now = *caller;
  (void)door::ReadCurrentCreds(&now);
  const door::Creds* c = &now;
  std::memset(info, 0, sizeof *info);
  info->dc_euid = c->euid;
  info->dc_egid = c->egid;
  info->dc_ruid = c->ruid;
  info->dc_rgid = c->rgid;
  info->dc_pid = c->pid;
  return 0;
}

DOOR_API int door_getparam(int d, int param, size_t* out) {
  NoCancel no_cancel;
  if (out == nullptr) return Fail(EFAULT);
  if (!ValidParam(param)) return Fail(EINVAL);
  Result<door::Resolved> r = door::Runtime::Get().Resolve(d);
  if (!r.ok()) return Fail(EBADF);
  size_t desc_max, data_min, data_max;
  if (r->door) {
    desc_max = r->door->desc_max.load();
    data_min = r->door->data_min.load();
    data_max = r->door->data_max.load();
  } else if (!r->local) {
    Result<door::WireInfo> wi = door::QueryServer(d);
    if (!wi.ok()) return Fail(EBADF);
    desc_max = wi->desc_max;
    data_min = wi->data_min;
    data_max = wi->data_max;
  } else {
    return Fail(EBADF);
  }
  *out = param == DOOR_PARAM_DESC_MAX   ? desc_max
         : param == DOOR_PARAM_DATA_MIN ? data_min
                                        : data_max;
  return 0;
}

DOOR_API int door_setparam(int d, int param, size_t val) {
  NoCancel no_cancel;
  Result<door::Resolved> r = door::Runtime::Get().Resolve(d);
  if (!r.ok()) return Fail(EBADF);
  if (!r->local) return Fail(EPERM);
  if (!r->door || r->door->revoked.load()) return Fail(EBADF);
  door::Door& dr = *r->door;
  std::lock_guard<std::mutex> lock(dr.param_mu);
  switch (param) {
    case DOOR_PARAM_DESC_MAX:
      if ((dr.attributes & DOOR_REFUSE_DESC) && val != 0) return Fail(ENOTSUP);
      if (val > static_cast<size_t>(INT_MAX)) return Fail(ERANGE);
      dr.desc_max.store(val);
      return 0;
    case DOOR_PARAM_DATA_MAX:
      if (val < dr.data_min.load()) return Fail(EINVAL);
      dr.data_max.store(val);
      return 0;
    case DOOR_PARAM_DATA_MIN:
      if (val > dr.data_max.load()) return Fail(EINVAL);
      dr.data_min.store(val);
      return 0;
    default:
      return Fail(EINVAL);
  }
}

DOOR_API int fattach(int d, const char* path) {
  NoCancel no_cancel;
  Status s = door::Fattach(d, path);
  return s.ok() ? 0 : Fail(s);
}

DOOR_API int fdetach(const char* path) {
  NoCancel no_cancel;
  Status s = door::Fdetach(path);
  return s.ok() ? 0 : Fail(s);
}

DOOR_API int door_open(const char* path) {
  NoCancel no_cancel;
  Result<int> fd = door::DoorOpen(path);
  return fd.ok() ? *fd : Fail(fd.status());
}
