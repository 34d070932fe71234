#include "lu/sbd/sbd_lu.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

namespace openstmf::lu {
namespace {

class SbdLuTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/openstmf-sbd-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/lu.img";
  }
  void TearDown() override {
    unlink(path_.c_str());
    rmdir(dir_.c_str());
  }
  std::string dir_;
  std::string path_;
};

TEST_F(SbdLuTest, CreatesASparseFileAndImportsItAgain) {
  SbdCreateOptions o;
  o.size = 64 << 20;
  o.alias = "disk";
  auto created = CreateFileLu(path_, o);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ((*created)->size(), 64u << 20);
  EXPECT_EQ((*created)->data_offset(), kMetadataAreaSize);
  EXPECT_EQ((*created)->metadata().guid[0] >> 4, 6);  // NAA 6
  struct stat st {};
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_EQ(static_cast<uint64_t>(st.st_size), kMetadataAreaSize + (64u << 20));
  EXPECT_LT(static_cast<uint64_t>(st.st_blocks) * 512, 4u << 20);  // sparse
  auto guid = (*created)->metadata().guid;
  created = Status(Code::kInternal, "closed");

  auto opened = OpenLu(path_);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ((*opened)->metadata().guid, guid);
  EXPECT_EQ((*opened)->metadata().alias, "disk");
  scsi::LuConfig c = ConfigFor(**opened);
  EXPECT_EQ(c.block_count, (64u << 20) / 512);
  EXPECT_EQ(c.identity.guid, guid);
}

TEST_F(SbdLuTest, ReportsOneLogicalBlockPerPhysicalBlockAndA4KiBGranularity) {
  SbdCreateOptions o;
  o.size = 1 << 20;
  ASSERT_TRUE(CreateFileLu(path_, o).ok());
  auto opened = OpenLu(path_);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  scsi::LuConfig c = ConfigFor(**opened);
  EXPECT_EQ(c.physical_block_exponent, 0);
  EXPECT_EQ(c.limits.optimal_transfer_granularity, 4096 / c.block_size);
}

TEST_F(SbdLuTest, RefusesToOverwriteAnExistingFile) {
  SbdCreateOptions o;
  o.size = 1 << 20;
  ASSERT_TRUE(CreateFileLu(path_, o).ok());
  EXPECT_FALSE(CreateFileLu(path_, o).ok());
}

TEST_F(SbdLuTest, CorruptOrTruncatedStoresAreCorrupt) {
  int fd = open(path_.c_str(), O_RDWR | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(ftruncate(fd, 4 << 20), 0);
  close(fd);
  auto r = OpenLu(path_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kCorrupt);

  unlink(path_.c_str());
  SbdCreateOptions o;
  o.size = 8 << 20;
  ASSERT_TRUE(CreateFileLu(path_, o).ok());
  ASSERT_EQ(truncate(path_.c_str(), 2 << 20), 0);
  r = OpenLu(path_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kCorrupt);
}

TEST_F(SbdLuTest, ChecksGeometry) {
  SbdCreateOptions o;
  o.size = 1 << 20;
  o.block_size = 1000;
  EXPECT_FALSE(CreateRamLu(o).ok());
  o.block_size = 4096;
  o.size = 100;
  EXPECT_FALSE(CreateRamLu(o).ok());
}

TEST_F(SbdLuTest, PersistsReservationStateInTheMetadata) {
  SbdCreateOptions o;
  o.size = 1 << 20;
  auto lu = CreateFileLu(path_, o);
  ASSERT_TRUE(lu.ok());
  ASSERT_TRUE((*lu)->SavePersistentState({1, 2, 3}).ok());
  lu = Status(Code::kInternal, "closed");
  auto again = OpenLu(path_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->metadata().pr_state, (std::vector<uint8_t>{1, 2, 3}));
}

}  // namespace
}  // namespace openstmf::lu
