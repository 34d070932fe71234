// Client: how libstmf and the CLIs reach stmfd's management door.
//
// The door is published at <run-dir>/stmfd.door. The run directory is the one
// stmfd uses by default (/run/openstmf) unless $OPENSTMF_RUN_DIR names another,
// so the CLIs find the daemon that `make run` started without extra flags.
//
// A daemon that is not running is reported as Unavailable with a sentence that
// says so and names the path — never a hang: door_open gives up after at most
// 10 s, and a daemon that dies during a call ends the call with an error.
//
// Thread-safety: a Client may be used from several threads (door_call is MT-safe).
#ifndef OPENSTMF_MGMT_CLIENT_H
#define OPENSTMF_MGMT_CLIENT_H

#include <string>

#include "base/status.h"
#include "base/unique_fd.h"
#include "mgmt/message.h"

namespace openstmf::mgmt {

inline constexpr const char* kDefaultRunDir = "/run/openstmf";
inline constexpr const char* kDoorFileName = "stmfd.door";

// $OPENSTMF_RUN_DIR (or /run/openstmf) + "/stmfd.door".
std::string DefaultDoorPath();

class Client {
 public:
  static Result<Client> Open(const std::string& door_path = DefaultDoorPath());

  // Sends a request and returns the daemon's reply (whose "status" may still be
  // an STMF error). A failed transport is an error Status.
  Result<Message> Call(const Message& request) const;

  const std::string& path() const { return path_; }

 private:
  Client(std::string path, UniqueFd fd) : path_(std::move(path)), fd_(std::move(fd)) {}
  std::string path_;
  UniqueFd fd_;
};

}  // namespace openstmf::mgmt

#endif  // OPENSTMF_MGMT_CLIENT_H
