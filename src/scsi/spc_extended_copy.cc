// EXTENDED COPY (LID1), SPC-4 6.3: the parameter list is checked whole
// (copy_params.cc), then the segments run one after another over the copy
// targets' BlockBackends in chunks of at most kChunk bytes. Each chunk reads the
// source blocks covering it and writes the destination; a destination range
// that does not start and end on block boundaries (0Ah byte offsets) is
// read-modified-written. Errors found while a segment runs end the command with
// COPY ABORTED and the segment's number in COMMAND-SPECIFIC INFORMATION
// (SPC-4 6.3.4); progress is visible to RECEIVE COPY RESULTS meanwhile.
#include <algorithm>
#include <cstring>
#include <memory>

#include "scsi/copy_params.h"
#include "scsi/dispatcher.h"
#include "scsi/handlers.h"
#include "scsi/sense.h"

namespace openstmf::scsi::handlers {
namespace {

constexpr uint64_t kChunk = 1u << 20;

uint64_t RoundDown(uint64_t v, uint64_t unit) { return v / unit * unit; }
uint64_t RoundUp(uint64_t v, uint64_t unit) { return (v + unit - 1) / unit * unit; }

class CopyJob final : public CopyTask {
 public:
  CopyJob(Lu& lu, ScsiCommand& cmd, CopyParameters params, uint64_t record)
      : lu_(lu), cmd_(cmd), params_(std::move(params)), record_(record) {}

  // Advances until the copy waits for a backend or ends. A completion that
  // arrives synchronously (inside the backend call) is picked up by the loop
  // here instead of recursing.
  void Pump() {
    if (pumping_) return;
    pumping_ = true;
    while (!waiting_) {
      if (failed_ || Advance()) return End();  // destroys *this
    }
    pumping_ = false;
  }

 private:
  enum class Step { kSegment, kRead, kReadDestination, kWrite, kEndSegment };

  static void OnIo(void* arg, IoResult io) {
    auto* self = static_cast<CopyJob*>(arg);
    self->waiting_ = false;
    if (!io.ok()) {
      self->result_ = CopyFailure(Asc::kCopyThirdPartyDeviceFailure, self->segment_);
      self->failed_ = true;
    }
    self->Pump();
  }

  // Called just before a backend call: the copy continues at `then`.
  IoDone Await(Step then) {
    next_ = then;
    waiting_ = true;
    return IoDone{&CopyJob::OnIo, this};
  }

  // One step; true when the command is over (result_ holds the outcome).
  bool Advance() {
    switch (next_) {
      case Step::kSegment:
        if (segment_ == params_.segments.size()) return true;
        result_ = StartSegment(params_.segments[segment_]);
        if (!result_.good()) return true;
        next_ = remaining_ == 0 ? Step::kEndSegment : Step::kRead;
        return false;
      case Step::kRead:
        ReadChunk();
        return false;
      case Step::kReadDestination:
        dst_->backend()->Read(chunk_.dst_begin, dst_buf_, 0, Await(Step::kWrite));
        return false;
      case Step::kWrite:
        WriteChunk();
        return false;
      case Step::kEndSegment:
        ++segment_;
        done_in_segment_ = 0;
        if (CopyRecord* r = lu_.copy_manager().Running(record_)) {
          r->segments_processed = static_cast<uint16_t>(segment_);
        }
        next_ = Step::kSegment;
        return false;
    }
    return true;
  }

  ScsiResult StartSegment(const CopySegment& s) {
    auto failure = [&](Asc asc) { return CopyFailure(asc, segment_); };
    if (s.source >= params_.targets.size() || s.destination >= params_.targets.size()) {
      return failure(Asc::kCopyUnreachableTarget);
    }
    src_ = Target(params_.targets[s.source]);
    dst_ = Target(params_.targets[s.destination]);
    if (src_ == nullptr || dst_ == nullptr) return failure(Asc::kCopyTargetNotReachable);
    if (!Matches(params_.targets[s.source], *src_) ||
        !Matches(params_.targets[s.destination], *dst_)) {
      return failure(Asc::kCopyIncorrectTargetType);
    }
    if (dst_->config().write_protected || dst_->mode_pages().software_write_protect()) {
      return failure(Asc::kCopyTargetNotReachable);
    }
    uint64_t sbs = src_->config().block_size;
    uint64_t dbs = dst_->config().block_size;
    uint64_t bytes = s.count;
    if (s.type == 0x02) {
      // SPC-4 6.3.7.5: NUMBER OF BLOCKS counts source blocks unless DC.
      bytes = uint64_t{s.count} * (s.dc ? dbs : sbs);
      if (bytes % sbs != 0 || bytes % dbs != 0) return failure(Asc::kCopyUnexpectedInexactSegment);
    }
    src_pos_ = s.source_lba * sbs + s.source_offset;
    dst_pos_ = s.destination_lba * dbs + s.destination_offset;
    if (s.source_lba > src_->config().block_count ||
        s.destination_lba > dst_->config().block_count ||
        src_pos_ + bytes > src_->capacity_bytes() || dst_pos_ + bytes > dst_->capacity_bytes()) {
      return failure(Asc::kCopyTargetNotReachable);
    }
    remaining_ = bytes;
    // Overlapping ranges of one LU copy from the end so no source byte is
    // overwritten before it is read.
    backwards_ = src_ == dst_ && dst_pos_ > src_pos_ && dst_pos_ < src_pos_ + bytes;
    return Good();
  }

  Lu* Target(const CopyTargetDescriptor& t) {
    if (t.device_type != 0) return nullptr;
    Lu* lu = lu_.ResolveCopyTarget(t.View());
    if (lu == nullptr || !lu->medium_present()) return nullptr;
    return lu;
  }

  static bool Matches(const CopyTargetDescriptor& t, const Lu& lu) {
    return t.block_length == lu.config().block_size;
  }

  void ReadChunk() {
    uint64_t n = std::min(remaining_, kChunk);
    uint64_t off = backwards_ ? remaining_ - n : done_in_segment_;
    chunk_.src = src_pos_ + off;
    chunk_.dst = dst_pos_ + off;
    chunk_.length = n;
    uint64_t sbs = src_->config().block_size;
    uint64_t dbs = dst_->config().block_size;
    chunk_.src_begin = RoundDown(chunk_.src, sbs);
    uint64_t src_end = RoundUp(chunk_.src + n, sbs);
    chunk_.dst_begin = RoundDown(chunk_.dst, dbs);
    uint64_t dst_end = RoundUp(chunk_.dst + n, dbs);
    chunk_.exact = chunk_.src == chunk_.src_begin && src_end == chunk_.src + n &&
                   chunk_.dst == chunk_.dst_begin && dst_end == chunk_.dst + n;
    src_buf_.resize(src_end - chunk_.src_begin);
    dst_buf_.resize(chunk_.exact ? 0 : dst_end - chunk_.dst_begin);
    src_->blocks_read += src_buf_.size() / sbs;
    src_->backend()->Read(chunk_.src_begin, src_buf_, 0,
                          Await(chunk_.exact ? Step::kWrite : Step::kReadDestination));
  }

  void WriteChunk() {
    std::span<const uint8_t> out = src_buf_;
    if (!chunk_.exact) {
      std::memcpy(dst_buf_.data() + (chunk_.dst - chunk_.dst_begin),
                  src_buf_.data() + (chunk_.src - chunk_.src_begin), chunk_.length);
      out = dst_buf_;
    }
    if (!backwards_) done_in_segment_ += chunk_.length;
    remaining_ -= chunk_.length;
    if (CopyRecord* r = lu_.copy_manager().Running(record_)) r->bytes_transferred += chunk_.length;
    dst_->blocks_written += out.size() / dst_->config().block_size;
    uint32_t flags = dst_->mode_pages().write_cache_enabled() ? 0u : uint32_t{kIoFua};
    dst_->backend()->Write(chunk_.dst_begin, out, flags,
                           Await(remaining_ == 0 ? Step::kEndSegment : Step::kRead));
  }

  void End() {
    ScsiCommand& cmd = cmd_;
    ScsiResult result = result_;
    std::vector<uint8_t> sense(kMaxSenseLength);
    sense.resize(BuildSense(result, SenseFormat::kFixed, sense));
    lu_.copy_manager().Finish(record_, result, std::move(sense));
    lu_.copy_manager().Drop(this);
    Complete(cmd, result);
  }

  struct Chunk {
    uint64_t src = 0, dst = 0, length = 0;
    uint64_t src_begin = 0, dst_begin = 0;
    bool exact = false;  // whole blocks at both ends: no read-modify-write
  };

  Lu& lu_;
  ScsiCommand& cmd_;
  CopyParameters params_;
  uint64_t record_;
  Step next_ = Step::kSegment;
  bool pumping_ = false;
  bool waiting_ = false;
  bool failed_ = false;
  ScsiResult result_;
  uint32_t segment_ = 0;
  Lu* src_ = nullptr;
  Lu* dst_ = nullptr;
  uint64_t src_pos_ = 0, dst_pos_ = 0, remaining_ = 0, done_in_segment_ = 0;
  bool backwards_ = false;
  Chunk chunk_;
  std::vector<uint8_t> src_buf_;
  std::vector<uint8_t> dst_buf_;
};

}  // namespace

void ExtendedCopy(Lu& lu, ScsiCommand& cmd) {
  CopyParameters params;
  auto list = cmd.data_out.first(std::min<size_t>(cmd.data_out.size(), cmd.transfer_length));
  ScsiResult r = ParseCopyParameters(list, &params);
  if (!r.good()) return Complete(cmd, r);
  if (params.segments.empty()) return Complete(cmd, Good());
  uint64_t record = 0;
  bool identified = params.usage != ListIdUsage::kNone;
  r = lu.copy_manager().Begin(cmd.nexus, params.list_id, identified,
                              params.usage == ListIdUsage::kHold, &record);
  if (!r.good()) return Complete(cmd, r);
  auto* job = static_cast<CopyJob*>(
      lu.copy_manager().Adopt(std::make_unique<CopyJob>(lu, cmd, std::move(params), record)));
  job->Pump();
}

}  // namespace openstmf::scsi::handlers
