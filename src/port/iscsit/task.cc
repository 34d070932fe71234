#include "port/iscsit/task.h"

namespace openstmf::iscsit {

// Buffers larger than this go back to the allocator when a task ends, so a burst
// of large commands does not pin memory in every pooled task.
constexpr size_t kKeepBuffer = 1 << 20;

Task* TaskPool::Acquire(Connection* conn) {
  Task* t;
  if (free_.empty()) {
    all_.push_back(std::make_unique<Task>());
    t = all_.back().get();
    t->index = static_cast<uint32_t>(all_.size() - 1);
  } else {
    t = free_.back();
    free_.pop_back();
  }
  t->conn = conn;
  t->state = Task::State::kHeld;
  t->lu = nullptr;
  t->nexus = 0;
  t->in_task_set = false;
  t->aborted = false;
  t->prepared = false;
  t->data_error = false;
  t->tmf_waiter = -1;
  t->received = 0;
  t->unsolicited_end = 0;
  t->next_r2t_offset = 0;
  t->r2t_outstanding = 0;
  t->bursts.clear();
  t->sn = iscsi::TaskSnCounter();
  t->tx_used = 0;
  t->cmd = scsi::ScsiCommand();
  return t;
}

void TaskPool::Release(Task* t) {
  t->state = Task::State::kFree;
  t->luns.reset();
  if (t->buf.capacity() > kKeepBuffer) std::vector<uint8_t>().swap(t->buf);
  free_.push_back(t);
}

Task* TaskPool::ByItt(uint32_t itt) const {
  for (const auto& t : all_) {
    if (t->state != Task::State::kFree && t->itt == itt) return t.get();
  }
  return nullptr;
}

}  // namespace openstmf::iscsit
