#include "cli/stmfadm/format.h"

#include <cstdio>
#include <cstring>

#include "cli/common/values.h"

namespace openstmf::cli {
namespace {

// COMSTAR's column layouts: "    %-18s: " for properties, "    %-13s: " for views.
std::string Prop(std::string_view label, std::string_view value) {
  char head[64];
  snprintf(head, sizeof(head), "    %-18.*s: ", static_cast<int>(label.size()), label.data());
  return std::string(head) + std::string(value) + "\n";
}

std::string ViewLine(std::string_view label, std::string_view value) {
  char head[64];
  snprintf(head, sizeof(head), "    %-13.*s: ", static_cast<int>(label.size()), label.data());
  return std::string(head) + std::string(value) + "\n";
}

Json OptText(const std::optional<std::string>& v) { return v ? Json::String(*v) : Json::Null(); }

Json OptNumber(const std::optional<std::string>& v) {
  if (!v || v->empty() || v->find_first_not_of("0123456789") != std::string::npos) {
    return OptText(v);
  }
  return Json::Number(std::stoull(*v));
}

std::string Fixed(const uchar_t* bytes, size_t n) {
  std::string s(reinterpret_cast<const char*>(bytes),
                strnlen(reinterpret_cast<const char*>(bytes), n));
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

const char* LuStatusText(uint32_t status) {
  switch (status) {
    case STMF_LOGICAL_UNIT_ONLINE:
      return "Online";
    case STMF_LOGICAL_UNIT_OFFLINE:
      return "Offline";
    case STMF_LOGICAL_UNIT_ONLINING:
      return "Onlining";
    case STMF_LOGICAL_UNIT_OFFLINING:
      return "Offlining";
    case STMF_LOGICAL_UNIT_UNREGISTERED:
      return "unregistered";
    default:
      return "unknown";
  }
}

const char* PortStatusText(uint32_t status) {
  switch (status) {
    case STMF_TARGET_PORT_ONLINE:
      return "Online";
    case STMF_TARGET_PORT_OFFLINE:
      return "Offline";
    case STMF_TARGET_PORT_ONLINING:
      return "Onlining";
    case STMF_TARGET_PORT_OFFLINING:
      return "Offlining";
    default:
      return "unknown";
  }
}

const char* ProtocolText(int protocol) {
  switch (protocol) {
    case STMF_PROTOCOL_FIBRE_CHANNEL:
      return "Fibre Channel";
    case STMF_PROTOCOL_ISCSI:
      return "iSCSI";
    case STMF_PROTOCOL_SRP:
      return "SRP";
    case STMF_PROTOCOL_SAS:
      return "SAS";
    default:
      return "unknown";
  }
}

const char* ServiceText(int state) {
  switch (state) {
    case STMF_SERVICE_STATE_ONLINE:
      return "online";
    case STMF_SERVICE_STATE_OFFLINE:
      return "offline";
    case STMF_SERVICE_STATE_ONLINING:
      return "onlining";
    case STMF_SERVICE_STATE_OFFLINING:
      return "offlining";
    default:
      return "unknown";
  }
}

const char* ConfigText(int state) {
  switch (state) {
    case STMF_CONFIG_STATE_NONE:
      return "uninitialized";
    case STMF_CONFIG_STATE_INIT:
      return "initializing";
    case STMF_CONFIG_STATE_INIT_DONE:
      return "initialized";
    default:
      return "unknown";
  }
}

std::string OrNotSet(const std::optional<std::string>& v) { return v ? *v : "not set"; }

// "true" means the feature named by the property is on.
std::string Switch(const std::optional<std::string>& v, const char* when_true,
                   const char* when_false) {
  if (!v) return "not set";
  return *v == "true" ? when_true : when_false;
}

std::string CTime(time_t t) {
  char buf[64];
  struct tm tm_local;
  if (localtime_r(&t, &tm_local) == nullptr ||
      strftime(buf, sizeof(buf), "%a %b %e %T %Y", &tm_local) == 0) {
    return "unknown";
  }
  return buf;
}

}  // namespace

std::string FormatGroups(std::string_view label, const std::vector<GroupInfo>& groups,
                         bool verbose) {
  std::string out;
  for (const GroupInfo& g : groups) {
    out += std::string(label) + ": " + g.name + "\n";
    if (!verbose) continue;
    for (const std::string& m : g.members) out += "\tMember: " + m + "\n";
  }
  return out;
}

Json GroupsJson(std::string_view key, const std::vector<GroupInfo>& groups) {
  Json list = Json::Array();
  for (const GroupInfo& g : groups) {
    Json members = Json::Array();
    for (const std::string& m : g.members) members.Push(Json::String(m));
    list.Push(Json::Object().Add("name", Json::String(g.name)).Add("members", std::move(members)));
  }
  return Json::Object().Add(key, std::move(list));
}

ViewInfo ViewFromEntry(const stmfViewEntry& ve) {
  ViewInfo v;
  v.index = ve.veIndex;
  if (!ve.allHosts) {
    v.host_group = std::string(ve.hostGroup, strnlen(ve.hostGroup, sizeof(ve.hostGroup)));
  }
  if (!ve.allTargets) {
    v.target_group = std::string(ve.targetGroup, strnlen(ve.targetGroup, sizeof(ve.targetGroup)));
  }
  v.lun = (static_cast<uint32_t>(ve.luNbr[0] & 0x3f) << 8) | ve.luNbr[1];
  return v;
}

std::string FormatViews(const std::vector<ViewInfo>& views) {
  std::string out;
  for (const ViewInfo& v : views) {
    out += "View Entry: " + std::to_string(v.index) + "\n";
    out += ViewLine("Host group", v.host_group.value_or("All"));
    out += ViewLine("Target group", v.target_group.value_or("All"));
    out += ViewLine("LUN", std::to_string(v.lun));
  }
  return out;
}

Json ViewsJson(std::string_view guid, const std::vector<ViewInfo>& views) {
  Json list = Json::Array();
  for (const ViewInfo& v : views) {
    list.Push(Json::Object()
                  .Add("index", Json::Number(v.index))
                  .Add("host_group", OptText(v.host_group))
                  .Add("target_group", OptText(v.target_group))
                  .Add("lun", Json::Number(v.lun)));
  }
  return Json::Object().Add("lu", Json::String(guid)).Add("views", std::move(list));
}

std::string AccessStateText(std::string_view state) {
  if (state == STMF_ACCESS_ACTIVE) return "Active";
  if (state == STMF_ACCESS_ACTIVE_TO_STANDBY) return "Active->Standby";
  if (state == STMF_ACCESS_STANDBY) return "Standby";
  if (state == STMF_ACCESS_STANDBY_TO_ACTIVE) return "Standby->Active";
  return "Unknown";
}

std::string FormatLu(const LuInfo& lu, bool verbose) {
  std::string out = "LU Name: " + lu.guid + "\n";
  if (!verbose) return out;
  if (lu.props) {
    std::string provider = lu.props->providerName;
    if (lu.props->status == STMF_LOGICAL_UNIT_UNREGISTERED) provider = "unregistered";
    out += Prop("Operational Status", LuStatusText(lu.props->status));
    out += Prop("Provider Name", provider.empty() ? "unknown" : provider);
    out += Prop("Alias", lu.props->alias[0] != '\0' ? lu.props->alias : "-");
  }
  out += Prop("View Entry Count", lu.view_count ? std::to_string(*lu.view_count) : "unknown");
  if (!lu.ext) return out;
  const LuInfo::Ext& e = *lu.ext;
  out += Prop("Data File", OrNotSet(e.data_file));
  out += Prop("Meta File", OrNotSet(e.meta_file));
  out += Prop("Size", OrNotSet(e.size));
  out += Prop("Block Size", OrNotSet(e.block_size));
  out += Prop("Management URL", OrNotSet(e.mgmt_url));
  out += Prop("Vendor ID", OrNotSet(e.vendor));
  out += Prop("Product ID", OrNotSet(e.product));
  out += Prop("Serial Num", OrNotSet(e.serial));
  out += Prop("Write Protect", Switch(e.write_protect, "Enabled", "Disabled"));
  out += Prop("Writeback Cache", Switch(e.write_cache_disabled, "Disabled", "Enabled"));
  out += Prop("Access State", e.access_state ? AccessStateText(*e.access_state) : "not set");
  return out;
}

Json LuJson(const LuInfo& lu) {
  Json j = Json::Object().Add("name", Json::String(lu.guid));
  if (lu.props) {
    j.Add("operational_status", Json::String(LuStatusText(lu.props->status)));
    j.Add("provider", Json::String(lu.props->providerName));
    j.Add("alias", lu.props->alias[0] != '\0' ? Json::String(lu.props->alias) : Json::Null());
    j.Add("vendor", Json::String(Fixed(lu.props->vendor, sizeof(lu.props->vendor))));
    j.Add("product", Json::String(Fixed(lu.props->product, sizeof(lu.props->product))));
    j.Add("revision", Json::String(Fixed(lu.props->revision, sizeof(lu.props->revision))));
  }
  j.Add("view_entry_count", lu.view_count ? Json::Number(*lu.view_count) : Json::Null());
  if (lu.ext) {
    const LuInfo::Ext& e = *lu.ext;
    j.Add("data_file", OptText(e.data_file));
    j.Add("meta_file", OptText(e.meta_file));
    j.Add("size", OptNumber(e.size));
    j.Add("block_size", OptNumber(e.block_size));
    j.Add("management_url", OptText(e.mgmt_url));
    j.Add("serial_num", OptText(e.serial));
    j.Add("write_protect", e.write_protect ? Json::Bool(*e.write_protect == "true") : Json::Null());
    j.Add("writeback_cache",
          e.write_cache_disabled ? Json::Bool(*e.write_cache_disabled != "true") : Json::Null());
    j.Add("access_state",
          e.access_state ? Json::String(AccessStateText(*e.access_state)) : Json::Null());
  }
  return j;
}

std::string FormatTarget(const TargetInfo& t, bool verbose) {
  std::string out = "Target: " + t.name + "\n";
  if (!verbose) return out;
  if (t.props) {
    out += Prop("Operational Status", PortStatusText(t.props->status));
    out += Prop("Provider Name", t.props->providerName);
    out += Prop("Alias", t.props->alias[0] != '\0' ? t.props->alias : "-");
    out += Prop("Protocol", ProtocolText(t.props->protocol));
  }
  if (t.sessions) {
    out += Prop("Sessions", std::to_string(t.sessions->size()));
    for (const SessionInfo& s : *t.sessions) {
      out += "        Initiator: " + s.initiator + "\n";
      out += "            Alias: " + (s.alias.empty() ? std::string("-") : s.alias) + "\n";
      out += "            Logged in since: " + CTime(s.since) + "\n";
    }
  }
  return out;
}

Json TargetJson(const TargetInfo& t) {
  Json j = Json::Object().Add("name", Json::String(t.name));
  if (t.props) {
    j.Add("operational_status", Json::String(PortStatusText(t.props->status)));
    j.Add("provider", Json::String(t.props->providerName));
    j.Add("alias", t.props->alias[0] != '\0' ? Json::String(t.props->alias) : Json::Null());
    j.Add("protocol", Json::String(ProtocolText(t.props->protocol)));
  }
  if (t.sessions) {
    Json sessions = Json::Array();
    for (const SessionInfo& s : *t.sessions) {
      sessions.Push(Json::Object()
                        .Add("initiator", Json::String(s.initiator))
                        .Add("alias", s.alias.empty() ? Json::Null() : Json::String(s.alias))
                        .Add("logged_in_since", Json::Number(static_cast<uint64_t>(s.since))));
    }
    j.Add("sessions", std::move(sessions));
  }
  return j;
}

std::string FormatState(const stmfState& state, const AluaState& alua) {
  char line[128];
  std::string out;
  snprintf(line, sizeof(line), "%-18s: %s\n", "Operational Status",
           ServiceText(state.operationalState));
  out += line;
  snprintf(line, sizeof(line), "%-18s: %s\n", "Config Status", ConfigText(state.configState));
  out += line;
  snprintf(line, sizeof(line), "%-18s: %s\n", "ALUA Status",
           !alua.known    ? "unknown"
           : alua.enabled ? "enabled"
                          : "disabled");
  out += line;
  snprintf(line, sizeof(line), "%-18s: %s\n", "ALUA Node",
           alua.known ? std::to_string(alua.node).c_str() : "unknown");
  out += line;
  return out;
}

Json StateJson(const stmfState& state, const AluaState& alua) {
  return Json::Object()
      .Add("operational_status", Json::String(ServiceText(state.operationalState)))
      .Add("config_status", Json::String(ConfigText(state.configState)))
      .Add("alua_status",
           alua.known ? Json::String(alua.enabled ? "enabled" : "disabled") : Json::Null())
      .Add("alua_node", alua.known ? Json::Number(alua.node) : Json::Null());
}

}  // namespace openstmf::cli
