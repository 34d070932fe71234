#include "port/iscsi/pdu_initiator.h"

#include <cstring>

namespace openstmf::iscsi {
namespace {

// ISID is 6 bytes at offset 8, TSIH 2 bytes at 14 (RFC 7143 §11.12.5, §11.12.6).
uint64_t LoadIsid(const uint8_t* p) {
  return static_cast<uint64_t>(GetBe16(p + 8)) << 32 | GetBe32(p + 10);
}
void StoreIsid(uint8_t* p, uint64_t isid) {
  PutBe16(p + 8, static_cast<uint16_t>(isid >> 32));
  PutBe32(p + 10, static_cast<uint32_t>(isid));
}

}  // namespace

NopOut NopOut::Decode(const uint8_t* p) {
  BhsView v(p);
  NopOut n;
  n.immediate = v.immediate();
  n.data_segment_length = v.data_segment_length();
  n.lun = v.lun();
  n.itt = v.itt();
  n.ttt = v.word(20);
  n.cmd_sn = v.word(24);
  n.exp_stat_sn = v.word(28);
  return n;
}

void NopOut::Encode(uint8_t* out) const {
  InitBhs(out, Opcode::kNopOut, immediate, 0x80);
  SetSegmentLengths(out, 0, data_segment_length);
  PutBe64(out + 8, lun);
  PutBe32(out + 16, itt);
  PutBe32(out + 20, ttt);
  PutBe32(out + 24, cmd_sn);
  PutBe32(out + 28, exp_stat_sn);
}

ScsiCommand ScsiCommand::Decode(const uint8_t* p) {
  BhsView v(p);
  ScsiCommand c;
  c.immediate = v.immediate();
  c.final_bit = v.final_bit();
  c.read = (p[1] & 0x40) != 0;
  c.write = (p[1] & 0x20) != 0;
  c.attr = p[1] & 0x07;
  c.total_ahs_words = p[4];
  c.data_segment_length = v.data_segment_length();
  c.lun = v.lun();
  c.itt = v.itt();
  c.expected_data_transfer_length = v.word(20);
  c.cmd_sn = v.word(24);
  c.exp_stat_sn = v.word(28);
  std::memcpy(c.cdb.data(), p + 32, 16);
  return c;
}

void ScsiCommand::Encode(uint8_t* out) const {
  const uint8_t flags = static_cast<uint8_t>((final_bit ? 0x80 : 0) | (read ? 0x40 : 0) |
                                             (write ? 0x20 : 0) | (attr & 0x07));
  InitBhs(out, Opcode::kScsiCommand, immediate, flags);
  SetSegmentLengths(out, static_cast<size_t>(total_ahs_words) * 4, data_segment_length);
  PutBe64(out + 8, lun);
  PutBe32(out + 16, itt);
  PutBe32(out + 20, expected_data_transfer_length);
  PutBe32(out + 24, cmd_sn);
  PutBe32(out + 28, exp_stat_sn);
  std::memcpy(out + 32, cdb.data(), 16);
}

TaskMgmtRequest TaskMgmtRequest::Decode(const uint8_t* p) {
  BhsView v(p);
  TaskMgmtRequest t;
  t.immediate = v.immediate();
  t.function = p[1] & 0x7f;
  t.lun = v.lun();
  t.itt = v.itt();
  t.referenced_task_tag = v.word(20);
  t.cmd_sn = v.word(24);
  t.exp_stat_sn = v.word(28);
  t.ref_cmd_sn = v.word(32);
  t.exp_data_sn = v.word(36);
  return t;
}

void TaskMgmtRequest::Encode(uint8_t* out) const {
  InitBhs(out, Opcode::kTaskMgmtRequest, immediate, static_cast<uint8_t>(0x80 | function));
  PutBe64(out + 8, lun);
  PutBe32(out + 16, itt);
  PutBe32(out + 20, referenced_task_tag);
  PutBe32(out + 24, cmd_sn);
  PutBe32(out + 28, exp_stat_sn);
  PutBe32(out + 32, ref_cmd_sn);
  PutBe32(out + 36, exp_data_sn);
}

LoginRequest LoginRequest::Decode(const uint8_t* p) {
  BhsView v(p);
  LoginRequest l;
  l.transit = (p[1] & 0x80) != 0;
  l.continue_ = (p[1] & 0x40) != 0;
  l.csg = (p[1] >> 2) & 0x03;
  l.nsg = p[1] & 0x03;
  l.version_max = p[2];
  l.version_min = p[3];
  l.data_segment_length = v.data_segment_length();
  l.isid = LoadIsid(p);
  l.tsih = GetBe16(p + 14);
  l.itt = v.itt();
  l.cid = GetBe16(p + 20);
  l.cmd_sn = v.word(24);
  l.exp_stat_sn = v.word(28);
  return l;
}

void LoginRequest::Encode(uint8_t* out) const {
  const uint8_t flags = static_cast<uint8_t>((transit ? 0x80 : 0) | (continue_ ? 0x40 : 0) |
                                             (csg & 3) << 2 | (nsg & 3));
  InitBhs(out, Opcode::kLoginRequest, true, flags);
  out[2] = version_max;
  out[3] = version_min;
  SetSegmentLengths(out, 0, data_segment_length);
  StoreIsid(out, isid);
  PutBe16(out + 14, tsih);
  PutBe32(out + 16, itt);
  PutBe16(out + 20, cid);
  PutBe32(out + 24, cmd_sn);
  PutBe32(out + 28, exp_stat_sn);
}

TextRequest TextRequest::Decode(const uint8_t* p) {
  BhsView v(p);
  TextRequest t;
  t.immediate = v.immediate();
  t.final_bit = v.final_bit();
  t.continue_ = (p[1] & 0x40) != 0;
  t.data_segment_length = v.data_segment_length();
  t.lun = v.lun();
  t.itt = v.itt();
  t.ttt = v.word(20);
  t.cmd_sn = v.word(24);
  t.exp_stat_sn = v.word(28);
  return t;
}

void TextRequest::Encode(uint8_t* out) const {
  InitBhs(out, Opcode::kTextRequest, immediate,
          static_cast<uint8_t>((final_bit ? 0x80 : 0) | (continue_ ? 0x40 : 0)));
  SetSegmentLengths(out, 0, data_segment_length);
  PutBe64(out + 8, lun);
  PutBe32(out + 16, itt);
  PutBe32(out + 20, ttt);
  PutBe32(out + 24, cmd_sn);
  PutBe32(out + 28, exp_stat_sn);
}

DataOut DataOut::Decode(const uint8_t* p) {
  BhsView v(p);
  DataOut d;
  d.final_bit = v.final_bit();
  d.data_segment_length = v.data_segment_length();
  d.lun = v.lun();
  d.itt = v.itt();
  d.ttt = v.word(20);
  d.exp_stat_sn = v.word(28);
  d.data_sn = v.word(36);
  d.buffer_offset = v.word(40);
  return d;
}

void DataOut::Encode(uint8_t* out) const {
  InitBhs(out, Opcode::kScsiDataOut, false, final_bit ? 0x80 : 0);
  SetSegmentLengths(out, 0, data_segment_length);
  PutBe64(out + 8, lun);
  PutBe32(out + 16, itt);
  PutBe32(out + 20, ttt);
  PutBe32(out + 28, exp_stat_sn);
  PutBe32(out + 36, data_sn);
  PutBe32(out + 40, buffer_offset);
}

LogoutRequest LogoutRequest::Decode(const uint8_t* p) {
  BhsView v(p);
  LogoutRequest l;
  l.immediate = v.immediate();
  l.reason = p[1] & 0x7f;
  l.itt = v.itt();
  l.cid = GetBe16(p + 20);
  l.cmd_sn = v.word(24);
  l.exp_stat_sn = v.word(28);
  return l;
}

void LogoutRequest::Encode(uint8_t* out) const {
  InitBhs(out, Opcode::kLogoutRequest, immediate, static_cast<uint8_t>(0x80 | reason));
  PutBe32(out + 16, itt);
  PutBe16(out + 20, cid);
  PutBe32(out + 24, cmd_sn);
  PutBe32(out + 28, exp_stat_sn);
}

SnackRequest SnackRequest::Decode(const uint8_t* p) {
  BhsView v(p);
  SnackRequest s;
  s.type = p[1] & 0x0f;
  s.lun = v.lun();
  s.itt = v.itt();
  s.ttt = v.word(20);
  s.exp_stat_sn = v.word(28);
  s.beg_run = v.word(40);
  s.run_length = v.word(44);
  return s;
}

void SnackRequest::Encode(uint8_t* out) const {
  InitBhs(out, Opcode::kSnackRequest, false, static_cast<uint8_t>(0x80 | (type & 0x0f)));
  PutBe64(out + 8, lun);
  PutBe32(out + 16, itt);
  PutBe32(out + 20, ttt);
  PutBe32(out + 28, exp_stat_sn);
  PutBe32(out + 40, beg_run);
  PutBe32(out + 44, run_length);
}

}  // namespace openstmf::iscsi
