// One SCSI command as it moves through the layer.
//
// The transport fills the inputs, calls Prepare() (dispatcher.h) to learn the
// data direction and length, moves Data-Out if any, and calls Execute(). The
// command completes exactly once through `done`, possibly before Execute()
// returns. Buffers are the caller's: READ data lands directly in `data_in`, WRITE
// data is taken from `data_out`; nothing on the READ/WRITE path allocates.
//
// Lifetime: the caller keeps the command (and its buffers) alive until `done`.
#ifndef OPENSTMF_SCSI_COMMAND_H
#define OPENSTMF_SCSI_COMMAND_H

#include <cstdint>
#include <span>
#include <vector>

#include "scsi/block_backend.h"
#include "scsi/cdb.h"
#include "scsi/result.h"
#include "scsi/sense.h"

namespace openstmf::scsi {

using NexusId = uint32_t;
struct OpcodeEntry;
struct ScsiCommand;
class Lu;

enum class DataDirection : uint8_t { kNone, kIn, kOut };

using CommandDone = void (*)(ScsiCommand* cmd, void* arg);

struct ScsiCommand {
  // --- Inputs (caller).
  const uint8_t* cdb_bytes = nullptr;
  size_t cdb_size = 0;
  NexusId nexus = 0;
  std::span<uint8_t> data_in;         // Data-In buffer (at least transfer_length)
  std::span<const uint8_t> data_out;  // Data-Out received (transfer_length bytes)
  std::span<const uint64_t> luns;     // REPORT LUNS: the LUNs this nexus sees
  CommandDone done = nullptr;
  void* done_arg = nullptr;

  // --- Set by Prepare().
  const OpcodeEntry* entry = nullptr;
  Cdb cdb;
  DataDirection direction = DataDirection::kNone;
  uint32_t transfer_length = 0;  // bytes expected to move

  // --- Set on completion.
  ScsiResult result;
  uint32_t data_in_length = 0;  // bytes of data_in that are valid
  uint8_t sense[kMaxSenseLength] = {};
  uint8_t sense_length = 0;

  // --- Private to the handlers (multi-step commands; never on READ/WRITE).
  Lu* lu = nullptr;
  int stage = 0;
  size_t count = 0;
  std::vector<uint8_t> scratch;
  std::vector<ByteRange> ranges;
  std::vector<Extent> extents;
};

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_COMMAND_H
