#include "mgmt/server.h"

#include <door.h>
#include <sys/stat.h>
#include <ucred.h>
#include <unistd.h>

#include <cerrno>

#include "base/log.h"
#include "mgmt/status_codes.h"

namespace openstmf::mgmt {
namespace {

Caller CallerOf(const ucred_t* uc) {
  Caller c;
  c.euid = ucred_geteuid(uc);
  c.egid = ucred_getegid(uc);
  c.pid = ucred_getpid(uc);
  const gid_t* groups = nullptr;
  int n = ucred_getgroups(uc, &groups);
  for (int i = 0; i < n; ++i) c.groups.push_back(groups[i]);
  return c;
}

}  // namespace

void Dispatcher::Register(std::string op, Handler handler) {
  handlers_.insert_or_assign(std::move(op), std::move(handler));
}

bool Dispatcher::Allowed(const Caller& caller) const {
  if (caller.euid == 0) return true;
  if (!admin_group_) return false;
  if (caller.egid == *admin_group_) return true;
  for (gid_t g : caller.groups) {
    if (g == *admin_group_) return true;
  }
  return false;
}

Message Dispatcher::Run(const Message& request, const Caller& caller) {
  const std::string op = request.Text("op");
  if (!Allowed(caller)) {
    Log(LogLevel::kWarn, "mgmt", "refused \"%s\" from pid %d uid %u: not root or admin group",
        op.c_str(), static_cast<int>(caller.pid), static_cast<unsigned>(caller.euid));
    return Reply(kStmfErrorPerm, "permission denied: managing stmfd needs root" +
                                     std::string(admin_group_ ? " or the admin group" : ""));
  }
  auto it = handlers_.find(op);
  if (it == handlers_.end()) {
    Log(LogLevel::kWarn, "mgmt", "unknown operation \"%s\" from pid %d", op.c_str(),
        static_cast<int>(caller.pid));
    return Reply(kStmfErrorInvalidArg, "unknown operation \"" + op + "\"");
  }
  std::lock_guard<std::mutex> lock(run_mu_);
  Message reply = it->second(request, caller);
  if (!reply.Has("status")) reply.Set("status", uint64_t{kStmfStatusSuccess});
  uint32_t status = ReplyStatus(reply);
  if (status != kStmfStatusSuccess) {
    Log(LogLevel::kInfo, "mgmt", "%s: %s (0x%x)", op.c_str(), reply.Text("error").c_str(), status);
  }
  return reply;
}

std::vector<uint8_t> Dispatcher::Handle(std::span<const uint8_t> request, const Caller& caller) {
  auto m = Decode(request);
  if (!m.ok()) {
    Log(LogLevel::kWarn, "mgmt", "pid %d: %s", static_cast<int>(caller.pid),
        m.status().message().c_str());
    return Encode(Reply(kStmfErrorInvalidArg, m.status().message()));
  }
  return Encode(Run(*m, caller));
}

Result<std::unique_ptr<Server>> Server::Start(const std::string& door_path,
                                              Dispatcher* dispatcher) {
  std::unique_ptr<Server> s(new Server(door_path, dispatcher));
  s->door_ = door_create(&Server::Procedure, s.get(), DOOR_REFUSE_DESC);
  if (s->door_ < 0) return Status::FromErrno(errno, "door_create");
  // We hold the run directory's lock, so a door file left there is stale.
  if (unlink(door_path.c_str()) != 0 && errno != ENOENT) {
    return Status::FromErrno(errno, "remove stale " + door_path);
  }
  if (fattach(s->door_, door_path.c_str()) != 0) {
    return Status::FromErrno(errno, "publish the management door at " + door_path);
  }
  if (chmod(door_path.c_str(), 0666) != 0) {
    return Status::FromErrno(errno, "chmod " + door_path);
  }
  return s;
}

Server::~Server() {
  if (door_ >= 0) {
    fdetach(path_.c_str());
    door_revoke(door_);
  }
}

void Server::Procedure(void* cookie, char* argp, size_t arg_size, door_desc_t* /*dp*/,
                       uint_t /*n_desc*/) {
  // The reply lives in thread-local storage: door_return() does not return, so
  // nothing in this frame may need destroying when it is called.
  thread_local std::vector<uint8_t> reply;
  {
    auto* self = static_cast<Server*>(cookie);
    Caller caller;
    ucred_t* uc = nullptr;
    if (door_ucred(&uc) == 0) {
      caller = CallerOf(uc);
      ucred_free(uc);
    } else {
      caller.euid = static_cast<uid_t>(-1);  // unknown: refused
      caller.egid = static_cast<gid_t>(-1);
    }
    std::span<const uint8_t> req;
    if (argp != nullptr && argp != DOOR_UNREF_DATA) {
      req = {reinterpret_cast<const uint8_t*>(argp), arg_size};
    }
    reply = self->dispatcher_->Handle(req, caller);
  }
  door_return(reinterpret_cast<char*>(reply.data()), reply.size(), nullptr, 0);
}

}  // namespace openstmf::mgmt
