// Fuzzes the receive path of an iSCSI connection: framer, header validator, digest
// checks, per-opcode decoding and AHS parsing.
//
// Input: byte 0 selects the connection state (bit 0 full feature phase, bit 1
// discovery, bit 2 header digest, bit 3 data digest, bit 4 strict reserved checks,
// bit 5 ERL 1, bits 6-7 MaxRecvDataSegmentLength); the rest is the byte stream,
// framed twice: whole, and delivered in growing pieces as partial reads would be.
#include <cstddef>
#include <cstdint>
#include <span>

#include "port/iscsi/ahs.h"
#include "port/iscsi/framer.h"
#include "port/iscsi/pdu_initiator.h"

namespace openstmf::iscsi {
namespace {

FramerConfig ConfigFrom(uint8_t b) {
  static constexpr uint32_t kMrdsl[] = {512, 8192, 65536, 262144};
  FramerConfig c;
  c.validation.phase = (b & 1) ? Phase::kFullFeature : Phase::kLogin;
  c.validation.discovery = (b & 2) != 0;
  c.digests.header = (b & 1) && (b & 4);
  c.digests.data = (b & 1) && (b & 8);
  c.validation.strict_reserved = (b & 16) != 0;
  c.validation.error_recovery_level = (b & 32) ? 1 : 0;
  c.validation.max_recv_data_segment_length = kMrdsl[b >> 6];
  c.validation.initial_r2t = false;
  return c;
}

volatile uint32_t sink;

void Use(const Pdu& pdu) {
  switch (static_cast<Opcode>(pdu.opcode())) {
    case Opcode::kScsiCommand: {
      const ScsiCommand c = ScsiCommand::Decode(pdu.bhs);
      AhsInfo info;
      const char* err = "";
      if (ParseAhs(pdu.ahs, &info, &err)) {
        uint8_t cdb[kMaxCdbLength];
        sink = static_cast<uint32_t>(AssembleCdb(pdu.bhs, info, cdb)) + cdb[0];
      }
      sink = c.cmd_sn;
      break;
    }
    case Opcode::kLoginRequest:
      sink = LoginRequest::Decode(pdu.bhs).cid;
      break;
    case Opcode::kTextRequest:
      sink = TextRequest::Decode(pdu.bhs).ttt;
      break;
    case Opcode::kScsiDataOut:
      sink = DataOut::Decode(pdu.bhs).buffer_offset;
      break;
    case Opcode::kTaskMgmtRequest:
      sink = TaskMgmtRequest::Decode(pdu.bhs).ref_cmd_sn;
      break;
    case Opcode::kLogoutRequest:
      sink = LogoutRequest::Decode(pdu.bhs).reason;
      break;
    case Opcode::kSnackRequest:
      sink = SnackRequest::Decode(pdu.bhs).run_length;
      break;
    case Opcode::kNopOut:
      sink = NopOut::Decode(pdu.bhs).ttt;
      break;
    default:
      break;
  }
  uint32_t sum = 0;
  for (uint8_t b : pdu.data) sum += b;
  sink = sum;
}

// Frames everything in buf; returns the number of PDUs seen.
void FrameAll(Framer& f, std::span<const uint8_t> buf, size_t step) {
  size_t have = step == 0 ? buf.size() : 0;
  size_t off = 0;
  for (int guard = 0; guard < 100000; ++guard) {
    if (step != 0) have = have + step > buf.size() ? buf.size() : have + step;
    const FrameResult r = f.Next(buf.subspan(off, have - off));
    if (r.status == FrameStatus::kPdu) {
      Use(r.pdu);
      off += r.length;
    } else if (r.status == FrameStatus::kError) {
      if (r.error.action != PduAction::kReject || r.length == 0) return;
      if (r.length > buf.size() - off) return;  // skip needs bytes we do not have
      off += r.length;
    } else if (have == buf.size()) {
      return;  // needs more than there is
    }
    if (have < off) have = off;
  }
}

}  // namespace
}  // namespace openstmf::iscsi

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace openstmf::iscsi;
  if (size < 1) return 0;
  const FramerConfig config = ConfigFrom(data[0]);
  const std::span<const uint8_t> stream(data + 1, size - 1);
  Framer whole(config);
  FrameAll(whole, stream, 0);
  Framer pieces(config);
  FrameAll(pieces, stream, 1 + (size % 61));
  return 0;
}
