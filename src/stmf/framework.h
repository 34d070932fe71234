// Framework: the registry at the centre of stmfd — logical units by GUID, local
// ports and their sessions, and the view lookup that turns an (initiator, target
// port) into a LUN map.
//
// Default view: while no view entry exists for any LU (a fresh install, or the
// embedded default), every LU is visible to every initiator through every target
// port, at LUNs 0, 1, ... in the order the LUs were added. As soon as an
// administrator adds a view entry, the view model (views.h) decides alone, as in
// COMSTAR. Target groups hold target names (the local port's devid, the iSCSI
// target IQN); a target port name "iqn...,t,0x0001" is matched by its target name.
//
// What a LUN map leaves out (COMSTAR): everything while the framework is offline
// (stmfadm offline); an offline LU (the LUN answers LOGICAL UNIT NOT SUPPORTED);
// a removed LU.
//
// LUs are never destroyed while the framework lives: RemoveLu takes a LU out of
// the registry and every LUN map but keeps the object, so LogicalUnit pointers
// sessions hold stay valid until they re-read their map. A LUN map is a snapshot
// taken at login and refreshed when the LUNs-changed listener fires.
//
// LUNs-changed listener: called (outside every framework lock, on the caller's
// thread) after each change that can alter what an initiator sees — view and
// group changes through WithViews, LU removal, LU online/offline, framework
// online/offline, resize. The iSCSI port provider re-reads its LUN maps and
// raises REPORTED LUNS DATA HAS CHANGED (SPC-4 6.37 note, SAM-5 5.14).
//
// Thread-safety: all methods may be called from any thread (a mutex guards the
// registry; it is taken at login and on configuration changes, never per I/O).
#ifndef OPENSTMF_STMF_FRAMEWORK_H
#define OPENSTMF_STMF_FRAMEWORK_H

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "event/event_loop.h"
#include "event/io_ring.h"
#include "stmf/logical_unit.h"
#include "stmf/port_registry.h"
#include "stmf/views.h"

namespace openstmf::stmf {

struct LunRef {
  uint32_t lun = 0;
  LogicalUnit* lu = nullptr;
};

// A SCSI target port as a session uses it (relative port identifiers).
struct TargetPortInfo {
  std::string name;               // "iqn....,t,0x0001"
  uint16_t relative_port_id = 0;  // SPC-4 relative target port identifier, from 1
};

// "iqn...,t,0x0001" -> "iqn..." (a name without ",t," is returned whole).
std::string TargetNameOfPort(const std::string& target_port);

class Framework {
 public:
  // loops[i] and rings[i]: the event loops and their io_uring rings; file LUs get
  // one backend per loop.
  Framework(std::vector<event::EventLoop*> loops, std::vector<event::IoRing*> rings);
  ~Framework();

  // --- Logical units
  // Registers a LU built on store (kAlreadyExists for a GUID already there),
  // online or offline.
  Result<LogicalUnit*> AddLu(std::unique_ptr<lu::SbdStore> store, bool online = true);
  LogicalUnit* FindLu(const Guid& guid) const;
  // The registered LU whose backing store is `path` (empty path: none).
  LogicalUnit* FindLuByPath(const std::string& path) const;
  std::vector<LogicalUnit*> Lus() const;  // in the order added
  // Takes the LU out of the registry and every LUN map (kNotFound when absent).
  // The object lives on until the framework ends (sessions may still point at
  // it); its view entries are the caller's to keep or remove.
  Status RemoveLu(const Guid& guid);
  // kNotFound when absent. An offline LU is in no LUN map.
  Status SetLuOnline(const Guid& guid, bool online);
  std::optional<bool> LuOnline(const Guid& guid) const;  // nullopt: not registered
  // LogicalUnit::Modify on a registered LU (kNotFound when absent); a new size
  // also fires the listener.
  Status ModifyLu(const Guid& guid, const LuChanges& changes);

  // --- The framework's own state (stmfadm online / offline)
  void SetOnline(bool online);
  bool online() const;

  // --- Local ports (targets) and sessions: port_registry.h
  Status RegisterPort(const std::string& name, const std::string& alias,
                      const std::string& provider, uint8_t protocol);
  Status DeregisterPort(const std::string& name);
  Status SetPortOnline(const std::string& name, bool online);
  bool PortOnline(const std::string& name) const;  // false when not registered
  std::optional<LocalPort> FindPort(const std::string& name) const;
  std::vector<LocalPort> Ports() const;
  // The state a newly registered local port starts in (stmfadm's
  // default_port_state); online unless set.
  void SetDefaultPortOnline(bool online);
  bool default_port_online() const;
  uint64_t AddSession(const std::string& port, const std::string& initiator,
                      const std::string& alias);
  void RemoveSession(uint64_t id);
  std::vector<SessionInfo> Sessions(const std::string& port) const;

  // --- SCSI target ports: registers one and returns it with its relative port
  // identifier (the same name gets the same identifier).
  TargetPortInfo RegisterPort(const std::string& name);
  std::vector<TargetPortInfo> TargetPorts() const;
  // Relative port identifiers are base+1, base+2, ...; node 1 of an ALUA pair
  // uses base 255 so the two nodes' identifiers never collide (COMSTAR rebases
  // the same way). Ports already registered are renumbered; sessions already
  // logged in keep the identifier they started with until they log in again.
  void SetRelativePortBase(uint16_t base);
  // Called (outside the registry lock) with each newly registered target port.
  void SetTargetPortListener(std::function<void(const TargetPortInfo&)> listener);

  // The LUs `initiator` reaches through `target_port`, ordered by LUN.
  std::vector<LunRef> LunMap(const std::string& initiator, const std::string& target_port) const;

  // --- Changes to the view model go through here so the generation moves and
  // the listener hears of changes that alter a LUN map.
  template <typename Fn>
  auto WithViews(Fn fn) {
    bool changed = false;
    auto result = [&] {
      std::lock_guard<std::mutex> lock(mu_);
      const uint64_t before = views_.generation();
      auto r = fn(views_);
      changed = views_.generation() != before;
      if (changed) ++generation_;
      return r;
    }();
    if (changed) NotifyLunsChanged();
    return result;
  }
  // Reads the view model (list and validate requests). Both run fn under the
  // registry's lock: fn must not call back into the framework.
  template <typename Fn>
  auto ReadViews(Fn fn) const {
    std::lock_guard<std::mutex> lock(mu_);
    return fn(static_cast<const Views&>(views_));
  }
  uint64_t generation() const;

  // The LUNs-changed listener (replaces any previous one; empty: none).
  void SetLunsChangedListener(std::function<void()> listener);
  // Bumps the generation and calls the listener.
  void NotifyLunsChanged();

 private:
  struct LuSlot {
    std::unique_ptr<LogicalUnit> lu;
    bool online = true;
  };
  const LuSlot* SlotOf(const Guid& guid) const;  // requires mu_

  const std::vector<event::EventLoop*> loops_;
  const std::vector<event::IoRing*> rings_;
  mutable std::mutex mu_;
  std::vector<LuSlot> lus_;                            // guarded by mu_, in order added
  std::vector<std::unique_ptr<LogicalUnit>> retired_;  // guarded by mu_: removed LUs
  std::vector<TargetPortInfo> scsi_ports_;             // guarded by mu_
  uint16_t port_base_ = 0;                             // guarded by mu_
  Views views_;                                        // guarded by mu_
  uint64_t generation_ = 0;                            // guarded by mu_
  bool online_ = true;                                 // guarded by mu_
  bool default_port_online_ = true;                    // guarded by mu_
  PortRegistry ports_;
  std::mutex listener_mu_;
  std::function<void()> listener_;                            // guarded by listener_mu_
  std::function<void(const TargetPortInfo&)> port_listener_;  // guarded by listener_mu_
};

}  // namespace openstmf::stmf

#endif  // OPENSTMF_STMF_FRAMEWORK_H
