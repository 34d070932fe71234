#include "stmf/logical_unit.h"

#include <map>

#include "base/log.h"
#include "lu/sbd/file_backend.h"
#include "scsi/dispatcher.h"
#include "scsi/ram_backend.h"
#include "scsi/sense.h"

namespace openstmf::stmf {

Result<std::unique_ptr<LogicalUnit>> LogicalUnit::Create(
    std::unique_ptr<lu::SbdStore> store, const std::vector<event::EventLoop*>& loops,
    const std::vector<event::IoRing*>& rings) {
  std::unique_ptr<LogicalUnit> u(new LogicalUnit());
  const lu::LuMetadata& md = store->metadata();
  u->guid_ = md.guid;
  std::vector<LoopBackend::PerLoop> per_loop;
  if (store->kind() == lu::StoreKind::kRam) {
    per_loop.push_back(
        {nullptr, std::make_unique<scsi::RamBackend>(md.block_size, md.lu_size / md.block_size)});
  } else {
    for (size_t i = 0; i < loops.size() && i < rings.size(); ++i) {
      per_loop.push_back({loops[i], std::make_unique<lu::FileBackend>(
                                        store->fd(), store->data_offset(), store->size(),
                                        store->kind() == lu::StoreKind::kBlockDevice, rings[i])});
    }
  }
  u->backend_ = std::make_unique<LoopBackend>(&u->mu_, std::move(per_loop));
  scsi::LuListener* listener = u.get();
  u->lu_ = std::make_unique<scsi::Lu>(lu::ConfigFor(*store), u->backend_.get(), listener);
  if (!md.pr_state.empty()) {
    auto pr = scsi::PersistentReservation::Deserialize(md.pr_state);
    if (!pr.ok()) {
      return Status(Code::kCorrupt,
                    "LU " + lu::GuidToString(md.guid) +
                        ": stored reservations do not parse: " + pr.status().message());
    }
    u->lu_->pr() = std::move(pr).value();
  }
  u->store_ = std::move(store);
  return u;
}

LogicalUnit::~LogicalUnit() = default;

lu::LuMetadata LogicalUnit::Metadata() {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  return store_->metadata();
}

Status LogicalUnit::Modify(const LuChanges& changes) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  const lu::LuMetadata before = store_->metadata();
  lu::LuMetadata md = before;
  if (changes.alias) md.alias = *changes.alias;
  if (changes.mgmt_url) md.mgmt_url = *changes.mgmt_url;
  if (changes.write_protect) md.write_protect = *changes.write_protect;
  if (changes.write_cache_disabled) md.write_cache_disabled = *changes.write_cache_disabled;
  // Check the properties before touching the size, so a bad value changes nothing.
  lu::LuMetadata check = md;
  RETURN_IF_ERROR(lu::ValidateMetadata(check));
  if (changes.size) RETURN_IF_ERROR(store_->Resize(*changes.size));
  Status s = store_->SetProperties(md);
  if (!s.ok()) {
    if (changes.size) (void)store_->Resize(before.lu_size);
    return s;
  }
  const lu::LuMetadata& now = store_->metadata();
  if (now.lu_size != before.lu_size) lu_->SetCapacity(now.lu_size / now.block_size);
  if (now.write_protect != before.write_protect) {
    lu_->SetWriteProtected(now.write_protect);
    lu_->RaiseUnitAttention(scsi::UnitAttention::kModeParametersChanged);
  }
  if (now.write_cache_disabled != before.write_cache_disabled) {
    lu_->mode_pages().SetWriteCacheEnabled(!now.write_cache_disabled);
    lu_->RaiseUnitAttention(scsi::UnitAttention::kModeParametersChanged);
  }
  return Status::Ok();
}

scsi::NexusId LogicalUnit::Attach(scsi::ItNexus nexus, std::weak_ptr<TaskRunner> runner,
                                  bool power_on_ua) {
  scsi::NexusId id = lu_->AttachNexus(std::move(nexus), power_on_ua);
  if (runners_.size() <= id) runners_.resize(id + 1);
  runners_[id] = std::move(runner);
  return id;
}

void LogicalUnit::Detach(scsi::NexusId id) {
  if (proxy_ != nullptr && lu_->IsAttached(id)) proxy_->NexusLost(*this, lu_->nexus(id));
  lu_->DetachNexus(id);
  if (id < runners_.size()) runners_[id].reset();
}

void LogicalUnit::PostStart(scsi::TaskKey key) {
  if (key.nexus >= runners_.size()) return;
  std::shared_ptr<TaskRunner> r = runners_[key.nexus].lock();
  if (!r) return;
  std::weak_ptr<TaskRunner> w = r;
  r->loop()->Post([w, tag = key.tag] {
    if (auto runner = w.lock()) runner->StartTask(tag);
  });
}

void LogicalUnit::FinishTask(scsi::TaskKey key) {
  runnable_.clear();
  tasks_.Remove(key, &runnable_);
  for (const scsi::TaskKey& k : runnable_) PostStart(k);
}

void LogicalUnit::AbortKeys(const std::vector<scsi::TaskKey>& keys,
                            std::optional<scsi::NexusId> except) {
  std::map<scsi::NexusId, std::vector<uint64_t>> by_nexus;
  for (const scsi::TaskKey& k : keys) {
    if (except && k.nexus == *except) continue;
    by_nexus[k.nexus].push_back(k.tag);
  }
  for (auto& [nexus, tags] : by_nexus) {
    if (nexus >= runners_.size()) continue;
    std::shared_ptr<TaskRunner> r = runners_[nexus].lock();
    if (!r) continue;
    std::weak_ptr<TaskRunner> w = r;
    r->loop()->Post([w, guid = guid_, t = std::move(tags)]() mutable {
      if (auto runner = w.lock()) runner->AbortTasks(guid, std::move(t), false);
    });
  }
}

namespace {
bool RunsLocally(const uint8_t* cdb, size_t size) {
  if (size == 0) return true;
  switch (cdb[0]) {
    case 0x12:  // INQUIRY
    case 0xA0:  // REPORT LUNS
      return true;
    case 0xA3:  // MAINTENANCE IN: REPORT TARGET PORT GROUPS, REPORT SUPPORTED ...
      return size > 1 &&
             ((cdb[1] & 0x1F) == 0x0A || (cdb[1] & 0x1F) == 0x0C || (cdb[1] & 0x1F) == 0x0D);
    case 0xA4:  // MAINTENANCE OUT: SET TARGET PORT GROUPS
      return size > 1 && (cdb[1] & 0x1F) == 0x0A;
    default:
      return false;
  }
}
}  // namespace

bool LogicalUnit::CarriedToOwner(const scsi::ScsiCommand& cmd) const {
  return proxy_ != nullptr && !RunsLocally(cmd.cdb_bytes, cmd.cdb_size);
}

scsi::TaskInfo LogicalUnit::TaskInfoFor(const scsi::ScsiCommand& cmd, uint64_t tag,
                                        scsi::TaskAttribute attribute) const {
  scsi::TaskInfo info = scsi::TaskInfoFor(cmd, tag, attribute);
  if (CarriedToOwner(cmd)) info.serial = scsi::SerialClass::kNone;
  return info;
}

void LogicalUnit::Execute(scsi::ScsiCommand& cmd) {
  if (CarriedToOwner(cmd)) {
    std::shared_ptr<CommandProxy> p = proxy_;  // the call may replace proxy_
    return p->Execute(*this, cmd);
  }
  scsi::Execute(*lu_, cmd);
}

bool LogicalUnit::AbortCommand(scsi::ScsiCommand& cmd) {
  if (scsi::AbortCommand(*lu_, cmd)) return true;
  return proxy_ != nullptr && proxy_->AbortCommand(*this, cmd);
}

Status LogicalUnit::LoadReservations(std::span<const uint8_t> serialized) {
  if (serialized.empty()) {
    lu_->pr() = scsi::PersistentReservation();
    return Status::Ok();
  }
  auto pr = scsi::PersistentReservation::Deserialize(serialized);
  if (!pr.ok()) return pr.status();
  lu_->pr() = std::move(pr).value();
  return Status::Ok();
}

Status LogicalUnit::ReloadStore() {
  RETURN_IF_ERROR(store_->Reload());
  const lu::LuMetadata& md = store_->metadata();
  if (md.lu_size / md.block_size != lu_->config().block_count) {
    lu_->SetCapacity(md.lu_size / md.block_size);
  }
  lu_->SetWriteProtected(md.write_protect);
  return Status::Ok();
}

void LogicalUnit::OnReservationChanged(const scsi::PersistentReservation& pr) {
  if (pr_observer_) pr_observer_(pr.Serialize());
  if (!pr.aptpl() && store_->metadata().pr_state.empty()) return;
  // SPC-4 5.9.5: with APTPL the state must survive power loss; without it, a
  // cleared record keeps an earlier APTPL state from coming back at restart.
  Status s = store_->SavePersistentState(pr.aptpl() ? pr.Serialize() : std::vector<uint8_t>{});
  if (!s.ok()) {
    Log(LogLevel::kError, "stmf", "LU %s: saving reservations: %s", lu::GuidToString(guid_).c_str(),
        s.ToString().c_str());
  }
}

scsi::ScsiResult LogicalUnit::OnSetTargetPortGroups(std::span<const scsi::TpgChange> changes) {
  if (!tpg_handler_) return scsi::SenseFor(scsi::Asc::kInvalidFieldInCdb);
  return tpg_handler_(*this, changes);
}

void LogicalUnit::OnAbortTasksOf(scsi::NexusId nexus) {
  if (nexus >= runners_.size()) return;
  std::shared_ptr<TaskRunner> r = runners_[nexus].lock();
  if (!r) return;
  std::weak_ptr<TaskRunner> w = r;
  r->loop()->Post([w, guid = guid_] {
    if (auto runner = w.lock()) runner->AbortTasks(guid, {}, true);
  });
}

}  // namespace openstmf::stmf
