// RunGuarded: the outermost frame of a daemon's main(). openstmf passes errors
// as values; only the standard library throws (out of memory), and then all that
// is left to do is say so on stderr and exit 1.
//
// Thread-safety: runs body on the calling thread.
#ifndef OPENSTMF_BASE_MAIN_GUARD_H
#define OPENSTMF_BASE_MAIN_GUARD_H

#include <cstdio>
#include <exception>

namespace openstmf {

template <typename Body>
int RunGuarded(const char* program, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", program, e.what());
  } catch (...) {
    std::fprintf(stderr, "%s: unexpected exception\n", program);
  }
  return 1;
}

}  // namespace openstmf

#endif  // OPENSTMF_BASE_MAIN_GUARD_H
