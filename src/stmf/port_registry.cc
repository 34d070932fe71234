#include "stmf/port_registry.h"

#include <chrono>

namespace openstmf::stmf {

Status PortRegistry::Register(LocalPort port) {
  std::lock_guard<std::mutex> lock(mu_);
  if (ports_.count(port.name) != 0) {
    return Status(Code::kAlreadyExists, "target " + port.name + " is already registered");
  }
  std::string name = port.name;
  ports_.emplace(std::move(name), std::move(port));
  return Status::Ok();
}

Status PortRegistry::Deregister(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  if (ports_.erase(name) == 0) return Status(Code::kNotFound, "target " + name + " not found");
  std::erase_if(sessions_, [&](const auto& s) { return s.second.port == name; });
  return Status::Ok();
}

Status PortRegistry::SetOnline(const std::string& name, bool online) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = ports_.find(name);
  if (it == ports_.end()) return Status(Code::kNotFound, "target " + name + " not found");
  it->second.online = online;
  return Status::Ok();
}

std::optional<LocalPort> PortRegistry::Find(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = ports_.find(name);
  if (it == ports_.end()) return std::nullopt;
  return it->second;
}

std::vector<LocalPort> PortRegistry::Ports() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<LocalPort> out;
  for (const auto& [name, p] : ports_) out.push_back(p);
  return out;
}

uint64_t PortRegistry::AddSession(const std::string& port, const std::string& initiator,
                                  const std::string& alias) {
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  std::lock_guard<std::mutex> lock(mu_);
  const uint64_t id = next_session_++;
  sessions_[id] = SessionInfo{id, port, initiator, alias, now};
  return id;
}

void PortRegistry::RemoveSession(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(id);
}

std::vector<SessionInfo> PortRegistry::Sessions(const std::string& port) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<SessionInfo> out;
  for (const auto& [id, s] : sessions_) {
    if (s.port == port) out.push_back(s);
  }
  return out;
}

}  // namespace openstmf::stmf
