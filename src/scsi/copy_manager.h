// The per-LU copy manager state behind EXTENDED COPY (LID1) and RECEIVE COPY
// RESULTS (SPC-4 5.17, 6.3, 6.18): one record per copy operation that has a
// list identifier, kept while it runs and, with LIST ID USAGE 00b, held after
// it completes so RECEIVE COPY RESULTS can report it.
//
// Records belong to the I_T nexus that sent the EXTENDED COPY (SPC-4 6.18.1:
// the list identifier is unique per I_T nexus). Held records are discarded on
// I_T nexus loss, logical unit reset and when the nexus has more than
// kHeldPerNexus of them (oldest first); FAILED SEGMENT DETAILS data is
// discarded once returned (SPC-4 6.18.5).
//
// Thread-safety: none; owned by the Lu.
#ifndef OPENSTMF_SCSI_COPY_MANAGER_H
#define OPENSTMF_SCSI_COPY_MANAGER_H

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "scsi/result.h"

namespace openstmf::scsi {

using NexusId = uint32_t;

// SPC-4 6.18.3 COPY MANAGER STATUS.
enum class CopyState : uint8_t { kInProgress = 0x00, kSucceeded = 0x01, kFailed = 0x02 };

struct CopyRecord {
  NexusId nexus = 0;
  uint8_t list_id = 0;
  bool identified = true;  // false for LIST ID USAGE 11b: never reported
  bool hold = true;        // kept after completion (LIST ID USAGE 00b)
  CopyState state = CopyState::kInProgress;
  uint16_t segments_processed = 0;
  uint64_t bytes_transferred = 0;
  // Failure: the EXTENDED COPY status and sense (FAILED SEGMENT DETAILS).
  ScsiStatus status = ScsiStatus::kGood;
  std::vector<uint8_t> sense;
};

// A running EXTENDED COPY; the manager owns it until it calls Drop() on itself.
class CopyTask {
 public:
  virtual ~CopyTask() = default;
};

class CopyManager {
 public:
  static constexpr size_t kHeldPerNexus = 16;

  // Starts a copy. Fails with OPERATION IN PROGRESS when the nexus already
  // runs one with the same list identifier, and INSUFFICIENT RESOURCES when
  // kCopyMaxConcurrent copies run. `*id` names the record afterwards.
  ScsiResult Begin(NexusId nexus, uint8_t list_id, bool identified, bool hold, uint64_t* id);
  // The running or held record `id`, or nullptr once it is gone.
  CopyRecord* Running(uint64_t id);
  // Ends copy `id` with its final state; drops it unless held.
  void Finish(uint64_t id, const ScsiResult& result, std::vector<uint8_t> sense);
  // The newest record for (nexus, list_id), running or held, or nullptr.
  CopyRecord* Find(NexusId nexus, uint8_t list_id);
  // Held records of `nexus` (I_T nexus loss, I_T NEXUS RESET) or of every nexus
  // (logical unit reset); running copies finish and are then dropped.
  void DiscardHeld(NexusId nexus);
  void DiscardAllHeld();
  size_t running() const { return running_; }

  // Ownership of running copies: Adopt() keeps `task` alive until Drop(task)
  // destroys it (the task's last act).
  CopyTask* Adopt(std::unique_ptr<CopyTask> task);
  void Drop(CopyTask* task);

 private:
  struct Entry {
    uint64_t id;
    CopyRecord record;
  };
  std::deque<Entry> entries_;
  std::vector<std::unique_ptr<CopyTask>> tasks_;
  uint64_t next_id_ = 1;
  size_t running_ = 0;
};

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_COPY_MANAGER_H
