#include "lu/sbd/sbd_lu.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace openstmf::lu {
namespace {

uint64_t NowUnixMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

Status CheckOptions(const SbdCreateOptions& o) {
  if (o.block_size != 512 && o.block_size != 4096) {
    return Status(Code::kInvalidArgument, "block size must be 512 or 4096");
  }
  if (o.size / o.block_size == 0) {
    return Status(Code::kInvalidArgument, "LU size must hold at least one block");
  }
  return Status::Ok();
}

LuMetadata MetadataFor(const SbdCreateOptions& o, uint64_t data_offset) {
  LuMetadata md;
  md.guid = NewGuid();
  md.block_size = o.block_size;
  md.lu_size = o.size / o.block_size * o.block_size;
  md.data_offset = data_offset;
  md.alias = o.alias;
  md.write_protect = o.write_protect;
  md.removable = o.removable;
  md.write_cache_disabled = o.write_cache_disabled;
  md.created_unix_ms = NowUnixMs();
  md.serial = GuidToString(md.guid).substr(16);
  return md;
}

Result<uint64_t> StoreBytes(int fd, bool* block_device) {
  struct stat st {};
  if (fstat(fd, &st) != 0) return Status::FromErrno(errno, "stat of the LU store");
  *block_device = S_ISBLK(st.st_mode);
  if (*block_device) {
    uint64_t bytes = 0;
    if (ioctl(fd, BLKGETSIZE64, &bytes) != 0) return Status::FromErrno(errno, "BLKGETSIZE64");
    return bytes;
  }
  if (!S_ISREG(st.st_mode)) {
    return Status(Code::kInvalidArgument, "LU store is neither a file nor a block device");
  }
  return static_cast<uint64_t>(st.st_size);
}

}  // namespace

std::array<uint8_t, 16> NewGuid() {
  std::array<uint8_t, 16> g{};
  uint8_t rnd[12] = {};
  size_t got = 0;
  while (got < sizeof(rnd)) {
    ssize_t r = getrandom(rnd + got, sizeof(rnd) - got, 0);
    if (r > 0) got += static_cast<size_t>(r);
  }
  // NAA 6 (IEEE Registered Extended), OUI 00-14-4F (the OUI COMSTAR uses).
  g[0] = 0x60;
  g[1] = 0x01;
  g[2] = 0x44;
  g[3] = 0xf0;
  for (size_t i = 0; i < sizeof(rnd); ++i) g[4 + i] = rnd[i];
  return g;
}

std::string GuidToString(const std::array<uint8_t, 16>& guid) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (uint8_t b : guid) {
    s += kHex[b >> 4];
    s += kHex[b & 15];
  }
  return s;
}

Result<std::unique_ptr<SbdStore>> CreateFileLu(const std::string& path,
                                               const SbdCreateOptions& options) {
  RETURN_IF_ERROR(CheckOptions(options));
  UniqueFd fd(open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd.valid()) return Status::FromErrno(errno, "creating LU file " + path);
  LuMetadata md = MetadataFor(options, kMetadataAreaSize);
  if (ftruncate(fd.get(), static_cast<off_t>(kMetadataAreaSize + md.lu_size)) != 0) {
    Status s = Status::FromErrno(errno, "sizing LU file " + path);
    unlink(path.c_str());
    return s;
  }
  auto store = MetadataStore::Format(fd.get(), md);
  if (!store.ok()) {
    unlink(path.c_str());
    return store.status();
  }
  if (fsync(fd.get()) != 0) return Status::FromErrno(errno, "fsync of LU file " + path);
  std::unique_ptr<SbdStore> lu(new SbdStore());
  lu->kind_ = StoreKind::kFile;
  lu->fd_ = std::move(fd);
  lu->path_ = path;
  lu->md_ = md;
  lu->store_.emplace(std::move(store).value());
  return lu;
}

Result<std::unique_ptr<SbdStore>> OpenLu(const std::string& path) {
  int flags = O_RDWR | O_CLOEXEC;
  UniqueFd fd(open(path.c_str(), flags));
  if (!fd.valid()) return Status::FromErrno(errno, "opening LU store " + path);
  bool block_device = false;
  ASSIGN_OR_RETURN(uint64_t bytes, StoreBytes(fd.get(), &block_device));
  auto store = MetadataStore::Open(fd.get());
  if (!store.ok()) {
    return Status(Code::kCorrupt,
                  "LU store " + path + " has no valid metadata: " + store.status().message());
  }
  const LuMetadata& md = store->metadata();
  if (md.data_offset < kMetadataAreaSize || md.data_offset + md.lu_size > bytes) {
    return Status(Code::kCorrupt, "LU store " + path + " is smaller than its metadata says (" +
                                      std::to_string(bytes) + " bytes for a LU of " +
                                      std::to_string(md.lu_size) + ")");
  }
  std::unique_ptr<SbdStore> lu(new SbdStore());
  lu->kind_ = block_device ? StoreKind::kBlockDevice : StoreKind::kFile;
  lu->fd_ = std::move(fd);
  lu->path_ = path;
  lu->md_ = md;
  lu->store_.emplace(std::move(store).value());
  return lu;
}

Status FormatBlockDeviceLu(const std::string& path, const SbdCreateOptions& options) {
  UniqueFd fd(open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd.valid()) return Status::FromErrno(errno, "opening block device " + path);
  bool block_device = false;
  ASSIGN_OR_RETURN(uint64_t bytes, StoreBytes(fd.get(), &block_device));
  if (!block_device) return Status(Code::kInvalidArgument, path + " is not a block device");
  if (bytes <= kMetadataAreaSize) {
    return Status(Code::kInvalidArgument, "block device " + path + " is too small");
  }
  SbdCreateOptions o = options;
  o.size = bytes - kMetadataAreaSize;
  RETURN_IF_ERROR(CheckOptions(o));
  auto store = MetadataStore::Format(fd.get(), MetadataFor(o, kMetadataAreaSize));
  return store.ok() ? Status::Ok() : store.status();
}

Result<std::unique_ptr<SbdStore>> CreateRamLu(const SbdCreateOptions& options) {
  RETURN_IF_ERROR(CheckOptions(options));
  std::unique_ptr<SbdStore> lu(new SbdStore());
  lu->kind_ = StoreKind::kRam;
  lu->md_ = MetadataFor(options, 0);
  return lu;
}

Status SbdStore::SavePersistentState(std::vector<uint8_t> pr_state) {
  md_.pr_state = std::move(pr_state);
  if (!store_) return Status::Ok();
  return store_->Update(md_);
}

scsi::LuConfig ConfigFor(const SbdStore& store) {
  const LuMetadata& md = store.metadata();
  scsi::LuConfig c;
  c.block_size = md.block_size;
  c.block_count = md.lu_size / md.block_size;
  c.write_protected = md.write_protect;
  c.removable = md.removable;
  c.write_cache_enabled = !md.write_cache_disabled;
  c.thin_provisioned = true;  // files punch holes, devices discard
  c.identity.guid = md.guid;
  c.identity.serial = md.serial.empty() ? GuidToString(md.guid).substr(16) : md.serial;
  if (!md.vendor.empty()) c.identity.vendor = md.vendor;
  if (!md.product.empty()) c.identity.product = md.product;
  if (!md.revision.empty()) c.identity.revision = md.revision;
  // One command moves at most 32 MiB: bounds the buffer a connection holds per task.
  c.limits.max_transfer_blocks = (32u << 20) / md.block_size;
  c.limits.optimal_transfer_blocks = (1u << 20) / md.block_size;
  c.limits.max_unmap_blocks = (64u << 20) / md.block_size;
  c.limits.max_write_same_blocks = (64u << 20) / md.block_size;
  // WRITE ATOMIC is atomic through the task set's range serialisation, so it
  // has the same limit as a plain write.
  c.limits.max_atomic_blocks = c.limits.max_transfer_blocks;
  // One logical block per physical block (SBC-3 5.16.2, LOGICAL BLOCKS PER
  // PHYSICAL BLOCK EXPONENT 0): a file or device store has no physical block the
  // initiator must keep whole, and GET LBA STATUS, UNMAP and provisioning work in
  // logical blocks. The 4 KiB the page cache and file system work in is offered
  // as a hint only, the OPTIMAL TRANSFER LENGTH GRANULARITY of VPD B0.
  if (md.block_size < 4096) {
    c.limits.optimal_transfer_granularity = static_cast<uint16_t>(4096 / md.block_size);
  }
  return c;
}

}  // namespace openstmf::lu
