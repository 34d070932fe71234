// Administrative changes to sbd stores: properties, size, formatting an
// existing file, GUIDs with another company id.
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "lu/sbd/sbd_lu.h"

namespace openstmf::lu {
namespace {

class SbdModifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/openstmf-sbdmod-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  uint64_t FileSize(const std::string& p) {
    struct stat st {};
    EXPECT_EQ(stat(p.c_str(), &st), 0);
    return static_cast<uint64_t>(st.st_size);
  }
  std::string dir_;
};

TEST_F(SbdModifyTest, PropertiesAreDurableAndGeometryIsKept) {
  const std::string path = dir_ + "/a.img";
  SbdCreateOptions o;
  o.size = 8 << 20;
  auto store = CreateFileLu(path, o);
  ASSERT_TRUE(store.ok());
  LuMetadata md = (*store)->metadata();
  md.alias = "renamed";
  md.vendor = "ACME";
  md.company_id = 0x123456;
  md.write_cache_disabled = true;
  md.lu_size = 1;  // geometry is not a property: ignored
  ASSERT_TRUE((*store)->SetProperties(md).ok());
  md.vendor = "TOO-LONG-VENDOR";
  EXPECT_FALSE((*store)->SetProperties(md).ok());
  store->reset();
  auto again = OpenLu(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->metadata().alias, "renamed");
  EXPECT_EQ((*again)->metadata().vendor, "ACME");
  EXPECT_EQ((*again)->metadata().company_id, 0x123456u);
  EXPECT_TRUE((*again)->metadata().write_cache_disabled);
  EXPECT_EQ((*again)->size(), 8u << 20);
}

TEST_F(SbdModifyTest, ResizeGrowsAndShrinksTheFile) {
  const std::string path = dir_ + "/r.img";
  SbdCreateOptions o;
  o.size = 8 << 20;
  auto store = CreateFileLu(path, o);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->Resize((32 << 20) + 100).ok());  // rounded down to blocks
  EXPECT_EQ((*store)->size(), 32u << 20);
  EXPECT_EQ(FileSize(path), kMetadataAreaSize + (32 << 20));
  ASSERT_TRUE((*store)->Resize(4 << 20).ok());
  EXPECT_EQ(FileSize(path), kMetadataAreaSize + (4 << 20));
  EXPECT_FALSE((*store)->Resize(100).ok());  // less than a block
  store->reset();
  auto again = OpenLu(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->size(), 4u << 20);
}

TEST_F(SbdModifyTest, RamLuCannotBeResized) {
  SbdCreateOptions o;
  o.size = 1 << 20;
  auto store = CreateRamLu(o);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->Resize(2 << 20).code(), Code::kInvalidArgument);
}

TEST_F(SbdModifyTest, FormatFileLuUsesTheFileOrGrowsIt) {
  const std::string path = dir_ + "/raw.img";
  int fd = open(path.c_str(), O_CREAT | O_RDWR, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(ftruncate(fd, kMetadataAreaSize + (2 << 20)), 0);
  close(fd);
  SbdCreateOptions o;
  auto store = FormatFileLu(path, o);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->size(), 2u << 20);
  store->reset();
  o.size = 16 << 20;
  store = FormatFileLu(path, o);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(FileSize(path), kMetadataAreaSize + (16 << 20));
  const std::string tiny = dir_ + "/tiny.img";
  fd = open(tiny.c_str(), O_CREAT | O_RDWR, 0600);
  close(fd);
  EXPECT_FALSE(FormatFileLu(tiny, SbdCreateOptions{}).ok());
}

TEST_F(SbdModifyTest, GuidCarriesTheCompanyId) {
  auto g = NewGuidWithCompanyId(0xABCDEF);
  EXPECT_EQ(g[0], 0x6A);
  EXPECT_EQ(g[1], 0xBC);
  EXPECT_EQ(g[2], 0xDE);
  EXPECT_EQ(g[3] >> 4, 0xF);
}

}  // namespace
}  // namespace openstmf::lu
