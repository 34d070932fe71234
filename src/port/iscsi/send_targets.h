// The SendTargets text response (RFC 7143 §13.3, Appendix C): which targets an
// initiator may see and where to reach them.
//
// The caller (the connection, with the framework's view of targets) supplies the
// targets visible to this initiator; this code decides which of them the request
// names and formats TargetName / TargetAddress pairs. A long response is cut into
// Text Response data segments with SplitText (text.h) and sent with C=1 until done.
//
// Thread-safety: pure functions.
#ifndef OPENSTMF_PORT_ISCSI_SEND_TARGETS_H
#define OPENSTMF_PORT_ISCSI_SEND_TARGETS_H

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "port/iscsi/params.h"

namespace openstmf::iscsi {

struct Portal {
  std::string address;  // IPv4 dotted quad, IPv6 literal (without brackets) or DNS name
  uint16_t port = 3260;
  uint16_t tpgt = 1;
};

struct TargetEntry {
  std::string name;
  std::vector<Portal> portals;
};

// "192.0.2.1:3260,1" or "[2001:db8::1]:3260,1" (RFC 7143 §13.8).
std::string FormatTargetAddress(const Portal& portal);

// Answers SendTargets=<value>:
//   "All"        — every visible target; only in a discovery session (in a normal
//                  session, the session's own target);
//   "" (empty)   — the session's target, in a normal session; Reject in discovery;
//   a target name — that target if visible, else nothing.
// Returns the response data ("SendTargets=Reject\0" for refused requests).
std::string BuildSendTargets(std::string_view value, SessionType type,
                             std::string_view session_target, std::span<const TargetEntry> visible);

}  // namespace openstmf::iscsi

#endif  // OPENSTMF_PORT_ISCSI_SEND_TARGETS_H
