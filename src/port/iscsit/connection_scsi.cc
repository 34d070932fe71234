// The SCSI data path of a connection: SCSI Command, Data-Out, R2T, Data-In and
// SCSI Response (RFC 7143 §11.3-§11.8).
#include <cstring>

#include "base/log.h"
#include "port/iscsi/ahs.h"
#include "port/iscsi/pdu_initiator.h"
#include "port/iscsi/pdu_target.h"
#include "port/iscsit/connection.h"
#include "scsi/dispatcher.h"
#include "scsi/lun.h"
#include "scsi/sense.h"
#include "stmf/no_lu.h"

namespace openstmf::iscsit {
namespace {

// Largest EDTL buffered for one command: the LU's maximum transfer (VPD B0) with
// room to spare for parameter lists.
constexpr uint32_t kMaxCommandData = 16u << 20;

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

}  // namespace

const Connection::LunEntry* Connection::FindLun(uint64_t lun_field) const {
  std::optional<uint16_t> n = scsi::DecodeLun(lun_field);
  if (!n) return nullptr;
  if (*n < luns_.size() && luns_[*n].lun == *n) return &luns_[*n];
  for (const LunEntry& e : luns_) {
    if (e.lun == *n) return &e;
  }
  return nullptr;
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
  }
  if (c.immediate) return StartCommand(t);
  switch (window_->Accept(c.cmd_sn, false, t->index)) {
    case iscsi::CommandWindow::Verdict::kDeliver:
      StartCommand(t);
      DeliverHeld();
      return;
    case iscsi::CommandWindow::Verdict::kQueued:
      return;
    case iscsi::CommandWindow::Verdict::kOutOfWindow:
    case iscsi::CommandWindow::Verdict::kDuplicate:
      Log(LogLevel::kDebug, "iscsit", "%s: SCSI command with CmdSN %u outside [%u, %u] ignored",
          peer_.c_str(), c.cmd_sn, window_->exp_cmd_sn(), window_->max_cmd_sn());
      ReleaseTask(t);
      return;
  }
}

void Connection::StartCommand(Task* t) {
  scsi::ScsiCommand& cmd = t->cmd;
  cmd.cdb_bytes = t->cdb;
  cmd.cdb_size = t->cdb_size;
  cmd.luns = lun_numbers_;
  cmd.done = &Connection::OnScsiDone;
  cmd.done_arg = t;
  t->state = Task::State::kRunning;
  const LunEntry* e = FindLun(t->lun_field);
  if (e == nullptr) {
    uint32_t len = stmf::NoLuDataInLength(t->cdb, t->cdb_size);
    if (t->buf.size() < len) t->buf.resize(len);
    cmd.data_in = std::span<uint8_t>(t->buf.data(), len);
    return stmf::RespondWithoutLu(cmd, lun_numbers_);
  }
  t->lu = e->lu;
  t->nexus = e->nexus;
  cmd.nexus = e->nexus;
  std::lock_guard<std::recursive_mutex> lock(t->lu->mu());
  if (!scsi::Prepare(t->lu->scsi(), cmd)) return;  // completed with an error
  t->prepared = true;
  switch (cmd.direction) {
    case scsi::DataDirection::kIn:
      if (t->buf.size() < cmd.transfer_length) t->buf.resize(cmd.transfer_length);
      cmd.data_in = std::span<uint8_t>(t->buf.data(), cmd.transfer_length);
      return RunTask(t);
    case scsi::DataDirection::kOut:
      t->state = Task::State::kReceiving;
      if (t->received >= t->edtl) return DataComplete(t);
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
    r.ttt = t->index;
    FillSn(&r.sn, false);
    r.r2t_sn = t->sn.NextR2tSn();
    r.buffer_offset = t->next_r2t_offset;
    r.desired_data_transfer_length = len;
    TxPdu* p = t->NextTx();
    r.Encode(p->header);
    if (!p->frame.Build(p->header, 0, nullptr, 0, framer_.config().digests)) return;
    for (int i = 0; i < p->frame.iovcnt(); ++i) {
      const iovec& v = p->frame.iov()[i];
      conn_.Send(std::span<const uint8_t>(static_cast<const uint8_t*>(v.iov_base), v.iov_len));
    }
    t->next_r2t_offset += len;
    ++t->r2t_outstanding;
  }
}

void Connection::HandleDataOut(const iscsi::Pdu& pdu) {
  iscsi::DataOut d = iscsi::DataOut::Decode(pdu.bhs);
  Task* t = d.ttt != iscsi::kReservedTag ? pool_.ByIndex(d.ttt) : pool_.ByItt(d.itt);
  if (t == nullptr || t->itt != d.itt || !t->write) {
    // Data for a task that is gone (aborted, or its connection reinstated).
    Log(LogLevel::kDebug, "iscsit", "%s: Data-Out for unknown task %08x dropped", peer_.c_str(),
        d.itt);
    return;
  }
  if (t->aborted || t->state == Task::State::kSending || t->state == Task::State::kRunning ||
      t->state == Task::State::kWaiting) {
    return;
  }
  uint64_t end = uint64_t{d.buffer_offset} + pdu.data.size();
  bool solicited = d.ttt != iscsi::kReservedTag;
  if (end > t->edtl || (!solicited && end > t->unsolicited_end)) {
    return SendReject(pdu.bhs, iscsi::RejectReason::kProtocolError);
  }
  if (!pdu.data.empty())
    std::memcpy(t->buf.data() + d.buffer_offset, pdu.data.data(), pdu.data.size());
  t->received += static_cast<uint32_t>(pdu.data.size());
  if (solicited && d.final_bit && t->r2t_outstanding > 0) --t->r2t_outstanding;
  if (t->state != Task::State::kReceiving) return;  // held for CmdSN order
  if (t->received >= t->edtl) {
    std::lock_guard<std::recursive_mutex> lock(t->lu->mu());
    return DataComplete(t);
  }
  if (solicited && d.final_bit) SendR2ts(t);
}

void Connection::DataComplete(Task* t) {
  scsi::ScsiCommand& cmd = t->cmd;
  if (t->edtl < cmd.transfer_length) {
    // RFC 7143 §11.4.5.2: less Data-Out than the CDB asks for; the command
    // cannot run, and the underflow is reported with it.
    t->state = Task::State::kRunning;
    return scsi::Complete(cmd, scsi::SenseFor(scsi::Asc::kInvalidFieldInCdb));
  }
  cmd.data_out = std::span<const uint8_t>(t->buf.data(), cmd.transfer_length);
  RunTask(t);
}

void Connection::RunTask(Task* t) {
  scsi::ScsiCommand& cmd = t->cmd;
  scsi::TaskInfo info = scsi::TaskInfoFor(cmd, t->itt, AttributeOf(t->attr));
  switch (t->lu->tasks().Add(info)) {
    case scsi::Admission::kRun:
      t->in_task_set = true;
      t->state = Task::State::kRunning;
      return scsi::Execute(t->lu->scsi(), cmd);
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

void Connection::StartTask(uint64_t tag) {
  Task* t = pool_.ByItt(static_cast<uint32_t>(tag));
  if (t == nullptr || t->state != Task::State::kWaiting || t->lu == nullptr) return;
  std::lock_guard<std::recursive_mutex> lock(t->lu->mu());
  t->state = Task::State::kRunning;
  scsi::Execute(t->lu->scsi(), t->cmd);
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
  uint32_t spdtl =
      cmd.direction == scsi::DataDirection::kOut ? cmd.transfer_length : cmd.data_in_length;
  if (!t->prepared && cmd.direction != scsi::DataDirection::kOut) spdtl = cmd.data_in_length;
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
