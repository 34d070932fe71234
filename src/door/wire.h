// The libdoor wire format: every message that crosses a door socket.
//
// A message is one SOCK_SEQPACKET record: a 32-byte WireHeader, then n_desc
// 16-byte WireDesc words, then (unless the data lives in a shared arena) the inline
// data. Descriptors travel as SCM_RIGHTS, in the order the header announces: first
// the arena or result memfd when a flag says so, then one per WireDesc. Both ends
// are on the same host, so fields are in host byte order.
//
// Messages by socket:
//   reference socket (client end -> server end): kConnect, kRef (one descriptor each)
//   call connection (client -> server): kCall, kInfo
//   call connection (server -> client): kReply, kError, kInfoReply
//   fattach socket (door_open -> publisher): kOpen; answer kOpenReply or kError
//
// The Decode* functions validate a received record completely (sizes against the
// received length, descriptor counts against the descriptors actually received,
// flags, attributes) and never trust a field they have not checked. They are pure
// functions, safe to call from any thread, and are the fuzzing surface.
#ifndef OPENSTMF_DOOR_WIRE_H
#define OPENSTMF_DOOR_WIRE_H

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace openstmf::door {

inline constexpr uint32_t kWireMagic = 0x524f4f44;  // "DOOR" in memory order
inline constexpr uint16_t kWireVersion = 1;

enum class MsgType : uint16_t {
  kCall = 1,
  kInfo = 2,
  kReply = 3,
  kError = 4,
  kInfoReply = 5,
  kConnect = 6,
  kRef = 7,
  kOpen = 8,
  kOpenReply = 9,
};

// Header flags.
inline constexpr uint32_t kFlagArena = 1u << 0;     // data lives in the connection's arena
inline constexpr uint32_t kFlagNewArena = 1u << 1;  // first descriptor is a new arena (kCall)
inline constexpr uint32_t kFlagMemfd = 1u << 2;     // first descriptor is a sealed result memfd
// kCall: the client sends further calls on this connection without waiting for
// this one's answer (pipelined_call.h), so the server reads the next one at once.
// kConnect: the connection will carry only such calls (served_pipeline.h).
inline constexpr uint32_t kFlagMore = 1u << 3;

struct WireHeader {
  uint32_t magic;
  uint16_t version;
  uint16_t type;
  uint32_t flags;
  uint32_t n_desc;
  uint64_t data_size;
  uint64_t aux;  // kError: the errno; otherwise 0
};
static_assert(sizeof(WireHeader) == 32);

struct WireDesc {
  uint32_t attributes;  // DOOR_DESCRIPTOR, optionally DOOR_RELEASE
  uint32_t reserved;    // 0
  uint64_t reserved2;   // 0
};
static_assert(sizeof(WireDesc) == 16);

// Payload of kInfoReply: what door_info() and door_getparam() need from a server.
struct WireInfo {
  int64_t pid;
  uint64_t proc;
  uint64_t cookie;
  uint64_t id;
  uint32_t attributes;
  uint32_t reserved;
  uint64_t desc_max;
  uint64_t data_min;
  uint64_t data_max;
};
static_assert(sizeof(WireInfo) == 64);

inline constexpr size_t kMaxInline = 64 * 1024;  // larger data goes through memory
// SCM_RIGHTS carries at most 253 descriptors per message (SCM_MAX_FD); one slot is
// kept for an arena or result memfd.
inline constexpr uint32_t kMaxDesc = 252;
inline constexpr size_t kMaxMessage = sizeof(WireHeader) + kMaxDesc * sizeof(WireDesc) + kMaxInline;
// Largest arena or result memfd a peer may hand us (sanity bound, 4 GiB).
inline constexpr uint64_t kMaxShared = uint64_t{1} << 32;

// Why a record was rejected; reason is a static string for the log.
struct WireError {
  int err = 0;  // errno for the answer, 0 when the record is valid
  const char* reason = "";
  bool ok() const { return err == 0; }
};

// A validated kCall or kInfo record. Pointers refer into the caller's buffer.
struct Request {
  MsgType type = MsgType::kCall;
  uint32_t flags = 0;
  uint32_t n_desc = 0;
  uint64_t data_size = 0;
  const unsigned char* descs = nullptr;  // n_desc WireDesc words (possibly unaligned)
  const unsigned char* data = nullptr;   // inline data, or nullptr when in the arena
  uint32_t first_desc_fd = 0;            // index of the first argument descriptor
};

// A validated kReply, kError, kInfoReply or kOpenReply record.
struct Reply {
  MsgType type = MsgType::kReply;
  uint32_t flags = 0;
  uint32_t n_desc = 0;
  uint64_t data_size = 0;
  int err = 0;  // kError
  const unsigned char* descs = nullptr;
  const unsigned char* data = nullptr;
  uint32_t first_desc_fd = 0;
};

// Validates a record received on a call connection (server side).
WireError DecodeRequest(const void* buf, size_t len, size_t n_fds, Request* out);
// Validates a record received on a call connection (client side).
WireError DecodeReply(const void* buf, size_t len, size_t n_fds, Reply* out);
// Validates a record received on a reference socket or a fattach socket: a bare
// header of one of the given types carrying exactly want_fds descriptors.
WireError DecodeControl(const void* buf, size_t len, size_t n_fds, MsgType* type,
                        uint32_t* flags = nullptr);

// Fills a header.
WireHeader MakeHeader(MsgType type, uint32_t flags, uint32_t n_desc, uint64_t data_size,
                      uint64_t aux = 0);

inline WireDesc DescAt(const unsigned char* descs, uint32_t i) {
  WireDesc d;
  std::memcpy(&d, descs + size_t{i} * sizeof(WireDesc), sizeof d);
  return d;
}

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_WIRE_H
