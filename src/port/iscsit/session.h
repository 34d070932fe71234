// Session: the state one iSCSI session shares between its connections
// (RFC 7143 §4.2, §6.3) — its identity, the session-wide CmdSN window, the I_T
// nexus on every LU it sees (its LUN map) and the list of its connections.
//
// Every connection of a session runs on the session's event loop: a login that
// adds a connection on another loop hands its socket over before it is
// processed (iscsi_port.h). So the window, the LUN map and the connection list
// need no lock; only the entry points marked "any thread" post to the loop.
//
// Commands may arrive on any connection; CmdSN ordering and ExpCmdSN/MaxCmdSN
// are session-wide, so a command held for CmdSN order is delivered, when its
// turn comes, to the connection it arrived on (connection allegiance, §4.2.2.1).
// Data-Out, R2T and responses of a task stay on that connection.
//
// The session is the TaskRunner its nexuses are attached with: the LU's requests
// to start or abort tasks go to every connection, each acting on its own tasks.
//
// Lifetime: shared by its connections; the session ends (nexuses detached,
// unbound from the TargetTable) when its last connection is removed.
//
// Thread-safety: loop thread only, except RequestClose() and NotifyLunsChanged().
#ifndef OPENSTMF_PORT_ISCSIT_SESSION_H
#define OPENSTMF_PORT_ISCSIT_SESSION_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "event/event_loop.h"
#include "port/iscsi/login.h"
#include "port/iscsi/sequence.h"
#include "port/iscsit/target_table.h"
#include "stmf/framework.h"

namespace openstmf::iscsit {

class Connection;

class Session final : public stmf::TaskRunner,
                      public SessionOwner,
                      public std::enable_shared_from_this<Session> {
 public:
  struct LunEntry {
    uint32_t lun = 0;
    stmf::LogicalUnit* lu = nullptr;
    scsi::NexusId nexus = 0;
  };

  // `commit`: the leading login; `window` the CmdSN window offered.
  Session(event::EventLoop* loop, stmf::Framework* framework, TargetTable* targets, uint16_t tpgt,
          uint16_t tsih, const iscsi::LoginCommit& commit, const iscsi::OperationalParams& params,
          uint32_t window);
  ~Session() override;

  // Loop thread: binds to the TargetTable and, for a normal session, attaches
  // an I_T nexus to every LU of its LUN map.
  void Start();

  uint16_t tsih() const { return tsih_; }
  iscsi::SessionType type() const { return type_; }
  uint64_t isid() const { return isid_; }
  const std::string& initiator() const { return initiator_; }
  const std::string& target() const { return target_; }
  const iscsi::OperationalParams& params() const { return params_; }
  iscsi::CommandWindow& window() { return window_; }

  // Connections. Add: false when the session has already ended. A connection
  // with the CID of a live one reinstates it: the old one is closed and its
  // tasks dropped (RFC 7143 §6.3.4, ERL 0). Remove ends the session with the
  // last connection.
  bool AddConnection(uint16_t cid, Connection* c);
  void RemoveConnection(Connection* c);
  size_t connection_count() const { return conns_.size(); }
  Connection* ConnectionByCid(uint16_t cid) const;
  // Every connection but `self`.
  std::vector<Connection*> Others(const Connection* self) const;
  // The connection a held command's cookie came from (see Cookie()).
  uint64_t Cookie(const Connection* c, uint64_t local) const;
  // Delivers every command of the window that may run now, in CmdSN order.
  void DeliverReady();

  // The LUN map (normal sessions).
  const LunEntry* FindLun(uint64_t lun_field) const;
  // The LUNs REPORT LUNS lists; a snapshot, so a command keeps the list it
  // started with when the map changes under it.
  const std::shared_ptr<const std::vector<uint64_t>>& lun_numbers() const { return lun_numbers_; }
  const std::vector<LunEntry>& luns() const { return luns_; }

  // Any thread: re-read the LUN map; every LU the session sees reports REPORTED
  // LUNS DATA HAS CHANGED (SPC-4 6.37) and an Async Message carries it
  // (RFC 7143 §11.9).
  void NotifyLunsChanged();

  // TaskRunner (loop thread).
  event::EventLoop* loop() const override { return loop_; }
  void StartTask(uint64_t tag) override;
  void AbortTasks(const stmf::Guid& lu, std::vector<uint64_t> tags, bool all) override;
  // SessionOwner (any thread): close every connection.
  void RequestClose(const char* why) override;

 private:
  struct Member {
    Connection* conn = nullptr;
    uint16_t cid = 0;
    uint32_t serial = 0;
  };
  void AttachLuns();
  void RefreshLuns();
  void End();

  event::EventLoop* const loop_;
  stmf::Framework* const framework_;
  TargetTable* const targets_;
  const uint16_t tpgt_;
  const uint16_t tsih_;
  const iscsi::SessionType type_;
  const uint64_t isid_;
  const std::string initiator_;
  const std::string target_;
  const iscsi::OperationalParams params_;
  iscsi::CommandWindow window_;
  std::string port_name_;
  uint16_t relative_port_ = 0;
  std::vector<LunEntry> luns_;
  std::vector<LunEntry> retired_;  // left the LUN map; detached when the session ends
  std::shared_ptr<const std::vector<uint64_t>> lun_numbers_;
  std::vector<Member> conns_;
  uint32_t next_serial_ = 1;
  bool ended_ = false;
};

}  // namespace openstmf::iscsit

#endif  // OPENSTMF_PORT_ISCSIT_SESSION_H
