#include "ha/batch_sender.h"

#include <sched.h>

#include <algorithm>
#include <chrono>

#include "base/log.h"

namespace openstmf::ha {

BatchSender::BatchSender(std::function<Status(std::span<const uint8_t>)> send,
                         std::function<bool()> ready, size_t max_batch_bytes, LoopPost loop_post)
    : send_(std::move(send)),
      ready_(std::move(ready)),
      max_batch_(max_batch_bytes),
      loop_post_(std::move(loop_post)),
      life_(std::make_shared<Life>()) {
  life_->sender = this;
  thread_ = std::thread([this] { Run(); });
}

BatchSender::~BatchSender() {
  {
    std::lock_guard<std::mutex> lock(life_->mu);
    life_->sender = nullptr;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Status BatchSender::Send(std::span<const uint8_t> message) {
  const std::span<const uint8_t> one[] = {message};
  return Send(MessageParts(one));
}

Status BatchSender::Send(MessageParts parts) {
  if (ready_ && !ready_()) return Status(Code::kUnavailable, "the proxy service is not attached");
  event::EventLoop* loop =
      loop_post_.try_post && loop_post_.current_loop ? loop_post_.current_loop() : nullptr;
  bool flush_later = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return Status(Code::kUnavailable, "stmfd is stopping");
    for (std::span<const uint8_t> p : parts) queue_.insert(queue_.end(), p.begin(), p.end());
    ends_.push_back(queue_.size());
    ++queued_;
    if (loop == nullptr) {
      thread_wanted_ = true;
    } else if (std::find(flushing_.begin(), flushing_.end(), loop) == flushing_.end()) {
      flushing_.push_back(loop);
      flush_later = true;
    }
  }
  if (loop == nullptr) {
    cv_.notify_one();
  } else if (flush_later) {
    // After the turn's other events: everything they queue goes in one post.
    loop->Defer([life = life_, loop] {
      std::lock_guard<std::mutex> lock(life->mu);
      if (life->sender != nullptr) life->sender->FlushFromLoop(loop);
    });
  }
  return Status::Ok();
}

void BatchSender::DropFrontLocked(size_t n, size_t bytes) {
  if (n == ends_.size()) {
    queue_.clear();
    ends_.clear();
    return;
  }
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(bytes));
  ends_.erase(ends_.begin(), ends_.begin() + static_cast<std::ptrdiff_t>(n));
  for (size_t& e : ends_) e -= bytes;
}

void BatchSender::FlushFromLoop(event::EventLoop* loop) {
  std::unique_lock<std::mutex> lock(mu_);
  flushing_.erase(std::remove(flushing_.begin(), flushing_.end(), loop), flushing_.end());
  while (!ends_.empty()) {
    // The thread's batch must leave first, and a waiter wants the outcome of
    // a door call: both are the thread's.
    bool posted = false;
    if (!sending_ && !stopping_ && wait_upto_ <= done_) {
      size_t n = 0;
      while (n < ends_.size() && ends_[n] <= loop_post_.max_bytes) ++n;
      if (n > 0) {
        const size_t bytes = ends_[n - 1];
        size_t lost = 0;
        posted = loop_post_.try_post({queue_.data(), bytes}, n, &lost).ok();
        if (lost != 0) {
          ReportOutcome(Status(Code::kUnavailable, "stmfproxy could not deliver them"), lost);
        }
        if (posted) {
          DropFrontLocked(n, bytes);
          done_ += n;
        }
      }
    }
    if (!posted) {
      thread_wanted_ = true;
      lock.unlock();
      cv_.notify_one();
      return;
    }
  }
  thread_wanted_ = false;
}

Status BatchSender::SendAndWait(std::span<const uint8_t> message) {
  const std::span<const uint8_t> one[] = {message};
  return SendAndWait(MessageParts(one));
}

Status BatchSender::SendAndWait(MessageParts parts) {
  RETURN_IF_ERROR(Send(parts));
  std::unique_lock<std::mutex> lock(mu_);
  const uint64_t mine = queued_;
  wait_upto_ = std::max(wait_upto_, mine);
  thread_wanted_ = true;
  cv_.notify_one();
  sent_cv_.wait(lock, [&] { return done_ >= mine || stopping_; });
  return done_ >= mine ? last_ : Status(Code::kUnavailable, "stmfd is stopping");
}

void BatchSender::ReportOutcome(const Status& s, size_t messages) {  // mu_ held
  // One line when sending starts failing, then one every kFailureLogInterval
  // with the count, and one when messages flow again: a cut link is not a flood.
  const auto now = std::chrono::steady_clock::now();
  if (s.ok()) {
    if (lost_ != 0) {
      Log(LogLevel::kInfo, "alua", "messages reach the peer again (%llu were not sent)",
          static_cast<unsigned long long>(lost_));
    }
    lost_ = 0;
    return;
  }
  const bool first = lost_ == 0;
  lost_ += messages;
  if (first || now - last_failure_log_ >= kFailureLogInterval) {
    Log(LogLevel::kWarn, "alua", "%llu messages to the peer not sent: %s",
        static_cast<unsigned long long>(lost_), s.message().c_str());
    last_failure_log_ = now;
  }
}

void BatchSender::Run() {
  std::vector<uint8_t> batch;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stopping_ || (thread_wanted_ && !ends_.empty()); });
    if (ends_.empty()) return;  // stopping, nothing left
    sending_ = true;            // from here the front of the queue is this thread's
    // Let the threads that are producing right now add theirs, for as long as
    // they do (a few rounds at most): one door call for more messages costs
    // less than one each.
    for (int round = 0; round < kGatherRounds && ends_.size() < kFewMessages && !stopping_;
         ++round) {
      const size_t before = ends_.size();
      lock.unlock();
      sched_yield();
      lock.lock();
      if (ends_.size() == before) break;
    }
    // Whole messages up to max_batch_ bytes (at least one).
    size_t n = 1;
    while (n < ends_.size() && ends_[n] <= max_batch_) ++n;
    const size_t bytes = ends_[n - 1];
    if (n == ends_.size()) {
      // All of it (the usual case): the queue itself becomes the batch and
      // the previous batch's buffer the queue, so nothing is copied.
      batch.swap(queue_);
      queue_.clear();
      ends_.clear();
      thread_wanted_ = false;
    } else {
      batch.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(bytes));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(bytes));
      ends_.erase(ends_.begin(), ends_.begin() + static_cast<std::ptrdiff_t>(n));
      for (size_t& e : ends_) e -= bytes;
    }
    lock.unlock();
    Status s = send_(batch);
    lock.lock();
    sending_ = false;
    ReportOutcome(s, n);
    done_ += n;
    last_ = s;
    sent_cv_.notify_all();
  }
}

}  // namespace openstmf::ha
