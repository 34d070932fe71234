// The sbd LU provider's backing stores: a sparse file, a block device or RAM, each
// with the LU's own metadata record (metadata_store.h) so the LU can be imported
// again with the same GUID, geometry and reservations.
//
// A file or block-device LU is laid out as the 1 MiB metadata area followed by
// the LU's blocks (docs/lu-metadata.md). CreateFileLu makes a new sparse file of
// kMetadataAreaSize + size bytes and formats the metadata; OpenLu imports an
// existing file or device and checks that the record describes a store that is
// really there (a truncated file is kCorrupt, not a LU that reads zeros). A RAM
// LU has no store and no metadata on disk; it lives as long as the process.
//
// ConfigFor turns the metadata into the scsi::LuConfig the SCSI layer runs with.
//
// Thread-safety: an SbdStore is owned by one LU; SavePersistentState is called
// under that LU's lock.
#ifndef OPENSTMF_LU_SBD_SBD_LU_H
#define OPENSTMF_LU_SBD_SBD_LU_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "base/unique_fd.h"
#include "lu/sbd/lu_metadata.h"
#include "lu/sbd/metadata_store.h"
#include "scsi/lu.h"

namespace openstmf::lu {

enum class StoreKind : uint8_t { kFile, kBlockDevice, kRam };

struct SbdCreateOptions {
  uint64_t size = 0;          // LU bytes; rounded down to whole blocks
  uint32_t block_size = 512;  // 512 or 4096
  std::string alias;
  bool write_protect = false;
  bool removable = false;
  bool write_cache_disabled = false;
};

class SbdStore {
 public:
  StoreKind kind() const { return kind_; }
  int fd() const { return fd_.get(); }
  const std::string& path() const { return path_; }
  const LuMetadata& metadata() const { return md_; }
  uint64_t data_offset() const { return md_.data_offset; }
  uint64_t size() const { return md_.lu_size; }

  // Stores the persistent reservation state (APTPL) in the LU's metadata; a RAM
  // LU keeps it in memory only.
  Status SavePersistentState(std::vector<uint8_t> pr_state);

  // An ALUA pair shares the store between two nodes; only the LU's owner
  // writes it (sbd_lease.cc).
  // Re-reads the metadata another node may have written (the newest valid
  // record wins, as at import); the next update follows it.
  Status Reload();
  // The ownership lease as the store holds it now, with the record's sequence
  // number (it moves on every write, so a renewing owner is seen to be alive).
  struct LeaseView {
    OwnershipLease lease;
    uint64_t seq = 0;
  };
  Result<LeaseView> ReadLease() const;
  // Writes the lease into the metadata (durable when OK). RAM LUs: memory only.
  Status WriteLease(const OwnershipLease& lease);

  // Administrative changes (sbd_modify.cc), each durable when it returns OK and
  // leaving the store as it was when it fails.
  // Replaces the properties an administrator may set (alias, vendor, product,
  // revision, serial, management URL, company id, GUID, write protect, write
  // cache). Geometry, reservations and the lease are kept.
  Status SetProperties(const LuMetadata& md);
  // Grows or shrinks the LU to `bytes` (rounded down to whole blocks): the file is
  // extended before the record says so and cut only after. A block device may not
  // outgrow the device; a RAM LU keeps its size (kInvalidArgument).
  Status Resize(uint64_t bytes);

 private:
  friend Result<std::unique_ptr<SbdStore>> CreateFileLu(const std::string&,
                                                        const SbdCreateOptions&);
  friend Result<std::unique_ptr<SbdStore>> OpenLu(const std::string&);
  friend Result<std::unique_ptr<SbdStore>> CreateRamLu(const SbdCreateOptions&);
  friend Result<std::unique_ptr<SbdStore>> FormatFileLu(const std::string&,
                                                        const SbdCreateOptions&);
  SbdStore() = default;

  StoreKind kind_ = StoreKind::kFile;
  UniqueFd fd_;
  std::string path_;
  LuMetadata md_;
  std::optional<MetadataStore> store_;
};

// Creates a sparse file LU at path (kAlreadyExists if path exists).
Result<std::unique_ptr<SbdStore>> CreateFileLu(const std::string& path,
                                               const SbdCreateOptions& options);
// Opens an existing file or block device holding an sbd LU. A block device without
// a metadata record is kCorrupt (format it with FormatBlockDeviceLu first).
Result<std::unique_ptr<SbdStore>> OpenLu(const std::string& path);
// Makes an existing regular file a new LU (stmfadm create-lu on a file that is
// there): its first kMetadataAreaSize bytes become the metadata area, and the LU
// is the rest of the file (options.size 0) or options.size bytes, the file grown
// to hold them (never shrunk). Any metadata the file held is replaced.
Result<std::unique_ptr<SbdStore>> FormatFileLu(const std::string& path,
                                               const SbdCreateOptions& options);
// Writes fresh metadata on a block device; the LU's size is the device's minus
// the metadata area. Destroys what the device's first 1 MiB held.
Status FormatBlockDeviceLu(const std::string& path, const SbdCreateOptions& options);
// A LU in memory.
Result<std::unique_ptr<SbdStore>> CreateRamLu(const SbdCreateOptions& options);

// A new random NAA IEEE Registered Extended GUID (NAA 6, COMSTAR's OUI 00144F).
std::array<uint8_t, 16> NewGuid();
// The same with another IEEE company id (24 bits) in place of 00144F (SPC-4
// 7.8.6.6.5: NAA 6 | IEEE COMPANY_ID | vendor specific identifier).
std::array<uint8_t, 16> NewGuidWithCompanyId(uint32_t company_id);
// "600144f0..." lower-case hex, as stmfadm prints GUIDs.
std::string GuidToString(const std::array<uint8_t, 16>& guid);

// The SCSI configuration of the LU the store describes.
scsi::LuConfig ConfigFor(const SbdStore& store);

}  // namespace openstmf::lu

#endif  // OPENSTMF_LU_SBD_SBD_LU_H
