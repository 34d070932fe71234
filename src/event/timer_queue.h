// TimerQueue: one-shot timers ordered by deadline, with O(log n) insert and lazy
// cancellation. Pure data structure: it never reads a clock; the owner passes "now".
//
// Thread-safety: none; owned by one event loop.
#ifndef OPENSTMF_EVENT_TIMER_QUEUE_H
#define OPENSTMF_EVENT_TIMER_QUEUE_H

#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <unordered_map>
#include <vector>

#include "event/clock.h"

namespace openstmf::event {

using TimerId = uint64_t;  // 0 is never a valid id

class TimerQueue {
 public:
  TimerId Add(TimePoint deadline, std::function<void()> callback);
  // Returns true if the timer was pending (it will not fire).
  bool Cancel(TimerId id);
  // The earliest pending deadline, if any.
  std::optional<TimePoint> NextDeadline();
  // Removes every timer due at or before now and returns their callbacks in
  // deadline order (ties in insertion order).
  std::vector<std::function<void()>> TakeExpired(TimePoint now);
  size_t size() const { return callbacks_.size(); }

 private:
  struct Entry {
    TimePoint deadline;
    TimerId id;
    bool operator>(const Entry& o) const {
      return deadline != o.deadline ? deadline > o.deadline : id > o.id;
    }
  };
  void DropCancelledTop();

  TimerId next_id_ = 1;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
  std::unordered_map<TimerId, std::function<void()>> callbacks_;  // pending only
};

}  // namespace openstmf::event

#endif  // OPENSTMF_EVENT_TIMER_QUEUE_H
