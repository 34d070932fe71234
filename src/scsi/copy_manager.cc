#include "scsi/copy_manager.h"

#include <algorithm>

#include "scsi/copy_params.h"
#include "scsi/sense.h"

namespace openstmf::scsi {

ScsiResult CopyManager::Begin(NexusId nexus, uint8_t list_id, bool identified, bool hold,
                              uint64_t* id) {
  if (running_ >= kCopyMaxConcurrent) return SenseFor(Asc::kInsufficientResources);
  if (identified) {
    for (Entry& e : entries_) {
      const CopyRecord& r = e.record;
      // SPC-4 6.3.2: a list identifier in use by a running copy of this nexus.
      if (r.identified && r.nexus == nexus && r.list_id == list_id &&
          r.state == CopyState::kInProgress) {
        return SenseFor(Asc::kOperationInProgress);
      }
    }
    // A new copy with the same list identifier replaces held results.
    std::erase_if(entries_, [&](const Entry& e) {
      return e.record.identified && e.record.nexus == nexus && e.record.list_id == list_id;
    });
    size_t held = std::count_if(entries_.begin(), entries_.end(), [&](const Entry& e) {
      return e.record.nexus == nexus && e.record.state != CopyState::kInProgress;
    });
    if (held >= kHeldPerNexus) {
      auto oldest = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) {
        return e.record.nexus == nexus && e.record.state != CopyState::kInProgress;
      });
      entries_.erase(oldest);
    }
  }
  Entry e{next_id_++, CopyRecord{}};
  e.record.nexus = nexus;
  e.record.list_id = list_id;
  e.record.identified = identified;
  e.record.hold = hold && identified;
  *id = e.id;
  entries_.push_back(std::move(e));
  ++running_;
  return Good();
}

CopyRecord* CopyManager::Running(uint64_t id) {
  for (Entry& e : entries_) {
    if (e.id == id) return &e.record;
  }
  return nullptr;
}

void CopyManager::Finish(uint64_t id, const ScsiResult& result, std::vector<uint8_t> sense) {
  auto it =
      std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.id == id; });
  if (it == entries_.end()) return;
  --running_;
  CopyRecord& r = it->record;
  if (!r.hold) {
    entries_.erase(it);
    return;
  }
  r.state = result.good() ? CopyState::kSucceeded : CopyState::kFailed;
  r.status = result.status;
  r.sense = std::move(sense);
}

CopyRecord* CopyManager::Find(NexusId nexus, uint8_t list_id) {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    const CopyRecord& r = it->record;
    if (r.identified && r.nexus == nexus && r.list_id == list_id) return &it->record;
  }
  return nullptr;
}

void CopyManager::DiscardHeld(NexusId nexus) {
  // A running copy of a lost nexus finishes anonymously: a new nexus reusing
  // the NexusId may reuse its list identifier.
  for (Entry& e : entries_) {
    if (e.record.nexus != nexus) continue;
    e.record.hold = false;
    e.record.identified = false;
  }
  std::erase_if(entries_, [&](const Entry& e) {
    return e.record.nexus == nexus && e.record.state != CopyState::kInProgress;
  });
}

void CopyManager::DiscardAllHeld() {
  for (Entry& e : entries_) e.record.hold = false;
  std::erase_if(entries_, [](const Entry& e) { return e.record.state != CopyState::kInProgress; });
}

CopyTask* CopyManager::Adopt(std::unique_ptr<CopyTask> task) {
  tasks_.push_back(std::move(task));
  return tasks_.back().get();
}

void CopyManager::Drop(CopyTask* task) {
  std::erase_if(tasks_, [&](const std::unique_ptr<CopyTask>& t) { return t.get() == task; });
}

}  // namespace openstmf::scsi
