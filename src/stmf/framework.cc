#include "stmf/framework.h"

#include "base/log.h"

namespace openstmf::stmf {

Framework::Framework(std::vector<event::EventLoop*> loops, std::vector<event::IoRing*> rings)
    : loops_(std::move(loops)), rings_(std::move(rings)) {}

Framework::~Framework() = default;

Result<LogicalUnit*> Framework::AddLu(std::unique_ptr<lu::SbdStore> store) {
  if (FindLu(store->metadata().guid) != nullptr) {
    return Status(Code::kAlreadyExists,
                  "LU " + lu::GuidToString(store->metadata().guid) + " is already registered");
  }
  std::string path = store->path();
  ASSIGN_OR_RETURN(std::unique_ptr<LogicalUnit> u,
                   LogicalUnit::Create(std::move(store), loops_, rings_));
  LogicalUnit* raw = u.get();
  std::lock_guard<std::mutex> lock(mu_);
  lus_.push_back(std::move(u));
  ++generation_;
  Log(LogLevel::kInfo, "stmf", "LU %s online (%s, %llu bytes)",
      lu::GuidToString(raw->guid()).c_str(), path.empty() ? "ram" : path.c_str(),
      static_cast<unsigned long long>(raw->store().size()));
  return raw;
}

LogicalUnit* Framework::FindLu(const Guid& guid) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& u : lus_) {
    if (u->guid() == guid) return u.get();
  }
  return nullptr;
}

std::vector<LogicalUnit*> Framework::Lus() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<LogicalUnit*> out;
  for (const auto& u : lus_) out.push_back(u.get());
  return out;
}

TargetPortInfo Framework::RegisterPort(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const TargetPortInfo& p : ports_) {
    if (p.name == name) return p;
  }
  TargetPortInfo p{name, static_cast<uint16_t>(ports_.size() + 1)};
  ports_.push_back(p);
  return p;
}

std::vector<LunRef> Framework::LunMap(const std::string& initiator,
                                      const std::string& target_port) const {
  std::lock_guard<std::mutex> lock(mu_);
  bool any_entry = false;
  for (const auto& u : lus_) {
    if (!views_.Entries(u->guid()).empty()) {
      any_entry = true;
      break;
    }
  }
  std::vector<LunRef> out;
  if (!any_entry) {
    for (size_t i = 0; i < lus_.size() && i <= kMaxLun; ++i) {
      out.push_back({static_cast<uint32_t>(i), lus_[i].get()});
    }
    return out;
  }
  for (const LunMapping& m : views_.LunMap(initiator, target_port)) {
    for (const auto& u : lus_) {
      if (u->guid() == m.guid) out.push_back({m.lun, u.get()});
    }
  }
  return out;
}

uint64_t Framework::generation() const {
  std::lock_guard<std::mutex> lock(mu_);
  return generation_;
}

}  // namespace openstmf::stmf
