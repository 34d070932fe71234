#include "event/io_ring.h"

#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace openstmf::event {
namespace {

using std::chrono::milliseconds;

struct Op : IoOp {
  void Complete(int r) override {
    res = r;
    done = true;
  }
  int res = 0;
  bool done = false;
};

class IoRingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loop = EventLoop::Create({});
    ASSERT_TRUE(loop.ok());
    loop_ = std::move(loop).value();
    auto ring = IoRing::Create(loop_.get(), 64);
    ASSERT_TRUE(ring.ok()) << ring.status().ToString();
    ring_ = std::move(ring).value();
    char path[] = "/tmp/openstmf-ioring-XXXXXX";
    fd_ = mkstemp(path);
    ASSERT_GE(fd_, 0);
    unlink(path);
  }
  void TearDown() override { close(fd_); }

  void Wait(Op* op) {
    for (int i = 0; i < 1000 && !op->done; ++i) loop_->RunOnce(milliseconds(10));
    ASSERT_TRUE(op->done);
  }

  std::unique_ptr<EventLoop> loop_;
  std::unique_ptr<IoRing> ring_;
  int fd_ = -1;
};

TEST_F(IoRingTest, WritesAndReadsBackThroughTheLoop) {
  std::vector<char> out(8192);
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<char>(i * 7);
  iovec wv[2] = {{out.data(), 4096}, {out.data() + 4096, 4096}};
  Op w;
  ring_->Writev(fd_, wv, 2, 4096, RWF_DSYNC, &w);
  EXPECT_EQ(ring_->in_flight(), 1u);
  Wait(&w);
  EXPECT_EQ(w.res, 8192);
  EXPECT_EQ(ring_->in_flight(), 0u);

  std::vector<char> in(8192);
  iovec rv{in.data(), in.size()};
  Op r;
  ring_->Readv(fd_, &rv, 1, 4096, &r);
  Wait(&r);
  EXPECT_EQ(r.res, 8192);
  EXPECT_EQ(in, out);

  Op f;
  ring_->Fsync(fd_, true, &f);
  Wait(&f);
  EXPECT_EQ(f.res, 0);
}

TEST_F(IoRingTest, PunchedHoleReadsAsZeros) {
  std::vector<char> out(65536, 'x');
  iovec wv{out.data(), out.size()};
  Op w;
  ring_->Writev(fd_, &wv, 1, 0, 0, &w);
  Wait(&w);
  ASSERT_EQ(w.res, 65536);
  Op p;
  ring_->Fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4096, 8192, &p);
  Wait(&p);
  ASSERT_EQ(p.res, 0);
  std::vector<char> in(65536);
  ASSERT_EQ(pread(fd_, in.data(), in.size(), 0), 65536);
  EXPECT_EQ(in[4095], 'x');
  EXPECT_EQ(in[4096], 0);
  EXPECT_EQ(in[12287], 0);
  EXPECT_EQ(in[12288], 'x');
}

TEST_F(IoRingTest, FailedRequestCompletesWithNegativeErrno) {
  char buf[16];
  iovec v{buf, sizeof buf};
  Op r;
  ring_->Readv(-1, &v, 1, 0, &r);
  Wait(&r);
  EXPECT_EQ(r.res, -EBADF);
}

TEST_F(IoRingTest, MoreRequestsThanRingEntriesAllComplete) {
  std::vector<char> block(512, 'z');
  iovec v{block.data(), block.size()};
  std::vector<Op> ops(200);
  for (size_t i = 0; i < ops.size(); ++i) ring_->Writev(fd_, &v, 1, i * 512, 0, &ops[i]);
  for (auto& op : ops) Wait(&op);
  for (auto& op : ops) EXPECT_EQ(op.res, 512);
  struct stat st {};
  ASSERT_EQ(fstat(fd_, &st), 0);
  EXPECT_EQ(st.st_size, 200 * 512);
}

}  // namespace
}  // namespace openstmf::event
