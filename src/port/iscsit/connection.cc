#include "port/iscsit/connection.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "base/log.h"
#include "port/iscsi/keys.h"
#include "port/iscsi/negotiator.h"
#include "port/iscsi/pdu_initiator.h"
#include "port/iscsi/pdu_target.h"
#include "port/iscsi/send_targets.h"

namespace openstmf::iscsit {
namespace {

// Commands a session may have outstanding: the CmdSN window offered (RFC 7143
// §4.2.2.1) and the bound of the task pool.
constexpr uint32_t kCommandWindow = 128;
// Cookie bit marking a held control PDU (otherwise a task index); the session
// keeps the bits above 32 for the connection (session.h).
constexpr uint64_t kHeldControl = uint64_t{1} << 32;

iscsi::FramerConfig LoginFramerConfig() {
  iscsi::FramerConfig c;
  c.validation.phase = iscsi::Phase::kLogin;
  return c;
}

}  // namespace

Connection::Connection(event::EventLoop* loop, UniqueFd fd, const tcp::SocketAddress& peer,
                       const ConnectionContext& ctx)
    : loop_(loop),
      ctx_(ctx),
      peer_address_(peer),
      peer_(peer.ToString()),
      conn_(loop, std::move(fd), this),
      framer_(LoginFramerConfig()) {
  iscsi::LoginSettings settings;
  settings.tpgt = ctx_.tpgt;
  settings.command_window = kCommandWindow;
  login_ = std::make_unique<iscsi::LoginStateMachine>(ctx_.targets, settings);
}

Connection::~Connection() {
  if (nop_timer_ != 0) loop_->CancelTimer(nop_timer_);
}

Status Connection::Start() { return conn_.Start(); }

void Connection::Feed(std::span<const uint8_t> received) {
  if (!received.empty()) OnReceive(received);
}

void Connection::RequestClose(const char* why) {
  std::weak_ptr<Connection> w = weak_from_this();
  loop_->Post([w, why] {
    if (auto self = w.lock()) self->Close(why);
  });
}

void Connection::Shutdown(const char* why) {
  draining_ = true;
  // Commands whose data has not all arrived have not started and are not
  // acknowledged: drop them (reading stops now) and let the running ones finish.
  for (const auto& tp : pool_.all()) {
    Task* t = tp.get();
    if (t->state == Task::State::kHeld || t->state == Task::State::kReceiving) AbortOwn(t, -1);
  }
  if (pool_.live() == 0 || !full_feature_) Close(why);
}

void Connection::Close(const char* why) {
  if (closing_ || closed_) return;
  closing_ = true;
  Log(LogLevel::kDebug, "iscsit", "%s: closing: %s", peer_.c_str(), why);
  conn_.Close(Status(Code::kUnavailable, why));
}

size_t Connection::OnReceive(std::span<const uint8_t> data) {
  if (draining_) return 0;
  rx_since_nop_ = true;
  size_t used = 0;
  while (!closing_ && !closed_ && !draining_) {
    if (skip_ > 0) {
      size_t n = std::min(skip_, data.size() - used);
      used += n;
      skip_ -= n;
      if (skip_ > 0) break;
      continue;
    }
    std::span<const uint8_t> rest = data.subspan(used);
    if (rest.empty()) break;
    iscsi::FrameResult r = framer_.Next(rest);
    if (r.status == iscsi::FrameStatus::kNeedMore) break;
    if (r.status == iscsi::FrameStatus::kError) {
      HandleFrameError(r);
      if (r.error.action != iscsi::PduAction::kReject) break;
      skip_ = r.length;
      continue;
    }
    if (first_login_pdu_ && !full_feature_) {
      first_login_pdu_ = false;
      if (MaybeHandOver(r.pdu, rest)) return data.size();
    }
    HandlePdu(r.pdu);
    used += r.length;
  }
  return used;
}

bool Connection::MaybeHandOver(const iscsi::Pdu& pdu, std::span<const uint8_t> rest) {
  if (iscsi::BhsView(pdu.bhs).opcode() != static_cast<uint8_t>(iscsi::Opcode::kLoginRequest)) {
    return false;
  }
  uint16_t tsih = iscsi::LoginRequest::Decode(pdu.bhs).tsih;
  if (tsih == 0 || ctx_.sessions == nullptr || !ctx_.hand_over) return false;
  std::shared_ptr<Session> s = ctx_.sessions->Find(tsih);
  if (!s || s->loop() == loop_) return false;
  // RFC 7143 §4.2: the connections of a session share its CmdSN window and
  // task state, which live on the session's loop; the socket moves there.
  int fd = dup(conn_.fd());
  if (fd < 0) return false;
  loop_->Remove(conn_.fd());
  Log(LogLevel::kDebug, "iscsit", "%s: joins session %u on another loop", peer_.c_str(), tsih);
  ctx_.hand_over(s->loop(), UniqueFd(fd), std::vector<uint8_t>(rest.begin(), rest.end()),
                 peer_address_);
  // Ends without shutting the socket down: the new connection owns it now.
  closed_ = closing_ = finished_ = true;
  std::shared_ptr<Connection> self = shared_from_this();
  loop_->Defer([self] {
    if (self->ctx_.on_finished) self->ctx_.on_finished(self.get());
  });
  return true;
}

void Connection::HandleFrameError(const iscsi::FrameResult& r) {
  uint8_t op = r.pdu.bhs != nullptr ? iscsi::BhsView(r.pdu.bhs).opcode() : 0xff;
  Log(LogLevel::kWarn, "iscsit", "%s: bad %s PDU: %s", peer_.c_str(),
      std::string(iscsi::OpcodeName(op)).c_str(), r.error.what);
  switch (r.error.action) {
    case iscsi::PduAction::kReject:
      if (full_feature_ && r.pdu.bhs != nullptr) {
        SendReject(r.pdu.bhs, r.error.reason);
      } else {
        Close("invalid PDU during login");
      }
      return;
    case iscsi::PduAction::kLoginReject: {
      iscsi::LoginResponse lr;
      lr.status_class = iscsi::StatusClass(r.error.login_status);
      lr.status_detail = iscsi::StatusDetail(r.error.login_status);
      if (r.pdu.bhs != nullptr) lr.itt = iscsi::BhsView(r.pdu.bhs).itt();
      uint8_t h[iscsi::kBhsSize + iscsi::kDigestSize];
      lr.Encode(h);
      SendControl(h, {});
      Close("login refused");
      return;
    }
    case iscsi::PduAction::kDropConnection:
      Close("framing lost");
      return;
  }
}

void Connection::HandlePdu(const iscsi::Pdu& pdu) {
  if (!full_feature_) return HandleLogin(pdu);
  const uint8_t* bhs = pdu.bhs;
  iscsi::BhsView h(bhs);
  auto op = static_cast<iscsi::Opcode>(h.opcode());
  if (op == iscsi::Opcode::kScsiDataOut) return HandleDataOut(pdu);
  stat_sn_->Acknowledge(h.word(28));
  iscsi::CommandWindow& window = session_->window();
  if (op == iscsi::Opcode::kScsiCommand) return HandleScsiCommand(pdu);
  if (op == iscsi::Opcode::kSnackRequest) {
    // ERL 0 has no SNACK (RFC 7143 §11.16).
    return SendReject(bhs, iscsi::RejectReason::kCommandNotSupported);
  }
  if (h.immediate()) return Dispatch(bhs, pdu.data);
  size_t slot;
  if (free_held_.empty()) {
    slot = held_.size();
    held_.emplace_back();
  } else {
    slot = free_held_.back();
    free_held_.pop_back();
  }
  switch (window.Accept(h.word(24), false, session_->Cookie(this, kHeldControl | slot))) {
    case iscsi::CommandWindow::Verdict::kDeliver:
      free_held_.push_back(slot);
      Dispatch(bhs, pdu.data);
      session_->DeliverReady();
      return;
    case iscsi::CommandWindow::Verdict::kQueued: {
      HeldPdu& hp = held_[slot];
      hp.bytes.assign(bhs, bhs + iscsi::kBhsSize);
      hp.data_offset = hp.bytes.size();
      hp.bytes.insert(hp.bytes.end(), pdu.data.begin(), pdu.data.end());
      return;
    }
    case iscsi::CommandWindow::Verdict::kOutOfWindow:
    case iscsi::CommandWindow::Verdict::kDuplicate:
      // RFC 7143 §4.2.2.1: commands outside the window are silently ignored.
      free_held_.push_back(slot);
      Log(LogLevel::kDebug, "iscsit", "%s: %s with CmdSN %u outside [%u, %u] ignored",
          peer_.c_str(), std::string(iscsi::OpcodeName(h.opcode())).c_str(), h.word(24),
          window.exp_cmd_sn(), window.max_cmd_sn());
      return;
  }
}

void Connection::DeliverHeld(uint64_t cookie) {
  if (closed_) return;
  if (cookie & kHeldControl) {
    size_t slot = static_cast<size_t>(cookie & ~kHeldControl);
    if (slot >= held_.size()) return;
    HeldPdu hp = std::move(held_[slot]);
    free_held_.push_back(slot);
    Dispatch(hp.bytes.data(), std::span<const uint8_t>(hp.bytes).subspan(hp.data_offset));
    return;
  }
  Task* t = pool_.ByIndex(static_cast<uint32_t>(cookie));
  if (t == nullptr || t->state != Task::State::kHeld) return;
  if (t->aborted) return ReleaseTask(t);
  StartCommand(t);
}

void Connection::Dispatch(const uint8_t* bhs, std::span<const uint8_t> data) {
  switch (static_cast<iscsi::Opcode>(iscsi::BhsView(bhs).opcode())) {
    case iscsi::Opcode::kNopOut:
      return HandleNopOut(bhs, data);
    case iscsi::Opcode::kTextRequest:
      return HandleText(bhs, data);
    case iscsi::Opcode::kTaskMgmtRequest:
      return HandleTaskMgmt(bhs);
    case iscsi::Opcode::kLogoutRequest:
      return HandleLogout(bhs);
    default:
      return SendReject(bhs, iscsi::RejectReason::kCommandNotSupported);
  }
}

void Connection::HandleLogin(const iscsi::Pdu& pdu) {
  iscsi::LoginReply reply = login_->Process(pdu.bhs, pdu.data);
  uint8_t h[iscsi::kBhsSize + iscsi::kDigestSize];
  reply.header.Encode(h);
  SendControl(h, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(reply.text.data()),
                                          reply.text.size()));
  if (login_->failed()) return Close("login failed");
  if (login_->complete()) EnterFullFeature();
}

void Connection::EnterFullFeature() {
  const iscsi::LoginCommit& c = login_->commit();
  params_ = login_->params();
  type_ = c.type;
  cid_ = c.cid;
  stat_sn_.emplace(login_->next_stat_sn());
  iscsi::FramerConfig fc;
  fc.digests = {params_.header_digest, params_.data_digest};
  fc.validation.phase = iscsi::Phase::kFullFeature;
  fc.validation.discovery = type_ == iscsi::SessionType::kDiscovery;
  fc.validation.max_recv_data_segment_length = params_.max_recv_data_segment_length;
  fc.validation.immediate_data = params_.immediate_data;
  fc.validation.initial_r2t = params_.initial_r2t;
  fc.validation.first_burst_length = params_.first_burst_length;
  fc.validation.error_recovery_level = static_cast<uint8_t>(params_.error_recovery_level);
  framer_.Reconfigure(fc);
  full_feature_ = true;

  const bool leading =
      c.kind == iscsi::LoginKind::kNewSession || c.kind == iscsi::LoginKind::kSessionReinstatement;
  if (leading) {
    session_ = std::make_shared<Session>(loop_, ctx_.framework, ctx_.targets, ctx_.tpgt,
                                         login_->tsih(), c, params_, kCommandWindow);
    session_->AddConnection(cid_, this);
    session_->Start();
    if (ctx_.sessions != nullptr) ctx_.sessions->Add(session_->tsih(), session_);
  } else {
    // RFC 7143 §6.3.4: this connection joins (or reinstates a connection of) a
    // session on this loop (MaybeHandOver moved it here).
    std::shared_ptr<Session> s =
        ctx_.sessions != nullptr ? ctx_.sessions->Find(login_->tsih()) : nullptr;
    if (!s || s->loop() != loop_ || !s->AddConnection(cid_, this)) {
      ctx_.targets->ReleaseCid(login_->tsih(), cid_);
      login_.reset();
      return Close("session ended during login");
    }
    session_ = std::move(s);
  }
  Log(LogLevel::kInfo, "iscsit", "%s: %s session %u of %s%s%s (isid %012llx, cid %u, %zu LUs)",
      peer_.c_str(), type_ == iscsi::SessionType::kDiscovery ? "discovery" : "normal",
      session_->tsih(), session_->initiator().c_str(), session_->target().empty() ? "" : " to ",
      session_->target().c_str(), static_cast<unsigned long long>(session_->isid()), cid_,
      session_->luns().size());
  login_.reset();
  ArmNopTimer();
}

void Connection::OnClosed(const Status& why) {
  closed_ = true;
  closing_ = true;
  Log(LogLevel::kDebug, "iscsit", "%s: closed: %s", peer_.c_str(), why.ToString().c_str());
  if (nop_timer_ != 0) {
    loop_->CancelTimer(nop_timer_);
    nop_timer_ = 0;
  }
  for (const auto& tp : pool_.all()) {
    Task* t = tp.get();
    if (t->state == Task::State::kFree || t->state == Task::State::kSending) continue;
    AbortOwn(t, -1);
  }
  MaybeFinish();
}

void Connection::MaybeFinish() {
  if (!closed_ || finished_ || pool_.live() != 0) return;
  finished_ = true;
  // Outside any LU lock: detaching takes each LU's lock in turn.
  std::shared_ptr<Connection> self = shared_from_this();
  loop_->Defer([self] {
    self->LeaveSession();
    if (self->ctx_.on_finished) self->ctx_.on_finished(self.get());
  });
}

void Connection::LeaveSession() {
  // The last connection ends the session: its I_T nexuses are lost.
  if (session_) session_->RemoveConnection(this);
  session_.reset();
}

void Connection::FillSn(iscsi::TargetSn* sn, bool advance) {
  sn->stat_sn = advance ? stat_sn_->Take() : stat_sn_->Peek();
  sn->exp_cmd_sn = session_->window().exp_cmd_sn();
  sn->max_cmd_sn = session_->window().max_cmd_sn();
}

void Connection::SendAsyncEvent(uint64_t lun_field, std::span<const uint8_t> sense) {
  if (!full_feature_ || closing_ || closed_) return;
  // RFC 7143 §11.9: AsyncEvent 0 carries SenseLength and the sense data.
  std::vector<uint8_t> data(2 + sense.size());
  PutBe16(data.data(), static_cast<uint16_t>(sense.size()));
  std::memcpy(data.data() + 2, sense.data(), sense.size());
  iscsi::AsyncMessage m;
  m.event = static_cast<uint8_t>(iscsi::AsyncEvent::kScsiAsyncEvent);
  m.lun = lun_field;
  m.data_segment_length = static_cast<uint32_t>(data.size());
  FillSn(&m.sn, true);
  uint8_t h[iscsi::kBhsSize + iscsi::kDigestSize];
  m.Encode(h);
  SendControl(h, data);
}

void Connection::SendControl(uint8_t* header, std::span<const uint8_t> data) {
  iscsi::TxFrame frame;
  iovec iov{const_cast<uint8_t*>(data.data()), data.size()};
  if (!frame.Build(header, 0, &iov, data.empty() ? 0 : 1, framer_.config().digests)) {
    Log(LogLevel::kError, "iscsit", "%s: cannot frame a response", peer_.c_str());
    return Close("framing error");
  }
  for (int i = 0; i < frame.iovcnt(); ++i) {
    const iovec& v = frame.iov()[i];
    conn_.SendCopy(std::span<const uint8_t>(static_cast<const uint8_t*>(v.iov_base), v.iov_len));
  }
}

void Connection::SendReject(const uint8_t* bhs, iscsi::RejectReason reason) {
  Log(LogLevel::kWarn, "iscsit", "%s: Reject (%s) of a %s PDU", peer_.c_str(),
      std::string(iscsi::RejectReasonName(reason)).c_str(),
      std::string(iscsi::OpcodeName(iscsi::BhsView(bhs).opcode())).c_str());
  iscsi::Reject r;
  r.reason = static_cast<uint8_t>(reason);
  FillSn(&r.sn, true);
  uint8_t h[iscsi::kBhsSize + iscsi::kDigestSize];
  r.Encode(h);
  SendControl(h, std::span<const uint8_t>(bhs, iscsi::kBhsSize));
}

void Connection::HandleNopOut(const uint8_t* bhs, std::span<const uint8_t> data) {
  iscsi::NopOut n = iscsi::NopOut::Decode(bhs);
  if (n.itt == iscsi::kReservedTag) return;  // the answer to our ping (RFC 7143 §11.18)
  iscsi::NopIn r;
  if (data.size() > params_.max_xmit_data_segment_length) {
    data = data.first(params_.max_xmit_data_segment_length);
  }
  r.data_segment_length = static_cast<uint32_t>(data.size());
  r.lun = n.lun;
  r.itt = n.itt;
  FillSn(&r.sn, true);
  uint8_t h[iscsi::kBhsSize + iscsi::kDigestSize];
  r.Encode(h);
  SendControl(h, data);
}

void Connection::ArmNopTimer() {
  if (ctx_.nop_interval.count() == 0 || closed_) return;
  std::weak_ptr<Connection> w = weak_from_this();
  nop_timer_ = loop_->RunAfter(ctx_.nop_interval, [w] {
    if (auto self = w.lock()) self->OnNopTimer();
  });
}

void Connection::OnNopTimer() {
  nop_timer_ = 0;
  if (closing_ || closed_) return;
  if (!rx_since_nop_) {
    // RFC 7143 §11.19: an unsolicited NOP-In with a TTT asks for a NOP-Out; its
    // StatSN does not advance.
    iscsi::NopIn r;
    r.ttt = nop_ttt_++;
    if (nop_ttt_ == iscsi::kReservedTag) nop_ttt_ = 1;
    FillSn(&r.sn, false);
    uint8_t h[iscsi::kBhsSize + iscsi::kDigestSize];
    r.Encode(h);
    SendControl(h, {});
  }
  rx_since_nop_ = false;
  ArmNopTimer();
}

void Connection::HandleText(const uint8_t* bhs, std::span<const uint8_t> data) {
  iscsi::TextRequest q = iscsi::TextRequest::Decode(bhs);
  bool continuing = q.ttt != iscsi::kReservedTag && q.ttt == text_ttt_ && !text_out_.empty();
  if (!continuing) {
    text_out_.clear();
    text_out_offset_ = 0;
    if (!text_in_.Add(data, !q.continue_).ok()) {
      text_in_.Reset();
      return SendReject(bhs, iscsi::RejectReason::kProtocolError);
    }
    if (!text_in_.complete()) {
      // RFC 7143 §11.10.2: each piece of a C-bit sequence gets an empty answer.
      iscsi::TextResponse r;
      r.final_bit = false;
      r.lun = q.lun;
      r.itt = q.itt;
      r.ttt = text_ttt_ = (text_ttt_ + 1) & 0x7fffffff;
      FillSn(&r.sn, true);
      uint8_t h[iscsi::kBhsSize + iscsi::kDigestSize];
      r.Encode(h);
      return SendControl(h, {});
    }
    auto kvs = iscsi::ParseKeyValues(text_in_.text());
    if (!kvs.ok()) {
      text_in_.Reset();
      Log(LogLevel::kWarn, "iscsit", "%s: bad text: %s", peer_.c_str(),
          kvs.status().message().c_str());
      return SendReject(bhs, iscsi::RejectReason::kProtocolError);
    }
    iscsi::TextWriter out;
    iscsi::Negotiator neg(iscsi::NegotiationConfig{}, false);
    neg.set_session_type(type_);
    for (const iscsi::KeyValue& kv : *kvs) {
      if (kv.key == "SendTargets") {
        std::vector<iscsi::TargetEntry> visible = ctx_.targets->Targets();
        // A wildcard portal is reported with the address this connection reached.
        sockaddr_storage ss{};
        socklen_t len = sizeof(ss);
        if (getsockname(conn_.fd(), reinterpret_cast<sockaddr*>(&ss), &len) == 0) {
          std::string local =
              tcp::SocketAddress::FromSockaddr(reinterpret_cast<sockaddr*>(&ss), len).Host();
          for (auto& t : visible) {
            for (auto& p : t.portals) {
              if (p.address == "0.0.0.0" || p.address == "::") p.address = local;
            }
          }
        }
        text_out_ += iscsi::BuildSendTargets(kv.value, type_, session_->target(), visible);
      } else {
        neg.OfferInFullFeature(kv, iscsi::FindKey(kv.key));
      }
    }
    neg.FlushAnswers(&out);
    text_out_ += out.text();
    text_in_.Reset();
  }
  bool more = false;
  std::string_view piece =
      iscsi::SplitText(text_out_, params_.max_xmit_data_segment_length, &text_out_offset_, &more);
  iscsi::TextResponse r;
  r.final_bit = !more;
  r.continue_ = more;
  r.data_segment_length = static_cast<uint32_t>(piece.size());
  r.lun = q.lun;
  r.itt = q.itt;
  r.ttt = more ? (text_ttt_ = (text_ttt_ + 1) & 0x7fffffff) : iscsi::kReservedTag;
  FillSn(&r.sn, true);
  uint8_t h[iscsi::kBhsSize + iscsi::kDigestSize];
  r.Encode(h);
  SendControl(
      h, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(piece.data()), piece.size()));
  if (!more) {
    text_out_.clear();
    text_out_offset_ = 0;
  }
}

void Connection::HandleLogout(const uint8_t* bhs) {
  iscsi::LogoutRequest q = iscsi::LogoutRequest::Decode(bhs);
  iscsi::LogoutResponse r;
  r.itt = q.itt;
  r.time2wait = static_cast<uint16_t>(params_.default_time2wait);
  r.time2retain = static_cast<uint16_t>(params_.default_time2retain);
  // RFC 7143 §11.14.1: close the session (every connection), close the
  // connection named by CID (this one or another of the session), or remove
  // it for recovery (ERL 2 only).
  Connection* other = nullptr;
  bool whole_session = q.reason == static_cast<uint8_t>(iscsi::LogoutReason::kCloseSession);
  if (q.reason == static_cast<uint8_t>(iscsi::LogoutReason::kRemoveConnectionForRecovery)) {
    r.response = static_cast<uint8_t>(iscsi::LogoutResponseCode::kRecoveryNotSupported);
  } else if (!whole_session && q.cid != cid_) {
    other = session_->ConnectionByCid(q.cid);
    if (other == nullptr) {
      r.response = static_cast<uint8_t>(iscsi::LogoutResponseCode::kCidNotFound);
    }
  }
  FillSn(&r.sn, true);
  uint8_t h[iscsi::kBhsSize + iscsi::kDigestSize];
  r.Encode(h);
  SendControl(h, {});
  if (r.response != 0) return;
  if (other != nullptr) return other->Close("logout of this connection");
  if (whole_session) {
    for (Connection* c : session_->Others(this)) c->Close("logout of the session");
  }
  Close("logout");
}

}  // namespace openstmf::iscsit
