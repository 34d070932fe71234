#include "base/cpu_list.h"

#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <charconv>

namespace openstmf {
namespace {

Status Bad(std::string_view list, const std::string& why) {
  return Status(Code::kInvalidArgument, "CPU list '" + std::string(list) + "': " + why);
}

// One CPU number; the whole of text must be digits.
Result<unsigned> ParseCpu(std::string_view list, std::string_view text) {
  unsigned v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || p != end) {
    return Bad(list, "'" + std::string(text) + "' is not a CPU number");
  }
  if (v > kMaxCpu) {
    return Bad(list, "CPU " + std::string(text) + " is above " + std::to_string(kMaxCpu));
  }
  return v;
}

}  // namespace

Result<std::vector<unsigned>> ParseCpuList(std::string_view text) {
  if (text.empty()) return Bad(text, "no CPUs named");
  std::vector<unsigned> cpus;
  size_t at = 0;
  for (;;) {
    const size_t comma = text.find(',', at);
    const std::string_view item =
        text.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at);
    const size_t dash = item.find('-');
    if (dash == std::string_view::npos) {
      ASSIGN_OR_RETURN(unsigned cpu, ParseCpu(text, item));
      cpus.push_back(cpu);
    } else {
      ASSIGN_OR_RETURN(unsigned first, ParseCpu(text, item.substr(0, dash)));
      ASSIGN_OR_RETURN(unsigned last, ParseCpu(text, item.substr(dash + 1)));
      if (last < first) return Bad(text, "the range " + std::string(item) + " runs backwards");
      for (unsigned c = first; c <= last; ++c) cpus.push_back(c);
    }
    if (comma == std::string_view::npos) break;
    at = comma + 1;
  }
  std::sort(cpus.begin(), cpus.end());
  cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
  return cpus;
}

std::string FormatCpuList(const std::vector<unsigned>& cpus) {
  std::string out;
  for (size_t i = 0; i < cpus.size();) {
    size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(cpus[i]);
    if (j > i) out += '-' + std::to_string(cpus[j]);
    i = j + 1;
  }
  return out;
}

Status PinProcess(const std::vector<unsigned>& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (unsigned c : cpus) {
    if (c <= kMaxCpu) CPU_SET(c, &set);
  }
  // pid 0: the calling thread; threads it starts later inherit the mask.
  if (sched_setaffinity(0, sizeof set, &set) != 0) {
    return Status::FromErrno(errno, "pinning to CPUs " + FormatCpuList(cpus));
  }
  return Status::Ok();
}

Result<std::vector<unsigned>> CurrentCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) {
    return Status::FromErrno(errno, "sched_getaffinity");
  }
  std::vector<unsigned> cpus;
  for (unsigned c = 0; c <= kMaxCpu; ++c) {
    if (CPU_ISSET(c, &set)) cpus.push_back(c);
  }
  return cpus;
}

}  // namespace openstmf
