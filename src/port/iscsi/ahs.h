// Additional Header Segments (RFC 7143 §11.2.2): the Extended CDB AHS (CDBs longer
// than 16 bytes) and the Bidirectional Read Expected Data Transfer Length AHS. Only
// the SCSI Command PDU carries AHS.
//
// ParseAhs reads the AHS area in place; the extended CDB bytes stay in the caller's
// buffer. AssembleCdb copies a long CDB into one contiguous array for the SCSI layer;
// a plain 16-byte CDB needs no copy (it is bytes 32..47 of the BHS).
//
// Thread-safety: pure functions.
#ifndef OPENSTMF_PORT_ISCSI_AHS_H
#define OPENSTMF_PORT_ISCSI_AHS_H

#include <cstddef>
#include <cstdint>
#include <span>

namespace openstmf::iscsi {

enum class AhsType : uint8_t { kExtendedCdb = 1, kBidiReadLength = 2 };

// Longest CDB accepted (SPC-4 variable-length CDBs reach 260 bytes).
inline constexpr size_t kMaxCdbLength = 260;

struct AhsInfo {
  std::span<const uint8_t> extended_cdb;  // CDB bytes beyond the first 16
  bool has_bidi_read_length = false;
  uint32_t bidi_read_length = 0;
};

// Parses the AHS area (TotalAHSLength bytes). On malformed input (truncated entry,
// unknown type, duplicate type, CDB longer than kMaxCdbLength) returns false and sets
// *error to a static description; the PDU then earns Reject "invalid PDU field".
bool ParseAhs(std::span<const uint8_t> ahs, AhsInfo* info, const char** error);

// Writes the Extended CDB AHS for cdb[0, cdb_len) (cdb_len > 16) into out and returns
// its size in bytes (a multiple of 4, at most cdb_len - 16 + 7).
size_t EncodeExtendedCdbAhs(const uint8_t* cdb, size_t cdb_len, uint8_t* out);
// Writes the 8-byte Bidirectional Read Expected Data Transfer Length AHS.
size_t EncodeBidiReadLengthAhs(uint32_t length, uint8_t* out);

// Copies the full CDB (BHS bytes 32..47 plus any extension) to out[0, kMaxCdbLength)
// and returns its length.
size_t AssembleCdb(const uint8_t* bhs, const AhsInfo& info, uint8_t* out);

}  // namespace openstmf::iscsi

#endif  // OPENSTMF_PORT_ISCSI_AHS_H
