// The task set of one LU as a pure scheduler: which tasks may start now.
//
// Ordering follows SAM-5 8.6 (SIMPLE, ORDERED, HEAD OF QUEUE; ACA is refused as
// NormACA is 0) and, among SIMPLE tasks, the block-range serialisation FreeBSD
// CTL applies: a task waits for every older unfinished task it conflicts with
// (overlapping ranges where either writes; barriers against everything). So
// overlapping writes, COMPARE AND WRITE and WRITE ATOMIC run alone on their
// range, which is what makes them atomic against other writers.
//
// The scheduler holds no commands, only keys; the framework runs what it says.
// Thread-safety: none; owned by the LU's loop.
#ifndef OPENSTMF_SCSI_TASK_SET_H
#define OPENSTMF_SCSI_TASK_SET_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include "scsi/command.h"
#include "scsi/opcode_table.h"

namespace openstmf::scsi {

enum class TaskAttribute : uint8_t { kSimple, kOrdered, kHeadOfQueue, kAca };

struct TaskKey {
  NexusId nexus = 0;
  uint64_t tag = 0;
  bool operator==(const TaskKey&) const = default;
};

struct TaskInfo {
  TaskKey key;
  TaskAttribute attribute = TaskAttribute::kSimple;
  SerialClass serial = SerialClass::kNone;
  uint64_t lba = 0;
  uint64_t blocks = 0;  // 0 with kRead/kWrite: to the end of the medium
};

// The scheduling facts of a prepared command.
TaskInfo TaskInfoFor(const ScsiCommand& cmd, uint64_t tag, TaskAttribute attribute);

enum class Admission {
  kRun,         // start it now
  kWait,        // queued; Remove() will hand it out later
  kOverlapped,  // tag already in use on this nexus: OVERLAPPED COMMANDS ATTEMPTED
  kRejectAca,   // ACA attribute without an ACA condition (NormACA 0)
};

class TaskSet {
 public:
  Admission Add(const TaskInfo& task);
  // Drops a finished or aborted task and appends the tasks that may now start.
  void Remove(TaskKey key, std::vector<TaskKey>* runnable);
  bool Contains(TaskKey key) const;
  bool Running(TaskKey key) const;
  size_t size() const { return tasks_.size(); }
  // Every task, oldest first.
  std::vector<TaskKey> Keys() const;

 private:
  struct Entry {
    TaskInfo info;
    bool running = false;
  };
  bool MustWait(size_t index) const;

  std::vector<Entry> tasks_;  // arrival order
};

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_TASK_SET_H
