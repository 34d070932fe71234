#include "port/iscsi/sequence.h"

#include <algorithm>

namespace openstmf::iscsi {

CommandWindow::CommandWindow(uint32_t exp_cmd_sn, uint32_t capacity)
    : exp_(exp_cmd_sn), credits_(std::max<uint32_t>(capacity, 1)), slots_(credits_) {}

void CommandWindow::set_credits(uint32_t credits) {
  credits_ = std::min<uint32_t>(credits, static_cast<uint32_t>(slots_.size()));
}

CommandWindow::Verdict CommandWindow::Accept(uint32_t cmd_sn, bool immediate, uint64_t cookie) {
  // RFC 7143 §4.2.2.1: immediate commands bypass ordering and the window.
  if (immediate) return Verdict::kDeliver;
  if (credits_ == 0 || !SnInRange(cmd_sn, exp_, max_cmd_sn())) return Verdict::kOutOfWindow;
  if (cmd_sn == exp_) {
    ++exp_;
    return Verdict::kDeliver;
  }
  Slot& s = slots_[cmd_sn % slots_.size()];
  if (s.used) return Verdict::kDuplicate;
  s = {true, cmd_sn, cookie};
  return Verdict::kQueued;
}

std::optional<uint64_t> CommandWindow::PopReady() {
  Slot& s = slots_[exp_ % slots_.size()];
  if (!s.used || s.cmd_sn != exp_) return std::nullopt;
  s.used = false;
  ++exp_;
  return s.cookie;
}

bool StatSnTracker::Acknowledge(uint32_t exp_stat_sn) {
  if (!SnInRange(exp_stat_sn, acked_, next_)) return false;
  acked_ = exp_stat_sn;
  return true;
}

std::optional<RejectReason> DataOutSequence::Accept(const DataOut& pdu) {
  if (pdu.data_sn != next_data_sn_ || pdu.buffer_offset != next_offset_) {
    return RejectReason::kProtocolError;
  }
  if (pdu.data_segment_length > end_ - next_offset_) return RejectReason::kProtocolError;
  next_offset_ += pdu.data_segment_length;
  ++next_data_sn_;
  // RFC 7143 §11.7.1: F marks the burst's last PDU; it must coincide with the end.
  if (pdu.final_bit != complete()) return RejectReason::kProtocolError;
  return std::nullopt;
}

bool ResolveSnackRun(uint32_t beg_run, uint32_t run_length, uint32_t next, uint32_t* count) {
  if (!SnLess(beg_run, next)) return false;
  const uint32_t available = next - beg_run;
  if (run_length == 0) {
    *count = available;
    return true;
  }
  if (run_length > available) return false;
  *count = run_length;
  return true;
}

}  // namespace openstmf::iscsi
