// Server: stmfd's management door. Requests (message.h) arrive as door calls at a
// path in the run directory; each is checked against the caller's credentials
// (door_ucred), then handed to the handler registered for its "op".
//
// Who may call: root (effective uid 0) and, when an admin group is configured,
// members of that group (effective or supplementary gid). Anyone else gets
// STMF_ERROR_PERM, as libstmf promises. The door file itself is mode 0666 so that
// such callers reach the check and get that answer rather than a bare EACCES.
//
// Handlers run one at a time (a mutex serialises them), so a handler sees the
// configuration as the previous request left it and may use single-threaded
// state such as the ConfigStore. An unknown op is answered STMF_ERROR_INVALID_ARG.
//
// Thread-safety: Register() before Start(); handlers run on door server threads.
#ifndef OPENSTMF_MGMT_SERVER_H
#define OPENSTMF_MGMT_SERVER_H

#include <door.h>
#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "mgmt/message.h"

namespace openstmf::mgmt {

struct Caller {
  uid_t euid = 0;
  gid_t egid = 0;
  std::vector<gid_t> groups;
  pid_t pid = 0;
};

using Handler = std::function<Message(const Message& request, const Caller& caller)>;

class Dispatcher {
 public:
  // admin_group: a group whose members may manage besides root.
  explicit Dispatcher(std::optional<gid_t> admin_group = std::nullopt)
      : admin_group_(admin_group) {}

  void Register(std::string op, Handler handler);
  bool Allowed(const Caller& caller) const;
  // Decodes, checks, runs the handler, encodes the reply. Never fails: bad bytes
  // and refused callers get a reply saying so (and a log line).
  std::vector<uint8_t> Handle(std::span<const uint8_t> request, const Caller& caller);
  // Runs a decoded request (tests, and callers inside stmfd).
  Message Run(const Message& request, const Caller& caller);

 private:
  std::optional<gid_t> admin_group_;
  std::map<std::string, Handler, std::less<>> handlers_;
  std::mutex run_mu_;  // one request at a time
};

class Server {
 public:
  // Publishes the door at door_path (a stale file there is replaced).
  static Result<std::unique_ptr<Server>> Start(const std::string& door_path,
                                               Dispatcher* dispatcher);
  ~Server();  // withdraws the door; calls in progress finish
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  const std::string& path() const { return path_; }

 private:
  Server(std::string path, Dispatcher* d) : path_(std::move(path)), dispatcher_(d) {}
  static void Procedure(void* cookie, char* argp, size_t arg_size, door_desc_t* dp, uint_t n_desc);

  std::string path_;
  Dispatcher* dispatcher_;
  int door_ = -1;
};

}  // namespace openstmf::mgmt

#endif  // OPENSTMF_MGMT_SERVER_H
