#include "mgmt/client.h"

#include <door.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace openstmf::mgmt {
namespace {

Status NotRunning(const std::string& path, int err) {
  return Status(Code::kUnavailable,
                "stmfd is not running (no management door at " + path + ": " + strerror(err) + ")",
                err);
}

}  // namespace

std::string DefaultDoorPath() {
  const char* dir = getenv("OPENSTMF_RUN_DIR");
  std::string d = (dir != nullptr && *dir != '\0') ? dir : kDefaultRunDir;
  return d + "/" + kDoorFileName;
}

Result<Client> Client::Open(const std::string& door_path) {
  int fd = door_open(door_path.c_str());
  if (fd < 0) {
    int err = errno;
    if (err == EACCES || err == EPERM) {
      return Status(Code::kPermissionDenied,
                    "permission denied opening the management door " + door_path, err);
    }
    return NotRunning(door_path, err);
  }
  return Client(door_path, UniqueFd(fd));
}

Result<Message> Client::Call(const Message& request) const {
  std::vector<uint8_t> req = Encode(request);
  std::vector<char> rbuf(64 * 1024);
  door_arg_t a{};
  a.data_ptr = reinterpret_cast<char*>(req.data());
  a.data_size = req.size();
  a.rbuf = rbuf.data();
  a.rsize = rbuf.size();
  if (door_call(fd_.get(), &a) != 0) {
    int err = errno;
    if (err == EBADF || err == EINTR) {
      return Status(Code::kUnavailable, "stmfd stopped while handling the request", err);
    }
    return Status::FromErrno(err, "management door call to " + path_);
  }
  auto reply = Decode({reinterpret_cast<const uint8_t*>(a.data_ptr), a.data_size});
  // Results larger than rbuf arrive in a new mapping the caller must unmap.
  if (a.rbuf != rbuf.data()) munmap(a.rbuf, a.rsize);
  if (!reply.ok()) {
    return Status(Code::kCorrupt, "stmfd sent a bad reply: " + reply.status().message());
  }
  return reply;
}

}  // namespace openstmf::mgmt
