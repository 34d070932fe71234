#include "port/iscsit/target_table.h"

#include <algorithm>
#include <cctype>

#include "base/log.h"

namespace openstmf::iscsit {

void TargetTable::AddTarget(TargetConfig target) {
  std::lock_guard<std::mutex> lock(mu_);
  targets_.push_back(std::move(target));
}

std::vector<iscsi::TargetEntry> TargetTable::Targets() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<iscsi::TargetEntry> out;
  for (const TargetConfig& t : targets_) out.push_back({t.name, t.portals});
  return out;
}

void TargetTable::Bind(uint16_t tsih, std::weak_ptr<SessionOwner> owner) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(tsih);
  if (it != sessions_.end()) it->second.owner = std::move(owner);
}

void TargetTable::Unbind(uint16_t tsih, const SessionOwner* owner) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(tsih);
  if (it == sessions_.end()) return;
  std::shared_ptr<SessionOwner> cur = it->second.owner.lock();
  // A reinstated session already belongs to the new connection.
  if (cur && cur.get() != owner) return;
  sessions_.erase(it);
}

void TargetTable::ReleaseCid(uint16_t tsih, uint16_t cid) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(tsih);
  if (it == sessions_.end()) return;
  std::vector<uint16_t>& cids = it->second.cids;
  auto c = std::find(cids.begin(), cids.end(), cid);
  if (c != cids.end()) cids.erase(c);
}

std::shared_ptr<SessionOwner> TargetTable::Owner(uint16_t tsih) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(tsih);
  return it == sessions_.end() ? nullptr : it->second.owner.lock();
}

void TargetTable::CloseSessionsOf(std::string_view target_name, const char* why) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [tsih, s] : sessions_) {
    if (s.record.target_name == target_name) CloseOwner(s, why);
  }
}

size_t TargetTable::session_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

iscsi::TargetAccess TargetTable::LookupTarget(std::string_view target_name,
                                              std::string_view /*initiator_name*/, uint16_t tpgt) {
  std::lock_guard<std::mutex> lock(mu_);
  iscsi::TargetAccess a;
  for (const TargetConfig& t : targets_) {
    // iSCSI names compare case-insensitively after stringprep (RFC 3722); names
    // here are stored lower-case.
    if (t.name.size() != target_name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < t.name.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(t.name[i])) ==
             std::tolower(static_cast<unsigned char>(target_name[i]));
    }
    if (!same) continue;
    bool on_portal = t.portals.empty();
    for (const iscsi::Portal& p : t.portals) on_portal = on_portal || p.tpgt == tpgt;
    if (!on_portal) break;
    a.alias = t.alias;
    a.negotiation = t.negotiation;
    return a;
  }
  a.status = iscsi::LoginStatus::kNotFound;
  return a;
}

iscsi::TargetAccess TargetTable::LookupDiscovery(std::string_view /*initiator_name*/,
                                                 uint16_t /*tpgt*/) {
  std::lock_guard<std::mutex> lock(mu_);
  iscsi::TargetAccess a;
  if (!targets_.empty()) a.negotiation = targets_.front().negotiation;
  return a;
}

std::optional<iscsi::SessionRecord> TargetTable::FindSession(std::string_view initiator_name,
                                                             uint64_t isid,
                                                             std::string_view target_name,
                                                             uint16_t /*tpgt*/) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [tsih, s] : sessions_) {
    const iscsi::SessionRecord& r = s.record;
    if (r.isid == isid && r.initiator_name == initiator_name && r.target_name == target_name) {
      return r;
    }
  }
  return std::nullopt;
}

std::optional<iscsi::SessionRecord> TargetTable::FindSessionByTsih(uint16_t tsih, uint16_t cid) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(tsih);
  if (it == sessions_.end()) return std::nullopt;
  iscsi::SessionRecord r = it->second.record;
  const std::vector<uint16_t>& cids = it->second.cids;
  r.has_cid = std::find(cids.begin(), cids.end(), cid) != cids.end();
  r.connection_count = static_cast<uint32_t>(cids.size());
  return r;
}

uint16_t TargetTable::NewTsih() {
  for (;;) {
    uint16_t t = next_tsih_++;
    if (next_tsih_ == 0) next_tsih_ = 1;
    if (t != 0 && sessions_.count(t) == 0) return t;
  }
}

void TargetTable::CloseOwner(Session& s, const char* why) {
  if (std::shared_ptr<SessionOwner> o = s.owner.lock()) o->RequestClose(why);
}

iscsi::CommitResult TargetTable::CommitLogin(const iscsi::LoginCommit& c) {
  std::lock_guard<std::mutex> lock(mu_);
  iscsi::CommitResult out;
  switch (c.kind) {
    case iscsi::LoginKind::kSessionReinstatement:
      // RFC 7143 §6.3.5: the old session of this ISID ends; its tasks are dropped.
      for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
        const iscsi::SessionRecord& r = it->second.record;
        if (r.isid == c.isid && r.initiator_name == c.initiator_name &&
            r.target_name == c.target_name) {
          Log(LogLevel::kInfo, "iscsit", "session %u of %s reinstated", it->first,
              c.initiator_name.c_str());
          CloseOwner(it->second, "session reinstatement");
          sessions_.erase(it);
          break;
        }
      }
      [[fallthrough]];
    case iscsi::LoginKind::kNewSession: {
      Session s;
      s.record.tsih = NewTsih();
      s.record.isid = c.isid;
      s.record.initiator_name = c.initiator_name;
      s.record.target_name = c.target_name;
      s.record.type = c.type;
      s.record.connection_count = 1;
      s.record.exp_cmd_sn = c.cmd_sn;
      s.record.params = c.params;
      s.cids.push_back(c.cid);
      out.tsih = s.record.tsih;
      sessions_.emplace(out.tsih, std::move(s));
      return out;
    }
    case iscsi::LoginKind::kConnectionReinstatement:
    case iscsi::LoginKind::kAddConnection: {
      // RFC 7143 §6.3.4, §7.1.4.1 (ERL 0): a new CID joins the session; an
      // existing one is reinstated — the session's owner closes the old
      // connection with that CID and drops its tasks when the new one joins.
      auto it = sessions_.find(c.tsih);
      if (it == sessions_.end()) {
        out.status = iscsi::LoginStatus::kSessionDoesNotExist;
        return out;
      }
      std::vector<uint16_t>& cids = it->second.cids;
      if (std::find(cids.begin(), cids.end(), c.cid) == cids.end()) {
        if (cids.size() >= it->second.record.params.max_connections) {
          out.status = iscsi::LoginStatus::kTooManyConnections;
          return out;
        }
        cids.push_back(c.cid);
      }
      out.tsih = c.tsih;
      return out;
    }
  }
  out.status = iscsi::LoginStatus::kTargetError;
  return out;
}

}  // namespace openstmf::iscsit
