// Administrative changes to an sbd store: properties, size, and turning an
// existing file into a LU.
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "lu/sbd/sbd_lu.h"

namespace openstmf::lu {
namespace {

Result<uint64_t> DeviceBytes(int fd) {
  uint64_t bytes = 0;
  if (ioctl(fd, BLKGETSIZE64, &bytes) != 0) return Status::FromErrno(errno, "BLKGETSIZE64");
  return bytes;
}

}  // namespace

std::array<uint8_t, 16> NewGuidWithCompanyId(uint32_t company_id) {
  std::array<uint8_t, 16> g = NewGuid();
  // NAA 6 in the top nibble, then the 24-bit company id, then the vendor
  // specific identifier (random) — SPC-4 7.8.6.6.5.
  g[0] = static_cast<uint8_t>(0x60 | ((company_id >> 20) & 0x0f));
  g[1] = static_cast<uint8_t>(company_id >> 12);
  g[2] = static_cast<uint8_t>(company_id >> 4);
  g[3] = static_cast<uint8_t>(((company_id & 0x0f) << 4) | (g[3] & 0x0f));
  return g;
}

Status SbdStore::SetProperties(const LuMetadata& md) {
  LuMetadata next = md_;
  next.guid = md.guid;
  next.alias = md.alias;
  next.vendor = md.vendor;
  next.product = md.product;
  next.revision = md.revision;
  next.serial = md.serial;
  next.mgmt_url = md.mgmt_url;
  next.company_id = md.company_id;
  next.write_protect = md.write_protect;
  next.write_cache_disabled = md.write_cache_disabled;
  RETURN_IF_ERROR(ValidateMetadata(next));
  if (store_) RETURN_IF_ERROR(store_->Update(next));
  md_ = std::move(next);
  return Status::Ok();
}

Status SbdStore::Resize(uint64_t bytes) {
  const uint64_t size = bytes / md_.block_size * md_.block_size;
  if (size == 0) return Status(Code::kInvalidArgument, "LU size must hold at least one block");
  if (size == md_.lu_size) return Status::Ok();
  if (kind_ == StoreKind::kRam) {
    return Status(Code::kInvalidArgument, "a RAM LU cannot be resized");
  }
  LuMetadata next = md_;
  next.lu_size = size;
  RETURN_IF_ERROR(ValidateMetadata(next));
  const bool grow = size > md_.lu_size;
  if (kind_ == StoreKind::kBlockDevice) {
    ASSIGN_OR_RETURN(uint64_t dev, DeviceBytes(fd_.get()));
    if (md_.data_offset + size > dev) {
      return Status(Code::kInvalidArgument, "block device " + path_ + " holds at most " +
                                                std::to_string(dev - md_.data_offset) +
                                                " bytes of LU data");
    }
  } else if (grow && ftruncate(fd_.get(), static_cast<off_t>(md_.data_offset + size)) != 0) {
    return Status::FromErrno(errno, "growing LU file " + path_);
  }
  Status s = store_->Update(next);
  if (!s.ok()) {
    if (grow && kind_ == StoreKind::kFile) {
      (void)!ftruncate(fd_.get(), static_cast<off_t>(md_.data_offset + md_.lu_size));
    }
    return s;
  }
  md_ = std::move(next);
  // Shrinking: the record already says the LU is smaller, so a crash before
  // the cut leaves only unused bytes at the end.
  if (!grow && kind_ == StoreKind::kFile &&
      ftruncate(fd_.get(), static_cast<off_t>(md_.data_offset + size)) != 0) {
    return Status::FromErrno(errno, "shrinking LU file " + path_);
  }
  return Status::Ok();
}

Result<std::unique_ptr<SbdStore>> FormatFileLu(const std::string& path,
                                               const SbdCreateOptions& options) {
  if (options.block_size != 512 && options.block_size != 4096) {
    return Status(Code::kInvalidArgument, "block size must be 512 or 4096");
  }
  UniqueFd fd(open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd.valid()) return Status::FromErrno(errno, "opening LU file " + path);
  struct stat st {};
  if (fstat(fd.get(), &st) != 0) return Status::FromErrno(errno, "stat of " + path);
  if (!S_ISREG(st.st_mode)) return Status(Code::kInvalidArgument, path + " is not a regular file");
  const uint64_t file_bytes = static_cast<uint64_t>(st.st_size);
  uint64_t size = options.size;
  if (size == 0) {
    if (file_bytes <= kMetadataAreaSize) {
      return Status(Code::kInvalidArgument, "file " + path + " is too small for a LU (" +
                                                std::to_string(file_bytes) + " bytes)");
    }
    size = file_bytes - kMetadataAreaSize;
  }
  LuMetadata md;
  md.guid = NewGuid();
  md.block_size = options.block_size;
  md.lu_size = size / options.block_size * options.block_size;
  md.data_offset = kMetadataAreaSize;
  md.alias = options.alias;
  md.write_protect = options.write_protect;
  md.removable = options.removable;
  md.write_cache_disabled = options.write_cache_disabled;
  md.serial = GuidToString(md.guid).substr(16);
  md.created_unix_ms =
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count());
  RETURN_IF_ERROR(ValidateMetadata(md));
  if (md.data_offset + md.lu_size > file_bytes &&
      ftruncate(fd.get(), static_cast<off_t>(md.data_offset + md.lu_size)) != 0) {
    return Status::FromErrno(errno, "sizing LU file " + path);
  }
  ASSIGN_OR_RETURN(MetadataStore store, MetadataStore::Format(fd.get(), md));
  if (fsync(fd.get()) != 0) return Status::FromErrno(errno, "fsync of LU file " + path);
  std::unique_ptr<SbdStore> lu(new SbdStore());
  lu->kind_ = StoreKind::kFile;
  lu->fd_ = std::move(fd);
  lu->path_ = path;
  lu->md_ = md;
  lu->store_.emplace(std::move(store));
  return lu;
}

}  // namespace openstmf::lu
