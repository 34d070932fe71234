#include "door/proc_creds.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace openstmf::door {
namespace {

// Reads a whole /proc file (they report a size of 0, so read until EOF).
bool ReadProcFile(pid_t pid, const char* name, std::string* out) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/%s", static_cast<int>(pid), name);
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  out->clear();
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    out->append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return true;
}

// Parses up to max whitespace-separated numbers after the line tag ("\nUid:").
// Status never starts with these lines (the first is "Name:").
int ParseIds(const std::string& status, const char* tag, unsigned long* out, int max) {
  const size_t at = status.find(tag);
  if (at == std::string::npos) return 0;
  const char* p = status.c_str() + at + std::strlen(tag);
  int n = 0;
  while (n < max) {
    while (*p == ' ' || *p == '\t') ++p;
    if (*p < '0' || *p > '9') break;
    char* end = nullptr;
    out[n++] = std::strtoul(p, &end, 10);
    p = end;
  }
  return n;
}

}  // namespace

uint64_t ProcStartTime(pid_t pid) {
  std::string stat;
  if (pid <= 0 || !ReadProcFile(pid, "stat", &stat)) return 0;
  // proc(5): field 2 is "(comm)", which may itself hold spaces and parentheses;
  // the fields after the last ')' are fixed. starttime is field 22.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  const char* p = stat.c_str() + close + 1;
  for (int field = 3; field < 22; ++field) {
    p = std::strchr(p + 1, ' ');
    if (p == nullptr) return 0;
  }
  return std::strtoull(p + 1, nullptr, 10);
}

bool ReadCurrentCreds(Creds* c) {
  if (c->pid <= 0 || c->start_time == 0) return false;
  std::string status;
  if (!ReadProcFile(c->pid, "status", &status)) return false;
  unsigned long uid[4] = {};
  unsigned long gid[4] = {};
  if (ParseIds(status, "\nUid:", uid, 4) < 3 || ParseIds(status, "\nGid:", gid, 4) < 3) {
    return false;
  }
  std::vector<gid_t> groups;
  const size_t at = status.find("\nGroups:");
  if (at != std::string::npos) {
    const char* p = status.c_str() + at + 8;
    for (;;) {
      while (*p == ' ' || *p == '\t') ++p;
      if (*p < '0' || *p > '9') break;
      char* end = nullptr;
      groups.push_back(static_cast<gid_t>(std::strtoul(p, &end, 10)));
      p = end;
    }
  }
  // Read after status: if the pid now belongs to another process, status may have
  // been that process's too, so neither is used.
  if (ProcStartTime(c->pid) != c->start_time) return false;
  c->ruid = static_cast<uid_t>(uid[0]);
  c->euid = static_cast<uid_t>(uid[1]);
  c->suid = static_cast<uid_t>(uid[2]);
  c->rgid = static_cast<gid_t>(gid[0]);
  c->egid = static_cast<gid_t>(gid[1]);
  c->sgid = static_cast<gid_t>(gid[2]);
  c->groups = std::move(groups);
  return true;
}

}  // namespace openstmf::door
