// PERSISTENT RESERVE IN / OUT (SPC-4 6.15, 6.16): CDB checks here, the state
// machine in persistent_reservation.cc, side effects applied by the Lu.
#include <algorithm>

#include "scsi/dispatcher.h"
#include "scsi/handlers.h"
#include "scsi/sense.h"

namespace openstmf::scsi::handlers {

void PersistentReserveIn(Lu& lu, ScsiCommand& cmd) {
  uint8_t sa = cmd.cdb.bytes[1] & 0x1F;
  if (sa > 3) return Complete(cmd, InvalidFieldInCdb(1, 4));
  std::span<uint8_t> out =
      cmd.data_in.first(std::min<size_t>(cmd.data_in.size(), cmd.transfer_length));
  size_t length = lu.pr().In(sa, out);
  CompleteWithData(cmd, length);
}

void PersistentReserveOut(Lu& lu, ScsiCommand& cmd) {
  uint8_t sa = cmd.cdb.bytes[1] & 0x1F;
  if (sa > 7) return Complete(cmd, InvalidFieldInCdb(1, 4));
  std::vector<uint16_t> ports = lu.RelativeTargetPorts();
  PrOutcome outcome = lu.pr().Out(lu.PrNexusOf(cmd.nexus), {cmd.cdb.bytes, cmd.cdb.length},
                                  cmd.data_out.first(cmd.transfer_length), ports);
  lu.ApplyPrOutcome(outcome);
  Complete(cmd, outcome.result);
}

}  // namespace openstmf::scsi::handlers
