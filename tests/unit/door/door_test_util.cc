#include "door_test_util.h"

#include <fcntl.h>

namespace door_test {

pid_t SpawnHelper(const std::string& mode, int sock) {
  pid_t pid = ::fork();
  if (pid == 0) {
    if (sock != 3) {
      ::dup2(sock, 3);
    } else {
      ::fcntl(3, F_SETFD, 0);
    }
    const char* argv[] = {DOOR_TEST_HELPER, mode.c_str(), nullptr};
    ::execv(DOOR_TEST_HELPER, const_cast<char**>(argv));
    ::_exit(127);
  }
  return pid;
}

}  // namespace door_test
