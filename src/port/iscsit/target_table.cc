#include "port/iscsit/target_table.h"

#include <algorithm>
#include <cctype>

#include "base/log.h"
#include "stmf/framework.h"

namespace openstmf::iscsit {

namespace {

// iSCSI names compare case-insensitively after stringprep (RFC 3722); names
// here are stored lower-case.
bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

void TargetTable::AddTarget(TargetConfig target) { UpdateTarget(std::move(target)); }

void TargetTable::UpdateTarget(TargetConfig target) {
  const std::string name = target.name;
  const bool online = target.online;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = std::find_if(targets_.begin(), targets_.end(),
                           [&](const TargetConfig& t) { return SameName(t.name, name); });
    if (it == targets_.end()) {
      targets_.push_back(std::move(target));
    } else {
      *it = std::move(target);
    }
  }
  if (!online) CloseSessionsOf(name, "target offline");
}

bool TargetTable::RemoveTarget(std::string_view name) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = std::find_if(targets_.begin(), targets_.end(),
                           [&](const TargetConfig& t) { return SameName(t.name, name); });
    if (it == targets_.end()) return false;
    targets_.erase(it);
  }
  CloseSessionsOf(name, "target deleted");
  return true;
}

std::vector<TargetConfig> TargetTable::TargetConfigs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return targets_;
}

void TargetTable::SetAuth(AuthSettings auth) {
  std::lock_guard<std::mutex> lock(mu_);
  auth_ = std::move(auth);
}

void TargetTable::SetFramework(stmf::Framework* framework) {
  std::lock_guard<std::mutex> lock(mu_);
  framework_ = framework;
}

void TargetTable::Forget(const Session& s) {
  if (framework_ != nullptr && s.registry_id != 0) framework_->RemoveSession(s.registry_id);
}

std::vector<iscsi::TargetEntry> TargetTable::Targets() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<iscsi::TargetEntry> out;
  for (const TargetConfig& t : targets_) {
    if (t.online) out.push_back({t.name, t.portals});
  }
  return out;
}

const TargetConfig* TargetTable::FindTarget(std::string_view name) const {
  for (const TargetConfig& t : targets_) {
    if (SameName(t.name, name)) return &t;
  }
  return nullptr;
}

iscsi::TargetAccess TargetTable::Authenticate(TargetAuth auth, std::string_view initiator_name,
                                              const TargetConfig* target) const {
  iscsi::TargetAccess a;
  if (auth == TargetAuth::kNone) return a;
  if (auth == TargetAuth::kRadius) {
    a.status = iscsi::LoginStatus::kAuthenticationFailure;
    Log(LogLevel::kWarn, "iscsit", "login of %.*s refused: RADIUS authentication is not supported",
        static_cast<int>(initiator_name.size()), initiator_name.data());
    return a;
  }
  // RFC 7143 §12.1.3: the initiator proves the secret configured for its name;
  // its CHAP name defaults to the initiator name, as in COMSTAR.
  a.require_chap = true;
  auto it = auth_.initiators.find(Lower(initiator_name));
  if (it == auth_.initiators.end() || it->second.secret.empty()) {
    a.status = iscsi::LoginStatus::kAuthenticationFailure;
    Log(LogLevel::kWarn, "iscsit", "login of %.*s refused: no CHAP secret configured for it",
        static_cast<int>(initiator_name.size()), initiator_name.data());
    return a;
  }
  a.chap.initiator.user = it->second.user.empty() ? std::string(initiator_name) : it->second.user;
  a.chap.initiator.secret = it->second.secret;
  // Mutual CHAP: the target answers with its own secret when it has one.
  if (target != nullptr && target->chap && !target->chap->secret.empty()) {
    iscsi::ChapCredentials t = *target->chap;
    if (t.user.empty()) t.user = target->name;
    a.chap.target = std::move(t);
  }
  return a;
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
  Forget(it->second);
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
                                              std::string_view initiator_name, uint16_t tpgt) {
  std::lock_guard<std::mutex> lock(mu_);
  iscsi::TargetAccess a;
  const TargetConfig* t = FindTarget(target_name);
  bool on_portal = t != nullptr && t->portals.empty();
  if (t != nullptr) {
    for (const iscsi::Portal& p : t->portals) on_portal = on_portal || p.tpgt == tpgt;
  }
  if (!on_portal) {
    a.status = iscsi::LoginStatus::kNotFound;
    return a;
  }
  if (!t->online) {
    // RFC 7143 §11.13.5: 03/01, the target is currently not available.
    a.status = iscsi::LoginStatus::kServiceUnavailable;
    return a;
  }
  a = Authenticate(t->auth, initiator_name, t);
  a.alias = t->alias;
  a.negotiation = t->negotiation;
  return a;
}

iscsi::TargetAccess TargetTable::LookupDiscovery(std::string_view initiator_name,
                                                 uint16_t /*tpgt*/) {
  std::lock_guard<std::mutex> lock(mu_);
  iscsi::TargetAccess a = Authenticate(auth_.discovery, initiator_name, nullptr);
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
          Forget(it->second);
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
      if (framework_ != nullptr && c.type == iscsi::SessionType::kNormal) {
        const TargetConfig* t = FindTarget(c.target_name);
        s.registry_id = framework_->AddSession(t != nullptr ? t->name : c.target_name,
                                               c.initiator_name, c.initiator_alias);
      }
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
