#include "port/iscsi/send_targets.h"

#include "port/iscsi/text.h"

namespace openstmf::iscsi {
namespace {

void AddTarget(const TargetEntry& t, TextWriter* out) {
  out->Add("TargetName", t.name);
  for (const Portal& p : t.portals) out->Add("TargetAddress", FormatTargetAddress(p));
}

void AddNamed(std::string_view name, std::span<const TargetEntry> visible, TextWriter* out) {
  for (const TargetEntry& t : visible) {
    if (t.name == name) AddTarget(t, out);
  }
}

}  // namespace

std::string FormatTargetAddress(const Portal& portal) {
  const bool v6 = portal.address.find(':') != std::string::npos;
  std::string s;
  s.reserve(portal.address.size() + 16);
  if (v6) s.push_back('[');
  s.append(portal.address);
  if (v6) s.push_back(']');
  s.push_back(':');
  s.append(std::to_string(portal.port));
  s.push_back(',');
  s.append(std::to_string(portal.tpgt));
  return s;
}

std::string BuildSendTargets(std::string_view value, SessionType type,
                             std::string_view session_target,
                             std::span<const TargetEntry> visible) {
  TextWriter out;
  if (value == "All") {
    if (type == SessionType::kDiscovery) {
      for (const TargetEntry& t : visible) AddTarget(t, &out);
    } else {
      AddNamed(session_target, visible, &out);
    }
  } else if (value.empty()) {
    if (type == SessionType::kDiscovery) {
      out.Add("SendTargets", "Reject");
    } else {
      AddNamed(session_target, visible, &out);
    }
  } else {
    AddNamed(value, visible, &out);
  }
  return out.text();
}

}  // namespace openstmf::iscsi
