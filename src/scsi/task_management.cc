#include "scsi/task_management.h"

#include <algorithm>

namespace openstmf::scsi {
namespace {

std::vector<TaskKey> TasksOf(const TaskSet& tasks, NexusId nexus) {
  std::vector<TaskKey> out;
  for (TaskKey k : tasks.Keys()) {
    if (k.nexus == nexus) out.push_back(k);
  }
  return out;
}

}  // namespace

TmfPlan ApplyTaskManagement(Lu& lu, const TaskSet& tasks, TaskManagementFunction function,
                            NexusId requester, uint64_t tag) {
  TmfPlan plan;
  switch (function) {
    case TaskManagementFunction::kAbortTask:  // SAM-5 7.2
      if (tasks.Contains({requester, tag})) plan.abort.push_back({requester, tag});
      break;
    case TaskManagementFunction::kAbortTaskSet:  // SAM-5 7.3
      plan.abort = TasksOf(tasks, requester);
      break;
    case TaskManagementFunction::kClearTaskSet:  // SAM-5 7.5
      plan.abort = tasks.Keys();
      // SAM-5 5.6: other initiators learn that their commands ended, through
      // TASK ABORTED status (TAS=1) or a unit attention (TAS=0).
      for (TaskKey k : plan.abort) {
        if (k.nexus == requester || !lu.IsAttached(k.nexus)) continue;
        if (lu.mode_pages().task_aborted_status()) {
          plan.report_task_aborted.push_back(k);
        } else {
          lu.unit_attentions(k.nexus).Raise(UnitAttention::kCommandsClearedByAnotherInitiator);
        }
      }
      break;
    case TaskManagementFunction::kClearAca:  // SAM-5 7.4: NormACA is 0
      plan.response = TmfResponse::kFunctionRejected;
      break;
    case TaskManagementFunction::kLunReset:  // SAM-5 7.7
    case TaskManagementFunction::kTargetReset:
      plan.abort = tasks.Keys();
      lu.Reset();
      break;
    case TaskManagementFunction::kItNexusReset:  // SAM-5 7.6
      plan.abort = TasksOf(tasks, requester);
      lu.ResetNexus(requester);
      break;
    case TaskManagementFunction::kQueryTask:  // SAM-5 7.8
      if (tasks.Contains({requester, tag})) plan.response = TmfResponse::kFunctionSucceeded;
      break;
    case TaskManagementFunction::kQueryTaskSet:  // SAM-5 7.10
      if (!TasksOf(tasks, requester).empty()) plan.response = TmfResponse::kFunctionSucceeded;
      break;
    case TaskManagementFunction::kQueryAsyncEvent:  // SAM-5 7.9
      if (lu.IsAttached(requester) && !lu.unit_attentions(requester).empty()) {
        plan.response = TmfResponse::kFunctionSucceeded;
      }
      break;
  }
  return plan;
}

}  // namespace openstmf::scsi
