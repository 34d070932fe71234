// LuMetadata: what an sbd logical unit keeps about itself inside its own backing
// store, so the LU can be imported on another node or after a reinstall with its
// identity, geometry, properties and persistent reservations intact.
//
// On disk a record is a 40-byte header followed by tag-length-value fields, all
// big-endian:
//   0  magic "OSTMF-LU"     8  version (1)   10 header length (40)
//   12 payload length       16 sequence number (higher wins)
//   24 CRC32C of header (with this field zero) and payload   28 reserved (zero)
// Each field is {tag u16, length u32, value}. A tag with the high bit set must be
// understood by the reader; other unknown tags are skipped, so newer writers can
// add optional fields. Decoding never trusts the bytes: every length, tag and value
// is checked and a failure names what is wrong.
//
// Thread-safety: values and pure functions.
#ifndef OPENSTMF_LU_SBD_LU_METADATA_H
#define OPENSTMF_LU_SBD_LU_METADATA_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"

namespace openstmf::lu {

// Which node of an ALUA pair may write the LU, and until when (see the HA design:
// ownership moves only after the previous owner's lease has expired).
struct OwnershipLease {
  uint32_t owner_node = 0;       // 0 or 1
  uint64_t generation = 0;       // bumped on every change of owner
  uint64_t expires_unix_ms = 0;  // 0: no lease held
  // The owner deleted the LU from the pair: no node takes it over, and a node
  // that still has it configured removes its copy. An explicit create-lu or
  // import-lu clears it.
  bool retired = false;
  bool operator==(const OwnershipLease&) const = default;
};

struct LuMetadata {
  std::array<uint8_t, 16> guid{};  // NAA IEEE Registered Extended identifier
  uint64_t lu_size = 0;            // bytes, a multiple of block_size
  uint32_t block_size = 512;       // a power of two, 512..65536
  uint64_t data_offset = 0;        // where LU block 0 starts in the backing store
  std::string alias;
  std::string vendor;    // INQUIRY T10 vendor, up to 8 characters
  std::string product;   // up to 16
  std::string revision;  // up to 4
  std::string serial;    // unit serial number, up to 252
  std::string mgmt_url;
  uint32_t company_id = 0;  // IEEE company id (OUI, 24 bits) the LU was created with; 0: none
  bool write_protect = false;
  bool write_cache_disabled = false;
  bool removable = false;
  std::vector<uint8_t> pr_state;  // persistent reservations, as the SCSI layer serialises them
  OwnershipLease lease;
  uint64_t created_unix_ms = 0;
  bool operator==(const LuMetadata&) const = default;
};

constexpr size_t kMetadataHeaderSize = 40;

// Checks the values a record may hold (sizes, lengths, block size); the same
// checks Decode applies, so a record that encodes also decodes.
Status ValidateMetadata(const LuMetadata& md);

// Encodes md as one record with sequence number seq. Fails if md is invalid.
Result<std::vector<uint8_t>> EncodeMetadata(const LuMetadata& md, uint64_t seq);

struct DecodedMetadata {
  LuMetadata metadata;
  uint64_t seq = 0;
};

// Decodes one record from the start of bytes (trailing bytes are ignored).
// kCorrupt with a reason when anything is wrong.
Result<DecodedMetadata> DecodeMetadata(std::span<const uint8_t> bytes);

}  // namespace openstmf::lu

#endif  // OPENSTMF_LU_SBD_LU_METADATA_H
