// Command dispatch: from CDB bytes to a running handler.
//
// Prepare() looks the opcode up in the table and applies, in this order, the
// checks that precede every handler: CDB length and reserved bits (field pointer
// to the offending bit), a pending unit attention (SAM-5 5.14), the ALUA state
// filter (SPC-4 5.11.2.4), reservation conflicts (SPC-2 RESERVE and SPC-4 5.9.1),
// medium presence and write protection, the LBA range and the transfer length.
// It then says which way and how many bytes data moves. Execute() runs the
// handler. Either finishes the command through Complete(), which renders sense
// data in the format the control mode page asks for and calls cmd.done.
#ifndef OPENSTMF_SCSI_DISPATCHER_H
#define OPENSTMF_SCSI_DISPATCHER_H

#include "scsi/command.h"
#include "scsi/lu.h"

namespace openstmf::scsi {

// Fills cmd.entry, cmd.cdb, cmd.direction and cmd.transfer_length. Returns false
// when the command has already been completed (with an error) instead.
bool Prepare(Lu& lu, ScsiCommand& cmd);

// Runs a prepared command; for Data-Out commands cmd.data_out holds the data.
void Execute(Lu& lu, ScsiCommand& cmd);

// Prepare() then Execute(), for callers that have all data at hand.
void Dispatch(Lu& lu, ScsiCommand& cmd);

// The framework aborts a running command (ABORT TASK, LUN RESET, I_T nexus
// loss...). A command that only waits for LU background work, a SANITIZE with
// IMMED=0, completes now with TASK ABORTED status (the transport sends no
// response for it) and the work goes on (SBC-3 4.11); returns true then. Any
// other command finishes on its own (false): its backend I/O still uses its
// buffers.
bool AbortCommand(Lu& lu, ScsiCommand& cmd);

// Finishes a command: records `result`, builds sense, calls cmd.done.
void Complete(ScsiCommand& cmd, const ScsiResult& result);

// Finishes a command another node ran (an ALUA pair's proxied command): the
// status, sense bytes and data_in byte count come as that node reported them.
// The sense key and ASC/ASCQ are also decoded into cmd.result (fixed or
// descriptor format) so callers can read them as usual.
void CompleteRaw(ScsiCommand& cmd, ScsiStatus status, std::span<const uint8_t> sense,
                 uint32_t data_in_length);

// Copies parameter data into cmd.data_in, cut at the buffer and the allocation
// length (SPC-4 4.2.5.6: truncation is not an error).
void CopyToDataIn(ScsiCommand& cmd, const uint8_t* data, size_t length);

// Completes with GOOD and `length` bytes of data_in (clamped to the buffer).
void CompleteWithData(ScsiCommand& cmd, size_t length);

// Maps a backend failure to sense: MEDIUM ERROR for I/O errors (with the LBA in
// the INFORMATION field when known), SPACE ALLOCATION FAILED for no space.
ScsiResult ResultForIo(const IoResult& io, uint32_t block_size, bool is_write);

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_DISPATCHER_H
