#include "daemon/mgmt_iscsi_runtime.h"

#include <unistd.h>

#include <set>

#include "base/log.h"
#include "port/iscsit/iscsi_port.h"
#include "port/isns/isns_server_address.h"

namespace openstmf::daemon {
namespace {

// Connections a session may have; offered as MaxConnections (RFC 7143 §13.2).
constexpr uint32_t kMaxConnectionsPerSession = 8;

iscsit::TargetAuth ToTargetAuth(std::string_view auth) {
  if (auth == "chap") return iscsit::TargetAuth::kChap;
  if (auth == "radius") return iscsit::TargetAuth::kRadius;
  return iscsit::TargetAuth::kNone;
}

std::string HostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0 || buf[0] == '\0') return "openstmf";
  return buf;
}

void SyncTpgs(const IscsiConfig& config, MgmtContext& ctx) {
  iscsit::IscsiPort& port = *ctx.port;
  std::set<uint16_t> open;
  for (const iscsi::Portal& p : port.Portals()) {
    if (p.tpgt != port.default_tpgt()) open.insert(p.tpgt);
  }
  std::set<uint16_t> wanted;
  for (const auto& [name, tpg] : config.tpgs) {
    wanted.insert(tpg.tag);
    if (open.contains(tpg.tag)) continue;
    if (Status s = OpenTpg(tpg, ctx); !s.ok()) {
      Log(LogLevel::kWarn, "stmfd", "target portal group %s stays closed: %s", name.c_str(),
          s.message().c_str());
    }
  }
  for (uint16_t tag : open) {
    if (!wanted.contains(tag)) port.CloseTpg(tag);
  }
}

void SyncIsns(const IscsiConfig& config, MgmtContext& ctx) {
  iscsit::IscsiPort& port = *ctx.port;
  std::vector<isns::IsnsServerAddress> servers;
  std::vector<std::string> wanted;
  if (config.defaults.isns) {
    for (const std::string& text : config.defaults.isns_servers) {
      auto a = isns::ParseServerAddress(text);
      if (!a.ok()) {
        Log(LogLevel::kWarn, "stmfd", "iSNS server %s ignored: %s", text.c_str(),
            a.status().message().c_str());
        continue;
      }
      wanted.push_back(a->ToString());
      servers.push_back(*a);
    }
  }
  std::vector<std::string> running;
  for (const isns::IsnsServerState& s : port.IsnsStates()) running.push_back(s.server);
  if (running == wanted) {
    port.UpdateIsns();
    return;
  }
  if (Status s = port.SetIsnsServers(std::move(servers), HostName()); !s.ok()) {
    Log(LogLevel::kWarn, "stmfd", "iSNS: %s", s.ToString().c_str());
  }
}

}  // namespace

std::string EffectiveAuth(const IscsiTargetDef& t, const IscsiDefaults& d) {
  return t.auth == "default" || t.auth.empty() ? d.auth : t.auth;
}

Status OpenTpg(const IscsiTpgDef& tpg, MgmtContext& ctx) {
  for (const std::string& text : tpg.portals) {
    auto a = tcp::SocketAddress::Parse(text, 3260);
    Status s = a.status();
    if (a.ok()) s = ctx.port->Listen(*a, tpg.tag).status();
    if (!s.ok()) {
      ctx.port->CloseTpg(tpg.tag);
      return Status(s.code(), "cannot listen on " + text + ": " + s.message());
    }
    Log(LogLevel::kInfo, "stmfd", "target portal group %s (tag %u) listens on %s", tpg.name.c_str(),
        tpg.tag, text.c_str());
  }
  return Status::Ok();
}

void SyncIscsi(const IscsiConfig& config, MgmtContext& ctx) {
  iscsit::IscsiPort& port = *ctx.port;
  stmf::Framework& fw = *ctx.framework;
  SyncTpgs(config, ctx);

  std::map<uint16_t, std::vector<iscsi::Portal>> by_tag;
  for (const iscsi::Portal& p : port.Portals()) by_tag[p.tpgt].push_back(p);

  iscsit::TargetTable& table = port.targets();
  for (const auto& [name, def] : config.targets) {
    iscsit::TargetConfig tc;
    tc.name = def.name;
    tc.alias = def.alias;
    // Several connections per session (RFC 7143 §13.2), at ERL 0.
    tc.negotiation.max_connections = kMaxConnectionsPerSession;
    if (def.tpgs.empty()) {
      tc.portals = by_tag[port.default_tpgt()];
    } else {
      for (const std::string& g : def.tpgs) {
        auto it = config.tpgs.find(g);
        if (it == config.tpgs.end()) continue;
        const auto& ps = by_tag[it->second.tag];
        tc.portals.insert(tc.portals.end(), ps.begin(), ps.end());
      }
    }
    tc.auth = ToTargetAuth(EffectiveAuth(def, config.defaults));
    if (!def.chap_secret.empty()) tc.chap = iscsi::ChapCredentials{def.chap_user, def.chap_secret};
    // A target whose groups are all closed must not fall back to "every portal"
    // (an empty list): it is not available until one opens.
    tc.online = def.online && !tc.portals.empty();
    table.UpdateTarget(std::move(tc));
    if (!fw.FindPort(def.name)) {
      Status s = fw.RegisterPort(def.name, def.alias, "iscsit", stmf::kProtocolIscsi);
      if (!s.ok()) Log(LogLevel::kWarn, "stmfd", "%s", s.ToString().c_str());
    }
    if (fw.PortOnline(def.name) != def.online) (void)fw.SetPortOnline(def.name, def.online);
  }
  for (const iscsit::TargetConfig& t : table.TargetConfigs()) {
    if (config.targets.contains(t.name)) continue;
    table.RemoveTarget(t.name);
  }
  for (const stmf::LocalPort& p : fw.Ports()) {
    if (p.provider == "iscsit" && !config.targets.contains(p.name)) (void)fw.DeregisterPort(p.name);
  }

  iscsit::AuthSettings auth;
  for (const auto& [name, ini] : config.initiators) {
    auth.initiators[name] = iscsi::ChapCredentials{ini.chap_user, ini.chap_secret};
  }
  auth.discovery = ToTargetAuth(config.defaults.auth);
  table.SetAuth(std::move(auth));
  SyncIsns(config, ctx);
}

}  // namespace openstmf::daemon
