#include "port/isns/isns_messages.h"

#include <set>

namespace openstmf::isns {
namespace {

Status Invalid(std::string what) { return Status(Code::kInvalidArgument, std::move(what)); }

}  // namespace

Status ValidateRegistration(const IsnsRegistration& r) {
  if (r.entity_id.empty()) return Invalid("iSNS entity identifier is empty");
  std::set<std::string> names;
  for (const IsnsTarget& t : r.targets) {
    if (t.name.empty()) return Invalid("iSNS target without a name");
    if (!names.insert(t.name).second) return Invalid("iSNS target listed twice: " + t.name);
  }
  for (const IsnsPortal& p : r.portals) {
    auto address = AddressAttribute(kTagPortalIpAddress, p.address);
    if (!address.ok()) return address.status();
    for (const auto& [target, tag] : p.tags) {
      if (!names.contains(target)) {
        return Invalid("portal " + p.address + " has a tag for unknown target " + target);
      }
    }
  }
  return Status::Ok();
}

Result<std::vector<uint8_t>> BuildDevAttrReg(const IsnsRegistration& r, uint16_t transaction_id) {
  RETURN_IF_ERROR(ValidateRegistration(r));
  if (r.targets.empty()) return Invalid("nothing to register: no targets");

  // RFC 4171 §5.6.5.1: source, message key (entity), delimiter, then the operating
  // attributes in object order: entity, portals, nodes, portal groups.
  std::vector<Attribute> a;
  a.push_back(StringAttribute(kTagIscsiName, r.targets.front().name));
  a.push_back(StringAttribute(kTagEntityIdentifier, r.entity_id));
  a.push_back(NullAttribute(kTagDelimiter));
  a.push_back(StringAttribute(kTagEntityIdentifier, r.entity_id));
  a.push_back(U32Attribute(kTagEntityProtocol, kEntityProtocolIscsi));
  if (r.registration_period != 0) {
    a.push_back(U32Attribute(kTagRegistrationPeriod, r.registration_period));
  }
  for (const IsnsPortal& p : r.portals) {
    ASSIGN_OR_RETURN(Attribute address, AddressAttribute(kTagPortalIpAddress, p.address));
    a.push_back(std::move(address));
    a.push_back(U32Attribute(kTagPortalPort, p.port));  // TCP: the UDP bit clear
  }
  for (const IsnsTarget& t : r.targets) {
    a.push_back(StringAttribute(kTagIscsiName, t.name));
    a.push_back(U32Attribute(kTagIscsiNodeType, kNodeTypeTarget));
    if (!t.alias.empty()) a.push_back(StringAttribute(kTagIscsiAlias, t.alias));
  }
  // RFC 4171 §6.5: one portal group object per (node, portal); a NULL tag says the
  // node is not reachable through that portal.
  for (const IsnsTarget& t : r.targets) {
    for (const IsnsPortal& p : r.portals) {
      a.push_back(StringAttribute(kTagPgIscsiName, t.name));
      ASSIGN_OR_RETURN(Attribute address, AddressAttribute(kTagPgPortalIpAddress, p.address));
      a.push_back(std::move(address));
      a.push_back(U32Attribute(kTagPgPortalPort, p.port));
      if (p.tags.empty()) {
        a.push_back(U32Attribute(kTagPgTag, 1));
      } else if (auto it = p.tags.find(t.name); it != p.tags.end()) {
        a.push_back(U32Attribute(kTagPgTag, it->second));
      } else {
        a.push_back(NullAttribute(kTagPgTag));
      }
    }
  }
  return EncodeMessage(Function::kDevAttrReg, kFlagReplace, transaction_id, a);
}

std::vector<uint8_t> BuildDevDereg(std::string_view source, std::string_view entity_id,
                                   uint16_t transaction_id) {
  // RFC 4171 §5.6.5.4: no message key; the entity as operating attribute removes it
  // with everything it contains.
  const Attribute a[] = {StringAttribute(kTagIscsiName, source), NullAttribute(kTagDelimiter),
                         StringAttribute(kTagEntityIdentifier, entity_id)};
  return EncodeMessage(Function::kDevDereg, 0, transaction_id, a);
}

std::vector<uint8_t> BuildNodeQuery(std::string_view source, std::string_view entity_id,
                                    uint16_t transaction_id) {
  // RFC 4171 §5.6.5.2: the key selects the entity; NULL operating attributes name
  // what to return.
  const Attribute a[] = {
      StringAttribute(kTagIscsiName, source), StringAttribute(kTagEntityIdentifier, entity_id),
      NullAttribute(kTagDelimiter), NullAttribute(kTagIscsiName), NullAttribute(kTagIscsiNodeType)};
  return EncodeMessage(Function::kDevAttrQry, 0, transaction_id, a);
}

Result<Response> CheckResponse(const Message& message, Function request, uint16_t transaction_id) {
  const uint16_t want = static_cast<uint16_t>(static_cast<uint16_t>(request) | kResponseBit);
  if (message.function != want) {
    return Invalid("response function " + std::to_string(message.function) + ", expected " +
                   std::to_string(want));
  }
  if (message.transaction_id != transaction_id) {
    return Invalid("response to transaction " + std::to_string(message.transaction_id) +
                   ", expected " + std::to_string(transaction_id));
  }
  ASSIGN_OR_RETURN(Response response, DecodeResponse(message.payload));
  if (response.status_code != 0) {
    return Status(Code::kUnavailable, "server answered " + StatusCodeName(response.status_code) +
                                          " (" + std::to_string(response.status_code) + ")")
        .WithDetail(static_cast<int>(response.status_code));
  }
  return response;
}

uint32_t GrantedRegistrationPeriod(const Response& response) {
  for (const Attribute& a : response.attributes) {
    if (a.tag != kTagRegistrationPeriod) continue;
    auto period = AttributeU32(a);
    if (period.ok()) return *period;
  }
  return 0;
}

}  // namespace openstmf::isns
