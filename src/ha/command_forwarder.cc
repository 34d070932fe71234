#include "ha/command_forwarder.h"

#include <cstring>

#include "base/log.h"
#include "scsi/dispatcher.h"
#include "scsi/opcodes.h"
#include "scsi/sense.h"

namespace openstmf::ha {

std::string InitiatorPortText(const scsi::TransportId& id) {
  return id.isid.empty() ? id.name : id.name + ",i,0x" + id.isid;
}

scsi::TransportId ParseInitiatorPortText(const std::string& text) {
  scsi::TransportId id;
  size_t at = text.rfind(",i,0x");
  if (at == std::string::npos) {
    id.name = text;
  } else {
    id.name = text.substr(0, at);
    id.isid = text.substr(at + 5);
  }
  return id;
}

Status SendWhole(const PeerSender& send, std::span<const uint8_t> message) {
  const std::span<const uint8_t> one[] = {message};
  return send(MessageParts(one));
}

CommandForwarder::CommandForwarder(PeerSender send, std::vector<event::EventLoop*> loops)
    : send_(std::move(send)), loops_(std::move(loops)) {}

void CommandForwarder::Execute(stmf::LogicalUnit& lu, scsi::ScsiCommand& cmd) {
  event::EventLoop* loop = event::CurrentLoopOf(loops_);
  if (loop == nullptr || cmd.cdb_size == 0 || cmd.cdb_size > kMaxCdb ||
      cmd.data_out.size() > kMaxBlob) {
    return scsi::Complete(cmd, scsi::SenseFor(scsi::Asc::kInternalTargetFailure));
  }
  const scsi::ItNexus& n = lu.scsi().nexus(cmd.nexus);
  ProxyMsg m;
  m.type = MsgType::kScsiCmd;
  m.guid = lu.guid();
  m.session_id = cmd.nexus;
  m.initiator = InitiatorPortText(n.initiator);
  m.port = n.target_port_name;
  m.expected_length = cmd.transfer_length;
  m.flags = cmd.direction == scsi::DataDirection::kIn    ? kCmdRead
            : cmd.direction == scsi::DataDirection::kOut ? kCmdWrite
                                                         : 0;
  m.cdb.assign(cmd.cdb_bytes, cmd.cdb_bytes + cmd.cdb_size);
  std::span<const uint8_t> data;
  if (cmd.direction == scsi::DataDirection::kOut) data = cmd.data_out.first(cmd.transfer_length);
  Launch(m, Pending{&lu, &cmd, loop, nullptr}, data);
}

void CommandForwarder::Launch(ProxyMsg& m, Pending p, std::span<const uint8_t> data) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    m.msgid = next_id_++;
    if (p.tmf_done) m.msgid |= kTmfMsgIdBit;
    pending_[m.msgid] = std::move(p);
  }
  // The sender only queues (batch_sender.h), so this is quick under the LU lock.
  const uint64_t id = m.msgid;
  std::vector<uint8_t> head;
  EncodeHead(m, data.size(), head);
  const std::span<const uint8_t> parts[] = {head, data};
  Status s = send_(MessageParts(parts));
  if (s.ok()) return;
  Log(LogLevel::kWarn, "alua", "proxying a command to the peer failed: %s", s.message().c_str());
  if (auto q = Take(id)) FinishWithSense(std::move(*q), scsi::Asc::kNotReadyAluaUnavailable);
}

void CommandForwarder::TaskManagement(stmf::LogicalUnit& lu, const scsi::ItNexus& nexus,
                                      scsi::TaskManagementFunction function,
                                      std::function<void()> done) {
  event::EventLoop* loop = event::CurrentLoopOf(loops_);
  if (loop == nullptr) return done();
  ProxyMsg m;
  m.type = MsgType::kScsiCmd;
  m.guid = lu.guid();
  m.initiator = InitiatorPortText(nexus.initiator);
  m.port = nexus.target_port_name;
  m.tmf = static_cast<uint8_t>(static_cast<uint8_t>(function) + 1);
  m.cdb = {0};
  Launch(m, Pending{&lu, nullptr, loop, std::move(done)});
}

bool CommandForwarder::AbortCommand(stmf::LogicalUnit& /*lu*/, scsi::ScsiCommand& cmd) {
  // SBC-3 4.11: only a SANITIZE's command ends when aborted while running.
  if (cmd.cdb_size == 0 || cmd.cdb_bytes[0] != scsi::op::kSanitize) return false;
  std::optional<Pending> p;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = pending_.begin(); it != pending_.end(); ++it) {
      if (it->second.cmd == &cmd) {
        p = std::move(it->second);
        pending_.erase(it);
        break;
      }
    }
  }
  if (!p) return false;
  Complete(*p, scsi::ScsiStatus::kTaskAborted, {}, 0);
  return true;
}

void CommandForwarder::NexusLost(stmf::LogicalUnit& lu, const scsi::ItNexus& nexus) {
  ProxyMsg m;
  m.type = MsgType::kSessionDestroy;
  m.guid = lu.guid();
  m.initiator = InitiatorPortText(nexus.initiator);
  m.port = nexus.target_port_name;
  (void)SendWhole(send_, Encode(m));  // a lost peer forgets every proxied nexus anyway
}

std::optional<CommandForwarder::Pending> CommandForwarder::Take(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pending_.find(id);
  if (it == pending_.end()) return std::nullopt;
  Pending p = it->second;
  pending_.erase(it);
  return p;
}

uint32_t CommandForwarder::CopyDataIn(const Pending& p, std::span<const uint8_t> data) {
  scsi::ScsiCommand& cmd = *p.cmd;
  size_t n = std::min({data.size(), cmd.data_in.size(), size_t{cmd.transfer_length}});
  if (n != 0) std::memcpy(cmd.data_in.data(), data.data(), n);
  return static_cast<uint32_t>(n);
}

void CommandForwarder::Complete(const Pending& p, scsi::ScsiStatus status,
                                std::span<const uint8_t> sense, uint32_t data_in_length) {
  std::lock_guard<std::recursive_mutex> lock(p.lu->mu());
  scsi::CompleteRaw(*p.cmd, status, sense, data_in_length);
}

void CommandForwarder::Finish(Pending p, scsi::ScsiStatus status, std::vector<uint8_t> sense) {
  if (p.tmf_done) return p.loop->Post(std::move(p.tmf_done));
  p.loop->Post([p, status, sense = std::move(sense)] { Complete(p, status, sense, 0); });
}

void CommandForwarder::FinishWithSense(Pending p, scsi::Asc asc) {
  uint8_t buf[scsi::kMaxSenseLength];
  size_t len = scsi::BuildSense(scsi::SenseFor(asc), scsi::SenseFormat::kFixed, buf);
  Finish(std::move(p), scsi::ScsiStatus::kCheckCondition, std::vector<uint8_t>(buf, buf + len));
}

void CommandForwarder::OnStatuses(std::vector<MsgInPlace> statuses) {
  struct Done {
    Pending p;
    uint8_t status;
    std::vector<uint8_t> sense;
    uint32_t length;  // Data-In already in the command's buffer
  };
  std::unordered_map<event::EventLoop*, std::vector<Done>> per_loop;
  for (MsgInPlace& v : statuses) {
    std::optional<Pending> p = Take(v.msg.msgid);
    if (!p) continue;
    if (p->tmf_done) {
      p->loop->Post(std::move(p->tmf_done));
      continue;
    }
    const uint32_t n = CopyDataIn(*p, v.data);
    event::EventLoop* loop = p->loop;
    per_loop[loop].push_back(Done{*p, v.msg.scsi_status, std::move(v.msg.sense), n});
  }
  for (auto& [loop, batch] : per_loop) {
    auto complete = [batch = std::move(batch)] {
      for (const Done& d : batch) {
        Complete(d.p, static_cast<scsi::ScsiStatus>(d.status), d.sense, d.length);
      }
    };
    // On the proxy door's loop (proxy_door.h) its own commands end at once.
    if (loop->InLoopThread()) {
      complete();
    } else {
      loop->Post(std::move(complete));
    }
  }
}

void CommandForwarder::FailPending(std::optional<Guid> guid, scsi::Asc asc) {
  std::vector<Pending> victims;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (!guid || it->second.lu->guid() == *guid) {
        victims.push_back(it->second);
        it = pending_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (const Pending& p : victims) FinishWithSense(p, asc);
}

size_t CommandForwarder::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pending_.size();
}

}  // namespace openstmf::ha
