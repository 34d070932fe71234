// SessionDirectory: the live sessions of an iSCSI port by TSIH, so a login that
// adds a connection finds its session (and the loop it runs on), and the port
// can reach every session (NotifyLunsChanged).
//
// Holds weak references: a session ends with its last connection whatever the
// directory holds. Expired entries are dropped as new sessions are added.
//
// Thread-safety: every method may be called from any thread (one mutex, taken
// at login and on configuration changes, never per command).
#ifndef OPENSTMF_PORT_ISCSIT_SESSION_DIRECTORY_H
#define OPENSTMF_PORT_ISCSIT_SESSION_DIRECTORY_H

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace openstmf::iscsit {

class Session;

class SessionDirectory {
 public:
  void Add(uint16_t tsih, std::weak_ptr<Session> session) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      it = it->second.expired() ? sessions_.erase(it) : std::next(it);
    }
    sessions_[tsih] = std::move(session);
  }
  // The live session with this TSIH, or nullptr.
  std::shared_ptr<Session> Find(uint16_t tsih) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = sessions_.find(tsih);
    return it == sessions_.end() ? nullptr : it->second.lock();
  }
  std::vector<std::shared_ptr<Session>> All() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::shared_ptr<Session>> out;
    for (const auto& [tsih, w] : sessions_) {
      if (auto s = w.lock()) out.push_back(std::move(s));
    }
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::map<uint16_t, std::weak_ptr<Session>> sessions_;  // guarded by mu_
};

}  // namespace openstmf::iscsit

#endif  // OPENSTMF_PORT_ISCSIT_SESSION_DIRECTORY_H
