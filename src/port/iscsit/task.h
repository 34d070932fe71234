// Task: one SCSI command of an iSCSI connection, from its SCSI Command PDU to the
// last byte of its response, and the pool that recycles tasks.
//
// A task owns everything its command needs so nothing is allocated per I/O once
// the pool is warm: the CDB, a data buffer (Data-Out lands in it, Data-In is sent
// from it without a copy), the SCSI layer's command, and the headers and frames of
// the PDUs that answer it. A task is released when the socket has taken its last
// response byte (or the connection closed), never earlier, because the send queue
// points into it.
//
// Thread-safety: owned by one connection on one loop.
#ifndef OPENSTMF_PORT_ISCSIT_TASK_H
#define OPENSTMF_PORT_ISCSIT_TASK_H

#include <cstdint>
#include <memory>
#include <vector>

#include "port/iscsi/sequence.h"
#include "port/iscsi/tx_frame.h"
#include "scsi/command.h"
#include "scsi/task_set.h"
#include "stmf/logical_unit.h"

namespace openstmf::iscsit {

class Connection;

// The header and frame of one outgoing PDU.
struct TxPdu {
  uint8_t header[iscsi::kBhsSize + iscsi::kDigestSize] = {};
  iscsi::TxFrame frame;
};

struct Task {
  enum class State : uint8_t {
    kFree,
    kHeld,       // waiting for earlier CmdSNs
    kReceiving,  // prepared; Data-Out still arriving
    kWaiting,    // in the LU's task set, not yet allowed to run
    kRunning,    // executing in the SCSI layer / backend
    kSending,    // response queued on the socket
  };

  Connection* conn = nullptr;
  uint32_t index = 0;  // in the pool; also the Target Transfer Tag of its R2Ts
  State state = State::kFree;

  // From the SCSI Command PDU.
  uint32_t itt = 0;
  uint32_t cmd_sn = 0;
  uint64_t lun_field = 0;
  uint32_t edtl = 0;  // expected data transfer length
  bool read = false;
  bool write = false;
  bool immediate = false;
  bool final_bit = true;
  uint8_t attr = 1;
  uint8_t cdb[260] = {};
  size_t cdb_size = 0;

  // The LU (nullptr: no LU at this LUN) and the nexus on it.
  stmf::LogicalUnit* lu = nullptr;
  scsi::NexusId nexus = 0;
  bool in_task_set = false;
  bool aborted = false;
  bool prepared = false;
  bool data_error = false;  // a Data-Out PDU broke its sequence
  uint32_t spdtl = 0;       // the transfer length the CDB asked for
  int tmf_waiter = -1;      // pending task management response to notify

  scsi::ScsiCommand cmd;
  std::shared_ptr<const std::vector<uint64_t>> luns;  // the session's LUNs at start
  std::vector<uint8_t> buf;                           // Data-Out received / Data-In produced

  // Data-Out accounting (RFC 7143 §10.7, §10.8).
  uint32_t received = 0;         // bytes of Data-Out (incl. immediate) in buf
  uint32_t unsolicited_end = 0;  // bytes the initiator may send without R2T
  uint32_t next_r2t_offset = 0;  // first byte not yet solicited
  uint32_t r2t_outstanding = 0;
  iscsi::TaskSnCounter sn;
  // Data-Out bursts still open: the unsolicited one (TTT 0xffffffff) and one per
  // outstanding R2T, each checking DataSN and offsets (RFC 7143 §11.7.5).
  struct Burst {
    uint32_t ttt;
    iscsi::DataOutSequence seq;
  };
  std::vector<Burst> bursts;

  // Response PDUs.
  std::vector<std::unique_ptr<TxPdu>> tx;
  size_t tx_used = 0;
  uint8_t sense_segment[2 + 64] = {};

  TxPdu* NextTx() {
    if (tx_used == tx.size()) tx.push_back(std::make_unique<TxPdu>());
    return tx[tx_used++].get();
  }
  scsi::TaskKey key() const { return {nexus, itt}; }
};

class TaskPool {
 public:
  Task* Acquire(Connection* conn);
  void Release(Task* t);
  // Task by index (a Target Transfer Tag), or nullptr.
  Task* ByIndex(uint32_t index) const {
    return index < all_.size() && all_[index]->state != Task::State::kFree ? all_[index].get()
                                                                           : nullptr;
  }
  // Live task with this Initiator Task Tag, or nullptr.
  Task* ByItt(uint32_t itt) const;
  size_t live() const { return all_.size() - free_.size(); }
  const std::vector<std::unique_ptr<Task>>& all() const { return all_; }

 private:
  std::vector<std::unique_ptr<Task>> all_;
  std::vector<Task*> free_;
};

}  // namespace openstmf::iscsit

#endif  // OPENSTMF_PORT_ISCSIT_TASK_H
