// Test helper: a RandomSource returning queued byte strings, then zeros.
#ifndef OPENSTMF_TESTS_UNIT_PORT_FAKE_RANDOM_H
#define OPENSTMF_TESTS_UNIT_PORT_FAKE_RANDOM_H

#include <cstring>
#include <deque>
#include <vector>

#include "port/iscsi/chap.h"

namespace openstmf::iscsi::testing {

class FakeRandom : public RandomSource {
 public:
  void Queue(std::vector<uint8_t> bytes) { queue_.push_back(std::move(bytes)); }
  void Fill(std::span<uint8_t> out) override {
    std::memset(out.data(), 0, out.size());
    if (queue_.empty()) return;
    const auto& next = queue_.front();
    std::memcpy(out.data(), next.data(), std::min(next.size(), out.size()));
    queue_.pop_front();
  }

 private:
  std::deque<std::vector<uint8_t>> queue_;
};

inline std::vector<uint8_t> Seq(uint8_t first, size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(first + i);
  return v;
}

}  // namespace openstmf::iscsi::testing

#endif  // OPENSTMF_TESTS_UNIT_PORT_FAKE_RANDOM_H
