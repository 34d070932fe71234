#include "lu/sbd/metadata_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>

#include <gtest/gtest.h>

namespace openstmf::lu {
namespace {

class MetadataStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char path[] = "/tmp/openstmf-md-XXXXXX";
    fd_ = mkstemp(path);
    ASSERT_GE(fd_, 0);
    unlink(path);
    ASSERT_EQ(ftruncate(fd_, kMetadataAreaSize + (1 << 20)), 0);
    md_.guid[0] = 0x60;
    md_.lu_size = 1 << 20;
    md_.block_size = 512;
    md_.data_offset = kMetadataAreaSize;
    md_.alias = "first";
  }
  void TearDown() override { close(fd_); }

  void Scribble(uint64_t offset) {
    const char junk[64] = "torn write torn write torn write";
    ASSERT_EQ(pwrite(fd_, junk, sizeof junk, static_cast<off_t>(offset)), 64);
  }

  int fd_ = -1;
  LuMetadata md_;
};

TEST_F(MetadataStoreTest, FormattedRecordOpensAgain) {
  ASSERT_TRUE(MetadataStore::Format(fd_, md_).ok());
  auto store = MetadataStore::Open(fd_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(store->metadata(), md_);
  EXPECT_EQ(store->seq(), 1u);
}

TEST_F(MetadataStoreTest, UpdatesAlternateSlotsAndTheNewestWins) {
  auto store = MetadataStore::Format(fd_, md_);
  ASSERT_TRUE(store.ok());
  for (int i = 0; i < 5; ++i) {
    md_.alias = "v" + std::to_string(i);
    ASSERT_TRUE(store->Update(md_).ok());
  }
  auto reopened = MetadataStore::Open(fd_);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->metadata().alias, "v4");
  EXPECT_EQ(reopened->seq(), 6u);
}

TEST_F(MetadataStoreTest, TornNewestRecordFallsBackToThePreviousOne) {
  auto store = MetadataStore::Format(fd_, md_);
  ASSERT_TRUE(store.ok());
  md_.alias = "second";
  ASSERT_TRUE(store->Update(md_).ok());  // lands in slot B
  Scribble(kSlotSize + 30);              // damage slot B
  auto reopened = MetadataStore::Open(fd_);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ(reopened->metadata().alias, "first");
  // The next update overwrites the damaged slot, not the good one.
  md_.alias = "third";
  ASSERT_TRUE(reopened->Update(md_).ok());
  EXPECT_EQ(MetadataStore::Open(fd_)->metadata().alias, "third");
}

TEST_F(MetadataStoreTest, NoValidRecordNamesBothSlots) {
  auto opened = MetadataStore::Open(fd_);  // a blank file
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), Code::kCorrupt);
  EXPECT_NE(opened.status().message().find("slot A: LU metadata: no metadata record"),
            std::string::npos);
  EXPECT_NE(opened.status().message().find("slot B"), std::string::npos);
}

TEST_F(MetadataStoreTest, RecordLargerThanASlotIsRefused) {
  auto store = MetadataStore::Format(fd_, md_);
  ASSERT_TRUE(store.ok());
  md_.pr_state.assign(kSlotSize, 7);
  Status s = store->Update(md_);
  EXPECT_EQ(s.code(), Code::kResourceExhausted);
  EXPECT_EQ(MetadataStore::Open(fd_)->metadata().alias, "first");
}

TEST_F(MetadataStoreTest, WriteErrorsAreReported) {
  auto store = MetadataStore::Format(fd_, md_);
  ASSERT_TRUE(store.ok());
  int ro = open("/dev/null", O_RDONLY);
  ASSERT_GE(ro, 0);
  auto bad = MetadataStore::Format(ro, md_);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().sys_errno(), EBADF);
  close(ro);
}

}  // namespace
}  // namespace openstmf::lu
