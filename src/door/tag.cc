#include "door/tag.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cinttypes>
#include <cstddef>
#include <cstdio>
#include <cstring>

namespace openstmf::door {
namespace {

constexpr char kPrefix[] = "libdoor/";
constexpr size_t kPrefixLen = sizeof kPrefix - 1;

// Parses an unsigned number in the given base up to the terminator; advances p.
bool Number(const char*& p, const char* end, int base, char term, uint64_t* out) {
  uint64_t v = 0;
  const char* start = p;
  while (p < end && *p != term) {
    int digit;
    const char c = *p;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else {
      return false;
    }
    if (v > (UINT64_MAX - static_cast<uint64_t>(digit)) / static_cast<uint64_t>(base)) return false;
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(digit);
    ++p;
  }
  if (p == start || p - start > 20) return false;
  if (term != '\0') {
    if (p == end) return false;
    ++p;  // the terminator
  }
  *out = v;
  return true;
}

bool NameOf(int fd, bool peer, std::string* out) {
  sockaddr_un sa{};
  socklen_t len = sizeof sa;
  int rc = peer ? ::getpeername(fd, reinterpret_cast<sockaddr*>(&sa), &len)
                : ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  if (rc != 0 || sa.sun_family != AF_UNIX) return false;
  const size_t base = offsetof(sockaddr_un, sun_path);
  if (len <= base + 1 || len > sizeof sa || sa.sun_path[0] != '\0') return false;
  out->assign(sa.sun_path + 1, len - base - 1);
  return true;
}

}  // namespace

std::string FormatTag(const Tag& t) {
  char buf[128];
  int n =
      std::snprintf(buf, sizeof buf, "libdoor/%d/%" PRIx64 "/%x/%" PRIx64 "/%" PRIx64 ".%" PRIx64,
                    static_cast<int>(t.server_pid), t.door_id, t.attributes, t.server_nonce,
                    t.minter_nonce, t.seq);
  return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
}

bool ParseTag(const char* name, size_t len, Tag* tag) {
  if (len <= kPrefixLen || std::memcmp(name, kPrefix, kPrefixLen) != 0) return false;
  const char* p = name + kPrefixLen;
  const char* end = name + len;
  uint64_t pid, id, attrs, snonce, mnonce, seq;
  if (!Number(p, end, 10, '/', &pid) || !Number(p, end, 16, '/', &id) ||
      !Number(p, end, 16, '/', &attrs) || !Number(p, end, 16, '/', &snonce) ||
      !Number(p, end, 16, '.', &mnonce) || !Number(p, end, 16, '\0', &seq)) {
    return false;
  }
  if (pid == 0 || pid > INT32_MAX || attrs > UINT32_MAX) return false;
  tag->server_pid = static_cast<pid_t>(pid);
  tag->door_id = id;
  tag->attributes = static_cast<uint32_t>(attrs);
  tag->server_nonce = snonce;
  tag->minter_nonce = mnonce;
  tag->seq = seq;
  return true;
}

Status BindTag(int fd, const Tag& tag) {
  const std::string name = FormatTag(tag);
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  if (name.size() + 1 > sizeof sa.sun_path) return Status(Code::kInternal, "tag too long", EINVAL);
  std::memcpy(sa.sun_path + 1, name.data(), name.size());
  const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), len) != 0) {
    return Status::FromErrno(errno, "bind door tag");
  }
  return Status::Ok();
}

Result<Tag> ReadTag(int fd, std::string* name) {
  std::string n;
  Tag tag;
  if (!NameOf(fd, false, &n) || !ParseTag(n.data(), n.size(), &tag)) {
    return Status(Code::kInvalidArgument, "not a door descriptor", EBADF);
  }
  if (name != nullptr) *name = std::move(n);
  return tag;
}

bool ReadPeerTag(int fd, std::string* name) {
  Tag tag;
  return NameOf(fd, true, name) && ParseTag(name->data(), name->size(), &tag);
}

}  // namespace openstmf::door
