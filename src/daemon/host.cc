#include "daemon/host.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace openstmf::daemon {

Status PrepareDir(const std::string& dir, const char* what) {
  if (dir.empty()) return Status(Code::kInvalidArgument, std::string(what) + " is empty");
  for (size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos != dir.size() && dir[pos] != '/') continue;
    std::string part = dir.substr(0, pos);
    if (mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) {
      return Status::FromErrno(errno, std::string("creating ") + what + " " + part);
    }
  }
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0) {
    return Status::FromErrno(errno, std::string(what) + " " + dir);
  }
  if (!S_ISDIR(st.st_mode)) {
    return Status(Code::kInvalidArgument, std::string(what) + " " + dir + " is not a directory");
  }
  if (access(dir.c_str(), W_OK | X_OK) != 0) {
    return Status::FromErrno(errno, std::string(what) + " " + dir + " is not writable");
  }
  return Status::Ok();
}

Result<UniqueFd> TakeLock(const std::string& dir, const std::string& name) {
  std::string path = dir + "/" + name;
  UniqueFd fd(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!fd.valid()) return Status::FromErrno(errno, "opening lock file " + path);
  if (flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    char buf[32] = {};
    ssize_t n = pread(fd.get(), buf, sizeof(buf) - 1, 0);
    std::string holder = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "another process";
    while (!holder.empty() && holder.back() == '\n') holder.pop_back();
    if (err == EWOULDBLOCK) {
      return Status(Code::kUnavailable,
                    path + " is locked by stmfd pid " + holder + " (already running?)");
    }
    return Status::FromErrno(err, "locking " + path);
  }
  std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd.get(), 0) != 0 || pwrite(fd.get(), pid.data(), pid.size(), 0) < 0) {
    return Status::FromErrno(errno, "writing lock file " + path);
  }
  return fd;
}

Status NotifySystemd(const std::string& state) {
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (path == nullptr || path[0] == '\0') return Status::Ok();
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  size_t len = std::strlen(path);
  if (len >= sizeof(addr.sun_path)) return Status(Code::kInvalidArgument, "NOTIFY_SOCKET too long");
  std::memcpy(addr.sun_path, path, len);
  if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0';
  UniqueFd fd(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Status::FromErrno(errno, "notify socket");
  socklen_t alen = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + len);
  if (sendto(fd.get(), state.data(), state.size(), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&addr),
             alen) < 0) {
    return Status::FromErrno(errno, "sending to NOTIFY_SOCKET");
  }
  return Status::Ok();
}

}  // namespace openstmf::daemon
