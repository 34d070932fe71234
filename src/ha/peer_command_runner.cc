#include "ha/peer_command_runner.h"

#include <algorithm>
#include <atomic>
#include <string_view>
#include <unordered_map>

#include "base/log.h"
#include "scsi/dispatcher.h"
#include "scsi/opcodes.h"
#include "scsi/sense.h"
#include "scsi/task_management.h"
#include "scsi/task_set.h"

namespace openstmf::ha {

// The proxied tasks and nexuses of one loop; touched only on that loop.
class PeerCommandRunner::LoopRunner final : public stmf::TaskRunner,
                                            public std::enable_shared_from_this<LoopRunner> {
 public:
  LoopRunner(PeerCommandRunner* owner, event::EventLoop* loop) : owner_(owner), loop_(loop) {}
  event::EventLoop* loop() const override { return loop_; }

  void Run(ProxyMsg m);
  void StartTask(uint64_t tag) override;
  void AbortTasks(const Guid& lu, std::vector<uint64_t> tags, bool all) override;
  void Forget(const std::string& initiator, const std::string& port);
  void RunTaskManagement(stmf::LogicalUnit* lu, const ProxyMsg& m);
  // The owner is going: nothing may reach it any more.
  void Stop() { stopped_ = true; }

 private:
  struct Job {
    ProxyMsg msg;
    LoopRunner* runner = nullptr;
    stmf::LogicalUnit* lu = nullptr;
    scsi::NexusId nexus = 0;
    bool in_task_set = false;
    scsi::ScsiCommand cmd;
    std::vector<uint8_t> data_in;
  };
  struct NexusKey {
    stmf::LogicalUnit* lu;
    std::string initiator;
    std::string port;
  };
  // Looks nexuses up by views of the message's names: no copies per command.
  struct NexusKeyView {
    stmf::LogicalUnit* lu;
    std::string_view initiator;
    std::string_view port;
  };
  struct NexusLess {
    using is_transparent = void;
    static NexusKeyView View(const NexusKey& k) { return {k.lu, k.initiator, k.port}; }
    static const NexusKeyView& View(const NexusKeyView& k) { return k; }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      const NexusKeyView& x = View(a);
      const NexusKeyView& y = View(b);
      return std::tie(x.lu, x.initiator, x.port) < std::tie(y.lu, y.initiator, y.port);
    }
  };
  scsi::NexusId NexusFor(stmf::LogicalUnit* lu, const ProxyMsg& m);  // LU locked
  void Reply(Job* job);                                              // LU locked
  void ReplySense(const ProxyMsg& m, scsi::Asc asc);
  // Queues SCSI_STATUS with the Data-In as a piece of its own (copied once).
  Status SendStatus(uint64_t msgid, const Guid& guid, uint8_t status,
                    std::span<const uint8_t> sense, std::span<const uint8_t> data);
  void Release(std::unique_ptr<Job> job);
  static void OnDone(scsi::ScsiCommand* cmd, void* arg);

  PeerCommandRunner* const owner_;
  event::EventLoop* const loop_;
  std::atomic<bool> stopped_{false};
  std::map<NexusKey, scsi::NexusId, NexusLess> nexuses_;
  std::unordered_map<uint64_t, std::unique_ptr<Job>> jobs_;  // by msgid
  // Finished jobs, reused with their Data-In buffers: a read neither
  // allocates nor clears its buffer (the command writes what it returns).
  std::vector<std::unique_ptr<Job>> free_jobs_;
  std::vector<uint8_t> head_;  // SendStatus's encoding buffer
};

namespace {
constexpr size_t kKeptJobs = 256;
constexpr size_t kKeptBufferBytes = size_t{1} << 20;
}  // namespace

Status PeerCommandRunner::LoopRunner::SendStatus(uint64_t msgid, const Guid& guid, uint8_t status,
                                                 std::span<const uint8_t> sense,
                                                 std::span<const uint8_t> data) {
  ProxyMsg r;
  r.type = MsgType::kScsiStatus;
  r.msgid = msgid;
  r.guid = guid;
  r.scsi_status = status;
  r.sense.assign(sense.begin(), sense.end());
  head_.clear();
  EncodeHead(r, data.size(), head_);
  const std::span<const uint8_t> parts[] = {head_, data};
  return owner_->send_(MessageParts(parts));
}

void PeerCommandRunner::LoopRunner::Release(std::unique_ptr<Job> job) {
  if (free_jobs_.size() >= kKeptJobs) return;
  if (job->data_in.capacity() > kKeptBufferBytes) std::vector<uint8_t>().swap(job->data_in);
  free_jobs_.push_back(std::move(job));
}

void PeerCommandRunner::LoopRunner::ReplySense(const ProxyMsg& m, scsi::Asc asc) {
  if (stopped_) return;
  uint8_t buf[scsi::kMaxSenseLength];
  size_t len = scsi::BuildSense(scsi::SenseFor(asc), scsi::SenseFormat::kFixed, buf);
  (void)SendStatus(m.msgid, m.guid, static_cast<uint8_t>(scsi::ScsiStatus::kCheckCondition),
                   std::span<const uint8_t>(buf, len), {});
}

scsi::NexusId PeerCommandRunner::LoopRunner::NexusFor(stmf::LogicalUnit* lu, const ProxyMsg& m) {
  auto it = nexuses_.find(NexusKeyView{lu, m.initiator, m.port});
  if (it != nexuses_.end() && lu->scsi().IsAttached(it->second)) return it->second;
  scsi::ItNexus n;
  n.initiator = ParseInitiatorPortText(m.initiator);
  n.relative_target_port = owner_->hooks_.peer_port_id(m.port);
  n.target_port_name = m.port;
  n.target_name = stmf::TargetNameOfPort(m.port);
  n.proxy = true;
  // The peer's own nexus already reported POWER ON to the initiator.
  scsi::NexusId id = lu->Attach(std::move(n), weak_from_this(), false);
  if (it != nexuses_.end()) {
    it->second = id;
  } else {
    nexuses_.emplace(NexusKey{lu, m.initiator, m.port}, id);
  }
  return id;
}

void PeerCommandRunner::LoopRunner::Run(ProxyMsg m) {
  if (stopped_) return;
  stmf::LogicalUnit* lu = owner_->framework_->FindLu(m.guid);
  if (lu == nullptr) return ReplySense(m, scsi::Asc::kLunNotSupported);
  if (!owner_->hooks_.may_run(m.guid)) return ReplySense(m, scsi::Asc::kNotReadyAluaTransition);
  if (m.tmf != 0) return RunTaskManagement(lu, m);
  if (jobs_.count(m.msgid) != 0) return;  // a duplicate id: the first one answers
  std::unique_ptr<Job> owned;
  if (free_jobs_.empty()) {
    owned = std::make_unique<Job>();
  } else {
    owned = std::move(free_jobs_.back());
    free_jobs_.pop_back();
    owned->in_task_set = false;
    owned->nexus = 0;
    owned->cmd = scsi::ScsiCommand{};
  }
  Job* job = owned.get();
  job->msg = std::move(m);
  job->runner = this;
  job->lu = lu;
  jobs_[job->msg.msgid] = std::move(owned);
  std::lock_guard<std::recursive_mutex> lock(lu->mu());
  job->nexus = NexusFor(lu, job->msg);
  scsi::ScsiCommand& cmd = job->cmd;
  cmd.cdb_bytes = job->msg.cdb.data();
  cmd.cdb_size = job->msg.cdb.size();
  cmd.nexus = job->nexus;
  cmd.done = &LoopRunner::OnDone;
  cmd.done_arg = job;
  if (!scsi::Prepare(lu->scsi(), cmd)) return;  // answered through OnDone
  if (cmd.direction == scsi::DataDirection::kOut) {
    const std::vector<uint8_t>& data = job->msg.data;
    uint32_t bs = lu->scsi().config().block_size;
    if (data.size() < cmd.transfer_length) {
      // The peer cut a short block write to the whole blocks it received
      // (RFC 7143 §11.4.5.2); anything else short is a broken message.
      if (!scsi::op::IsPlainBlockWrite(cmd.cdb.opcode) || data.size() % bs != 0) {
        return scsi::Complete(cmd, scsi::SenseFor(scsi::Asc::kInvalidFieldInCdb));
      }
      cmd.cdb.blocks = data.size() / bs;
      cmd.transfer_length = static_cast<uint32_t>(data.size());
    }
    cmd.data_out = std::span<const uint8_t>(data.data(), cmd.transfer_length);
  } else if (cmd.direction == scsi::DataDirection::kIn) {
    if (job->data_in.size() < cmd.transfer_length) job->data_in.resize(cmd.transfer_length);
    cmd.data_in = std::span<uint8_t>(job->data_in.data(), cmd.transfer_length);
  }
  scsi::TaskInfo info = scsi::TaskInfoFor(cmd, job->msg.msgid, scsi::TaskAttribute::kSimple);
  switch (lu->tasks().Add(info)) {
    case scsi::Admission::kRun:
      job->in_task_set = true;
      return scsi::Execute(lu->scsi(), cmd);
    case scsi::Admission::kWait:
      job->in_task_set = true;
      return;
    case scsi::Admission::kOverlapped:
      return scsi::Complete(cmd, scsi::SenseFor(scsi::Asc::kOverlappedCommandsAttempted));
    case scsi::Admission::kRejectAca:
      return scsi::Complete(cmd, scsi::SenseFor(scsi::Asc::kInvalidMessageError));
  }
}

void PeerCommandRunner::LoopRunner::RunTaskManagement(stmf::LogicalUnit* lu, const ProxyMsg& m) {
  const auto fn = static_cast<scsi::TaskManagementFunction>(m.tmf - 1);
  if (m.tmf - 1 > static_cast<int>(scsi::TaskManagementFunction::kQueryAsyncEvent)) {
    return ReplySense(m, scsi::Asc::kInvalidFieldInCdb);
  }
  std::vector<uint64_t> own;
  {
    std::lock_guard<std::recursive_mutex> lock(lu->mu());
    scsi::NexusId nexus = NexusFor(lu, m);
    scsi::TmfPlan plan = scsi::ApplyTaskManagement(lu->scsi(), lu->tasks(), fn, nexus);
    lu->AbortKeys(plan.abort, nexus);
    for (const scsi::TaskKey& k : plan.abort) {
      if (k.nexus == nexus) own.push_back(k.tag);
    }
  }
  AbortTasks(lu->guid(), std::move(own), false);
  (void)SendStatus(m.msgid, m.guid, 0, {}, {});
}

void PeerCommandRunner::LoopRunner::StartTask(uint64_t tag) {
  auto it = jobs_.find(tag);
  if (it == jobs_.end()) return;
  Job* job = it->second.get();
  std::lock_guard<std::recursive_mutex> lock(job->lu->mu());
  scsi::Execute(job->lu->scsi(), job->cmd);
}

void PeerCommandRunner::LoopRunner::AbortTasks(const Guid& /*lu*/, std::vector<uint64_t> tags,
                                               bool all) {
  // Commands still waiting in the task set end now with TASK ABORTED. Running
  // ones finish on their own (their I/O uses the buffers), but for a SANITIZE,
  // whose command ends now while the operation goes on (SBC-3 4.11), as on a
  // local nexus (scsi::AbortCommand).
  std::vector<Job*> waiting, running;
  for (auto& [id, job] : jobs_) {
    bool hit = all || std::find(tags.begin(), tags.end(), id) != tags.end();
    if (!hit) continue;
    std::lock_guard<std::recursive_mutex> lock(job->lu->mu());
    if (job->in_task_set && !job->lu->tasks().Running(scsi::TaskKey{job->nexus, id})) {
      waiting.push_back(job.get());
    } else {
      running.push_back(job.get());
    }
  }
  for (Job* job : running) {
    std::lock_guard<std::recursive_mutex> lock(job->lu->mu());
    (void)scsi::AbortCommand(job->lu->scsi(), job->cmd);
  }
  for (Job* job : waiting) {
    std::lock_guard<std::recursive_mutex> lock(job->lu->mu());
    job->cmd.result = scsi::ScsiResult{};
    job->cmd.result.status = scsi::ScsiStatus::kTaskAborted;
    job->cmd.sense_length = 0;
    job->cmd.data_in_length = 0;
    OnDone(&job->cmd, job);
  }
}

void PeerCommandRunner::LoopRunner::OnDone(scsi::ScsiCommand* /*cmd*/, void* arg) {
  auto* job = static_cast<Job*>(arg);
  job->runner->Reply(job);
}

void PeerCommandRunner::LoopRunner::Reply(Job* job) {
  if (job->in_task_set) {
    job->in_task_set = false;
    job->lu->FinishTask(scsi::TaskKey{job->nexus, job->msg.msgid});
  }
  const scsi::ScsiCommand& cmd = job->cmd;
  uint64_t id = job->msg.msgid;
  if (!stopped_) {
    Status s =
        SendStatus(id, job->msg.guid, static_cast<uint8_t>(cmd.result.status),
                   std::span<const uint8_t>(cmd.sense, cmd.sense_length),
                   cmd.data_in.first(std::min<size_t>(cmd.data_in_length, cmd.data_in.size())));
    if (!s.ok()) {
      Log(LogLevel::kWarn, "alua", "answering a proxied command failed: %s", s.message().c_str());
    }
  }
  // The job is freed once the command's completion has unwound (later in this
  // loop turn: no wake-up).
  std::weak_ptr<LoopRunner> self = weak_from_this();
  auto release = [self, id] {
    auto me = self.lock();
    if (!me) return;
    auto it = me->jobs_.find(id);
    if (it == me->jobs_.end()) return;
    std::unique_ptr<Job> done = std::move(it->second);
    me->jobs_.erase(it);
    me->Release(std::move(done));
  };
  if (loop_->InLoopThread()) {
    loop_->Defer(std::move(release));
  } else {
    loop_->Post(std::move(release));
  }
}

void PeerCommandRunner::LoopRunner::Forget(const std::string& initiator, const std::string& port) {
  for (auto it = nexuses_.begin(); it != nexuses_.end();) {
    bool match = (initiator.empty() || it->first.initiator == initiator) &&
                 (port.empty() || it->first.port == port);
    if (!match) {
      ++it;
      continue;
    }
    stmf::LogicalUnit* lu = it->first.lu;
    bool busy = false;
    for (auto& [id, job] : jobs_) busy |= job->lu == lu && job->nexus == it->second;
    if (!busy) {
      std::lock_guard<std::recursive_mutex> lock(lu->mu());
      lu->Detach(it->second);
    }
    it = nexuses_.erase(it);
  }
}

PeerCommandRunner::PeerCommandRunner(stmf::Framework* framework, event::EventLoop* loop,
                                     PeerSender send, Hooks hooks)
    : framework_(framework),
      send_(std::move(send)),
      hooks_(std::move(hooks)),
      runner_(std::make_shared<LoopRunner>(this, loop)) {}

PeerCommandRunner::~PeerCommandRunner() {
  // Work already posted, or I/O still completing, finds its runner stopped.
  runner_->Stop();
}

void PeerCommandRunner::OnCommand(ProxyMsg m) {
  std::vector<ProxyMsg> one;
  one.push_back(std::move(m));
  OnCommands(std::move(one));
}

void PeerCommandRunner::OnCommands(std::vector<ProxyMsg> commands) {
  if (runner_->loop()->InLoopThread()) {
    for (ProxyMsg& m : commands) runner_->Run(std::move(m));
    return;
  }
  runner_->loop()->Post([r = runner_, batch = std::move(commands)]() mutable {
    for (ProxyMsg& m : batch) r->Run(std::move(m));
  });
}

void PeerCommandRunner::OnSessionDestroy(const ProxyMsg& m) {
  runner_->loop()->Post(
      [r = runner_, initiator = m.initiator, port = m.port] { r->Forget(initiator, port); });
}

void PeerCommandRunner::DetachAll() {
  runner_->loop()->Post([r = runner_] { r->Forget("", ""); });
}

}  // namespace openstmf::ha
