// Sequence numbers of an iSCSI session and connection (RFC 7143 §4.2.2): serial
// number arithmetic (RFC 1982, 32 bits), the CmdSN window with in-order delivery,
// StatSN acknowledgement, and the per-command DataSN/R2TSN rules.
//
// CommandWindow tells the connection which received commands may run: a command
// with CmdSN == ExpCmdSN runs now; one ahead of it but within MaxCmdSN waits in a
// fixed ring (no allocation after construction) until the gap fills; anything outside
// the window is dropped (§4.2.2.1). Immediate commands run at once and do not move
// the window. In a session with several connections the window is shared, so the
// owner serialises access to it.
//
// Thread-safety: none.
#ifndef OPENSTMF_PORT_ISCSI_SEQUENCE_H
#define OPENSTMF_PORT_ISCSI_SEQUENCE_H

#include <cstdint>
#include <optional>
#include <vector>

#include "port/iscsi/pdu_initiator.h"
#include "port/iscsi/status_codes.h"

namespace openstmf::iscsi {

// RFC 1982 comparisons for 32-bit serial numbers.
inline bool SnLess(uint32_t a, uint32_t b) { return a != b && static_cast<int32_t>(a - b) < 0; }
inline bool SnLessEq(uint32_t a, uint32_t b) { return a == b || SnLess(a, b); }
inline bool SnGreater(uint32_t a, uint32_t b) { return SnLess(b, a); }
// a <= x <= b in serial arithmetic.
inline bool SnInRange(uint32_t x, uint32_t a, uint32_t b) {
  return SnLessEq(a, x) && SnLessEq(x, b);
}

class CommandWindow {
 public:
  enum class Verdict : uint8_t {
    kDeliver,      // run now (then drain PopReady)
    kQueued,       // held until earlier CmdSNs arrive
    kOutOfWindow,  // outside [ExpCmdSN, MaxCmdSN]: silently ignore
    kDuplicate,    // a command with this CmdSN is already held
  };

  // `capacity`: most commands held at once, also the largest window offered.
  CommandWindow(uint32_t exp_cmd_sn, uint32_t capacity);

  // Classifies a received command; `cookie` identifies it for PopReady.
  Verdict Accept(uint32_t cmd_sn, bool immediate, uint64_t cookie);
  // The next held command that has become deliverable, in CmdSN order.
  std::optional<uint64_t> PopReady();

  // Credits: how many CmdSNs beyond ExpCmdSN-1 the initiator may use
  // (MaxCmdSN = ExpCmdSN + credits - 1; 0 closes the window). Capped at capacity.
  void set_credits(uint32_t credits);
  uint32_t exp_cmd_sn() const { return exp_; }
  uint32_t max_cmd_sn() const { return exp_ + credits_ - 1; }

 private:
  struct Slot {
    bool used = false;
    uint32_t cmd_sn = 0;
    uint64_t cookie = 0;
  };
  uint32_t exp_;
  uint32_t credits_;
  std::vector<Slot> slots_;  // indexed by cmd_sn % capacity
};

// StatSN of one connection and the initiator's acknowledgements (ExpStatSN).
class StatSnTracker {
 public:
  explicit StatSnTracker(uint32_t first) : next_(first), acked_(first) {}
  // The StatSN for the next response; advances.
  uint32_t Take() { return next_++; }
  // Peeks without advancing (R2T and Data-In without status carry it).
  uint32_t Peek() const { return next_; }
  // Records ExpStatSN; values outside [acknowledged, next] are ignored (stale or
  // bogus) and return false.
  bool Acknowledge(uint32_t exp_stat_sn);
  // Responses sent but not yet acknowledged.
  uint32_t unacknowledged() const { return next_ - acked_; }

 private:
  uint32_t next_;
  uint32_t acked_;
};

// Checks the Data-Out PDUs of one burst (an R2T's or the unsolicited one) when
// DataPDUInOrder=Yes: DataSN counts from 0 and offsets are contiguous
// (RFC 7143 §11.7.5, §13.18).
class DataOutSequence {
 public:
  DataOutSequence(uint32_t buffer_offset, uint32_t length)
      : next_offset_(buffer_offset), end_(buffer_offset + length) {}
  // Accepts the next PDU or says why not (protocol error at ERL 0).
  std::optional<RejectReason> Accept(const DataOut& pdu);
  bool complete() const { return next_offset_ == end_; }

 private:
  uint32_t next_data_sn_ = 0;
  uint32_t next_offset_;
  uint32_t end_;
};

// DataSN of Data-In and R2TSN of one command; a bidirectional command numbers its
// Data-In PDUs and R2Ts in one shared sequence (RFC 7143 §11.7.5, §11.8.3).
class TaskSnCounter {
 public:
  uint32_t NextDataSn() { return shared_ ? next_in_++ : next_data_++; }
  uint32_t NextR2tSn() { return shared_ ? next_in_++ : next_r2t_++; }
  void set_bidirectional(bool bidi) { shared_ = bidi; }

 private:
  bool shared_ = false;
  uint32_t next_in_ = 0;
  uint32_t next_data_ = 0;
  uint32_t next_r2t_ = 0;
};

// Resolves a SNACK's BegRun/RunLength against the numbers sent so far (next is the
// next unsent number). RunLength 0 means "from BegRun to the last sent". False if
// the run names numbers not yet sent (RFC 7143 §11.16.3, §11.16.4).
bool ResolveSnackRun(uint32_t beg_run, uint32_t run_length, uint32_t next, uint32_t* count);

}  // namespace openstmf::iscsi

#endif  // OPENSTMF_PORT_ISCSI_SEQUENCE_H
