// TransportIDs (SPC-4 7.6.4): how persistent reservations name initiator ports.
//
// A TransportId is kept in canonical form so two spellings of one port compare
// equal: iSCSI names lower-cased, binary identifiers (FC, SAS, SRP, 1394) as
// lower-case hex. Parsing untrusted parameter data never asserts.
#ifndef OPENSTMF_SCSI_TRANSPORT_ID_H
#define OPENSTMF_SCSI_TRANSPORT_ID_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace openstmf::scsi {

// SPC-4 7.6.1 protocol identifiers.
enum class Protocol : uint8_t { kFc = 0x0, kSbp = 0x3, kSrp = 0x4, kIscsi = 0x5, kSas = 0x6 };

struct TransportId {
  Protocol protocol = Protocol::kIscsi;
  std::string name;  // iSCSI name, or hex of the port identifier
  std::string isid;  // iSCSI initiator session id, 12 hex digits; empty = any session
  bool operator==(const TransportId&) const = default;
};

// An iSCSI initiator port: name and ISID (format 01).
TransportId IscsiInitiatorPort(std::string_view name, uint64_t isid);

// True when `spec` (possibly name-only) designates the port `port`.
bool TransportIdCovers(const TransportId& spec, const TransportId& port);

// Parses one TransportID at the start of `data`; on success *consumed is its
// length. nullopt for unknown protocols, bad formats or short data.
std::optional<TransportId> ParseTransportId(std::span<const uint8_t> data, size_t* consumed);

// Encodes a TransportID (iSCSI: format 00 or 01 padded to a multiple of 4).
std::vector<uint8_t> EncodeTransportId(const TransportId& id);

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_TRANSPORT_ID_H
