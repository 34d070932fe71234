// doordemo: the quickest way to see libdoor work.
//
//   doordemo                  serve a door and call it, in one go
//   doordemo serve PATH       publish a door at PATH and serve it until interrupted
//   doordemo call PATH [TEXT] call the door published at PATH with TEXT
//
// The client passes its standard output to the server as a descriptor; the server
// writes a line into it, then answers with the caller's credentials as it sees
// them through door_ucred().
#include <door.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <ucred.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

// door_return() does not return, so nothing here may own memory or other
// resources that a destructor would release: plain buffers only.
void Serve(void* cookie, char* argp, size_t arg_size, door_desc_t* dp, uint_t n_desc) {
  (void)cookie;
  if (argp == DOOR_UNREF_DATA) door_return(nullptr, 0, nullptr, 0);
  char text[128];
  size_t n = arg_size < sizeof text - 1 ? arg_size : sizeof text - 1;
  if (n > 0) std::memcpy(text, argp, n);
  text[n] = '\0';

  ucred_t* uc = nullptr;
  char reply[512];
  if (door_ucred(&uc) != 0) {
    std::snprintf(reply, sizeof reply, "server could not read your credentials: %s",
                  std::strerror(errno));
  } else {
    std::snprintf(reply, sizeof reply,
                  "hello \"%s\": you are pid %d, uid %d (effective %d), gid %d (effective %d)",
                  text, static_cast<int>(ucred_getpid(uc)), static_cast<int>(ucred_getruid(uc)),
                  static_cast<int>(ucred_geteuid(uc)), static_cast<int>(ucred_getrgid(uc)),
                  static_cast<int>(ucred_getegid(uc)));
    ucred_free(uc);
  }
  for (uint_t i = 0; i < n_desc; ++i) {
    if ((dp[i].d_attributes & DOOR_DESCRIPTOR) == 0) continue;
    int fd = dp[i].d_data.d_desc.d_descriptor;
    dprintf(fd, "  (server pid %d writes this line into the descriptor you passed)\n",
            static_cast<int>(getpid()));
    close(fd);
  }
  door_return(reply, std::strlen(reply) + 1, nullptr, 0);
}

int ServeAt(const char* path) {
  int d = door_create(Serve, nullptr, 0);
  if (d < 0) {
    std::fprintf(stderr, "doordemo: door_create: %s\n", std::strerror(errno));
    return 1;
  }
  if (fattach(d, path) != 0) {
    std::fprintf(stderr, "doordemo: fattach %s: %s\n", path, std::strerror(errno));
    return 1;
  }
  std::printf("doordemo: serving a door at %s (pid %d); call it with: doordemo call %s hello\n",
              path, static_cast<int>(getpid()), path);
  std::fflush(stdout);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  int sig = 0;
  sigwait(&set, &sig);
  fdetach(path);
  door_revoke(d);
  return 0;
}

int CallAt(const char* path, const char* text) {
  int d = door_open(path);
  if (d < 0) {
    std::fprintf(stderr, "doordemo: door_open %s: %s\n", path, std::strerror(errno));
    return 1;
  }
  door_info_t info{};
  if (door_info(d, &info) == 0) {
    std::printf("door at %s: server pid %d, door id %llu, attributes 0x%x\n", path,
                static_cast<int>(info.di_target), info.di_uniquifier, info.di_attributes);
  }
  std::fflush(stdout);
  door_desc_t desc{};
  desc.d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
  desc.d_data.d_desc.d_descriptor = dup(STDOUT_FILENO);
  char rbuf[512];
  door_arg_t arg{};
  arg.data_ptr = const_cast<char*>(text);
  arg.data_size = std::strlen(text) + 1;
  arg.desc_ptr = &desc;
  arg.desc_num = 1;
  arg.rbuf = rbuf;
  arg.rsize = sizeof rbuf;
  if (door_call(d, &arg) != 0) {
    std::fprintf(stderr, "doordemo: door_call: %s\n", std::strerror(errno));
    return 1;
  }
  std::printf("reply: %.*s\n", static_cast<int>(arg.data_size), arg.data_ptr);
  if (arg.rbuf != rbuf) munmap(arg.rbuf, arg.rsize);
  close(d);
  return 0;
}

int Both() {
  char dir[] = "/tmp/doordemo.XXXXXX";
  if (mkdtemp(dir) == nullptr) {
    std::perror("doordemo: mkdtemp");
    return 1;
  }
  std::string path = std::string(dir) + "/door";
  pid_t server = fork();
  if (server == 0) _exit(ServeAt(path.c_str()));
  struct stat st {};
  for (int i = 0; i < 500 && stat(path.c_str(), &st) != 0; ++i) usleep(10000);
  int rc = CallAt(path.c_str(), "hello from the client");
  kill(server, SIGTERM);
  waitpid(server, nullptr, 0);
  unlink(path.c_str());
  rmdir(dir);
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 1) return Both();
  std::string cmd = argv[1];
  if (cmd == "serve" && argc == 3) return ServeAt(argv[2]);
  if (cmd == "call" && (argc == 3 || argc == 4)) {
    return CallAt(argv[2], argc == 4 ? argv[3] : "hello");
  }
  std::fprintf(stderr,
               "usage: doordemo                    serve a door and call it, in one go\n"
               "       doordemo serve PATH         publish a door at PATH until interrupted\n"
               "       doordemo call PATH [TEXT]   call the door published at PATH\n");
  return 2;
}
