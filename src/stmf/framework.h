// Framework: the registry at the centre of stmfd — logical units by GUID, target
// ports, and the view lookup that turns an (initiator, target port) into a LUN map.
//
// Default view: while no view entry exists for any LU (a fresh install, or the
// embedded default), every LU is visible to every initiator through every target
// port, at LUNs 0, 1, ... in the order the LUs were added. As soon as an
// administrator adds a view entry, the view model (views.h) decides alone, as in
// COMSTAR.
//
// LUs are never destroyed while the framework lives, so LogicalUnit pointers
// handed out stay valid; a LUN map is a snapshot taken at login and refreshed
// when generation() changes.
//
// Thread-safety: all methods may be called from any thread (a mutex guards the
// registry; it is taken at login and on configuration changes, never per I/O).
#ifndef OPENSTMF_STMF_FRAMEWORK_H
#define OPENSTMF_STMF_FRAMEWORK_H

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "event/event_loop.h"
#include "event/io_ring.h"
#include "stmf/logical_unit.h"
#include "stmf/views.h"

namespace openstmf::stmf {

struct LunRef {
  uint32_t lun = 0;
  LogicalUnit* lu = nullptr;
};

// A target port registered by a port provider.
struct TargetPortInfo {
  std::string name;               // "iqn....,t,0x0001"
  uint16_t relative_port_id = 0;  // SPC-4 relative target port identifier, from 1
};

class Framework {
 public:
  // loops[i] and rings[i]: the event loops and their io_uring rings; file LUs get
  // one backend per loop.
  Framework(std::vector<event::EventLoop*> loops, std::vector<event::IoRing*> rings);
  ~Framework();

  // Registers a LU built on store (kAlreadyExists for a GUID already there).
  Result<LogicalUnit*> AddLu(std::unique_ptr<lu::SbdStore> store);
  LogicalUnit* FindLu(const Guid& guid) const;
  std::vector<LogicalUnit*> Lus() const;

  // Registers a target port; returns it with its relative port identifier.
  TargetPortInfo RegisterPort(const std::string& name);

  // The LUs `initiator` reaches through `target_port`, ordered by LUN.
  std::vector<LunRef> LunMap(const std::string& initiator, const std::string& target_port) const;

  // Changes to the view model go through here so the generation moves.
  template <typename Fn>
  auto WithViews(Fn fn) {
    std::lock_guard<std::mutex> lock(mu_);
    ++generation_;
    return fn(views_);
  }
  uint64_t generation() const;

 private:
  const std::vector<event::EventLoop*> loops_;
  const std::vector<event::IoRing*> rings_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<LogicalUnit>> lus_;  // guarded by mu_, in order added
  std::vector<TargetPortInfo> ports_;              // guarded by mu_
  Views views_;                                    // guarded by mu_
  uint64_t generation_ = 0;                        // guarded by mu_
};

}  // namespace openstmf::stmf

#endif  // OPENSTMF_STMF_FRAMEWORK_H
