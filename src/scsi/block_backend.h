// The asynchronous block store a LU's handlers read and write.
//
// Offsets and lengths are bytes and always whole blocks. Every call returns at
// once and reports through `done` exactly once, possibly before it returns (a
// RAM store) or later from the event loop that owns the store (io_uring). The
// buffers passed in stay valid until `done` runs. Implementations: RamBackend
// (ram_backend.h) here; file and block-device stores in the sbd LU provider.
//
// Thread-safety: called from the loop that owns the LU; implementations need not
// be thread-safe.
#ifndef OPENSTMF_SCSI_BLOCK_BACKEND_H
#define OPENSTMF_SCSI_BLOCK_BACKEND_H

#include <cstddef>
#include <cstdint>
#include <span>

namespace openstmf::scsi {

// What can go wrong with a backing store, mapped to sense by the handlers:
// kMedium -> MEDIUM ERROR, kNoSpace -> SPACE ALLOCATION FAILED WRITE PROTECT.
enum class IoError : uint8_t { kOk, kMedium, kNoSpace, kReadOnly, kInternal };

struct IoResult {
  IoError error = IoError::kOk;
  bool offset_valid = false;  // failing byte offset known
  uint64_t offset = 0;
  bool ok() const { return error == IoError::kOk; }
};

// A completion: a plain function pointer and argument, so no allocation.
struct IoDone {
  void (*fn)(void* arg, IoResult result) = nullptr;
  void* arg = nullptr;
  void operator()(IoResult result) const { fn(arg, result); }
};

enum IoFlag : uint32_t {
  kIoFua = 1u << 0,  // durable before completion (FUA, or write cache disabled)
  kIoDpo = 1u << 1,  // do not keep in cache
};

struct ByteRange {
  uint64_t offset = 0;
  uint64_t length = 0;
};

// SBC-3 5.8.2 provisioning status of an extent.
enum class Provisioning : uint8_t { kMapped = 0, kDeallocated = 1, kAnchored = 2 };

struct Extent {
  uint64_t offset = 0;
  uint64_t length = 0;
  Provisioning status = Provisioning::kMapped;
};

class BlockBackend {
 public:
  virtual ~BlockBackend() = default;

  virtual void Read(uint64_t offset, std::span<uint8_t> buf, uint32_t flags, IoDone done) = 0;
  virtual void Write(uint64_t offset, std::span<const uint8_t> buf, uint32_t flags,
                     IoDone done) = 0;
  // Makes the range durable; length 0 means the whole store.
  virtual void Flush(uint64_t offset, uint64_t length, IoDone done) = 0;
  // Deallocates the ranges (thin provisioning); later reads return zeros.
  virtual void Unmap(std::span<const ByteRange> ranges, IoDone done) = 0;
  // Writes `pattern` (one block) to every block of `range`.
  virtual void WriteSame(ByteRange range, std::span<const uint8_t> pattern, uint32_t flags,
                         IoDone done) = 0;
  // Describes the store from `offset` on in consecutive extents; writes at most
  // out.size() of them and their number into *count before calling done.
  virtual void GetLbaStatus(uint64_t offset, std::span<Extent> out, size_t* count, IoDone done) = 0;
  // Calls `done` (always kOk) about `microseconds` later on the loop that owns
  // the store; background work (SANITIZE, SBC-3 4.11) paces itself with it so
  // it does not starve the initiators' I/O. A store without a timer completes
  // at once, which leaves that work unpaced.
  virtual void Pause(uint32_t /*microseconds*/, IoDone done) { done(IoResult{}); }
};

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_BLOCK_BACKEND_H
