#include "daemon/mgmt_iscsi_config.h"

#include <sys/random.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "port/isns/isns_server_address.h"
#include "port/tcp/socket_address.h"

namespace openstmf::daemon {
namespace {

Status Invalid(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }

bool AllHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string Get(const Properties& p, const char* name) {
  auto it = p.find(name);
  return it == p.end() ? std::string() : it->second;
}

}  // namespace

Result<std::string> CheckIscsiName(std::string_view name) {
  std::string n(name);
  for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string quoted = "\"" + std::string(name) + "\"";
  if (n.empty() || n.size() > kMaxIscsiNameLength) {
    return Invalid("invalid iSCSI name " + quoted + ": 1 to 223 characters");
  }
  // RFC 3720 §3.2.6.2: lower-case letters, digits, '-', '.' and ':'.
  for (char c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != ':') {
      return Invalid("invalid iSCSI name " + quoted + ": only letters, digits, '-', '.', ':'");
    }
  }
  std::string_view v(n);
  if (v.starts_with("iqn.")) {
    // RFC 3720 §3.2.6.3.1: iqn.yyyy-mm.reversed-domain[:anything].
    if (v.size() < 12 || !AllDigits(v.substr(4, 4)) || v[8] != '-' || !AllDigits(v.substr(9, 2)) ||
        v[11] != '.' || v.size() == 12) {
      return Invalid("invalid iSCSI name " + quoted + ": expected iqn.yyyy-mm.domain[:id]");
    }
    return n;
  }
  if (v.starts_with("eui.")) {
    if (v.size() != 20 || !AllHex(v.substr(4))) {
      return Invalid("invalid iSCSI name " + quoted + ": eui. takes 16 hex digits");
    }
    return n;
  }
  if (v.starts_with("naa.")) {
    if ((v.size() != 20 && v.size() != 36) || !AllHex(v.substr(4))) {
      return Invalid("invalid iSCSI name " + quoted + ": naa. takes 16 or 32 hex digits");
    }
    return n;
  }
  return Invalid("invalid iSCSI name " + quoted + ": must start with iqn., eui. or naa.");
}

Status CheckChapSecret(std::string_view secret) {
  // RFC 7143 §12.1.3: at least 12 bytes recommended; illumos takes 12..255.
  if (secret.size() < kChapSecretMin || secret.size() > kChapSecretMax) {
    return Invalid("secret must be between 12 and 255 characters");
  }
  return Status::Ok();
}

Status CheckAuth(std::string_view auth, bool allow_default) {
  if (auth == "none" || auth == "chap" || auth == "radius") return Status::Ok();
  if (allow_default && auth == "default") return Status::Ok();
  return Invalid("invalid auth method \"" + std::string(auth) + "\": use " +
                 (allow_default ? "radius, chap, none or default" : "radius, chap or none"));
}

Status CheckAlias(std::string_view alias) {
  // RFC 7143 §13.6: an alias is a UTF-8 text value; keep it printable.
  if (alias.size() > 255) return Invalid("alias longer than 255 characters");
  for (char c : alias) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Invalid("alias contains a control character");
    }
  }
  return Status::Ok();
}

Status CheckTpgName(std::string_view name) {
  const std::string quoted = "\"" + std::string(name) + "\"";
  if (name.empty() || name.size() > 255) {
    return Invalid("invalid target portal group name " + quoted + ": 1 to 255 characters");
  }
  if (name == "default") {
    return Invalid("target portal group name \"default\" is reserved for the default group");
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_') {
      return Invalid("invalid target portal group name " + quoted +
                     ": only letters, digits, '-', '.', '_'");
    }
  }
  if (AllDigits(name)) {
    unsigned long v = 0;
    auto [p, ec] = std::from_chars(name.data(), name.data() + name.size(), v);
    if (ec != std::errc() || v < 2 || v > 65535) {
      return Invalid("invalid target portal group tag " + quoted +
                     ": a numeric tag is 2..65535 (1 is the default group)");
    }
  }
  return Status::Ok();
}

Result<std::string> NormalizePortal(std::string_view text) {
  auto a = tcp::SocketAddress::Parse(text, 3260);
  if (!a.ok()) {
    return Invalid("invalid portal \"" + std::string(text) + "\": " + a.status().message());
  }
  if (a->port() == 0) return Invalid("invalid portal \"" + std::string(text) + "\": port 0");
  return a->ToString();
}

Result<std::string> NormalizeServer(std::string_view text, uint16_t default_port) {
  if (default_port == 3205) {
    auto s = isns::ParseServerAddress(text);
    if (!s.ok()) {
      return Invalid("invalid iSNS server \"" + std::string(text) + "\": " + s.status().message());
    }
    return s->ToString();
  }
  auto a = tcp::SocketAddress::Parse(text, default_port);
  if (!a.ok()) {
    return Invalid("invalid server \"" + std::string(text) + "\": " + a.status().message());
  }
  return a->ToString();
}

Result<uint16_t> AssignTpgTag(const IscsiConfig& config, std::string_view name) {
  std::set<uint16_t> used;
  for (const auto& [n, t] : config.tpgs) used.insert(t.tag);
  if (AllDigits(name)) {
    unsigned long v = 0;
    std::from_chars(name.data(), name.data() + name.size(), v);
    if (used.contains(static_cast<uint16_t>(v))) {
      return Status(Code::kAlreadyExists,
                    "target portal group tag " + std::string(name) + " already in use");
    }
    return static_cast<uint16_t>(v);
  }
  // Named groups take the lowest tag no group holds and no number names.
  for (uint32_t tag = 2; tag <= 65535; ++tag) {
    if (!used.contains(static_cast<uint16_t>(tag)) && !config.tpgs.contains(std::to_string(tag))) {
      return static_cast<uint16_t>(tag);
    }
  }
  return Status(Code::kResourceExhausted, "no target portal group tag left");
}

std::string GenerateTargetName() {
  uint8_t b[16] = {};
  size_t got = 0;
  while (got < sizeof(b)) {
    ssize_t n = getrandom(b + got, sizeof(b) - got, 0);
    if (n > 0) got += static_cast<size_t>(n);
  }
  // RFC 4122 §4.4: a random (version 4) UUID.
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = kTargetNamePrefix;
  for (size_t i = 0; i < sizeof(b); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 15];
  }
  return out;
}

Result<IscsiConfig> ReadIscsiConfig(const ConfigStore& store) {
  IscsiConfig c;
  ASSIGN_OR_RETURN(auto targets, store.List(kKindIscsiTarget));
  for (const auto& [key, p] : targets) {
    IscsiTargetDef t;
    t.name = key;
    t.alias = Get(p, "alias");
    t.auth = Get(p, "auth");
    if (t.auth.empty()) t.auth = "default";
    t.chap_user = Get(p, "chap_user");
    t.chap_secret = Get(p, "chap_secret");
    t.tpgs = SplitList(Get(p, "tpgs"));
    t.online = Get(p, "state") != "offline";
    c.targets.emplace(key, std::move(t));
  }
  ASSIGN_OR_RETURN(auto tpgs, store.List(kKindIscsiTpg));
  for (const auto& [key, p] : tpgs) {
    IscsiTpgDef t;
    t.name = key;
    t.portals = SplitList(Get(p, "portals"));
    unsigned long tag = 0;
    const std::string text = Get(p, "tag").empty() ? key : Get(p, "tag");
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), tag);
    if (ec != std::errc() || tag < 2 || tag > 65535) {
      return Status(Code::kCorrupt,
                    "iscsi-tpg " + key + " in " + store.path() + " has no valid tag");
    }
    t.tag = static_cast<uint16_t>(tag);
    c.tpgs.emplace(key, std::move(t));
  }
  ASSIGN_OR_RETURN(auto inis, store.List(kKindIscsiInitiator));
  for (const auto& [key, p] : inis) {
    c.initiators.emplace(key, IscsiInitiatorDef{key, Get(p, "chap_user"), Get(p, "chap_secret")});
  }
  ASSIGN_OR_RETURN(auto def, store.Get(kKindIscsiDefaults, kIscsiDefaultsKey));
  if (def) {
    c.has_defaults = true;
    c.defaults.auth = Get(*def, "auth").empty() ? "none" : Get(*def, "auth");
    c.defaults.radius_server = Get(*def, "radius_server");
    c.defaults.radius_secret = Get(*def, "radius_secret");
    c.defaults.isns = Get(*def, "isns") == "true";
    c.defaults.isns_servers = SplitList(Get(*def, "isns_servers"));
  }
  return c;
}

ConfigChange PutTarget(const IscsiTargetDef& t) {
  Properties p{{"alias", t.alias},
               {"auth", t.auth},
               {"tpgs", JoinList(t.tpgs)},
               {"state", t.online ? "online" : "offline"}};
  if (!t.chap_user.empty()) p["chap_user"] = t.chap_user;
  if (!t.chap_secret.empty()) p["chap_secret"] = t.chap_secret;
  return ConfigChange::Put(kKindIscsiTarget, t.name, std::move(p));
}

ConfigChange PutTpg(const IscsiTpgDef& t) {
  return ConfigChange::Put(kKindIscsiTpg, t.name,
                           {{"portals", JoinList(t.portals)}, {"tag", std::to_string(t.tag)}});
}

ConfigChange PutInitiator(const IscsiInitiatorDef& i) {
  Properties p;
  if (!i.chap_user.empty()) p["chap_user"] = i.chap_user;
  if (!i.chap_secret.empty()) p["chap_secret"] = i.chap_secret;
  return ConfigChange::Put(kKindIscsiInitiator, i.name, std::move(p));
}

ConfigChange PutDefaults(const IscsiDefaults& d) {
  Properties p{{"auth", d.auth},
               {"isns", d.isns ? "true" : "false"},
               {"isns_servers", JoinList(d.isns_servers)}};
  if (!d.radius_server.empty()) p["radius_server"] = d.radius_server;
  if (!d.radius_secret.empty()) p["radius_secret"] = d.radius_secret;
  return ConfigChange::Put(kKindIscsiDefaults, kIscsiDefaultsKey, std::move(p));
}

}  // namespace openstmf::daemon
