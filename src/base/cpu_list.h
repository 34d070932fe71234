// CPU lists as admins write them for taskset and cpusets ("0", "0-3", "1,3,5-7")
// and the pinning of a whole process to one.
//
// Why a daemon pins itself: a hand-off between two threads that share a CPU is a
// context switch, one to a thread sleeping on another CPU is a cross-CPU wake-up
// (an interrupt to that CPU, and on a virtual machine an exit to the host),
// which costs several times more. Services that hand every command to each
// other (stmfd's proxy loop and stmfproxy) are faster sharing a CPU.
//
// Thread-safety: pure functions, except PinProcess, which changes the calling
// process (call it before starting threads: threads started later inherit it).
#ifndef OPENSTMF_BASE_CPU_LIST_H
#define OPENSTMF_BASE_CPU_LIST_H

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace openstmf {

// The largest CPU number a list may name (glibc's cpu_set_t holds 1024).
inline constexpr unsigned kMaxCpu = 1023;

// The CPUs of a list, ascending and without repeats; InvalidArgument naming
// the part that is wrong for an empty list, a bad number, a range that runs
// backwards or a CPU above kMaxCpu.
Result<std::vector<unsigned>> ParseCpuList(std::string_view text);
// The list in its shortest form ("0-3,6").
std::string FormatCpuList(const std::vector<unsigned>& cpus);
// Restricts the calling thread, and so every thread it starts afterwards, to
// cpus (the main thread before any other: the whole process). Fails with the
// kernel's reason when none of them is available to this process.
Status PinProcess(const std::vector<unsigned>& cpus);
// The CPUs the calling thread may run on.
Result<std::vector<unsigned>> CurrentCpus();

}  // namespace openstmf

#endif  // OPENSTMF_BASE_CPU_LIST_H
