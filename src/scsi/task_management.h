// Task management functions (SAM-5 7): which tasks each one affects and which
// unit attentions and LU resets follow.
//
// ApplyTaskManagement() updates the Lu (unit attentions, LUN / I_T nexus reset
// state) and returns the tasks the framework must abort; it never touches the
// TaskSet, so the framework aborts each task and then removes it.
#ifndef OPENSTMF_SCSI_TASK_MANAGEMENT_H
#define OPENSTMF_SCSI_TASK_MANAGEMENT_H

#include <cstdint>
#include <vector>

#include "scsi/lu.h"
#include "scsi/task_set.h"

namespace openstmf::scsi {

enum class TaskManagementFunction : uint8_t {
  kAbortTask,
  kAbortTaskSet,
  kClearTaskSet,
  kClearAca,
  kLunReset,
  kItNexusReset,
  kTargetReset,  // applied per LU by the framework
  kQueryTask,
  kQueryTaskSet,
  kQueryAsyncEvent,
};

// SAM-5 7.1 service responses.
enum class TmfResponse : uint8_t { kFunctionComplete, kFunctionSucceeded, kFunctionRejected };

struct TmfPlan {
  TmfResponse response = TmfResponse::kFunctionComplete;
  std::vector<TaskKey> abort;  // oldest first
  // The tasks of `abort` that belong to other I_T nexuses and must end with
  // TASK ABORTED status rather than silently: TAS=1 in the control mode page
  // (SAM-5 5.6). With TAS=0 those nexuses get COMMANDS CLEARED BY ANOTHER
  // INITIATOR instead.
  std::vector<TaskKey> report_task_aborted;
};

TmfPlan ApplyTaskManagement(Lu& lu, const TaskSet& tasks, TaskManagementFunction function,
                            NexusId requester, uint64_t tag = 0);

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_TASK_MANAGEMENT_H
