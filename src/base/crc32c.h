// CRC32C (Castagnoli, polynomial 0x1EDC6F41): the checksum of iSCSI header and data
// digests (RFC 7143 §13.1) and of openstmf's own on-disk metadata.
//
// Values are "finished" CRCs (pre- and post-inverted), so a running value can be
// extended piece by piece: Extend(Extend(0, a), b) == Value(a ++ b). The SSE4.2 crc32
// instruction is used when the CPU has it (chosen once, at first use); otherwise a
// slicing-by-8 table. Both give identical results; tests compare them.
//
// iSCSI puts the 32-bit value on the wire least significant byte first
// (RFC 3720 Appendix B.4); use StoreDigest / LoadDigest for that.
//
// Thread-safety: pure functions; safe from any thread.
#ifndef OPENSTMF_BASE_CRC32C_H
#define OPENSTMF_BASE_CRC32C_H

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>

namespace openstmf::crc32c {

// Returns the CRC32C of data[0, n) appended to the data summarised by `crc`
// (0 for an empty prefix).
uint32_t Extend(uint32_t crc, const void* data, size_t n);

// CRC32C of data[0, n).
inline uint32_t Value(const void* data, size_t n) { return Extend(0, data, n); }

// Extends `crc` over iov[0, iovcnt) in order, as if the pieces were contiguous.
uint32_t ExtendIov(uint32_t crc, const struct iovec* iov, int iovcnt);

// True when Extend uses the SSE4.2 instruction on this CPU.
bool HardwareAccelerated();

// The two implementations, exposed so tests can check they agree. ExtendHardware
// may only be called when HardwareAccelerated() is true.
uint32_t ExtendPortable(uint32_t crc, const void* data, size_t n);
uint32_t ExtendHardware(uint32_t crc, const void* data, size_t n);

// Digest byte order on the iSCSI wire: little-endian.
inline void StoreDigest(uint32_t crc, uint8_t out[4]) {
  out[0] = static_cast<uint8_t>(crc);
  out[1] = static_cast<uint8_t>(crc >> 8);
  out[2] = static_cast<uint8_t>(crc >> 16);
  out[3] = static_cast<uint8_t>(crc >> 24);
}
inline uint32_t LoadDigest(const uint8_t in[4]) {
  return static_cast<uint32_t>(in[0]) | static_cast<uint32_t>(in[1]) << 8 |
         static_cast<uint32_t>(in[2]) << 16 | static_cast<uint32_t>(in[3]) << 24;
}

}  // namespace openstmf::crc32c

#endif  // OPENSTMF_BASE_CRC32C_H
