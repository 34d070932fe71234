#include "lu/sbd/file_backend.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <gtest/gtest.h>

namespace openstmf::lu {
namespace {

using scsi::IoResult;
using std::chrono::milliseconds;

constexpr uint64_t kOffset = 1 << 20;  // data starts after the metadata area
constexpr uint64_t kSize = 8 << 20;

struct Waiter {
  static void Done(void* arg, IoResult r) {
    auto* w = static_cast<Waiter*>(arg);
    w->result = r;
    w->done = true;
  }
  scsi::IoDone Cb() { return {&Waiter::Done, this}; }
  bool done = false;
  IoResult result;
};

class FileBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    loop_ = std::move(event::EventLoop::Create({})).value();
    ring_ = std::move(event::IoRing::Create(loop_.get(), 32)).value();
    char path[] = "/tmp/openstmf-fb-XXXXXX";
    fd_ = mkstemp(path);
    ASSERT_GE(fd_, 0);
    unlink(path);
    ASSERT_EQ(ftruncate(fd_, kOffset + kSize), 0);
    backend_ = std::make_unique<FileBackend>(fd_, kOffset, kSize, false, ring_.get());
  }
  void TearDown() override {
    backend_.reset();
    close(fd_);
  }
  IoResult Wait(Waiter* w) {
    for (int i = 0; i < 2000 && !w->done; ++i) loop_->RunOnce(milliseconds(10));
    EXPECT_TRUE(w->done);
    return w->result;
  }

  std::unique_ptr<event::EventLoop> loop_;
  std::unique_ptr<event::IoRing> ring_;
  std::unique_ptr<FileBackend> backend_;
  int fd_ = -1;
};

TEST_F(FileBackendTest, WritesLandAfterTheMetadataAreaAndReadBack) {
  std::vector<uint8_t> out(64 * 1024);
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(i * 31 + 7);
  Waiter w;
  backend_->Write(4096, out, scsi::kIoFua, w.Cb());
  ASSERT_TRUE(Wait(&w).ok());

  std::vector<uint8_t> raw(out.size());
  ASSERT_EQ(pread(fd_, raw.data(), raw.size(), kOffset + 4096), static_cast<ssize_t>(raw.size()));
  EXPECT_EQ(raw, out);

  std::vector<uint8_t> in(out.size());
  Waiter r;
  backend_->Read(4096, in, 0, r.Cb());
  ASSERT_TRUE(Wait(&r).ok());
  EXPECT_EQ(in, out);
  EXPECT_EQ(backend_->in_flight(), 0u);
}

TEST_F(FileBackendTest, ReadPastTheEndOfAShortFileReturnsZeros) {
  ASSERT_EQ(ftruncate(fd_, kOffset + 4096), 0);  // file shorter than the LU
  std::vector<uint8_t> in(16384, 0xAA);
  Waiter r;
  backend_->Read(0, in, 0, r.Cb());
  ASSERT_TRUE(Wait(&r).ok());
  EXPECT_TRUE(std::all_of(in.begin(), in.end(), [](uint8_t b) { return b == 0; }));
}

TEST_F(FileBackendTest, UnmapPunchesHolesThatReadAsZerosAndShowAsDeallocated) {
  std::vector<uint8_t> data(1 << 20, 0x5A);
  Waiter w;
  backend_->Write(0, data, 0, w.Cb());
  ASSERT_TRUE(Wait(&w).ok());

  scsi::ByteRange ranges[] = {{65536, 131072}, {524288, 65536}};
  Waiter u;
  backend_->Unmap(ranges, u.Cb());
  ASSERT_TRUE(Wait(&u).ok());

  std::vector<uint8_t> in(1 << 20);
  Waiter r;
  backend_->Read(0, in, 0, r.Cb());
  ASSERT_TRUE(Wait(&r).ok());
  EXPECT_EQ(in[65535], 0x5A);
  EXPECT_EQ(in[65536], 0);
  EXPECT_EQ(in[65536 + 131071], 0);
  EXPECT_EQ(in[65536 + 131072], 0x5A);
  EXPECT_EQ(in[524288], 0);

  scsi::Extent ext[8];
  size_t count = 0;
  Waiter s;
  backend_->GetLbaStatus(0, ext, &count, s.Cb());
  ASSERT_TRUE(Wait(&s).ok());
  ASSERT_GE(count, 4u);
  EXPECT_EQ(ext[0].offset, 0u);
  EXPECT_EQ(ext[0].length, 65536u);
  EXPECT_EQ(ext[0].status, scsi::Provisioning::kMapped);
  EXPECT_EQ(ext[1].offset, 65536u);
  EXPECT_EQ(ext[1].length, 131072u);
  EXPECT_EQ(ext[1].status, scsi::Provisioning::kDeallocated);
  EXPECT_EQ(ext[2].status, scsi::Provisioning::kMapped);
  EXPECT_EQ(ext[3].offset, 524288u);
  EXPECT_EQ(ext[3].status, scsi::Provisioning::kDeallocated);
}

TEST_F(FileBackendTest, GetLbaStatusOfAnUnwrittenLuIsOneDeallocatedExtent) {
  scsi::Extent ext[4];
  size_t count = 0;
  Waiter s;
  backend_->GetLbaStatus(4096, ext, &count, s.Cb());
  ASSERT_TRUE(Wait(&s).ok());
  ASSERT_EQ(count, 1u);
  EXPECT_EQ(ext[0].offset, 4096u);
  EXPECT_EQ(ext[0].length, kSize - 4096);
  EXPECT_EQ(ext[0].status, scsi::Provisioning::kDeallocated);
}

TEST_F(FileBackendTest, WriteSameRepeatsThePatternAcrossChunks) {
  std::vector<uint8_t> block(512);
  for (size_t i = 0; i < block.size(); ++i) block[i] = static_cast<uint8_t>(i ^ 0x3C);
  const uint64_t len = 3 * (1 << 20) + 512 * 5;  // several chunks and a tail
  Waiter w;
  backend_->WriteSame({512, len}, block, scsi::kIoFua, w.Cb());
  ASSERT_TRUE(Wait(&w).ok());
  std::vector<uint8_t> in(len);
  ASSERT_EQ(pread(fd_, in.data(), in.size(), kOffset + 512), static_cast<ssize_t>(len));
  for (uint64_t off = 0; off < len; off += 512) {
    ASSERT_EQ(std::memcmp(in.data() + off, block.data(), 512), 0) << "at " << off;
  }
}

TEST_F(FileBackendTest, WriteSameOfZerosZeroesWithoutWritingData) {
  std::vector<uint8_t> data(65536, 0xFF);
  Waiter w;
  backend_->Write(0, data, 0, w.Cb());
  ASSERT_TRUE(Wait(&w).ok());
  std::vector<uint8_t> zero(4096, 0);
  Waiter z;
  backend_->WriteSame({4096, 8192}, zero, 0, z.Cb());
  ASSERT_TRUE(Wait(&z).ok());
  std::vector<uint8_t> in(65536);
  ASSERT_EQ(pread(fd_, in.data(), in.size(), kOffset), 65536);
  EXPECT_EQ(in[4095], 0xFF);
  EXPECT_EQ(in[4096], 0);
  EXPECT_EQ(in[12287], 0);
  EXPECT_EQ(in[12288], 0xFF);
}

TEST_F(FileBackendTest, FlushCompletes) {
  Waiter f;
  backend_->Flush(0, 0, f.Cb());
  EXPECT_TRUE(Wait(&f).ok());
}

TEST_F(FileBackendTest, ReadOnlyDescriptorFailsWritesAsAnErrorNotACrash) {
  char path[] = "/tmp/openstmf-fb-ro-XXXXXX";
  int rw = mkstemp(path);
  ASSERT_GE(rw, 0);
  ASSERT_EQ(ftruncate(rw, kOffset + kSize), 0);
  int ro = open(path, O_RDONLY);
  unlink(path);
  close(rw);
  FileBackend backend(ro, kOffset, kSize, false, ring_.get());
  std::vector<uint8_t> data(4096, 1);
  Waiter w;
  backend.Write(0, data, 0, w.Cb());
  IoResult r = Wait(&w);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error, scsi::IoError::kInternal);  // EBADF: not open for writing
  EXPECT_TRUE(r.offset_valid);
  close(ro);
}

TEST(IoErrorFromErrnoTest, MapsKernelErrorsToSenseClasses) {
  EXPECT_EQ(IoErrorFromErrno(EIO), scsi::IoError::kMedium);
  EXPECT_EQ(IoErrorFromErrno(ENOSPC), scsi::IoError::kNoSpace);
  EXPECT_EQ(IoErrorFromErrno(EDQUOT), scsi::IoError::kNoSpace);
  EXPECT_EQ(IoErrorFromErrno(EROFS), scsi::IoError::kReadOnly);
  EXPECT_EQ(IoErrorFromErrno(ENXIO), scsi::IoError::kMedium);
}

}  // namespace
}  // namespace openstmf::lu
