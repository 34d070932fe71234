#include "port/iscsi/pdu_target.h"

namespace openstmf::iscsi {
namespace {

TargetSn LoadSn(const uint8_t* p) { return {GetBe32(p + 24), GetBe32(p + 28), GetBe32(p + 32)}; }
void StoreSn(uint8_t* p, const TargetSn& sn) {
  PutBe32(p + 24, sn.stat_sn);
  PutBe32(p + 28, sn.exp_cmd_sn);
  PutBe32(p + 32, sn.max_cmd_sn);
}

}  // namespace

NopIn NopIn::Decode(const uint8_t* p) {
  BhsView v(p);
  return {v.data_segment_length(), v.lun(), v.itt(), v.word(20), LoadSn(p)};
}

void NopIn::Encode(uint8_t* out) const {
  InitBhs(out, Opcode::kNopIn, false, 0x80);
  SetSegmentLengths(out, 0, data_segment_length);
  PutBe64(out + 8, lun);
  PutBe32(out + 16, itt);
  PutBe32(out + 20, ttt);
  StoreSn(out, sn);
}

ScsiResponse ScsiResponse::Decode(const uint8_t* p) {
  BhsView v(p);
  ScsiResponse r;
  r.bidi_overflow = (p[1] & 0x10) != 0;
  r.bidi_underflow = (p[1] & 0x08) != 0;
  r.overflow = (p[1] & 0x04) != 0;
  r.underflow = (p[1] & 0x02) != 0;
  r.response = p[2];
  r.status = p[3];
  r.data_segment_length = v.data_segment_length();
  r.itt = v.itt();
  r.snack_tag = v.word(20);
  r.sn = LoadSn(p);
  r.exp_data_sn = v.word(36);
  r.bidi_read_residual_count = v.word(40);
  r.residual_count = v.word(44);
  return r;
}

void ScsiResponse::Encode(uint8_t* out) const {
  const uint8_t flags =
      static_cast<uint8_t>(0x80 | (bidi_overflow ? 0x10 : 0) | (bidi_underflow ? 0x08 : 0) |
                           (overflow ? 0x04 : 0) | (underflow ? 0x02 : 0));
  InitBhs(out, Opcode::kScsiResponse, false, flags);
  out[2] = response;
  out[3] = status;
  SetSegmentLengths(out, 0, data_segment_length);
  PutBe32(out + 16, itt);
  PutBe32(out + 20, snack_tag);
  StoreSn(out, sn);
  PutBe32(out + 36, exp_data_sn);
  PutBe32(out + 40, bidi_read_residual_count);
  PutBe32(out + 44, residual_count);
}

TaskMgmtResponse TaskMgmtResponse::Decode(const uint8_t* p) {
  return {p[2], GetBe32(p + 16), LoadSn(p)};
}

void TaskMgmtResponse::Encode(uint8_t* out) const {
  InitBhs(out, Opcode::kTaskMgmtResponse, false, 0x80);
  out[2] = response;
  PutBe32(out + 16, itt);
  StoreSn(out, sn);
}

LoginResponse LoginResponse::Decode(const uint8_t* p) {
  BhsView v(p);
  LoginResponse r;
  r.transit = (p[1] & 0x80) != 0;
  r.continue_ = (p[1] & 0x40) != 0;
  r.csg = (p[1] >> 2) & 3;
  r.nsg = p[1] & 3;
  r.version_max = p[2];
  r.version_active = p[3];
  r.data_segment_length = v.data_segment_length();
  r.isid = static_cast<uint64_t>(GetBe16(p + 8)) << 32 | GetBe32(p + 10);
  r.tsih = GetBe16(p + 14);
  r.itt = v.itt();
  r.sn = LoadSn(p);
  r.status_class = p[36];
  r.status_detail = p[37];
  return r;
}

void LoginResponse::Encode(uint8_t* out) const {
  const uint8_t flags = static_cast<uint8_t>((transit ? 0x80 : 0) | (continue_ ? 0x40 : 0) |
                                             (csg & 3) << 2 | (nsg & 3));
  InitBhs(out, Opcode::kLoginResponse, false, flags);
  out[2] = version_max;
  out[3] = version_active;
  SetSegmentLengths(out, 0, data_segment_length);
  PutBe16(out + 8, static_cast<uint16_t>(isid >> 32));
  PutBe32(out + 10, static_cast<uint32_t>(isid));
  PutBe16(out + 14, tsih);
  PutBe32(out + 16, itt);
  StoreSn(out, sn);
  out[36] = status_class;
  out[37] = status_detail;
}

TextResponse TextResponse::Decode(const uint8_t* p) {
  BhsView v(p);
  return {v.final_bit(), (p[1] & 0x40) != 0, v.data_segment_length(), v.lun(), v.itt(),
          v.word(20),    LoadSn(p)};
}

void TextResponse::Encode(uint8_t* out) const {
  InitBhs(out, Opcode::kTextResponse, false,
          static_cast<uint8_t>((final_bit ? 0x80 : 0) | (continue_ ? 0x40 : 0)));
  SetSegmentLengths(out, 0, data_segment_length);
  PutBe64(out + 8, lun);
  PutBe32(out + 16, itt);
  PutBe32(out + 20, ttt);
  StoreSn(out, sn);
}

DataIn DataIn::Decode(const uint8_t* p) {
  BhsView v(p);
  DataIn d;
  d.final_bit = v.final_bit();
  d.acknowledge = (p[1] & 0x40) != 0;
  d.overflow = (p[1] & 0x04) != 0;
  d.underflow = (p[1] & 0x02) != 0;
  d.status_present = (p[1] & 0x01) != 0;
  d.status = p[3];
  d.data_segment_length = v.data_segment_length();
  d.lun = v.lun();
  d.itt = v.itt();
  d.ttt = v.word(20);
  d.sn = LoadSn(p);
  d.data_sn = v.word(36);
  d.buffer_offset = v.word(40);
  d.residual_count = v.word(44);
  return d;
}

void DataIn::Encode(uint8_t* out) const {
  // RFC 7143 §11.7.1: S implies F.
  const uint8_t flags = static_cast<uint8_t>(((final_bit || status_present) ? 0x80 : 0) |
                                             (acknowledge ? 0x40 : 0) | (overflow ? 0x04 : 0) |
                                             (underflow ? 0x02 : 0) | (status_present ? 0x01 : 0));
  InitBhs(out, Opcode::kScsiDataIn, false, flags);
  out[3] = status_present ? status : 0;
  SetSegmentLengths(out, 0, data_segment_length);
  PutBe64(out + 8, lun);
  PutBe32(out + 16, itt);
  PutBe32(out + 20, ttt);
  StoreSn(out, sn);
  if (!status_present) PutBe32(out + 24, 0);  // StatSN is reserved without S
  PutBe32(out + 36, data_sn);
  PutBe32(out + 40, buffer_offset);
  PutBe32(out + 44, residual_count);
}

LogoutResponse LogoutResponse::Decode(const uint8_t* p) {
  return {p[2], GetBe32(p + 16), LoadSn(p), GetBe16(p + 40), GetBe16(p + 42)};
}

void LogoutResponse::Encode(uint8_t* out) const {
  InitBhs(out, Opcode::kLogoutResponse, false, 0x80);
  out[2] = response;
  PutBe32(out + 16, itt);
  StoreSn(out, sn);
  PutBe16(out + 40, time2wait);
  PutBe16(out + 42, time2retain);
}

R2t R2t::Decode(const uint8_t* p) {
  BhsView v(p);
  return {v.lun(), v.itt(), v.word(20), LoadSn(p), v.word(36), v.word(40), v.word(44)};
}

void R2t::Encode(uint8_t* out) const {
  InitBhs(out, Opcode::kR2t, false, 0x80);
  PutBe64(out + 8, lun);
  PutBe32(out + 16, itt);
  PutBe32(out + 20, ttt);
  StoreSn(out, sn);
  PutBe32(out + 36, r2t_sn);
  PutBe32(out + 40, buffer_offset);
  PutBe32(out + 44, desired_data_transfer_length);
}

AsyncMessage AsyncMessage::Decode(const uint8_t* p) {
  BhsView v(p);
  return {v.data_segment_length(), v.lun(),         LoadSn(p),      p[36], p[37],
          GetBe16(p + 38),         GetBe16(p + 40), GetBe16(p + 42)};
}

void AsyncMessage::Encode(uint8_t* out) const {
  InitBhs(out, Opcode::kAsyncMessage, false, 0x80);
  SetSegmentLengths(out, 0, data_segment_length);
  PutBe64(out + 8, lun);
  PutBe32(out + 16, kReservedTag);  // RFC 7143 §11.9: ITT is 0xffffffff
  StoreSn(out, sn);
  out[36] = event;
  out[37] = vcode;
  PutBe16(out + 38, parameter1);
  PutBe16(out + 40, parameter2);
  PutBe16(out + 42, parameter3);
}

Reject Reject::Decode(const uint8_t* p) {
  BhsView v(p);
  return {p[2], v.data_segment_length(), LoadSn(p), v.word(36)};
}

void Reject::Encode(uint8_t* out) const {
  InitBhs(out, Opcode::kReject, false, 0x80);
  out[2] = reason;
  SetSegmentLengths(out, 0, data_segment_length);
  PutBe32(out + 16, kReservedTag);  // RFC 7143 §11.17: ITT is 0xffffffff
  StoreSn(out, sn);
  PutBe32(out + 36, data_sn_or_r2t_sn);
}

}  // namespace openstmf::iscsi
