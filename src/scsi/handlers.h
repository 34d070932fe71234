// Command handlers (internal to the layer); the opcode table points at them.
// Each completes its command exactly once through Complete() (dispatcher.h),
// synchronously or from a backend completion.
#ifndef OPENSTMF_SCSI_HANDLERS_H
#define OPENSTMF_SCSI_HANDLERS_H

#include "scsi/command.h"
#include "scsi/lu.h"

namespace openstmf::scsi::handlers {

// SPC-4 (spc_*.cc)
void TestUnitReady(Lu& lu, ScsiCommand& cmd);
void RequestSense(Lu& lu, ScsiCommand& cmd);
void Inquiry(Lu& lu, ScsiCommand& cmd);
void ReportLuns(Lu& lu, ScsiCommand& cmd);
void ModeSense(Lu& lu, ScsiCommand& cmd);
void ModeSelect(Lu& lu, ScsiCommand& cmd);
void LogSense(Lu& lu, ScsiCommand& cmd);
void ReportSupportedOpcodes(Lu& lu, ScsiCommand& cmd);
void ReportSupportedTmf(Lu& lu, ScsiCommand& cmd);
void ReportTargetPortGroups(Lu& lu, ScsiCommand& cmd);
void SetTargetPortGroups(Lu& lu, ScsiCommand& cmd);
void Reserve(Lu& lu, ScsiCommand& cmd);
void Release(Lu& lu, ScsiCommand& cmd);
void PersistentReserveIn(Lu& lu, ScsiCommand& cmd);
void PersistentReserveOut(Lu& lu, ScsiCommand& cmd);
void ExtendedCopy(Lu& lu, ScsiCommand& cmd);
void ReceiveCopyResults(Lu& lu, ScsiCommand& cmd);

// SBC-3 (sbc_*.cc)
void Read(Lu& lu, ScsiCommand& cmd);
void Write(Lu& lu, ScsiCommand& cmd);
void WriteAtomic(Lu& lu, ScsiCommand& cmd);
void WriteAndVerify(Lu& lu, ScsiCommand& cmd);
void Verify(Lu& lu, ScsiCommand& cmd);
void OrWrite(Lu& lu, ScsiCommand& cmd);
void CompareAndWrite(Lu& lu, ScsiCommand& cmd);
void ReadCapacity10(Lu& lu, ScsiCommand& cmd);
void ReadCapacity16(Lu& lu, ScsiCommand& cmd);
void GetLbaStatus(Lu& lu, ScsiCommand& cmd);
void SynchronizeCache(Lu& lu, ScsiCommand& cmd);
void PreFetch(Lu& lu, ScsiCommand& cmd);
void WriteSame(Lu& lu, ScsiCommand& cmd);
void Unmap(Lu& lu, ScsiCommand& cmd);
void Sanitize(Lu& lu, ScsiCommand& cmd);
void StartStopUnit(Lu& lu, ScsiCommand& cmd);
void PreventAllowMediumRemoval(Lu& lu, ScsiCommand& cmd);
void ReadDefectData(Lu& lu, ScsiCommand& cmd);

// Backend flags for a write per FUA/DPO and the caching mode page.
uint32_t WriteFlagsFor(Lu& lu, const Cdb& cdb);

}  // namespace openstmf::scsi::handlers

#endif  // OPENSTMF_SCSI_HANDLERS_H
