// ProxyMsg: the messages two openstmf nodes of an ALUA pair exchange — COMSTAR's
// interconnect message set (pppt_ic_if.h), carried by stmfproxy between the
// nodes and through each node's proxy door into stmfd.
//
// Message types keep COMSTAR's numbering (stmf_ic_msg_type_t), so logs and docs
// line up with COMSTAR's. COMSTAR marshals each message as an nvlist; openstmf
// uses a fixed binary layout instead, because SCSI_CMD / SCSI_DATA / SCSI_STATUS
// are on the data path of every proxied command:
//
//   header := version (u8 = 1) | type (u8) | reserved (u16 = 0) | msgid (u64)
//   then the body of the type (below), all numbers big-endian;
//   str := length (u16) bytes      blob := length (u32) bytes      guid := 16 bytes
//
//   REGISTER_PROXY_PORT    rtpid (u16) | port devid (str)
//   DEREGISTER_PROXY_PORT  port devid (str)
//   REGISTER_LUN, DEREGISTER_LUN, LUN_ACTIVE
//                          guid | provider (str) | provider data (blob)
//   SCSI_CMD               session id (u64) | guid | initiator (str) | port (str)
//                          | lun (8) | expected transfer length (u32) | flags (u8)
//                          | task attribute (u8) | task management function (u8)
//                          | cdb (str, 1..260) | immediate data (blob)
//   SCSI_DATA              guid | offset (u32) | final (u8) | data (blob)
//   SCSI_DATA_XFER_DONE    offset (u32) | status (u32)
//   SCSI_STATUS            guid | response (u8) | status (u8) | flags (u8)
//                          | residual (u32) | sense (str, <= 252) | data (blob)
//   R2T                    offset (u32) | length (u32)
//   STATUS                 acked type (u8) | acked msgid (u64) | status (u32)
//   SESSION_CREATE, SESSION_DESTROY
//                          session id (u64) | initiator (str) | alias (str) | port (str)
//   ECHO_REQUEST, ECHO_REPLY  data (blob)
//
// A door call or peer-link frame may carry several messages back to back (a
// batch, DecodeBatch). For task messages (SCSI_*, R2T) msgid identifies the task; COMSTAR sets the
// top bit of a task management message's id, and so does openstmf (kTmfMsgIdBit). Decode() accepts
// any bytes and refuses anything malformed with the reason.
//
// Thread-safety: value types.
#ifndef OPENSTMF_HA_PROXY_MSG_H
#define OPENSTMF_HA_PROXY_MSG_H

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"

namespace openstmf::ha {

// stmf_ic_msg_type_t (illumos usr/src/uts/common/sys/pppt_ic_if.h).
enum class MsgType : uint8_t {
  kRegisterProxyPort = 0,
  kDeregisterProxyPort = 1,
  kRegisterLun = 2,
  kDeregisterLun = 3,
  kScsiCmd = 4,
  kScsiData = 5,
  kScsiDataXferDone = 6,
  kScsiStatus = 7,
  kR2t = 8,
  kStatus = 9,
  kSessionCreate = 10,
  kSessionDestroy = 11,
  kEchoRequest = 12,
  kEchoReply = 13,
  kLunActive = 14,
};
inline constexpr uint8_t kMsgTypeCount = 15;

// stmf_ic_msg_status_t.
enum class MsgStatus : uint32_t { kSuccess = 0, kIcDown = 1, kTimedOut = 2, kInternalError = 3 };

inline constexpr uint64_t kTmfMsgIdBit = uint64_t{1} << 63;
inline constexpr size_t kMaxCdb = 260;
inline constexpr size_t kMaxSense = 252;
inline constexpr size_t kMaxBlob = size_t{33} << 20;  // a 32 MiB transfer and then some

// SCSI_CMD flags.
inline constexpr uint8_t kCmdRead = 0x01;   // data to the initiator
inline constexpr uint8_t kCmdWrite = 0x02;  // data from the initiator

using Guid = std::array<uint8_t, 16>;

// One message; which fields mean something depends on type (see above).
struct ProxyMsg {
  MsgType type = MsgType::kEchoRequest;
  uint64_t msgid = 0;

  std::string port;       // target port devid
  uint16_t rtpid = 0;     // relative target port identifier
  Guid guid{};            // LU
  std::string provider;   // LU provider name ("sbd")
  std::string initiator;  // initiator devid
  std::string alias;      // initiator alias
  uint64_t session_id = 0;
  std::array<uint8_t, 8> lun{};
  uint32_t expected_length = 0;
  uint8_t flags = 0;
  uint8_t task_attr = 0;
  uint8_t tmf = 0;
  std::vector<uint8_t> cdb;
  uint32_t offset = 0;
  uint32_t length = 0;  // R2T
  bool final = false;   // SCSI_DATA: the last data of the task
  uint8_t response = 0;
  uint8_t scsi_status = 0;
  uint32_t residual = 0;
  std::vector<uint8_t> sense;
  uint32_t status = 0;  // STATUS, SCSI_DATA_XFER_DONE
  MsgType acked_type = MsgType::kEchoRequest;
  uint64_t acked_msgid = 0;
  std::vector<uint8_t> data;  // provider data, immediate/read data, echo payload

  bool operator==(const ProxyMsg&) const = default;
};

const char* MsgTypeName(MsgType t);

// Appends the wire form of m to out.
void Encode(const ProxyMsg& m, std::vector<uint8_t>& out);
std::vector<uint8_t> Encode(const ProxyMsg& m);
// Appends the wire form of m up to its data blob's length, which is data_size
// (m.data is not looked at): the data bytes follow as a piece of their own
// (batch_sender.h MessageParts), so a transfer is copied once, into the queue.
// The blob is the last field of every type that has one.
void EncodeHead(const ProxyMsg& m, size_t data_size, std::vector<uint8_t>& out);
Result<ProxyMsg> Decode(std::span<const uint8_t> bytes);
// One message from the start of bytes; *consumed is its length.
Result<ProxyMsg> DecodeNext(std::span<const uint8_t> bytes, size_t* consumed);
// A batch: one or more messages back to back, as stmfd sends them through the
// proxy service when several are waiting (each message's length follows from
// its type and fields, so a batch needs no framing of its own).
Result<std::vector<ProxyMsg>> DecodeBatch(std::span<const uint8_t> bytes);
// The same, but each message's data blob stays where it is in `bytes` (so a
// transfer is copied once, to where it goes): msg.data is empty and data
// points into bytes.
struct MsgInPlace {
  ProxyMsg msg;
  std::span<const uint8_t> data;
};
Result<std::vector<MsgInPlace>> DecodeBatchInPlace(std::span<const uint8_t> bytes);

}  // namespace openstmf::ha

#endif  // OPENSTMF_HA_PROXY_MSG_H
