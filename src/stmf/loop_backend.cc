#include "stmf/loop_backend.h"

namespace openstmf::stmf {

struct LoopBackend::Hop {
  LoopBackend* owner = nullptr;
  Slot* slot = nullptr;
  scsi::IoDone done;
};

LoopBackend::LoopBackend(std::recursive_mutex* lu_mutex, std::vector<PerLoop> backends)
    : mu_(lu_mutex) {
  slots_.resize(backends.size());
  for (size_t i = 0; i < backends.size(); ++i) slots_[i].target = std::move(backends[i]);
}

LoopBackend::~LoopBackend() = default;

LoopBackend::Slot* LoopBackend::Current() {
  for (Slot& s : slots_) {
    if (s.target.loop == nullptr || s.target.loop->InLoopThread()) return &s;
  }
  return nullptr;
}

scsi::IoDone LoopBackend::Wrap(Slot* slot, scsi::IoDone done) {
  Hop* hop;
  if (slot->free.empty()) {
    slot->hops.push_back(std::make_unique<Hop>());
    hop = slot->hops.back().get();
  } else {
    hop = slot->free.back();
    slot->free.pop_back();
  }
  hop->owner = this;
  hop->slot = slot;
  hop->done = done;
  return {&LoopBackend::OnDone, hop};
}

void LoopBackend::OnDone(void* arg, scsi::IoResult result) {
  auto* hop = static_cast<Hop*>(arg);
  scsi::IoDone done = hop->done;
  hop->slot->free.push_back(hop);
  std::lock_guard<std::recursive_mutex> lock(*hop->owner->mu_);
  done(result);
}

namespace {
// A call from a thread that owns no backend is a framework bug; the command
// fails rather than touching another loop's ring.
void NoBackend(scsi::IoDone done) { done(scsi::IoResult{scsi::IoError::kInternal}); }
}  // namespace

void LoopBackend::Read(uint64_t offset, std::span<uint8_t> buf, uint32_t flags, scsi::IoDone done) {
  Slot* s = Current();
  if (s == nullptr) return NoBackend(done);
  s->target.backend->Read(offset, buf, flags, Wrap(s, done));
}

void LoopBackend::Write(uint64_t offset, std::span<const uint8_t> buf, uint32_t flags,
                        scsi::IoDone done) {
  Slot* s = Current();
  if (s == nullptr) return NoBackend(done);
  s->target.backend->Write(offset, buf, flags, Wrap(s, done));
}

void LoopBackend::Flush(uint64_t offset, uint64_t length, scsi::IoDone done) {
  Slot* s = Current();
  if (s == nullptr) return NoBackend(done);
  s->target.backend->Flush(offset, length, Wrap(s, done));
}

void LoopBackend::Unmap(std::span<const scsi::ByteRange> ranges, scsi::IoDone done) {
  Slot* s = Current();
  if (s == nullptr) return NoBackend(done);
  s->target.backend->Unmap(ranges, Wrap(s, done));
}

void LoopBackend::WriteSame(scsi::ByteRange range, std::span<const uint8_t> pattern, uint32_t flags,
                            scsi::IoDone done) {
  Slot* s = Current();
  if (s == nullptr) return NoBackend(done);
  s->target.backend->WriteSame(range, pattern, flags, Wrap(s, done));
}

void LoopBackend::GetLbaStatus(uint64_t offset, std::span<scsi::Extent> out, size_t* count,
                               scsi::IoDone done) {
  Slot* s = Current();
  if (s == nullptr) return NoBackend(done);
  s->target.backend->GetLbaStatus(offset, out, count, Wrap(s, done));
}

void LoopBackend::Pause(uint32_t microseconds, scsi::IoDone done) {
  Slot* s = Current();
  if (s == nullptr || s->target.loop == nullptr) return done(scsi::IoResult{});
  scsi::IoDone wrapped = Wrap(s, done);
  s->target.loop->RunAfter(std::chrono::microseconds(microseconds),
                           [wrapped] { wrapped(scsi::IoResult{}); });
}

}  // namespace openstmf::stmf
