// IscsiPort's iSNS registration (RFC 4171): what the port tells iSNS servers
// about its targets and portals, and the client that keeps telling them.
#include "base/log.h"
#include "port/iscsit/iscsi_port.h"

namespace openstmf::iscsit {

isns::IsnsRegistration IscsiPort::IsnsDescription() const {
  isns::IsnsRegistration r;
  const std::vector<TargetConfig> targets = targets_.TargetConfigs();
  for (const TargetConfig& t : targets) {
    if (t.online) r.targets.push_back({t.name, t.alias});
  }
  for (const iscsi::Portal& p : Portals()) {
    isns::IsnsPortal ip;
    ip.address = p.address;
    ip.port = p.port;
    // RFC 4171 §3.4: a portal group object per target reachable here, with the
    // tag logins through this portal carry.
    for (const TargetConfig& t : targets) {
      if (!t.online) continue;
      bool here = t.portals.empty();
      for (const iscsi::Portal& tp : t.portals) here = here || tp.tpgt == p.tpgt;
      if (here) ip.tags[t.name] = p.tpgt;
    }
    // An empty map would mean "every target with tag 1": leave such portals out.
    if (!ip.tags.empty()) r.portals.push_back(std::move(ip));
  }
  return r;
}

Status IscsiPort::SetIsnsServers(std::vector<isns::IsnsServerAddress> servers,
                                 std::string entity_id) {
  std::unique_ptr<isns::IsnsClient> old;
  Status result = Status::Ok();
  {
    std::lock_guard<std::mutex> lock(isns_mu_);
    old = std::move(isns_);
    isns_entity_ = std::move(entity_id);
    if (!servers.empty()) {
      isns::IsnsRegistration r = IsnsDescription();
      r.entity_id = isns_entity_;
      auto client = isns::IsnsClient::Start(std::move(servers), std::move(r));
      if (client.ok()) {
        isns_ = std::move(client).value();
      } else {
        result = client.status();
      }
    }
  }
  // Deregisters from the old servers; a server kept in the new list has the
  // new client's registration replace it (DevAttrReg with Replace).
  if (old) old->Stop();
  return result;
}

void IscsiPort::UpdateIsns() {
  std::lock_guard<std::mutex> lock(isns_mu_);
  if (!isns_) return;
  isns::IsnsRegistration r = IsnsDescription();
  r.entity_id = isns_entity_;
  if (Status s = isns_->Update(std::move(r)); !s.ok()) {
    Log(LogLevel::kWarn, "iscsit", "iSNS update: %s", s.ToString().c_str());
  }
}

std::vector<isns::IsnsServerState> IscsiPort::IsnsStates() const {
  std::lock_guard<std::mutex> lock(isns_mu_);
  return isns_ ? isns_->States() : std::vector<isns::IsnsServerState>{};
}

}  // namespace openstmf::iscsit
