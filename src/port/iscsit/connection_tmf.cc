// Task management of a connection (RFC 7143 §11.5, §11.6; SAM-5 7).
#include "base/log.h"
#include "port/iscsi/pdu_initiator.h"
#include "port/iscsi/pdu_target.h"
#include "port/iscsit/connection.h"
#include "scsi/dispatcher.h"
#include "scsi/task_management.h"

namespace openstmf::iscsit {
namespace {

std::optional<scsi::TaskManagementFunction> ScsiFunction(iscsi::TmfFunction f) {
  switch (f) {
    case iscsi::TmfFunction::kAbortTask:
      return scsi::TaskManagementFunction::kAbortTask;
    case iscsi::TmfFunction::kAbortTaskSet:
      return scsi::TaskManagementFunction::kAbortTaskSet;
    case iscsi::TmfFunction::kClearAca:
      return scsi::TaskManagementFunction::kClearAca;
    case iscsi::TmfFunction::kClearTaskSet:
      return scsi::TaskManagementFunction::kClearTaskSet;
    case iscsi::TmfFunction::kLogicalUnitReset:
      return scsi::TaskManagementFunction::kLunReset;
    case iscsi::TmfFunction::kTargetWarmReset:
    case iscsi::TmfFunction::kTargetColdReset:
      return scsi::TaskManagementFunction::kTargetReset;
    case iscsi::TmfFunction::kQueryTask:
      return scsi::TaskManagementFunction::kQueryTask;
    case iscsi::TmfFunction::kQueryTaskSet:
      return scsi::TaskManagementFunction::kQueryTaskSet;
    case iscsi::TmfFunction::kItNexusReset:
      return scsi::TaskManagementFunction::kItNexusReset;
    case iscsi::TmfFunction::kQueryAsyncEvent:
      return scsi::TaskManagementFunction::kQueryAsyncEvent;
    case iscsi::TmfFunction::kTaskReassign:
      break;
  }
  return std::nullopt;
}

iscsi::TmfResponse IscsiResponse(scsi::TmfResponse r) {
  switch (r) {
    case scsi::TmfResponse::kFunctionComplete:
      return iscsi::TmfResponse::kFunctionComplete;
    case scsi::TmfResponse::kFunctionSucceeded:
      return iscsi::TmfResponse::kFunctionSucceeded;
    case scsi::TmfResponse::kFunctionRejected:
      return iscsi::TmfResponse::kFunctionRejected;
  }
  return iscsi::TmfResponse::kFunctionRejected;
}

// Functions that end every task of the nexus on the LU, including those the
// task set has not seen yet (still receiving data or waiting for CmdSN order).
bool EndsAllOwnTasks(scsi::TaskManagementFunction f) {
  return f == scsi::TaskManagementFunction::kAbortTaskSet ||
         f == scsi::TaskManagementFunction::kClearTaskSet ||
         f == scsi::TaskManagementFunction::kLunReset ||
         f == scsi::TaskManagementFunction::kTargetReset ||
         f == scsi::TaskManagementFunction::kItNexusReset;
}

}  // namespace

int Connection::NewTmfWaiter(uint32_t itt) {
  for (size_t i = 0; i < tmfs_.size(); ++i) {
    if (!tmfs_[i].used) {
      tmfs_[i] = {true, itt, 0, 0};
      return static_cast<int>(i);
    }
  }
  tmfs_.push_back({true, itt, 0, 0});
  return static_cast<int>(tmfs_.size() - 1);
}

void Connection::TmfTaskGone(int waiter) {
  PendingTmf& p = tmfs_[static_cast<size_t>(waiter)];
  if (--p.waiting > 0 || !p.used) return;
  p.used = false;
  if (!closed_) SendTmfResponse(p.itt, p.response);
}

void Connection::SendTmfResponse(uint32_t itt, uint8_t response) {
  iscsi::TaskMgmtResponse r;
  r.response = response;
  r.itt = itt;
  FillSn(&r.sn, true);
  uint8_t h[iscsi::kBhsSize + iscsi::kDigestSize];
  r.Encode(h);
  SendControl(h, {});
}

void Connection::AbortOwn(Task* t, int waiter) {
  switch (t->state) {
    case Task::State::kFree:
    case Task::State::kSending:
      return;  // finished already; its response is on the way
    case Task::State::kHeld:
      // Still counted by the CmdSN window; released when its turn comes, or now
      // when the window will never move again.
      if (closed_ || draining_) return ReleaseTask(t);
      t->aborted = true;
      return;
    case Task::State::kReceiving:
      ReleaseTask(t);
      return;
    case Task::State::kWaiting: {
      std::lock_guard<std::recursive_mutex> lock(t->lu->mu());
      t->in_task_set = false;
      t->lu->FinishTask(t->key());
      ReleaseTask(t);
      return;
    }
    case Task::State::kRunning:
      // The backend still uses its buffers: suppress the response and account
      // for it when it completes (SAM-5 7.2: the TMF answers after the task ends).
      t->aborted = true;
      if (waiter >= 0) {
        t->tmf_waiter = waiter;
        ++tmfs_[static_cast<size_t>(waiter)].waiting;
      }
      {
        std::lock_guard<std::recursive_mutex> lock(t->lu->mu());
        t->lu->AbortCommand(t->cmd);
      }
      return;
  }
}

void Connection::AbortTasks(const stmf::Guid& lu, const std::vector<uint64_t>& tags, bool all) {
  for (const auto& tp : pool_.all()) {
    Task* t = tp.get();
    if (t->state == Task::State::kFree || t->lu == nullptr || t->lu->guid() != lu) continue;
    bool hit = all;
    for (uint64_t tag : tags) hit = hit || tag == t->itt;
    if (hit) AbortOwn(t, -1);
  }
}

void Connection::HandleTaskMgmt(const uint8_t* bhs) {
  iscsi::TaskMgmtRequest q = iscsi::TaskMgmtRequest::Decode(bhs);
  auto fn = static_cast<iscsi::TmfFunction>(q.function);
  std::optional<scsi::TaskManagementFunction> sfn = ScsiFunction(fn);
  Log(LogLevel::kInfo, "iscsit", "%s: task management function %u (ref %08x)", peer_.c_str(),
      q.function, q.referenced_task_tag);
  if (!sfn) {
    return SendTmfResponse(q.itt,
                           static_cast<uint8_t>(fn == iscsi::TmfFunction::kTaskReassign
                                                    ? iscsi::TmfResponse::kTaskReassignNotSupported
                                                    : iscsi::TmfResponse::kFunctionNotSupported));
  }
  int waiter = NewTmfWaiter(q.itt);
  tmfs_[static_cast<size_t>(waiter)].waiting = 1;  // held until this function is applied
  uint8_t response = static_cast<uint8_t>(iscsi::TmfResponse::kFunctionComplete);

  if (fn == iscsi::TmfFunction::kAbortTask) {
    Task* t = pool_.ByItt(q.referenced_task_tag);
    if (t == nullptr || t->state == Task::State::kSending) {
      // RFC 7143 §11.6.1: a task never received (RefCmdSN inside the CmdSN
      // window and older than this request) counts as received and aborted;
      // a task that already completed — its response is gone or on the way —
      // does not exist.
      bool never_received = t == nullptr && iscsi::SnLess(q.ref_cmd_sn, q.cmd_sn) &&
                            !iscsi::SnLess(q.ref_cmd_sn, session_->window().exp_cmd_sn());
      if (!never_received) {
        response = static_cast<uint8_t>(iscsi::TmfResponse::kTaskDoesNotExist);
      }
    } else {
      AbortOwn(t, waiter);
    }
  } else {
    std::vector<const LunEntry*> targets;
    bool target_wide = fn == iscsi::TmfFunction::kTargetWarmReset ||
                       fn == iscsi::TmfFunction::kTargetColdReset ||
                       fn == iscsi::TmfFunction::kItNexusReset;
    if (target_wide) {
      for (const LunEntry& e : session_->luns()) targets.push_back(&e);
    } else if (const LunEntry* e = FindLun(q.lun)) {
      targets.push_back(e);
    } else {
      response = static_cast<uint8_t>(iscsi::TmfResponse::kLunDoesNotExist);
    }
    for (const LunEntry* e : targets) {
      std::lock_guard<std::recursive_mutex> lock(e->lu->mu());
      scsi::TmfPlan plan = scsi::ApplyTaskManagement(e->lu->scsi(), e->lu->tasks(), *sfn, e->nexus,
                                                     q.referenced_task_tag);
      if (!target_wide) response = static_cast<uint8_t>(IscsiResponse(plan.response));
      if (fn == iscsi::TmfFunction::kQueryTask || fn == iscsi::TmfFunction::kQueryTaskSet ||
          fn == iscsi::TmfFunction::kQueryAsyncEvent) {
        continue;
      }
      e->lu->AbortKeys(plan.abort, e->nexus);
      std::vector<uint64_t> own_tags;
      for (const scsi::TaskKey& k : plan.abort) {
        if (k.nexus != e->nexus) continue;
        own_tags.push_back(k.tag);
        if (Task* t = pool_.ByItt(static_cast<uint32_t>(k.tag))) AbortOwn(t, waiter);
      }
      if (EndsAllOwnTasks(*sfn)) {
        for (const auto& tp : pool_.all()) {
          Task* t = tp.get();
          if (t->state != Task::State::kFree && t->lu == e->lu) AbortOwn(t, waiter);
        }
      }
      // The session's other connections hold tasks of the same nexus
      // (RFC 7143 §11.5.1: the function applies to the whole session).
      for (Connection* c : session_->Others(this)) {
        c->AbortTasks(e->lu->guid(), own_tags, EndsAllOwnTasks(*sfn));
      }
      // An ALUA pair's non-owner: the owner applies it too, and the response
      // waits for it (the next command on the owner's path sees the reset).
      if (std::shared_ptr<stmf::CommandProxy> proxy = e->lu->proxy();
          proxy != nullptr && EndsAllOwnTasks(*sfn)) {
        ++tmfs_[static_cast<size_t>(waiter)].waiting;
        std::weak_ptr<Connection> self = weak_from_this();
        proxy->TaskManagement(*e->lu, e->lu->scsi().nexus(e->nexus), *sfn, [self, waiter] {
          if (auto c = self.lock()) c->TmfTaskGone(waiter);
        });
      }
    }
  }
  tmfs_[static_cast<size_t>(waiter)].response = response;
  TmfTaskGone(waiter);
  if (fn == iscsi::TmfFunction::kTargetColdReset) {
    // RFC 7143 §11.5.1: after a cold reset the target closes all of its TCP
    // connections to all initiators (every session of this target ends).
    ctx_.targets->CloseSessionsOf(session_->target(), "target cold reset");
    Close("target cold reset");
  }
}

}  // namespace openstmf::iscsit
