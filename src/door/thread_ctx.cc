#include "door/thread_ctx.h"

#include "door/runtime.h"

namespace openstmf::door {
namespace {

thread_local std::unique_ptr<ThreadCtx> tls_ctx;

}  // namespace

ThreadCtx::ThreadCtx() : uid(Runtime::Get().NextThreadUid()), tid(::pthread_self()) {}

ThreadCtx::~ThreadCtx() = default;

ThreadCtx* CurrentThread() {
  if (!tls_ctx) tls_ctx = std::make_unique<ThreadCtx>();
  return tls_ctx.get();
}

ThreadCtx* CurrentThreadIfAny() { return tls_ctx.get(); }

}  // namespace openstmf::door
