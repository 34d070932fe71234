#include "port/iscsit/session.h"

#include <algorithm>
#include <cstdio>

#include "base/log.h"
#include "port/iscsit/connection.h"
#include "scsi/lun.h"
#include "scsi/sense.h"

namespace openstmf::iscsit {
namespace {

// A held command's cookie: the connection's serial above the connection's own
// 33-bit cookie (a task index, or a held control PDU's slot with bit 32 set).
constexpr int kSerialShift = 33;
constexpr uint64_t kLocalMask = (uint64_t{1} << kSerialShift) - 1;

}  // namespace

Session::Session(event::EventLoop* loop, stmf::Framework* framework, TargetTable* targets,
                 uint16_t tpgt, uint16_t tsih, const iscsi::LoginCommit& commit,
                 const iscsi::OperationalParams& params, uint32_t window)
    : loop_(loop),
      framework_(framework),
      targets_(targets),
      tpgt_(tpgt),
      tsih_(tsih),
      type_(commit.type),
      isid_(commit.isid),
      initiator_(commit.initiator_name),
      target_(commit.target_name),
      params_(params),
      window_(commit.cmd_sn, window),
      lun_numbers_(std::make_shared<const std::vector<uint64_t>>()) {
  window_.set_credits(window);
}

Session::~Session() = default;

void Session::Start() {
  targets_->Bind(tsih_, weak_from_this());
  if (type_ != iscsi::SessionType::kNormal) return;
  char tpgt[8];
  snprintf(tpgt, sizeof(tpgt), "%04x", tpgt_);
  stmf::TargetPortInfo port = framework_->RegisterPort(target_ + ",t,0x" + tpgt);
  port_name_ = port.name;
  relative_port_ = port.relative_port_id;
  AttachLuns();
}

void Session::AttachLuns() {
  auto numbers = std::make_shared<std::vector<uint64_t>>();
  for (const stmf::LunRef& ref : framework_->LunMap(initiator_, port_name_)) {
    scsi::ItNexus n;
    n.initiator = scsi::IscsiInitiatorPort(initiator_, isid_);
    n.relative_target_port = relative_port_;
    n.target_port_name = port_name_;
    n.target_name = target_;
    std::lock_guard<std::recursive_mutex> lock(ref.lu->mu());
    scsi::NexusId id = ref.lu->Attach(std::move(n), weak_from_this());
    luns_.push_back({ref.lun, ref.lu, id});
    numbers->push_back(ref.lun);
  }
  lun_numbers_ = std::move(numbers);
}

bool Session::AddConnection(uint16_t cid, Connection* c) {
  if (ended_) return false;
  for (const Member& m : conns_) {
    if (m.cid == cid) m.conn->Close("connection reinstatement");
  }
  conns_.push_back({c, cid, next_serial_++});
  return true;
}

void Session::RemoveConnection(Connection* c) {
  auto it =
      std::find_if(conns_.begin(), conns_.end(), [c](const Member& m) { return m.conn == c; });
  if (it == conns_.end()) return;
  uint16_t cid = it->cid;
  conns_.erase(it);
  bool cid_in_use =
      std::any_of(conns_.begin(), conns_.end(), [cid](const Member& m) { return m.cid == cid; });
  if (!cid_in_use) targets_->ReleaseCid(tsih_, cid);
  if (conns_.empty()) End();
}

void Session::End() {
  if (ended_) return;
  ended_ = true;
  for (std::vector<LunEntry>* list : {&luns_, &retired_}) {
    for (const LunEntry& e : *list) {
      std::lock_guard<std::recursive_mutex> lock(e.lu->mu());
      e.lu->Detach(e.nexus);
    }
    list->clear();
  }
  lun_numbers_ = std::make_shared<const std::vector<uint64_t>>();
  targets_->Unbind(tsih_, this);
}

Connection* Session::ConnectionByCid(uint16_t cid) const {
  for (const Member& m : conns_) {
    if (m.cid == cid) return m.conn;
  }
  return nullptr;
}

std::vector<Connection*> Session::Others(const Connection* self) const {
  std::vector<Connection*> out;
  for (const Member& m : conns_) {
    if (m.conn != self) out.push_back(m.conn);
  }
  return out;
}

uint64_t Session::Cookie(const Connection* c, uint64_t local) const {
  for (const Member& m : conns_) {
    if (m.conn == c) return (uint64_t{m.serial} << kSerialShift) | (local & kLocalMask);
  }
  return local & kLocalMask;  // serial 0 matches no connection: dropped when due
}

void Session::DeliverReady() {
  while (std::optional<uint64_t> cookie = window_.PopReady()) {
    auto serial = static_cast<uint32_t>(*cookie >> kSerialShift);
    for (const Member& m : conns_) {
      if (m.serial == serial) {
        m.conn->DeliverHeld(*cookie & kLocalMask);
        break;
      }
    }
  }
}

const Session::LunEntry* Session::FindLun(uint64_t lun_field) const {
  std::optional<uint16_t> n = scsi::DecodeLun(lun_field);
  if (!n) return nullptr;
  if (*n < luns_.size() && luns_[*n].lun == *n) return &luns_[*n];
  for (const LunEntry& e : luns_) {
    if (e.lun == *n) return &e;
  }
  return nullptr;
}

void Session::StartTask(uint64_t tag) {
  for (const Member& m : conns_) {
    if (m.conn->StartTask(tag)) return;
  }
}

void Session::AbortTasks(const stmf::Guid& lu, std::vector<uint64_t> tags, bool all) {
  for (const Member& m : conns_) m.conn->AbortTasks(lu, tags, all);
}

void Session::RequestClose(const char* why) {
  std::weak_ptr<Session> w = weak_from_this();
  loop_->Post([w, why] {
    auto self = w.lock();
    if (!self) return;
    std::vector<Member> all = self->conns_;
    for (const Member& m : all) m.conn->Close(why);
  });
}

void Session::NotifyLunsChanged() {
  std::weak_ptr<Session> w = weak_from_this();
  loop_->Post([w] {
    if (auto self = w.lock()) self->RefreshLuns();
  });
}

void Session::RefreshLuns() {
  if (ended_ || type_ != iscsi::SessionType::kNormal) return;
  std::vector<std::pair<uint32_t, stmf::LogicalUnit*>> before, after;
  for (const LunEntry& e : luns_) before.emplace_back(e.lun, e.lu);
  std::vector<LunEntry> next;
  auto numbers = std::make_shared<std::vector<uint64_t>>();
  for (const stmf::LunRef& ref : framework_->LunMap(initiator_, port_name_)) {
    auto same_lu = [&](const LunEntry& e) { return e.lu == ref.lu; };
    LunEntry entry{ref.lun, ref.lu, 0};
    if (auto it = std::find_if(luns_.begin(), luns_.end(), same_lu); it != luns_.end()) {
      entry.nexus = it->nexus;
      luns_.erase(it);
    } else if (auto r = std::find_if(retired_.begin(), retired_.end(), same_lu);
               r != retired_.end()) {
      entry.nexus = r->nexus;
      retired_.erase(r);
    } else {
      scsi::ItNexus n;
      n.initiator = scsi::IscsiInitiatorPort(initiator_, isid_);
      n.relative_target_port = relative_port_;
      n.target_port_name = port_name_;
      n.target_name = target_;
      std::lock_guard<std::recursive_mutex> lock(ref.lu->mu());
      entry.nexus = ref.lu->Attach(std::move(n), weak_from_this());
    }
    next.push_back(entry);
    after.emplace_back(ref.lun, ref.lu);
    numbers->push_back(ref.lun);
  }
  bool changed = before != after;
  // Entries still in luns_ left the map. Their nexus stays attached until the
  // session ends: tasks of this session may still run on it.
  retired_.insert(retired_.end(), luns_.begin(), luns_.end());
  luns_ = std::move(next);
  lun_numbers_ = std::move(numbers);
  if (!changed) return;
  Log(LogLevel::kInfo, "iscsit", "session %u of %s: LUN map changed (%zu LUs)", tsih_,
      initiator_.c_str(), luns_.size());
  // SPC-4 6.37 / SAM-5 5.14: REPORTED LUNS DATA HAS CHANGED on every LU the
  // nexus sees; RFC 7143 §11.9: an Async Message (SCSI Async Event) carries it.
  scsi::ScsiResult r = scsi::SenseFor(scsi::Asc::kReportedLunsDataChanged);
  uint8_t sense[scsi::kMaxSenseLength];
  size_t len = scsi::BuildSense(r, scsi::SenseFormat::kFixed, sense);
  Connection* out = conns_.empty() ? nullptr : conns_.front().conn;
  for (const LunEntry& e : luns_) {
    {
      std::lock_guard<std::recursive_mutex> lock(e.lu->mu());
      e.lu->scsi().unit_attentions(e.nexus).Raise(scsi::UnitAttention::kReportedLunsDataChanged);
    }
    if (out != nullptr) {
      out->SendAsyncEvent(scsi::EncodeLun(static_cast<uint16_t>(e.lun)),
                          std::span<const uint8_t>(sense, len));
    }
  }
}

}  // namespace openstmf::iscsit
