// The sanitize operation of one LU (SBC-3 4.11, SANITIZE command 5.30).
//
// A SANITIZE command validates its CDB and parameter list and starts the
// operation here; the Lu owns it, not the command, so it goes on after the
// command is aborted, after LUN and target resets and after the I_T nexus that
// started it is lost (SBC-3 4.11: a sanitize operation survives all of these).
// The medium is processed in chunks through the LU's BlockBackend:
//   - OVERWRITE: the initialization pattern, OVERWRITE COUNT passes, every
//     other pass inverted when INVERT is set (the last pass is never inverted);
//   - BLOCK ERASE and CRYPTOGRAPHIC ERASE: thin LUs deallocate (reads then
//     return zeros, LBPRZ), thick LUs are zero-filled.
// Every chunk is written durably (kIoFua) and followed by BlockBackend::Pause so
// the operation runs at about LuConfig::sanitize_bytes_per_second.
//
// While it runs the dispatcher answers most commands NOT READY, SANITIZE IN
// PROGRESS with a progress indication (SPC-4 4.5.2.4.4); REQUEST SENSE reports
// the same. A SANITIZE with IMMED=0 completes when the operation ends (its
// `waiter`); with IMMED=1 it completed when the operation started. When the
// operation fails the LU stays in the failed state (MEDIUM ERROR, SANITIZE
// COMMAND FAILED) until a later sanitize succeeds or, if the failed one had
// AUSE=1, until EXIT FAILURE MODE (SBC-3 4.11.3).
//
// Thread-safety: none; runs on the LU's loop like the handlers.
#ifndef OPENSTMF_SCSI_SANITIZE_H
#define OPENSTMF_SCSI_SANITIZE_H

#include <cstdint>
#include <vector>

#include "scsi/block_backend.h"
#include "scsi/result.h"

namespace openstmf::scsi {

class Lu;
struct ScsiCommand;

enum class SanitizeMethod : uint8_t { kOverwrite, kBlockErase, kCryptoErase };

struct SanitizeRequest {
  SanitizeMethod method = SanitizeMethod::kOverwrite;
  std::vector<uint8_t> pattern;  // OVERWRITE: exactly one block
  uint8_t passes = 1;            // OVERWRITE COUNT, 1..31
  bool invert = false;           // INVERT
  bool ause = false;             // AUSE: unrestricted completion mode
};

class SanitizeOperation {
 public:
  // Bytes per chunk written (or deallocated) before the next pause.
  static constexpr uint64_t kChunkBytes = 4u << 20;

  SanitizeOperation() = default;
  SanitizeOperation(const SanitizeOperation&) = delete;
  SanitizeOperation& operator=(const SanitizeOperation&) = delete;

  bool in_progress() const { return running_; }
  // The last operation failed and the failure mode has not been exited.
  bool failed() const { return failed_; }
  // The failed operation had AUSE=1, so EXIT FAILURE MODE may end the failure.
  bool unrestricted() const { return unrestricted_; }
  // Fraction done in 1/65536ths (SPC-4 4.5.2.4.4), 0 when not running.
  uint16_t progress() const;

  // Starts an operation on `lu` (not running now). `waiter`, when not null, is
  // the IMMED=0 SANITIZE command, completed when the operation ends.
  void Start(Lu& lu, SanitizeRequest request, ScsiCommand* waiter);
  // EXIT FAILURE MODE (SBC-3 5.30.3): leaves the failed state.
  void ExitFailureMode() { failed_ = unrestricted_ = false; }
  // Stops waiting for `cmd` (an aborted SANITIZE command): it completes now with
  // TASK ABORTED status while the operation continues. False when `cmd` is not
  // the waiter.
  bool AbortWaiter(ScsiCommand* cmd);
  // Sets or clears the failed state directly (the provider restoring it).
  void set_failed(bool failed) { failed_ = failed; }

 private:
  enum class Phase : uint8_t { kIdle, kIo, kPause };
  static void OnEvent(void* arg, IoResult io);
  void Pump();
  void Advance();
  void IssueChunk();
  void Finish(const ScsiResult& result);
  bool PassInverted(uint32_t pass) const;

  Lu* lu_ = nullptr;
  ScsiCommand* waiter_ = nullptr;
  SanitizeRequest request_;
  std::vector<uint8_t> block_;  // the pattern of the current pass
  std::vector<ByteRange> ranges_;
  Phase phase_ = Phase::kIdle;
  IoResult last_;
  uint64_t total_ = 0;  // bytes per pass
  uint64_t pos_ = 0;    // bytes done in this pass
  uint64_t chunk_ = 0;  // bytes of the chunk in flight
  uint32_t pass_ = 0;
  bool running_ = false;
  bool failed_ = false;
  bool unrestricted_ = false;
  bool pumping_ = false;
  bool again_ = false;
};

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_SANITIZE_H
