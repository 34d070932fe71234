#include "scsi/task_set.h"

#include <algorithm>
#include <limits>

namespace openstmf::scsi {
namespace {

uint64_t End(const TaskInfo& t) {
  if (t.blocks == 0) return std::numeric_limits<uint64_t>::max();
  return t.lba + t.blocks;
}

bool Overlap(const TaskInfo& a, const TaskInfo& b) { return a.lba < End(b) && b.lba < End(a); }

// The serialisation table: may `later` run beside `earlier`?
bool Conflicts(const TaskInfo& earlier, const TaskInfo& later) {
  SerialClass e = earlier.serial;
  SerialClass l = later.serial;
  if (e == SerialClass::kBarrier || l == SerialClass::kBarrier) return true;
  if (e == SerialClass::kNone || l == SerialClass::kNone) return false;
  if (e == SerialClass::kRead && l == SerialClass::kRead) return false;
  return Overlap(earlier, later);
}

}  // namespace

TaskInfo TaskInfoFor(const ScsiCommand& cmd, uint64_t tag, TaskAttribute attribute) {
  TaskInfo t;
  t.key = TaskKey{cmd.nexus, tag};
  t.attribute = attribute;
  if (cmd.entry == nullptr) return t;
  t.serial = cmd.entry->serial;
  t.lba = cmd.cdb.lba;
  t.blocks = cmd.cdb.blocks;
  return t;
}

Admission TaskSet::Add(const TaskInfo& task) {
  // SAM-5 8.6.5: without NormACA there is no ACA condition to run in.
  if (task.attribute == TaskAttribute::kAca) return Admission::kRejectAca;
  if (Contains(task.key)) return Admission::kOverlapped;  // SAM-5 5.10.2
  tasks_.push_back(Entry{task, false});
  if (MustWait(tasks_.size() - 1)) return Admission::kWait;
  tasks_.back().running = true;
  return Admission::kRun;
}

bool TaskSet::MustWait(size_t index) const {
  const TaskInfo& t = tasks_[index].info;
  // SAM-5 8.6.4: a HEAD OF QUEUE task starts at once.
  if (t.attribute == TaskAttribute::kHeadOfQueue) return false;
  for (size_t j = 0; j < index; ++j) {
    const TaskInfo& o = tasks_[j].info;
    // SAM-5 8.6.3: an ORDERED task waits for all older tasks, and all newer
    // tasks but HEAD OF QUEUE wait for it.
    if (t.attribute == TaskAttribute::kOrdered || o.attribute == TaskAttribute::kOrdered) {
      return true;
    }
    if (o.attribute == TaskAttribute::kHeadOfQueue && !tasks_[j].running) return true;
    if (Conflicts(o, t)) return true;
  }
  // HEAD OF QUEUE tasks count as older than everything, so an ORDERED task also
  // waits for those that arrived after it.
  if (t.attribute == TaskAttribute::kOrdered) {
    for (size_t j = index + 1; j < tasks_.size(); ++j) {
      if (tasks_[j].info.attribute == TaskAttribute::kHeadOfQueue) return true;
    }
  }
  return false;
}

void TaskSet::Remove(TaskKey key, std::vector<TaskKey>* runnable) {
  auto it =
      std::find_if(tasks_.begin(), tasks_.end(), [&](const Entry& e) { return e.info.key == key; });
  if (it == tasks_.end()) return;
  tasks_.erase(it);
  for (size_t i = 0; i < tasks_.size(); ++i) {
    if (tasks_[i].running || MustWait(i)) continue;
    tasks_[i].running = true;
    if (runnable != nullptr) runnable->push_back(tasks_[i].info.key);
  }
}

bool TaskSet::Contains(TaskKey key) const {
  return std::any_of(tasks_.begin(), tasks_.end(),
                     [&](const Entry& e) { return e.info.key == key; });
}

bool TaskSet::Running(TaskKey key) const {
  return std::any_of(tasks_.begin(), tasks_.end(),
                     [&](const Entry& e) { return e.info.key == key && e.running; });
}

std::vector<TaskKey> TaskSet::Keys() const {
  std::vector<TaskKey> keys;
  for (const Entry& e : tasks_) keys.push_back(e.info.key);
  return keys;
}

}  // namespace openstmf::scsi
