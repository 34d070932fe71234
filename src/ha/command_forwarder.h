// CommandForwarder: the non-owner side of a proxied command. While the peer node
// owns a LU, the LU's commands (prepared here: CDB checked, Data-Out received)
// go to the owner as SCSI_CMD messages carrying the Data-Out; the owner's
// SCSI_STATUS carries status, sense and Data-In back, and the command completes
// on the loop that started it.
//
// A command waits for its answer for as long as it takes the owner (a SANITIZE
// or FORMAT UNIT without IMMED may take minutes); it ends early only when the
// answer may be lost — the peer is lost, restarts or is enabled again after
// the link was re-established, or the LU moves here — with NOT READY: 04/0C
// (unavailable) or 04/0A (transitioning), which initiators retry (COMSTAR ends
// a failed proxy task with 04/0C too). A command the owner never answers is
// the initiator's to time out and abort, and the ABORT TASK reaches the owner.
//
// Messages leave through `send`, which only queues them (batch_sender.h), so a
// slow peer link never holds a LU.
//
// Thread-safety: Execute/NexusLost on loop threads with the LU locked (the
// stmf::CommandProxy contract); OnStatuses and FailPending from any thread.
#ifndef OPENSTMF_HA_COMMAND_FORWARDER_H
#define OPENSTMF_HA_COMMAND_FORWARDER_H

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "event/event_loop.h"
#include "ha/batch_sender.h"
#include "ha/proxy_msg.h"
#include "scsi/result.h"
#include "stmf/logical_unit.h"

namespace openstmf::ha {

// Queues one message for the peer (batch_sender.h).
using PeerSender = std::function<Status(MessageParts message)>;
// The same with the message in one piece.
Status SendWhole(const PeerSender& send, std::span<const uint8_t> message);

// "iqn.name,i,0x<isid>" for an iSCSI initiator port, and back.
std::string InitiatorPortText(const scsi::TransportId& id);
scsi::TransportId ParseInitiatorPortText(const std::string& text);

class CommandForwarder final : public stmf::CommandProxy,
                               public std::enable_shared_from_this<CommandForwarder> {
 public:
  CommandForwarder(PeerSender send, std::vector<event::EventLoop*> loops);

  void Execute(stmf::LogicalUnit& lu, scsi::ScsiCommand& cmd) override;
  void NexusLost(stmf::LogicalUnit& lu, const scsi::ItNexus& nexus) override;
  // Sent as SCSI_CMD with the function in its TM field (function + 1) and
  // kTmfMsgIdBit in its id; the owner's SCSI_STATUS acknowledges it.
  void TaskManagement(stmf::LogicalUnit& lu, const scsi::ItNexus& nexus,
                      scsi::TaskManagementFunction function, std::function<void()> done) override;
  // A SANITIZE's command ends here with TASK ABORTED, as on the owner (the
  // operation goes on there); the owner's answer for it is then ignored.
  bool AbortCommand(stmf::LogicalUnit& lu, scsi::ScsiCommand& cmd) override;

  // The owner's SCSI_STATUS messages for our commands (a batch: one wake-up per
  // loop; unknown ids are ignored, the command already ended). Each Data-In is
  // copied into its command's buffer before this returns.
  void OnStatuses(std::vector<MsgInPlace> statuses);
  // Ends the waiting commands of one LU (every LU when nullopt) with NOT READY
  // and `asc`.
  void FailPending(std::optional<Guid> guid, scsi::Asc asc);
  size_t pending() const;

 private:
  struct Pending {
    stmf::LogicalUnit* lu = nullptr;
    scsi::ScsiCommand* cmd = nullptr;
    event::EventLoop* loop = nullptr;
    std::function<void()> tmf_done;  // a task management function: runs instead
  };
  // Sends m with `data` as its data blob (the Data-Out, copied once).
  void Launch(ProxyMsg& m, Pending p, std::span<const uint8_t> data = {});
  // Completes p's command (its Data-In already in place), LU locked.
  static void Complete(const Pending& p, scsi::ScsiStatus status, std::span<const uint8_t> sense,
                       uint32_t data_in_length);
  // Copies the Data-In into p's command (p taken from pending_, so no one else
  // touches it) and returns its length.
  static uint32_t CopyDataIn(const Pending& p, std::span<const uint8_t> data);
  // Completes p on its loop, with the LU locked.
  static void Finish(Pending p, scsi::ScsiStatus status, std::vector<uint8_t> sense);
  static void FinishWithSense(Pending p, scsi::Asc asc);
  std::optional<Pending> Take(uint64_t id);

  const PeerSender send_;
  const std::vector<event::EventLoop*> loops_;
  mutable std::mutex mu_;
  uint64_t next_id_ = 1;                           // guarded by mu_
  std::unordered_map<uint64_t, Pending> pending_;  // guarded by mu_
};

}  // namespace openstmf::ha

#endif  // OPENSTMF_HA_COMMAND_FORWARDER_H
