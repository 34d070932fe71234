#include "ha/proxy_client.h"

#include <door.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "ha/proxy_door.h"
#include "mgmt/client.h"
#include "mgmt/message.h"
#include "mgmt/status_codes.h"

namespace openstmf::ha {

std::string DefaultProxyDoorPath() {
  const char* dir = getenv("OPENSTMF_RUN_DIR");
  std::string d = (dir != nullptr && *dir != '\0') ? dir : mgmt::kDefaultRunDir;
  return d + "/" + kProxyDoorFileName;
}

uint32_t InstallProxyDoor(const std::string& path, int door_fd, int* handle) {
  if (handle == nullptr || door_fd < 0) return mgmt::kStmfErrorInvalidArg;
  int d = door_open(path.c_str());
  if (d < 0) {
    return (errno == EACCES || errno == EPERM) ? mgmt::kStmfErrorPerm
                                               : mgmt::kStmfErrorServiceNotFound;
  }
  std::vector<uint8_t> req = mgmt::Encode(mgmt::Message("proxy-install"));
  std::vector<char> rbuf(4096);
  door_desc_t desc{};
  desc.d_attributes = DOOR_DESCRIPTOR;
  desc.d_data.d_desc.d_descriptor = door_fd;
  door_arg_t a{};
  a.data_ptr = reinterpret_cast<char*>(req.data());
  a.data_size = req.size();
  a.desc_ptr = &desc;
  a.desc_num = 1;
  a.rbuf = rbuf.data();
  a.rsize = rbuf.size();
  int rc = door_call(d, &a);
  close(d);
  if (rc != 0) return mgmt::kStmfStatusError;
  auto reply = mgmt::Decode({reinterpret_cast<const uint8_t*>(a.data_ptr), a.data_size});
  int got = -1;
  for (uint_t i = 0; i < a.desc_num; ++i) {
    if ((a.desc_ptr[i].d_attributes & DOOR_DESCRIPTOR) == 0) continue;
    if (got < 0) {
      got = a.desc_ptr[i].d_data.d_desc.d_descriptor;
    } else {
      close(a.desc_ptr[i].d_data.d_desc.d_descriptor);
    }
  }
  if (a.rbuf != rbuf.data()) munmap(a.rbuf, a.rsize);
  uint32_t status = reply.ok() ? mgmt::ReplyStatus(*reply) : mgmt::kStmfStatusError;
  if (status != mgmt::kStmfStatusSuccess || got < 0) {
    if (got >= 0) close(got);
    return status != mgmt::kStmfStatusSuccess ? status : mgmt::kStmfStatusError;
  }
  *handle = got;
  return mgmt::kStmfStatusSuccess;
}

uint32_t PostProxyMessage(int handle, std::span<const uint8_t> message) {
  if (message.empty()) return mgmt::kStmfErrorInvalidArg;
  uint32_t result = 0;
  door_arg_t a{};
  a.data_ptr = const_cast<char*>(reinterpret_cast<const char*>(message.data()));
  a.data_size = message.size();
  a.rbuf = reinterpret_cast<char*>(&result);
  a.rsize = sizeof result;
  if (door_call(handle, &a) != 0) return mgmt::kStmfErrorPostMsgFailed;
  if (a.data_ptr != reinterpret_cast<char*>(&result) && a.data_size >= sizeof result) {
    std::memcpy(&result, a.data_ptr, sizeof result);
  }
  if (a.rbuf != reinterpret_cast<char*>(&result)) munmap(a.rbuf, a.rsize);
  if (a.data_size < sizeof result) return mgmt::kStmfErrorPostMsgFailed;
  if (result == mgmt::kStmfErrorPerm) return mgmt::kStmfErrorPerm;
  if (result == mgmt::kStmfErrorInvalidArg) return mgmt::kStmfErrorInvalidArg;
  return result == 0 ? mgmt::kStmfStatusSuccess : mgmt::kStmfErrorPostMsgFailed;
}

}  // namespace openstmf::ha
