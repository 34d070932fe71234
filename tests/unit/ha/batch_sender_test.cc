#include "ha/batch_sender.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace openstmf::ha {
namespace {

TEST(BatchSenderTest, KeepsOrderAndBatchesWhatWaits) {
  std::mutex mu;
  std::vector<uint8_t> received;
  std::atomic<int> calls{0};
  {
    BatchSender s(
        [&](std::span<const uint8_t> b) {
          ++calls;
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
          std::lock_guard<std::mutex> lock(mu);
          received.insert(received.end(), b.begin(), b.end());
          return Status::Ok();
        },
        nullptr);
    for (int i = 0; i < 200; ++i) {
      uint8_t m[2] = {static_cast<uint8_t>(i), static_cast<uint8_t>(i)};
      ASSERT_TRUE(s.Send(m).ok());
    }
    uint8_t last[2] = {0xee, 0xee};
    ASSERT_TRUE(s.SendAndWait(last).ok());
    std::lock_guard<std::mutex> lock(mu);
    ASSERT_EQ(received.size(), 402u);  // everything before `last` went out too
  }
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(received[2 * i], static_cast<uint8_t>(i));
    EXPECT_EQ(received[2 * i + 1], static_cast<uint8_t>(i));
  }
  EXPECT_LT(calls.load(), 200);  // messages waiting during a call share the next one
}

TEST(BatchSenderTest, AMessageInPiecesGoesOutWhole) {
  std::mutex mu;
  std::vector<uint8_t> received;
  {
    BatchSender s(
        [&](std::span<const uint8_t> b) {
          std::lock_guard<std::mutex> lock(mu);
          received.insert(received.end(), b.begin(), b.end());
          return Status::Ok();
        },
        nullptr);
    for (uint8_t i = 0; i < 50; ++i) {
      const uint8_t head[2] = {0xaa, i};
      const std::vector<uint8_t> data(i, i);
      const std::span<const uint8_t> parts[] = {head, data, {}};
      ASSERT_TRUE(s.Send(MessageParts(parts)).ok());
    }
    const uint8_t last[1] = {0xee};
    const std::span<const uint8_t> one[] = {last};
    ASSERT_TRUE(s.SendAndWait(MessageParts(one)).ok());
  }
  std::vector<uint8_t> want;
  for (uint8_t i = 0; i < 50; ++i) {
    want.push_back(0xaa);
    want.push_back(i);
    want.insert(want.end(), i, i);
  }
  want.push_back(0xee);
  EXPECT_EQ(received, want);
}

TEST(BatchSenderTest, RefusesAtOnceWhenNotReadyAndReportsFailedCalls) {
  bool ready = false;
  BatchSender s([](std::span<const uint8_t>) { return Status(Code::kUnavailable, "gone"); },
                [&] { return ready; });
  uint8_t m[1] = {1};
  EXPECT_EQ(s.Send(m).code(), Code::kUnavailable);
  ready = true;
  EXPECT_TRUE(s.Send(m).ok());  // queued; the failure shows in the call that waits
  Status w = s.SendAndWait(m);
  EXPECT_EQ(w.code(), Code::kUnavailable);
}

TEST(BatchSenderTest, LargeQueuesGoOutInBoundedBatches) {
  std::vector<size_t> sizes;
  std::mutex mu;
  {
    BatchSender s(
        [&](std::span<const uint8_t> b) {
          std::lock_guard<std::mutex> lock(mu);
          sizes.push_back(b.size());
          return Status::Ok();
        },
        nullptr, 1000);
    std::vector<uint8_t> m(300, 7);
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(s.Send(m).ok());
    ASSERT_TRUE(s.SendAndWait(m).ok());
  }
  size_t total = 0;
  for (size_t n : sizes) {
    EXPECT_LE(n, 1000u);
    EXPECT_EQ(n % 300, 0u);  // whole messages only
    total += n;
  }
  EXPECT_EQ(total, 21u * 300);
}

}  // namespace
}  // namespace openstmf::ha
