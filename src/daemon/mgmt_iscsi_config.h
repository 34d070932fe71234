// The iSCSI port provider's configuration as itadm edits it: targets, target
// portal groups, initiators (their CHAP secrets) and the defaults, with the
// checks every value passes and the ConfigStore objects they are kept in
// (schema in mgmt/ops.h: "iscsi-target", "iscsi-tpg", "iscsi-initiator",
// "iscsi-defaults").
//
// Names are iSCSI names (RFC 3720 §3.2.6.3: "iqn." date, reversed domain;
// "eui." 16 hex digits; "naa." 16 or 32 hex digits), at most 223 bytes, kept
// lower-case (RFC 3722 stringprep maps case). Portal group names are 1..255
// characters of [A-Za-z0-9._-]; a name that is a number 2..65535 is also the
// group's tag, other names get the lowest free tag from 2 (tag 1 is the
// default group, stmfd's --listen portals). CHAP secrets are 12..255
// characters (RFC 7143 §12.1.3 recommends at least 12; illumos enforces it).
//
// Thread-safety: values and pure functions.
#ifndef OPENSTMF_DAEMON_MGMT_ISCSI_CONFIG_H
#define OPENSTMF_DAEMON_MGMT_ISCSI_CONFIG_H

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/config_store.h"
#include "base/status.h"
#include "base/text_list.h"

namespace openstmf::daemon {

inline constexpr size_t kChapSecretMin = 12;
inline constexpr size_t kChapSecretMax = 255;
inline constexpr size_t kMaxIscsiNameLength = 223;  // RFC 3720 §3.2.6.1
inline constexpr size_t kMaxIsnsServers = 8;        // as itadm allows
inline constexpr uint16_t kDefaultTpgTag = 1;
inline constexpr const char* kTargetNamePrefix = "iqn.2026-11.org.openstmf:";

inline constexpr const char* kKindIscsiTarget = "iscsi-target";
inline constexpr const char* kKindIscsiTpg = "iscsi-tpg";
inline constexpr const char* kKindIscsiInitiator = "iscsi-initiator";
inline constexpr const char* kKindIscsiDefaults = "iscsi-defaults";
inline constexpr const char* kIscsiDefaultsKey = "defaults";

struct IscsiTargetDef {
  std::string name;
  std::string alias;
  std::string auth = "default";   // none | chap | radius | default
  std::string chap_user;          // the target's CHAP name (mutual CHAP)
  std::string chap_secret;        // the target's CHAP secret (mutual CHAP)
  std::vector<std::string> tpgs;  // empty: the default portal group
  bool online = true;
};

struct IscsiTpgDef {
  std::string name;
  uint16_t tag = 0;
  std::vector<std::string> portals;  // "192.0.2.1:3260", "[::1]:3260"
};

struct IscsiInitiatorDef {
  std::string name;
  std::string chap_user;  // empty: the initiator name
  std::string chap_secret;
};

struct IscsiDefaults {
  std::string auth = "none";  // none | chap | radius
  std::string radius_server;
  std::string radius_secret;
  bool isns = false;
  std::vector<std::string> isns_servers;
};

struct IscsiConfig {
  std::map<std::string, IscsiTargetDef> targets;
  std::map<std::string, IscsiTpgDef> tpgs;
  std::map<std::string, IscsiInitiatorDef> initiators;
  IscsiDefaults defaults;
  bool has_defaults = false;  // an "iscsi-defaults" object exists
};

// Reading and writing the store.
Result<IscsiConfig> ReadIscsiConfig(const ConfigStore& store);
ConfigChange PutTarget(const IscsiTargetDef& t);
ConfigChange PutTpg(const IscsiTpgDef& t);
ConfigChange PutInitiator(const IscsiInitiatorDef& i);
ConfigChange PutDefaults(const IscsiDefaults& d);

// Checks; each error is one sentence naming the value.
// Returns the name lower-cased.
Result<std::string> CheckIscsiName(std::string_view name);
Status CheckChapSecret(std::string_view secret);
Status CheckAuth(std::string_view auth, bool allow_default);
Status CheckAlias(std::string_view alias);
Status CheckTpgName(std::string_view name);
// "addr[:port]" (IPv6 as [addr][:port]) -> "addr:port" / "[addr]:port".
Result<std::string> NormalizePortal(std::string_view text);
// "host[:port]" for RADIUS (default port 1812) and iSNS (default 3205).
Result<std::string> NormalizeServer(std::string_view text, uint16_t default_port);
// The tag a new portal group named `name` gets in `config`.
Result<uint16_t> AssignTpgTag(const IscsiConfig& config, std::string_view name);

// A new target name: kTargetNamePrefix + a random UUID, as itadm generates one.
std::string GenerateTargetName();

// Comma lists as stored and sent ("a,b,c"; empty entries dropped).
using openstmf::JoinList;
using openstmf::SplitList;

}  // namespace openstmf::daemon

#endif  // OPENSTMF_DAEMON_MGMT_ISCSI_CONFIG_H
