#include "event/timer_queue.h"

#include <utility>

namespace openstmf::event {

TimerId TimerQueue::Add(TimePoint deadline, std::function<void()> callback) {
  const TimerId id = next_id_++;
  heap_.push(Entry{deadline, id});
  callbacks_.emplace(id, std::move(callback));
  return id;
}

bool TimerQueue::Cancel(TimerId id) { return callbacks_.erase(id) != 0; }

// Cancelled entries stay in the heap until they reach the top.
void TimerQueue::DropCancelledTop() {
  while (!heap_.empty() && callbacks_.find(heap_.top().id) == callbacks_.end()) heap_.pop();
}

std::optional<TimePoint> TimerQueue::NextDeadline() {
  DropCancelledTop();
  if (heap_.empty()) return std::nullopt;
  return heap_.top().deadline;
}

std::vector<std::function<void()>> TimerQueue::TakeExpired(TimePoint now) {
  std::vector<std::function<void()>> due;
  for (DropCancelledTop(); !heap_.empty() && heap_.top().deadline <= now; DropCancelledTop()) {
    auto it = callbacks_.find(heap_.top().id);
    heap_.pop();
    due.push_back(std::move(it->second));
    callbacks_.erase(it);
  }
  return due;
}

}  // namespace openstmf::event
