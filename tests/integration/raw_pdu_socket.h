// Blocking socket helpers for the integration clients that speak iSCSI PDUs on a
// raw TCP connection (malformed_client, mcs_client).
#ifndef OPENSTMF_TESTS_INTEGRATION_RAW_PDU_SOCKET_H
#define OPENSTMF_TESTS_INTEGRATION_RAW_PDU_SOCKET_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace openstmf::testing {

// Connects to an IPv4 host:port; exits the process when it cannot.
int Dial(const char* host, int port);
void SendAll(int fd, const std::vector<uint8_t>& bytes);
// Reads exactly n bytes; false on EOF or after 5 s without data.
bool ReadN(int fd, uint8_t* p, size_t n);
// One PDU without digests: the header into bhs, AHS and data (padded) into
// *data; false on EOF or timeout.
bool ReadPdu(int fd, uint8_t* bhs, std::vector<uint8_t>* data);

}  // namespace openstmf::testing

#endif  // OPENSTMF_TESTS_INTEGRATION_RAW_PDU_SOCKET_H
