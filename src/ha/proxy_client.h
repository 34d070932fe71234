// The stmfproxy side of stmfd's proxy door (proxy_door.h): what libstmf's
// stmfInitProxyDoor and stmfPostProxyMsg do.
//
// Thread-safety: MT-safe (door calls).
#ifndef OPENSTMF_HA_PROXY_CLIENT_H
#define OPENSTMF_HA_PROXY_CLIENT_H

#include <cstdint>
#include <span>
#include <string>

namespace openstmf::ha {

// <run-dir of $OPENSTMF_RUN_DIR or /run/openstmf>/stmfd-proxy.door
std::string DefaultProxyDoorPath();

// Installs door_fd as the proxy door of the stmfd at path. Returns an STMF_*
// status; on success *handle is the descriptor for PostProxyMessage.
uint32_t InstallProxyDoor(const std::string& path, int door_fd, int* handle);

// Posts a message from the peer to stmfd. STMF_STATUS_SUCCESS, STMF_ERROR_PERM,
// STMF_ERROR_INVALID_ARG (empty message) or STMF_ERROR_POST_MSG_FAILED.
uint32_t PostProxyMessage(int handle, std::span<const uint8_t> message);

}  // namespace openstmf::ha

#endif  // OPENSTMF_HA_PROXY_CLIENT_H
