// Connection: one iSCSI connection on one event loop — login, then the full
// feature phase as one of the connections of its session (session.h; ERL 0).
//
// Receive path: StreamConn hands over everything read in one turn; the framer
// (port/iscsi/framer.h) cuts every complete PDU out of it in place, the validator
// decides Reject / login failure / drop, and each PDU is handled before the next.
// Login PDUs go to the login state machine; afterwards commands pass the CmdSN
// window in order (immediate ones at once) and:
//   SCSI Command -> LUN map -> scsi::Prepare (under the LU's lock) -> immediate,
//     unsolicited and solicited (R2T, up to MaxOutstandingR2T at once) Data-Out
//     into the task's buffer -> task set admission -> scsi::Execute -> Data-In
//     straight from the task's buffer, status in the last Data-In when GOOD
//     (RFC 7143 §11.7.4), else a SCSI Response with sense;
//   NOP-Out, Text (SendTargets, key negotiation), Task Management, Logout.
// Every response of a turn leaves in one batched write (StreamConn).
//
// A login with a non-zero TSIH joins a session that may live on another loop:
// then, before the first Login PDU is processed, the socket (a duplicate of its
// descriptor) and the received bytes are handed to a new Connection on the
// session's loop (ConnectionContext::hand_over) and this one ends quietly.
//
// Lifetime: shared. When the socket closes, the connection waits for its
// running tasks to finish in the backend (their buffers are in use), leaves its
// session (the last connection ends it) and then tells its owner it is gone.
//
// Thread-safety: loop thread only, except RequestClose() (any thread).
#ifndef OPENSTMF_PORT_ISCSIT_CONNECTION_H
#define OPENSTMF_PORT_ISCSIT_CONNECTION_H

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "event/event_loop.h"
#include "port/iscsi/framer.h"
#include "port/iscsi/login.h"
#include "port/iscsi/sequence.h"
#include "port/iscsi/text.h"
#include "port/iscsit/session.h"
#include "port/iscsit/session_directory.h"
#include "port/iscsit/target_table.h"
#include "port/iscsit/task.h"
#include "port/tcp/socket_address.h"
#include "port/tcp/stream_conn.h"
#include "stmf/framework.h"

namespace openstmf::iscsit {

struct ConnectionContext {
  stmf::Framework* framework = nullptr;
  TargetTable* targets = nullptr;
  SessionDirectory* sessions = nullptr;
  uint16_t tpgt = 1;
  std::chrono::seconds nop_interval{30};  // idle time before a NOP-In ping; 0: never
  // Called on the connection's loop once the connection is finished.
  std::function<void(Connection*)> on_finished;
  // Called on the connection's loop to move a connection to `loop` (the loop of
  // the session its login joins): the socket and the bytes received so far.
  std::function<void(event::EventLoop* loop, UniqueFd fd, std::vector<uint8_t> received,
                     const tcp::SocketAddress& peer)>
      hand_over;
};

class Connection final : private tcp::StreamConn::Receiver,
                         public std::enable_shared_from_this<Connection> {
 public:
  Connection(event::EventLoop* loop, UniqueFd fd, const tcp::SocketAddress& peer,
             const ConnectionContext& ctx);
  ~Connection() override;

  Status Start();
  // Loop thread, after Start: processes bytes received by the connection this
  // one took over from.
  void Feed(std::span<const uint8_t> received);
  // Loop thread: stop taking commands, let running ones finish, then close.
  void Shutdown(const char* why);
  size_t live_tasks() const { return pool_.live(); }
  event::EventLoop* loop() const { return loop_; }

  // For the session (loop thread). StartTask: false when task `tag` is not
  // this connection's.
  bool StartTask(uint64_t tag);
  void AbortTasks(const stmf::Guid& lu, const std::vector<uint64_t>& tags, bool all);
  // A command held for CmdSN order may run now (a cookie this connection gave).
  void DeliverHeld(uint64_t cookie);
  // Sends an Async Message with a SCSI async event (RFC 7143 §11.9).
  void SendAsyncEvent(uint64_t lun_field, std::span<const uint8_t> sense);
  void Close(const char* why);
  // Any thread.
  void RequestClose(const char* why);

 private:
  using LunEntry = Session::LunEntry;
  struct HeldPdu {
    std::vector<uint8_t> bytes;  // BHS + data
    size_t data_offset = 0;
  };
  struct PendingTmf {
    bool used = false;
    uint32_t itt = 0;
    uint8_t response = 0;
    int waiting = 0;
  };

  // StreamConn::Receiver.
  size_t OnReceive(std::span<const uint8_t> data) override;
  void OnClosed(const Status& why) override;

  // connection.cc: framing, login, sessions, control PDUs.
  void HandlePdu(const iscsi::Pdu& pdu);
  void HandleFrameError(const iscsi::FrameResult& r);
  void HandleLogin(const iscsi::Pdu& pdu);
  bool MaybeHandOver(const iscsi::Pdu& pdu, std::span<const uint8_t> rest);
  void EnterFullFeature();
  void LeaveSession();
  void MaybeFinish();
  void Dispatch(const uint8_t* bhs, std::span<const uint8_t> data);
  void HandleNopOut(const uint8_t* bhs, std::span<const uint8_t> data);
  void HandleText(const uint8_t* bhs, std::span<const uint8_t> data);
  void HandleLogout(const uint8_t* bhs);
  void SendReject(const uint8_t* bhs, iscsi::RejectReason reason);
  void SendControl(uint8_t* header, std::span<const uint8_t> data);
  void FillSn(iscsi::TargetSn* sn, bool advance);
  void ArmNopTimer();
  void OnNopTimer();

  // connection_scsi.cc: the data path.
  void HandleScsiCommand(const iscsi::Pdu& pdu);
  void HandleDataOut(const iscsi::Pdu& pdu);
  void StartCommand(Task* t);
  void SendR2ts(Task* t);
  void DataComplete(Task* t);
  void RunTask(Task* t);
  static void OnScsiDone(scsi::ScsiCommand* cmd, void* arg);
  void CommandDone(Task* t);
  void SendResponse(Task* t);
  void SendResponsePdu(Task* t, uint32_t residual, bool overflow, bool underflow);
  static void OnTaskSent(void* arg, bool ok);
  void ReleaseTask(Task* t);
  const LunEntry* FindLun(uint64_t lun_field) const;

  // connection_tmf.cc: task management.
  void HandleTaskMgmt(const uint8_t* bhs);
  void AbortOwn(Task* t, int waiter);
  int NewTmfWaiter(uint32_t itt);
  void TmfTaskGone(int waiter);
  void SendTmfResponse(uint32_t itt, uint8_t response);

  event::EventLoop* loop_;
  ConnectionContext ctx_;
  tcp::SocketAddress peer_address_;
  std::string peer_;
  tcp::StreamConn conn_;
  iscsi::Framer framer_;
  size_t skip_ = 0;  // bytes of a rejected PDU still to discard
  bool full_feature_ = false;
  bool closing_ = false;
  bool draining_ = false;
  bool closed_ = false;
  bool finished_ = false;
  bool first_login_pdu_ = true;
  std::unique_ptr<iscsi::LoginStateMachine> login_;

  // Full feature phase: the session, this connection's CID, its operational
  // parameters (session-wide ones inherited) and StatSN (per connection).
  std::shared_ptr<Session> session_;
  iscsi::SessionType type_ = iscsi::SessionType::kNormal;
  uint16_t cid_ = 0;
  iscsi::OperationalParams params_;
  std::optional<iscsi::StatSnTracker> stat_sn_;
  std::vector<HeldPdu> held_;
  std::vector<size_t> free_held_;

  // Text exchanges (RFC 7143 §11.10): reassembly and a long answer in pieces.
  iscsi::TextAssembler text_in_{65536};
  std::string text_out_;
  size_t text_out_offset_ = 0;
  uint32_t text_ttt_ = 0;

  TaskPool pool_;
  std::vector<PendingTmf> tmfs_;
  event::TimerId nop_timer_ = 0;
  bool rx_since_nop_ = false;
  uint32_t nop_ttt_ = 1;
};

}  // namespace openstmf::iscsit

#endif  // OPENSTMF_PORT_ISCSIT_CONNECTION_H
