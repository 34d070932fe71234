// A small RAM LU and a synchronous command runner shared by the SCSI tests.
#ifndef OPENSTMF_TESTS_UNIT_SCSI_SCSI_TEST_UTIL_H
#define OPENSTMF_TESTS_UNIT_SCSI_SCSI_TEST_UTIL_H

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <vector>

#include "scsi/dispatcher.h"
#include "scsi/lu.h"
#include "scsi/ram_backend.h"
#include "scsi/sense.h"

namespace openstmf::scsi::testing {

struct Outcome {
  ScsiResult result;
  std::vector<uint8_t> data;   // Data-In actually returned
  std::vector<uint8_t> sense;  // sense bytes
  DataDirection direction = DataDirection::kNone;
  uint32_t transfer_length = 0;
  bool completed = false;
};

inline std::vector<uint8_t> Cdb(std::initializer_list<int> bytes, size_t size = 0) {
  std::vector<uint8_t> c;
  for (int b : bytes) c.push_back(static_cast<uint8_t>(b));
  if (c.size() < size) c.resize(size, 0);
  return c;
}

inline LuConfig DefaultConfig() {
  LuConfig c;
  c.block_size = 512;
  c.block_count = 2048;
  c.thin_provisioned = true;
  c.identity.serial = "SN0001";
  for (int i = 0; i < 16; ++i) c.identity.guid[i] = static_cast<uint8_t>(0x60 + i);
  return c;
}

inline ItNexus NexusNamed(const char* initiator, uint64_t isid, uint16_t rel_port = 1) {
  ItNexus n;
  n.initiator = IscsiInitiatorPort(initiator, isid);
  n.relative_target_port = rel_port;
  n.target_port_group = 1;
  n.target_port_name = "iqn.2024-01.org.openstmf:t1,t,0x0001";
  n.target_name = "iqn.2024-01.org.openstmf:t1";
  return n;
}

class TestLu {
 public:
  explicit TestLu(LuConfig config = DefaultConfig(), LuListener* listener = nullptr)
      : backend(config.block_size, config.block_count),
        lu(config, &backend, listener),
        a(lu.AttachNexus(NexusNamed("iqn.1994-05.com.example:a", 0x1), false)),
        b(lu.AttachNexus(NexusNamed("iqn.1994-05.com.example:b", 0x2), false)) {}

  // Runs one command to completion; `out` is the Data-Out buffer.
  Outcome Run(const std::vector<uint8_t>& cdb, const std::vector<uint8_t>& out = {},
              NexusId nexus = UINT32_MAX, size_t in_size = 1 << 20) {
    Outcome o;
    ScsiCommand cmd;
    cmd.cdb_bytes = cdb.data();
    cmd.cdb_size = cdb.size();
    cmd.nexus = nexus == UINT32_MAX ? a : nexus;
    std::vector<uint8_t> in(in_size, 0xEE);
    cmd.data_in = in;
    cmd.luns = luns;
    cmd.done = [](ScsiCommand*, void* arg) { static_cast<Outcome*>(arg)->completed = true; };
    cmd.done_arg = &o;
    if (Prepare(lu, cmd)) {
      o.direction = cmd.direction;
      o.transfer_length = cmd.transfer_length;
      std::vector<uint8_t> data_out = out;
      if (data_out.size() < cmd.transfer_length && cmd.direction == DataDirection::kOut) {
        data_out.resize(cmd.transfer_length, 0);
      }
      cmd.data_out = data_out;
      Execute(lu, cmd);
    }
    o.result = cmd.result;
    o.data.assign(in.begin(), in.begin() + cmd.data_in_length);
    o.sense.assign(cmd.sense, cmd.sense + cmd.sense_length);
    return o;
  }

  RamBackend backend;
  Lu lu;
  NexusId a;
  NexusId b;
  std::vector<uint64_t> luns = {0, 1, 300};
};

inline std::vector<uint8_t> Read10(uint32_t lba, uint16_t blocks) {
  return Cdb({0x28, 0, int(lba >> 24), int((lba >> 16) & 255), int((lba >> 8) & 255),
              int(lba & 255), 0, blocks >> 8, blocks & 255, 0});
}
inline std::vector<uint8_t> Write10(uint32_t lba, uint16_t blocks, int flags = 0) {
  return Cdb({0x2A, flags, int(lba >> 24), int((lba >> 16) & 255), int((lba >> 8) & 255),
              int(lba & 255), 0, blocks >> 8, blocks & 255, 0});
}
// A 16-byte CDB with LBA at 2..9 and a 32-bit length at 10..13.
inline std::vector<uint8_t> Cdb16(int op, int byte1, uint64_t lba, uint32_t len) {
  std::vector<uint8_t> c(16, 0);
  c[0] = static_cast<uint8_t>(op);
  c[1] = static_cast<uint8_t>(byte1);
  for (int i = 0; i < 8; ++i) c[2 + i] = static_cast<uint8_t>(lba >> (56 - 8 * i));
  for (int i = 0; i < 4; ++i) c[10 + i] = static_cast<uint8_t>(len >> (24 - 8 * i));
  return c;
}

inline bool IsSense(const Outcome& o, SenseKey key, uint16_t asc_ascq) {
  return o.result.status == ScsiStatus::kCheckCondition && o.result.key == key &&
         o.result.asc_ascq() == asc_ascq;
}

// Sets `bits` in byte `byte` of the current control mode page (0Ah) with MODE
// SENSE(6) + MODE SELECT(6) from nexus a, then clears the resulting unit
// attention on nexus b. False when either command fails.
inline bool SetControlModeBits(TestLu& t, size_t byte, uint8_t bits) {
  Outcome sense = t.Run(Cdb({0x1A, 0x08, 0x0A, 0, 255, 0}));
  if (!sense.result.good() || sense.data.size() < 4 + 12) return false;
  std::vector<uint8_t> p(sense.data.begin(), sense.data.begin() + 4 + 12);
  p[0] = 0;  // MODE DATA LENGTH is reserved in MODE SELECT
  p[2] = 0;
  p[4 + byte] |= bits;
  if (!t.Run(Cdb({0x15, 0x10, 0, 0, static_cast<int>(p.size()), 0}), p).result.good()) return false;
  t.lu.unit_attentions(t.b).Clear(UnitAttention::kModeParametersChanged);
  return true;
}

}  // namespace openstmf::scsi::testing

#endif  // OPENSTMF_TESTS_UNIT_SCSI_SCSI_TEST_UTIL_H
