#include "stmf/framework.h"

#include <algorithm>

#include "base/log.h"

namespace openstmf::stmf {

std::string TargetNameOfPort(const std::string& target_port) {
  size_t pos = target_port.rfind(",t,");
  return pos == std::string::npos ? target_port : target_port.substr(0, pos);
}

Framework::Framework(std::vector<event::EventLoop*> loops, std::vector<event::IoRing*> rings)
    : loops_(std::move(loops)), rings_(std::move(rings)) {}

Framework::~Framework() = default;

const Framework::LuSlot* Framework::SlotOf(const Guid& guid) const {
  for (const LuSlot& s : lus_) {
    if (s.lu->guid() == guid) return &s;
  }
  return nullptr;
}

Result<LogicalUnit*> Framework::AddLu(std::unique_ptr<lu::SbdStore> store, bool online) {
  if (FindLu(store->metadata().guid) != nullptr) {
    return Status(Code::kAlreadyExists,
                  "LU " + lu::GuidToString(store->metadata().guid) + " is already registered");
  }
  std::string path = store->path();
  ASSIGN_OR_RETURN(std::unique_ptr<LogicalUnit> u,
                   LogicalUnit::Create(std::move(store), loops_, rings_));
  LogicalUnit* raw = u.get();
  {
    std::lock_guard<std::mutex> lock(mu_);
    lus_.push_back({std::move(u), online});
    ++generation_;
  }
  Log(LogLevel::kInfo, "stmf", "LU %s %s (%s, %llu bytes)", lu::GuidToString(raw->guid()).c_str(),
      online ? "online" : "offline", path.empty() ? "ram" : path.c_str(),
      static_cast<unsigned long long>(raw->store().size()));
  NotifyLunsChanged();
  return raw;
}

LogicalUnit* Framework::FindLu(const Guid& guid) const {
  std::lock_guard<std::mutex> lock(mu_);
  const LuSlot* s = SlotOf(guid);
  return s == nullptr ? nullptr : s->lu.get();
}

LogicalUnit* Framework::FindLuByPath(const std::string& path) const {
  if (path.empty()) return nullptr;
  std::lock_guard<std::mutex> lock(mu_);
  for (const LuSlot& s : lus_) {
    if (s.lu->store().path() == path) return s.lu.get();
  }
  return nullptr;
}

std::vector<LogicalUnit*> Framework::Lus() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<LogicalUnit*> out;
  for (const LuSlot& s : lus_) out.push_back(s.lu.get());
  return out;
}

Status Framework::RemoveLu(const Guid& guid) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = std::find_if(lus_.begin(), lus_.end(),
                           [&](const LuSlot& s) { return s.lu->guid() == guid; });
    if (it == lus_.end()) {
      return Status(Code::kNotFound, "LU " + lu::GuidToString(guid) + " not found");
    }
    retired_.push_back(std::move(it->lu));
    lus_.erase(it);
  }
  Log(LogLevel::kInfo, "stmf", "LU %s removed", lu::GuidToString(guid).c_str());
  NotifyLunsChanged();
  return Status::Ok();
}

Status Framework::SetLuOnline(const Guid& guid, bool online) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto* s = const_cast<LuSlot*>(SlotOf(guid));
    if (s == nullptr) return Status(Code::kNotFound, "LU " + lu::GuidToString(guid) + " not found");
    if (s->online == online) return Status::Ok();
    s->online = online;
  }
  Log(LogLevel::kInfo, "stmf", "LU %s %s", lu::GuidToString(guid).c_str(),
      online ? "online" : "offline");
  NotifyLunsChanged();
  return Status::Ok();
}

std::optional<bool> Framework::LuOnline(const Guid& guid) const {
  std::lock_guard<std::mutex> lock(mu_);
  const LuSlot* s = SlotOf(guid);
  if (s == nullptr) return std::nullopt;
  return s->online;
}

Status Framework::ModifyLu(const Guid& guid, const LuChanges& changes) {
  LogicalUnit* u = FindLu(guid);
  if (u == nullptr) return Status(Code::kNotFound, "LU " + lu::GuidToString(guid) + " not found");
  const uint64_t before = u->Metadata().lu_size;
  RETURN_IF_ERROR(u->Modify(changes));
  if (u->Metadata().lu_size != before) NotifyLunsChanged();
  return Status::Ok();
}

void Framework::SetOnline(bool online) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (online_ == online) return;
    online_ = online;
  }
  Log(LogLevel::kInfo, "stmf", "framework %s", online ? "online" : "offline");
  NotifyLunsChanged();
}

bool Framework::online() const {
  std::lock_guard<std::mutex> lock(mu_);
  return online_;
}

Status Framework::RegisterPort(const std::string& name, const std::string& alias,
                               const std::string& provider, uint8_t protocol) {
  return ports_.Register({name, alias, provider, protocol, default_port_online()});
}

Status Framework::DeregisterPort(const std::string& name) { return ports_.Deregister(name); }

Status Framework::SetPortOnline(const std::string& name, bool online) {
  return ports_.SetOnline(name, online);
}

bool Framework::PortOnline(const std::string& name) const {
  std::optional<LocalPort> p = ports_.Find(name);
  return p && p->online;
}

std::optional<LocalPort> Framework::FindPort(const std::string& name) const {
  return ports_.Find(name);
}

std::vector<LocalPort> Framework::Ports() const { return ports_.Ports(); }

void Framework::SetDefaultPortOnline(bool online) {
  std::lock_guard<std::mutex> lock(mu_);
  default_port_online_ = online;
}

bool Framework::default_port_online() const {
  std::lock_guard<std::mutex> lock(mu_);
  return default_port_online_;
}

uint64_t Framework::AddSession(const std::string& port, const std::string& initiator,
                               const std::string& alias) {
  return ports_.AddSession(port, initiator, alias);
}

void Framework::RemoveSession(uint64_t id) { ports_.RemoveSession(id); }

std::vector<SessionInfo> Framework::Sessions(const std::string& port) const {
  return ports_.Sessions(port);
}

TargetPortInfo Framework::RegisterPort(const std::string& name) {
  TargetPortInfo p;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const TargetPortInfo& q : scsi_ports_) {
      if (q.name == name) return q;
    }
    p = TargetPortInfo{name, static_cast<uint16_t>(port_base_ + scsi_ports_.size() + 1)};
    scsi_ports_.push_back(p);
  }
  std::function<void(const TargetPortInfo&)> listener;
  {
    std::lock_guard<std::mutex> lock(listener_mu_);
    listener = port_listener_;
  }
  if (listener) listener(p);
  return p;
}

std::vector<TargetPortInfo> Framework::TargetPorts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return scsi_ports_;
}

void Framework::SetRelativePortBase(uint16_t base) {
  std::lock_guard<std::mutex> lock(mu_);
  port_base_ = base;
  for (size_t i = 0; i < scsi_ports_.size(); ++i) {
    scsi_ports_[i].relative_port_id = static_cast<uint16_t>(base + i + 1);
  }
}

void Framework::SetTargetPortListener(std::function<void(const TargetPortInfo&)> listener) {
  std::lock_guard<std::mutex> lock(listener_mu_);
  port_listener_ = std::move(listener);
}

std::vector<LunRef> Framework::LunMap(const std::string& initiator,
                                      const std::string& target_port) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<LunRef> out;
  if (!online_) return out;
  bool any_entry = false;
  for (const LuSlot& s : lus_) {
    if (!views_.Entries(s.lu->guid()).empty()) {
      any_entry = true;
      break;
    }
  }
  if (!any_entry) {
    for (size_t i = 0; i < lus_.size() && i <= kMaxLun; ++i) {
      if (lus_[i].online) out.push_back({static_cast<uint32_t>(i), lus_[i].lu.get()});
    }
    return out;
  }
  // Target groups name targets, not target ports (COMSTAR: the local port's devid).
  for (const LunMapping& m : views_.LunMap(initiator, TargetNameOfPort(target_port))) {
    const LuSlot* s = SlotOf(m.guid);
    if (s != nullptr && s->online) out.push_back({m.lun, s->lu.get()});
  }
  return out;
}

uint64_t Framework::generation() const {
  std::lock_guard<std::mutex> lock(mu_);
  return generation_;
}

void Framework::SetLunsChangedListener(std::function<void()> listener) {
  std::lock_guard<std::mutex> lock(listener_mu_);
  listener_ = std::move(listener);
}

void Framework::NotifyLunsChanged() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++generation_;
  }
  std::function<void()> listener;
  {
    std::lock_guard<std::mutex> lock(listener_mu_);
    listener = listener_;
  }
  if (listener) listener();
}

}  // namespace openstmf::stmf
