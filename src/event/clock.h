// Clock: where event loops read the time, so tests can move time by hand.
//
// Thread-safety: SteadyClock is stateless; a FakeClock (tests) is advanced by the
// thread that owns the loop using it.
#ifndef OPENSTMF_EVENT_CLOCK_H
#define OPENSTMF_EVENT_CLOCK_H

#include <chrono>

namespace openstmf::event {

using TimePoint = std::chrono::steady_clock::time_point;
using Duration = std::chrono::steady_clock::duration;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SteadyClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::steady_clock::now(); }
};

// A clock that only moves when told to.
class FakeClock final : public Clock {
 public:
  TimePoint Now() const override { return now_; }
  void Advance(Duration d) { now_ += d; }

 private:
  TimePoint now_{};
};

}  // namespace openstmf::event

#endif  // OPENSTMF_EVENT_CLOCK_H
