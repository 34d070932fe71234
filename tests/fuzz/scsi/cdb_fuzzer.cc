// Feeds arbitrary CDBs and parameter data through the full SCSI dispatch
// against a small RAM LU with two I_T nexuses.
//
// Input: byte 0 selects the LU kind (bit 0 thin, bit 1 removable without
// medium, bit 2 4096-byte blocks, bit 3 standby ALUA state, bit 4 explicit ALUA,
// bit 5 write protected, bit 6 savable mode pages); then up to 8 commands, each
// [nexus 1][cdb length 1][cdb][data-out length 2, big-endian][data-out].
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "scsi/dispatcher.h"
#include "scsi/lu.h"
#include "scsi/persistent_reservation.h"
#include "scsi/ram_backend.h"
#include "scsi/task_set.h"

namespace {

using namespace openstmf::scsi;

constexpr uint64_t kBlocks = 64;
constexpr size_t kMaxBuffer = 1 << 20;

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  uint8_t kind = data[0];
  LuConfig cfg;
  cfg.block_size = (kind & 0x04) ? 4096 : 512;
  cfg.block_count = kBlocks;
  cfg.thin_provisioned = (kind & 0x01) != 0;
  cfg.removable = (kind & 0x02) != 0;
  cfg.medium_present = !cfg.removable;
  cfg.explicit_alua = (kind & 0x10) != 0;
  cfg.write_protected = (kind & 0x20) != 0;
  cfg.mode_pages_savable = (kind & 0x40) != 0;
  cfg.limits.max_atomic_blocks = 8;
  cfg.limits.max_unmap_descriptors = 4;
  cfg.limits.max_write_same_blocks = 32;
  RamBackend backend(cfg.block_size, kBlocks);
  Lu lu(cfg, &backend);
  NexusId nexus[2] = {
      lu.AttachNexus({IscsiInitiatorPort("iqn.a", 1), 1, 1, "iqn.t,t,0x0001", "iqn.t"}),
      lu.AttachNexus({IscsiInitiatorPort("iqn.b", 2), 2, 2, "iqn.t,t,0x0002", "iqn.t"}, false)};
  if (kind & 0x08) {
    lu.SetTargetPortGroups({{1, AluaState::kStandby, false, AluaStatusCode::kNone, {1}},
                            {2, AluaState::kActiveOptimized, true, AluaStatusCode::kNone, {2}}});
  }
  std::vector<uint64_t> luns = {0, 1, 4000};
  TaskSet tasks;
  size_t at = 1;
  for (int n = 0; n < 8 && at + 2 <= size; ++n) {
    NexusId who = nexus[data[at] & 1];
    size_t cdb_len = data[at + 1];
    at += 2;
    if (cdb_len > size - at) cdb_len = size - at;
    std::vector<uint8_t> cdb(data + at, data + at + cdb_len);
    at += cdb_len;
    size_t out_len = 0;
    if (at + 2 <= size) {
      out_len = (size_t{data[at]} << 8) | data[at + 1];
      at += 2;
    }
    if (out_len > size - at) out_len = size - at;
    std::vector<uint8_t> out(data + at, data + at + out_len);
    at += out_len;

    ScsiCommand cmd;
    cmd.cdb_bytes = cdb.data();
    cmd.cdb_size = cdb.size();
    cmd.nexus = who;
    cmd.luns = luns;
    int completions = 0;
    cmd.done = [](ScsiCommand*, void* arg) { ++*static_cast<int*>(arg); };
    cmd.done_arg = &completions;
    std::vector<uint8_t> in;
    if (Prepare(lu, cmd)) {
      Check(completions == 0);
      if (cmd.transfer_length > kMaxBuffer) continue;
      if (cmd.direction == DataDirection::kIn) in.resize(cmd.transfer_length);
      cmd.data_in = in;
      if (cmd.direction == DataDirection::kOut) out.resize(cmd.transfer_length, 0);
      cmd.data_out = out;
      Check(tasks.Add(TaskInfoFor(cmd, static_cast<uint64_t>(n), TaskAttribute::kSimple)) !=
            Admission::kOverlapped);
      Execute(lu, cmd);
      tasks.Remove({who, static_cast<uint64_t>(n)}, nullptr);
    }
    Check(completions == 1);
    Check(cmd.data_in_length <= in.size());
    Check(cmd.result.has_sense() == (cmd.sense_length != 0));
  }
  // Whatever state the commands left must survive a save/restore cycle.
  auto saved = lu.pr().Serialize();
  auto restored = PersistentReservation::Deserialize(saved);
  Check(restored.ok() && restored->Serialize() == saved);
  return 0;
}
