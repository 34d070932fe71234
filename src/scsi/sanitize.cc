#include "scsi/sanitize.h"

#include <algorithm>

#include "scsi/command.h"
#include "scsi/dispatcher.h"
#include "scsi/lu.h"
#include "scsi/sense.h"

namespace openstmf::scsi {

uint16_t SanitizeOperation::progress() const {
  if (!running_ || total_ == 0) return 0;
  uint64_t passes = request_.method == SanitizeMethod::kOverwrite ? request_.passes : 1;
  // Done fraction of all passes; 65535 at most (SPC-4 4.5.2.4.4).
  unsigned __int128 done = static_cast<unsigned __int128>(pass_) * total_ + pos_;
  unsigned __int128 all = static_cast<unsigned __int128>(passes) * total_;
  return static_cast<uint16_t>(std::min<unsigned __int128>(done * 65536 / all, 65535));
}

bool SanitizeOperation::PassInverted(uint32_t pass) const {
  // SBC-3 5.30.2.2: with INVERT the pattern is inverted between consecutive
  // passes and the last pass writes it as given.
  return request_.invert && ((request_.passes - 1 - pass) % 2) == 1;
}

void SanitizeOperation::Start(Lu& lu, SanitizeRequest request, ScsiCommand* waiter) {
  lu_ = &lu;
  waiter_ = waiter;
  request_ = std::move(request);
  if (request_.passes == 0) request_.passes = 1;
  total_ = lu.capacity_bytes();
  pos_ = 0;
  pass_ = 0;
  running_ = true;
  // SBC-3 4.11.3: a new operation replaces the failed state; its own outcome
  // decides the next one.
  failed_ = false;
  unrestricted_ = false;
  if (request_.method == SanitizeMethod::kOverwrite) {
    block_ = request_.pattern;
    if (PassInverted(0)) {
      for (uint8_t& b : block_) b = static_cast<uint8_t>(~b);
    }
  } else {
    block_.assign(lu.config().block_size, 0);
  }
  phase_ = Phase::kIdle;
  Pump();
}

bool SanitizeOperation::AbortWaiter(ScsiCommand* cmd) {
  if (cmd == nullptr || cmd != waiter_) return false;
  waiter_ = nullptr;
  Complete(*cmd, StatusOnly(ScsiStatus::kTaskAborted));
  return true;
}

void SanitizeOperation::OnEvent(void* arg, IoResult io) {
  auto* self = static_cast<SanitizeOperation*>(arg);
  self->last_ = io;
  self->Pump();
}

// Backends may complete inside the call (RamBackend, a shared store), so the
// chunks are looped here rather than recursed through the completions.
void SanitizeOperation::Pump() {
  if (pumping_) {
    again_ = true;
    return;
  }
  pumping_ = true;
  do {
    again_ = false;
    Advance();
  } while (again_ && running_);
  pumping_ = false;
}

void SanitizeOperation::Advance() {
  switch (phase_) {
    case Phase::kIdle:
      return IssueChunk();
    case Phase::kIo: {
      if (!last_.ok()) return Finish(SenseFor(Asc::kSanitizeCommandFailed));
      pos_ += chunk_;
      if (pos_ >= total_) {
        uint32_t passes = request_.method == SanitizeMethod::kOverwrite ? request_.passes : 1;
        if (pass_ + 1 >= passes) return Finish(Good());
        ++pass_;
        pos_ = 0;
        if (request_.invert) {
          for (uint8_t& b : block_) b = static_cast<uint8_t>(~b);
        }
      }
      uint64_t rate = lu_->config().sanitize_bytes_per_second;
      phase_ = Phase::kPause;
      uint32_t us = rate == 0 ? 0 : static_cast<uint32_t>(chunk_ * 1000000 / rate);
      lu_->backend()->Pause(us, IoDone{OnEvent, this});
      return;
    }
    case Phase::kPause:
      return IssueChunk();
  }
}

void SanitizeOperation::IssueChunk() {
  if (total_ == 0) return Finish(Good());
  chunk_ = std::min(kChunkBytes, total_ - pos_);
  ByteRange range{pos_, chunk_};
  phase_ = Phase::kIo;
  last_ = IoResult{};
  bool deallocate = request_.method != SanitizeMethod::kOverwrite && lu_->config().thin_provisioned;
  if (deallocate) {
    ranges_.assign(1, range);
    lu_->backend()->Unmap(ranges_, IoDone{OnEvent, this});
    return;
  }
  lu_->backend()->WriteSame(range, block_, kIoFua, IoDone{OnEvent, this});
}

void SanitizeOperation::Finish(const ScsiResult& result) {
  running_ = false;
  phase_ = Phase::kIdle;
  if (!result.good()) {
    failed_ = true;
    unrestricted_ = request_.ause;
  }
  ScsiCommand* waiter = waiter_;
  waiter_ = nullptr;
  if (waiter != nullptr) Complete(*waiter, result);
}

}  // namespace openstmf::scsi
