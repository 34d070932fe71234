// What openstmf tells an iSNS server: the registration description and the request
// messages built from it (RFC 4171 §5.6.5.1 DevAttrReg, §5.6.5.2 DevAttrQry,
// §5.6.5.4 DevDereg), and the check of their responses.
//
// One Network Entity (protocol iSCSI) holds the target nodes and the portals; a
// portal group object ties each target to each portal with the target portal group
// tag through which the target is reached there (RFC 4171 §3.4, §6.5).
//
// Thread-safety: values and pure functions.
#ifndef OPENSTMF_PORT_ISNS_ISNS_MESSAGES_H
#define OPENSTMF_PORT_ISNS_ISNS_MESSAGES_H

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "port/isns/isns_assembler.h"
#include "port/isns/isns_pdu.h"

namespace openstmf::isns {

struct IsnsTarget {
  std::string name;   // iSCSI name (iqn./eui./naa.)
  std::string alias;  // may be empty: not registered then
};

struct IsnsPortal {
  std::string address;  // numeric IPv4 or IPv6, no brackets
  uint16_t port = 3260;
  // Portal group tag per target name. Empty: every target is reached here with tag 1
  // (the default target portal group). Otherwise a target missing from the map is
  // registered as not reachable through this portal (PG tag NULL, RFC 4171 §6.5.4).
  std::map<std::string, uint16_t> tags;
};

struct IsnsRegistration {
  std::string entity_id;  // e.g. the host name; the key of everything else
  std::vector<IsnsTarget> targets;
  std::vector<IsnsPortal> portals;
  // Requested registration period in seconds (RFC 4171 §6.2.6); 0: the server's.
  uint32_t registration_period = 0;

  bool operator==(const IsnsRegistration&) const = default;
};
inline bool operator==(const IsnsTarget& a, const IsnsTarget& b) {
  return a.name == b.name && a.alias == b.alias;
}
inline bool operator==(const IsnsPortal& a, const IsnsPortal& b) {
  return a.address == b.address && a.port == b.port && a.tags == b.tags;
}

// Checks what the builders rely on: an entity id, named targets, numeric addresses,
// tags naming known targets.
Status ValidateRegistration(const IsnsRegistration& registration);

// DevAttrReg with the Replace flag (RFC 4171 §5.6.5.1): the entity with its portals,
// target nodes and portal groups replaces whatever the server held for the entity.
// The source is the first target (RFC 4171 §5.6.1), so targets must not be empty.
Result<std::vector<uint8_t>> BuildDevAttrReg(const IsnsRegistration& registration,
                                             uint16_t transaction_id);

// DevDereg of the whole entity (RFC 4171 §5.6.5.4); source: one of its nodes.
std::vector<uint8_t> BuildDevDereg(std::string_view source, std::string_view entity_id,
                                   uint16_t transaction_id);

// DevAttrQry for the iSCSI nodes of an entity, returning their names and types
// (RFC 4171 §5.6.5.2).
std::vector<uint8_t> BuildNodeQuery(std::string_view source, std::string_view entity_id,
                                    uint16_t transaction_id);

// Checks a response against the request it answers: the function, the transaction
// and a status code of 0; anything else is an error naming the status.
Result<Response> CheckResponse(const Message& message, Function request, uint16_t transaction_id);

// The registration period a DevAttrRegRsp grants (RFC 4171 §6.2.6), 0 if absent.
uint32_t GrantedRegistrationPeriod(const Response& response);

}  // namespace openstmf::isns

#endif  // OPENSTMF_PORT_ISNS_ISNS_MESSAGES_H
