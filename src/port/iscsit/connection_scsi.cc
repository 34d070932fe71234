// The SCSI data path of a connection: SCSI Command, Data-Out, R2T, Data-In and
// SCSI Response (RFC 7143 §11.3-§11.8).
#include <algorithm>
#include <cstring>

#include "base/log.h"
#include "port/iscsi/ahs.h"
#include "port/iscsi/pdu_initiator.h"
#include "port/iscsi/pdu_target.h"
#include "port/iscsit/connection.h"
#include "scsi/dispatcher.h"
#include "scsi/lun.h"
#include "scsi/opcodes.h"
#include "scsi/sense.h"
#include "stmf/no_lu.h"

namespace openstmf::iscsit {
namespace {

// Largest EDTL buffered for one command: the LU's maximum transfer (VPD B0) with
// room to spare for parameter lists.
constexpr uint32_t kMaxCommandData = 33u << 20;

scsi::TaskAttribute AttributeOf(uint8_t iscsi_attr) {
  switch (static_cast<iscsi::TaskAttr>(iscsi_attr)) {
    case iscsi::TaskAttr::kOrdered:
      return scsi::TaskAttribute::kOrdered;
    case iscsi::TaskAttr::kHeadOfQueue:
      return scsi::TaskAttribute::kHeadOfQueue;
    case iscsi::TaskAttr::kAca:
      return scsi::TaskAttribute::kAca;
    default:
      return scsi::TaskAttribute::kSimple;  // untagged is SIMPLE (RFC 7143 §11.3.1)
  }
}

// COMPARE AND WRITE, ORWRITE(16), WRITE ATOMIC(16), WRITE SAME(10/16).
bool IsExactDataCommand(uint8_t opcode) {
  return opcode == 0x89 || opcode == 0x8b || opcode == 0x9c || opcode == 0x41 || opcode == 0x93;
}

}  // namespace

const Connection::LunEntry* Connection::FindLun(uint64_t lun_field) const {
  return session_->FindLun(lun_field);
}

void Connection::HandleScsiCommand(const iscsi::Pdu& pdu) {
  iscsi::ScsiCommand c = iscsi::ScsiCommand::Decode(pdu.bhs);
  if (type_ != iscsi::SessionType::kNormal) {
    return SendReject(pdu.bhs, iscsi::RejectReason::kProtocolError);
  }
  iscsi::AhsInfo ahs;
  const char* error = nullptr;
  if (!iscsi::ParseAhs(pdu.ahs, &ahs, &error)) {
    Log(LogLevel::kWarn, "iscsit", "%s: bad AHS: %s", peer_.c_str(), error);
    return SendReject(pdu.bhs, iscsi::RejectReason::kInvalidPduField);
  }
  if (pdu.data.size() > c.expected_data_transfer_length || (!c.write && !pdu.data.empty()) ||
      c.expected_data_transfer_length > kMaxCommandData) {
    Log(LogLevel::kWarn, "iscsit", "%s: SCSI command %02x: %zu bytes of immediate data, EDTL %u%s",
        peer_.c_str(), c.cdb[0], pdu.data.size(), c.expected_data_transfer_length,
        c.write ? "" : " without W");
    return SendReject(pdu.bhs, iscsi::RejectReason::kProtocolError);
  }
  if (pool_.ByItt(c.itt) != nullptr) {
    return SendReject(pdu.bhs, iscsi::RejectReason::kTaskInProgress);
  }
  Task* t = pool_.Acquire(this);
  t->itt = c.itt;
  t->cmd_sn = c.cmd_sn;
  t->lun_field = c.lun;
  t->edtl = c.expected_data_transfer_length;
  t->read = c.read;
  t->write = c.write;
  t->immediate = c.immediate;
  t->final_bit = c.final_bit;
  t->attr = c.attr;
  t->cdb_size = iscsi::AssembleCdb(pdu.bhs, ahs, t->cdb);
  if (c.write) {
    if (t->buf.size() < t->edtl) t->buf.resize(t->edtl);
    if (!pdu.data.empty()) std::memcpy(t->buf.data(), pdu.data.data(), pdu.data.size());
    t->received = static_cast<uint32_t>(pdu.data.size());
    // RFC 7143 §13.10, §13.14: without InitialR2T the initiator may follow with
    // unsolicited Data-Out up to FirstBurstLength, unless F says it will not.
    t->unsolicited_end = t->received;
    if (!c.final_bit && !params_.initial_r2t) {
      t->unsolicited_end = std::min(t->edtl, params_.first_burst_length);
    }
    t->next_r2t_offset = t->unsolicited_end;
    if (t->unsolicited_end > t->received) {
      t->bursts.push_back({iscsi::kReservedTag,
                           iscsi::DataOutSequence(t->received, t->unsolicited_end - t->received)});
    }
  }
  if (c.immediate) return StartCommand(t);
  iscsi::CommandWindow& window = session_->window();
  switch (window.Accept(c.cmd_sn, false, session_->Cookie(this, t->index))) {
    case iscsi::CommandWindow::Verdict::kDeliver:
      StartCommand(t);
      session_->DeliverReady();
      return;
    case iscsi::CommandWindow::Verdict::kQueued:
      return;
    case iscsi::CommandWindow::Verdict::kOutOfWindow:
    case iscsi::CommandWindow::Verdict::kDuplicate:
      Log(LogLevel::kDebug, "iscsit", "%s: SCSI command with CmdSN %u outside [%u, %u] ignored",
          peer_.c_str(), c.cmd_sn, window.exp_cmd_sn(), window.max_cmd_sn());
      ReleaseTask(t);
      return;
  }
}

void Connection::StartCommand(Task* t) {
  scsi::ScsiCommand& cmd = t->cmd;
  cmd.cdb_bytes = t->cdb;
  cmd.cdb_size = t->cdb_size;
  t->luns = session_->lun_numbers();  // REPORT LUNS answers from this snapshot
  cmd.luns = *t->luns;
  cmd.done = &Connection::OnScsiDone;
  cmd.done_arg = t;
  t->state = Task::State::kRunning;
  const LunEntry* e = FindLun(t->lun_field);
  if (e == nullptr) {
    uint32_t len = stmf::NoLuDataInLength(t->cdb, t->cdb_size);
    if (t->buf.size() < len) t->buf.resize(len);
    cmd.data_in = std::span<uint8_t>(t->buf.data(), len);
    return stmf::RespondWithoutLu(cmd, *t->luns);
  }
  t->lu = e->lu;
  t->nexus = e->nexus;
  cmd.nexus = e->nexus;
  std::lock_guard<std::recursive_mutex> lock(t->lu->mu());
  if (!scsi::Prepare(t->lu->scsi(), cmd)) return;  // completed with an error
  t->prepared = true;
  t->spdtl = cmd.transfer_length;
  if (t->write && cmd.direction != scsi::DataDirection::kOut && t->edtl != 0 &&
      IsExactDataCommand(cmd.cdb.opcode)) {
    // E.g. COMPARE AND WRITE of 0 blocks with Data-Out attached.
    return scsi::Complete(cmd, scsi::SenseFor(scsi::Asc::kInvalidFieldInCdb));
  }
  switch (cmd.direction) {
    case scsi::DataDirection::kIn:
      if (t->buf.size() < cmd.transfer_length) t->buf.resize(cmd.transfer_length);
      cmd.data_in = std::span<uint8_t>(t->buf.data(), cmd.transfer_length);
      return RunTask(t);
    case scsi::DataDirection::kOut:
      t->state = Task::State::kReceiving;
      if (t->received >= t->edtl || t->data_error) return DataComplete(t);
      return SendR2ts(t);
    case scsi::DataDirection::kNone:
      return RunTask(t);
  }
}

void Connection::SendR2ts(Task* t) {
  // RFC 7143 §10.8: solicit what the unsolicited burst does not cover, at most
  // MaxBurstLength per R2T and MaxOutstandingR2T R2Ts at a time.
  while (t->r2t_outstanding < params_.max_outstanding_r2t && t->next_r2t_offset < t->edtl) {
    uint32_t len = std::min(params_.max_burst_length, t->edtl - t->next_r2t_offset);
    iscsi::R2t r;
    r.lun = t->lun_field;
    r.itt = t->itt;
    r.r2t_sn = t->sn.NextR2tSn();
    // The TTT names the task (low 16 bits) and the R2T (high bits).
    r.ttt = ((r.r2t_sn & 0x7fff) << 16) | t->index;
    FillSn(&r.sn, false);
    r.buffer_offset = t->next_r2t_offset;
    r.desired_data_transfer_length = len;
    TxPdu* p = t->NextTx();
    r.Encode(p->header);
    if (!p->frame.Build(p->header, 0, nullptr, 0, framer_.config().digests)) return;
    for (int i = 0; i < p->frame.iovcnt(); ++i) {
      const iovec& v = p->frame.iov()[i];
      conn_.Send(std::span<const uint8_t>(static_cast<const uint8_t*>(v.iov_base), v.iov_len));
    }
    t->bursts.push_back({r.ttt, iscsi::DataOutSequence(t->next_r2t_offset, len)});
    t->next_r2t_offset += len;
    ++t->r2t_outstanding;
  }
}

void Connection::HandleDataOut(const iscsi::Pdu& pdu) {
  iscsi::DataOut d = iscsi::DataOut::Decode(pdu.bhs);
  bool solicited = d.ttt != iscsi::kReservedTag;
  Task* t = solicited ? pool_.ByIndex(d.ttt & 0xffff) : pool_.ByItt(d.itt);
  if (t == nullptr || t->itt != d.itt || !t->write || t->aborted ||
      (t->state != Task::State::kHeld && t->state != Task::State::kReceiving)) {
    // Data for a task that is gone (aborted, or its connection reinstated).
    Log(LogLevel::kDebug, "iscsit", "%s: Data-Out for unknown task %08x dropped", peer_.c_str(),
        d.itt);
    return;
  }
  auto burst = std::find_if(t->bursts.begin(), t->bursts.end(),
                            [&](const Task::Burst& b) { return b.ttt == d.ttt; });
  std::optional<iscsi::RejectReason> bad;
  if (burst == t->bursts.end()) {
    bad = iscsi::RejectReason::kProtocolError;
  } else {
    bad = burst->seq.Accept(d);
  }
  if (bad || uint64_t{d.buffer_offset} + pdu.data.size() > t->edtl) {
    // ERL 0 cannot recover a Data-Out sequence error (RFC 7143 §7.1.4.1, §7.2):
    // the command ends with a data phase error and the rest of its data is
    // dropped; the connection and the other tasks carry on.
    Log(LogLevel::kWarn, "iscsit", "%s: Data-Out DataSN %u offset %u for task %08x out of sequence",
        peer_.c_str(), d.data_sn, d.buffer_offset, d.itt);
    t->data_error = true;
    if (t->state == Task::State::kReceiving) {
      std::lock_guard<std::recursive_mutex> lock(t->lu->mu());
      return DataComplete(t);
    }
    return;
  }
  if (!pdu.data.empty()) {
    std::memcpy(t->buf.data() + d.buffer_offset, pdu.data.data(), pdu.data.size());
  }
  t->received += static_cast<uint32_t>(pdu.data.size());
  bool burst_done = burst->seq.complete();
  if (burst_done) {
    t->bursts.erase(burst);
    if (solicited && t->r2t_outstanding > 0) --t->r2t_outstanding;
  }
  if (t->state != Task::State::kReceiving) return;  // held for CmdSN order
  if (t->received >= t->edtl) {
    std::lock_guard<std::recursive_mutex> lock(t->lu->mu());
    return DataComplete(t);
  }
  if (solicited && burst_done) SendR2ts(t);
}

void Connection::DataComplete(Task* t) {
  scsi::ScsiCommand& cmd = t->cmd;
  if (t->data_error) {
    // SAM-5: ABORTED COMMAND, 4B/00 DATA PHASE ERROR.
    t->state = Task::State::kRunning;
    return scsi::Complete(cmd, scsi::SenseRaw(scsi::SenseKey::kAbortedCommand, 0x4b, 0x00));
  }
  if (t->edtl != cmd.transfer_length && IsExactDataCommand(cmd.cdb.opcode)) {
    // Commands whose Data-Out is one exact size (COMPARE AND WRITE's two halves,
    // WRITE SAME's one block, ...) cannot be cut or padded: the CDB and the
    // transfer disagree (RFC 7143 §11.4.5.2 residuals are still reported).
    t->state = Task::State::kRunning;
    return scsi::Complete(cmd, scsi::SenseFor(scsi::Asc::kInvalidFieldInCdb));
  }
  if (t->edtl < cmd.transfer_length) {
    // RFC 7143 §11.4.5.2: the initiator sends less than the CDB asks for. Like
    // LIO and tgt, a block write then writes the whole blocks it was given and
    // reports the overflow; a partial block cannot be written.
    uint32_t bs = t->lu->scsi().config().block_size;
    t->state = Task::State::kRunning;
    if (!scsi::op::IsPlainBlockWrite(cmd.cdb.opcode)) {
      return scsi::Complete(cmd, scsi::SenseFor(scsi::Asc::kInvalidFieldInCdb));
    }
    if (t->edtl % bs != 0) {
      // SPC-4 Annex D: 0E/03 INVALID FIELD IN COMMAND INFORMATION UNIT.
      return scsi::Complete(cmd, scsi::SenseRaw(scsi::SenseKey::kIllegalRequest, 0x0e, 0x03));
    }
    cmd.cdb.blocks = t->edtl / bs;
    cmd.transfer_length = t->edtl;
  }
  cmd.data_out = std::span<const uint8_t>(t->buf.data(), cmd.transfer_length);
  RunTask(t);
}

void Connection::RunTask(Task* t) {
  scsi::ScsiCommand& cmd = t->cmd;
  scsi::TaskInfo info = t->lu->TaskInfoFor(cmd, t->itt, AttributeOf(t->attr));
  switch (t->lu->tasks().Add(info)) {
    case scsi::Admission::kRun:
      t->in_task_set = true;
      t->state = Task::State::kRunning;
      return t->lu->Execute(cmd);
    case scsi::Admission::kWait:
      t->in_task_set = true;
      t->state = Task::State::kWaiting;
      return;
    case scsi::Admission::kOverlapped:
      t->state = Task::State::kRunning;
      return scsi::Complete(cmd, scsi::SenseFor(scsi::Asc::kOverlappedCommandsAttempted));
    case scsi::Admission::kRejectAca:
      t->state = Task::State::kRunning;
      return scsi::Complete(cmd, scsi::SenseFor(scsi::Asc::kInvalidMessageError));
  }
}

bool Connection::StartTask(uint64_t tag) {
  Task* t = pool_.ByItt(static_cast<uint32_t>(tag));
  if (t == nullptr || t->state != Task::State::kWaiting || t->lu == nullptr) return false;
  std::lock_guard<std::recursive_mutex> lock(t->lu->mu());
  t->state = Task::State::kRunning;
  t->lu->Execute(t->cmd);
  return true;
}

void Connection::OnScsiDone(scsi::ScsiCommand* /*cmd*/, void* arg) {
  auto* t = static_cast<Task*>(arg);
  t->conn->CommandDone(t);
}

void Connection::CommandDone(Task* t) {
  if (t->in_task_set) {
    t->in_task_set = false;
    t->lu->FinishTask(t->key());  // caller holds the LU's lock
  }
  if (t->aborted || closed_) {
    int waiter = t->tmf_waiter;
    ReleaseTask(t);
    if (waiter >= 0) TmfTaskGone(waiter);
    return;
  }
  SendResponse(t);
}

void Connection::SendResponse(Task* t) {
  const scsi::ScsiCommand& cmd = t->cmd;
  t->state = Task::State::kSending;
  // RFC 7143 §11.4.5.2: residuals compare EDTL with the data the command really
  // moves (SPDTL).
  uint32_t spdtl = cmd.direction == scsi::DataDirection::kOut ? t->spdtl : cmd.data_in_length;
  bool overflow = spdtl > t->edtl;
  bool underflow = spdtl < t->edtl;
  uint32_t residual = overflow ? spdtl - t->edtl : t->edtl - spdtl;
  uint32_t send = t->read ? std::min(cmd.data_in_length, t->edtl) : 0;
  // Status may ride in the last Data-In only without sense (RFC 7143 §11.7.4).
  bool collapse = send > 0 && cmd.result.status != scsi::ScsiStatus::kCheckCondition;
  uint32_t max_pdu = params_.max_xmit_data_segment_length;
  uint32_t burst = params_.max_burst_length;
  uint32_t off = 0;
  while (off < send) {
    uint32_t len = std::min(max_pdu, send - off);
    uint32_t burst_left = burst - (off % burst);
    len = std::min(len, burst_left);
    bool last = off + len == send;
    iscsi::DataIn d;
    d.final_bit = last || len == burst_left;
    d.data_segment_length = len;
    d.lun = t->lun_field;
    d.itt = t->itt;
    d.data_sn = t->sn.NextDataSn();
    d.buffer_offset = off;
    if (last && collapse) {
      d.status_present = true;
      d.status = static_cast<uint8_t>(cmd.result.status);
      d.overflow = overflow;
      d.underflow = underflow;
      d.residual_count = overflow || underflow ? residual : 0;
      FillSn(&d.sn, true);
    } else {
      FillSn(&d.sn, false);
    }
    TxPdu* p = t->NextTx();
    d.Encode(p->header);
    iovec iov{t->buf.data() + off, len};
    if (!p->frame.Build(p->header, 0, &iov, 1, framer_.config().digests)) break;
    bool final_pdu = last && collapse;
    for (int i = 0; i < p->frame.iovcnt(); ++i) {
      const iovec& v = p->frame.iov()[i];
      tcp::SendDone done;
      if (final_pdu && i == p->frame.iovcnt() - 1) done = {&Connection::OnTaskSent, t};
      conn_.Send(std::span<const uint8_t>(static_cast<const uint8_t*>(v.iov_base), v.iov_len),
                 done);
    }
    off += len;
  }
  if (!collapse) SendResponsePdu(t, overflow || underflow ? residual : 0, overflow, underflow);
}

void Connection::SendResponsePdu(Task* t, uint32_t residual, bool overflow, bool underflow) {
  const scsi::ScsiCommand& cmd = t->cmd;
  iscsi::ScsiResponse r;
  r.response = static_cast<uint8_t>(iscsi::ScsiResponseCode::kCommandCompleted);
  r.status = static_cast<uint8_t>(cmd.result.status);
  r.itt = t->itt;
  r.overflow = overflow;
  r.underflow = underflow;
  r.residual_count = residual;
  r.exp_data_sn = t->sn.NextDataSn();
  FillSn(&r.sn, true);
  iovec iov{};
  int n = 0;
  if (cmd.sense_length > 0) {
    // RFC 7143 §11.4.7: SenseLength, then the sense data.
    size_t len = std::min<size_t>(cmd.sense_length, sizeof(t->sense_segment) - 2);
    PutBe16(t->sense_segment, static_cast<uint16_t>(len));
    std::memcpy(t->sense_segment + 2, cmd.sense, len);
    r.data_segment_length = static_cast<uint32_t>(len + 2);
    iov = {t->sense_segment, len + 2};
    n = 1;
  }
  TxPdu* p = t->NextTx();
  r.Encode(p->header);
  if (!p->frame.Build(p->header, 0, &iov, n, framer_.config().digests)) {
    ReleaseTask(t);
    return Close("framing error");
  }
  for (int i = 0; i < p->frame.iovcnt(); ++i) {
    const iovec& v = p->frame.iov()[i];
    tcp::SendDone done;
    if (i == p->frame.iovcnt() - 1) done = {&Connection::OnTaskSent, t};
    conn_.Send(std::span<const uint8_t>(static_cast<const uint8_t*>(v.iov_base), v.iov_len), done);
  }
}

void Connection::OnTaskSent(void* arg, bool /*ok*/) {
  auto* t = static_cast<Task*>(arg);
  t->conn->ReleaseTask(t);
}

void Connection::ReleaseTask(Task* t) {
  pool_.Release(t);
  if (draining_ && pool_.live() == 0) Close("shutting down");
  if (closed_) MaybeFinish();
}

}  // namespace openstmf::iscsit
