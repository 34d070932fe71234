// LogicalUnit: one LU of the framework — its GUID, its sbd backing store, the SCSI
// layer's state (scsi::Lu) and its task set — shared by every session that sees it.
//
// Threading (ARCHITECTURE.md: one loop per core, a connection lives on one loop,
// no global lock on the I/O path): the SCSI state of a LU (unit attentions,
// reservations, mode pages, task set) is behind this LU's own mutex, held only for
// the short bookkeeping of Prepare, task-set admission, Execute's first step and
// each backend completion. Data I/O never crosses threads: the LU's backend is a
// LoopBackend (loop_backend.h) that sends each request to the FileBackend of the
// calling loop's IoRing. Two sessions on two loops therefore contend only on the
// LUs they share, and only for microseconds per command.
//
// Tasks are owned by the sessions (port providers); the task set here holds keys.
// When the task set lets a waiting task start, or task management or PREEMPT AND
// ABORT must abort tasks of another nexus, the LU posts the request to the loop of
// the TaskRunner that attached the nexus.
//
// Thread-safety: everything marked "locked" requires mu() held; the rest is
// immutable after construction.
#ifndef OPENSTMF_STMF_LOGICAL_UNIT_H
#define OPENSTMF_STMF_LOGICAL_UNIT_H

#include <array>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "event/event_loop.h"
#include "event/io_ring.h"
#include "lu/sbd/sbd_lu.h"
#include "scsi/lu.h"
#include "scsi/task_management.h"
#include "scsi/task_set.h"
#include "stmf/loop_backend.h"

namespace openstmf::stmf {

using Guid = std::array<uint8_t, 16>;

// The session side of an I_T nexus, as a LU reaches it from any thread.
class TaskRunner {
 public:
  virtual ~TaskRunner() = default;
  virtual event::EventLoop* loop() const = 0;
  // On loop(): the task set lets task `tag` start now.
  virtual void StartTask(uint64_t tag) = 0;
  // On loop(): abort these tasks (the LU already removed them from its task set
  // or will when they finish); `all`: every task of the nexus on this LU.
  virtual void AbortTasks(const Guid& lu, std::vector<uint64_t> tags, bool all) = 0;
};

class LogicalUnit;

// Runs a LU's commands on the other node of an ALUA pair (the LU's owner) while
// this node is not the owner.
class CommandProxy {
 public:
  virtual ~CommandProxy() = default;
  // Locked, on the calling loop's thread: sends the prepared command (its CDB,
  // Data-Out, and nexus) to the owner and completes it later on the same loop,
  // with the LU's lock held, through scsi::CompleteRaw.
  virtual void Execute(LogicalUnit& lu, scsi::ScsiCommand& cmd) = 0;
  // Locked: a local nexus of the LU is gone (I_T nexus loss); the owner drops
  // what it kept for it (its SPC-2 reservation, for one).
  virtual void NexusLost(LogicalUnit& /*lu*/, const scsi::ItNexus& /*nexus*/) {}
  // Locked, on a loop thread: a task management function that changes the LU
  // (LUN RESET, target reset, I_T NEXUS RESET, ABORT/CLEAR TASK SET) applied
  // here must also reach the owner. `done` runs on the same loop once the owner
  // has applied it (or could not be reached).
  virtual void TaskManagement(LogicalUnit& lu, const scsi::ItNexus& nexus,
                              scsi::TaskManagementFunction function,
                              std::function<void()> done) = 0;
  // Locked, on the command's loop: an abort found a proxied command running.
  // True when it ended now with TASK ABORTED (through scsi::CompleteRaw);
  // false when it finishes on the owner.
  virtual bool AbortCommand(LogicalUnit& /*lu*/, scsi::ScsiCommand& /*cmd*/) { return false; }
};

// SET TARGET PORT GROUPS on a LU: the ALUA pair applies the change (possibly
// after talking to the peer) and answers GOOD or a sense condition.
using TpgRequestHandler =
    std::function<scsi::ScsiResult(LogicalUnit& lu, std::span<const scsi::TpgChange> changes)>;

// What an administrator changes on a LU (stmfadm modify-lu); absent: unchanged.
struct LuChanges {
  std::optional<std::string> alias;
  std::optional<std::string> mgmt_url;
  std::optional<bool> write_protect;
  std::optional<bool> write_cache_disabled;
  std::optional<uint64_t> size;  // bytes, rounded down to whole blocks
};

class LogicalUnit final : public scsi::LuListener {
 public:
  // Takes the store and builds the LU on it: one FileBackend per loop for file
  // and block-device stores, a RamBackend shared by all for RAM LUs. Restores
  // persistent reservations kept in the metadata (APTPL).
  static Result<std::unique_ptr<LogicalUnit>> Create(std::unique_ptr<lu::SbdStore> store,
                                                     const std::vector<event::EventLoop*>& loops,
                                                     const std::vector<event::IoRing*>& rings);
  ~LogicalUnit() override;

  const Guid& guid() const { return guid_; }
  const lu::SbdStore& store() const { return *store_; }
  std::recursive_mutex& mu() { return mu_; }

  // Takes mu(): the store's metadata as it is now (reservations change it).
  lu::LuMetadata Metadata();
  // Takes mu(): writes the changes into the store's metadata (durable when OK;
  // nothing changed when not), then into the SCSI state: a new size raises
  // CAPACITY DATA HAS CHANGED (SBC-3 4.6), a new write protect or write cache
  // setting MODE PARAMETERS CHANGED (SPC-4 6.11, the WP bit and the caching
  // mode page) on every nexus.
  Status Modify(const LuChanges& changes);

  scsi::Lu& scsi() { return *lu_; }          // locked
  scsi::TaskSet& tasks() { return tasks_; }  // locked
  // Locked: how a prepared command is scheduled in tasks(). While the peer
  // node owns the LU only the task attribute orders its commands here (the
  // owner runs them all SIMPLE): what they touch is ordered by the owner's own
  // task set (SAM-5 8.6), which also answers those that cannot run yet, as
  // NOT READY 04/1B during a sanitize. Held here behind a proxied barrier, they
  // would wait for it instead of getting that answer.
  scsi::TaskInfo TaskInfoFor(const scsi::ScsiCommand& cmd, uint64_t tag,
                             scsi::TaskAttribute attribute) const;

  // Locked: runs a prepared command — here, or on the owner node through the
  // proxy when one is set. INQUIRY, REPORT LUNS, REPORT TARGET PORT GROUPS, SET
  // TARGET PORT GROUPS and the REPORT SUPPORTED commands always run here: they
  // describe this node's port and LUN map, or ask this node to change state.
  void Execute(scsi::ScsiCommand& cmd);
  // Locked: an abort found `cmd` running. True when it ended at once with TASK
  // ABORTED — a SANITIZE's command, whose operation goes on (SBC-3 4.11) here
  // or on the owner; false when it finishes on its own.
  bool AbortCommand(scsi::ScsiCommand& cmd);
  // Locked: the proxy for commands while this node does not own the LU
  // (nullptr: commands run here).
  void SetProxy(std::shared_ptr<CommandProxy> proxy) { proxy_ = std::move(proxy); }
  bool proxied() const { return proxy_ != nullptr; }
  std::shared_ptr<CommandProxy> proxy() const { return proxy_; }  // locked
  // Called (locked) with the serialised reservation state after every change,
  // whether APTPL or not; an ALUA pair copies it to the standby node.
  void SetReservationObserver(std::function<void(const std::vector<uint8_t>&)> observer) {
    pr_observer_ = std::move(observer);
  }
  // Locked: who handles SET TARGET PORT GROUPS (empty: ILLEGAL REQUEST).
  void SetTpgRequestHandler(TpgRequestHandler handler) { tpg_handler_ = std::move(handler); }
  // Locked: replaces the reservation state (a standby node taking the LU over).
  Status LoadReservations(std::span<const uint8_t> serialized);
  // Locked: the store re-read from disk after another node changed it, and the
  // LU's size and properties updated from it.
  Status ReloadStore();
  lu::SbdStore& mutable_store() { return *store_; }  // locked

  // Locked: attaches an I_T nexus whose tasks `runner` owns (with POWER ON
  // OCCURRED pending unless !power_on_ua).
  scsi::NexusId Attach(scsi::ItNexus nexus, std::weak_ptr<TaskRunner> runner,
                       bool power_on_ua = true);
  // Locked: I_T nexus loss.
  void Detach(scsi::NexusId id);
  // Locked: removes a finished task and posts the start of the tasks that may now
  // run to their runners' loops.
  void FinishTask(scsi::TaskKey key);
  // Locked: posts AbortTasks to the runner of each key's nexus (grouped) and
  // removes the tasks that are only waiting.
  void AbortKeys(const std::vector<scsi::TaskKey>& keys, std::optional<scsi::NexusId> except);

 private:
  LogicalUnit() = default;
  // Whether the proxy runs cmd on the owner (Execute): the peer owns the LU and
  // the command is not one that always runs here.
  bool CarriedToOwner(const scsi::ScsiCommand& cmd) const;
  void OnReservationChanged(const scsi::PersistentReservation& pr) override;
  void OnAbortTasksOf(scsi::NexusId nexus) override;
  scsi::ScsiResult OnSetTargetPortGroups(std::span<const scsi::TpgChange> changes) override;
  void PostStart(scsi::TaskKey key);

  Guid guid_{};
  std::unique_ptr<lu::SbdStore> store_;
  std::recursive_mutex mu_;
  std::unique_ptr<LoopBackend> backend_;
  std::unique_ptr<scsi::Lu> lu_;
  scsi::TaskSet tasks_;
  std::vector<std::weak_ptr<TaskRunner>> runners_;  // by NexusId
  std::vector<scsi::TaskKey> runnable_;             // scratch for FinishTask
  std::shared_ptr<CommandProxy> proxy_;
  std::function<void(const std::vector<uint8_t>&)> pr_observer_;
  TpgRequestHandler tpg_handler_;
};

}  // namespace openstmf::stmf

#endif  // OPENSTMF_STMF_LOGICAL_UNIT_H
