#include "base/log.h"

#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace openstmf {
namespace {

LogLevel LevelFromEnv() {
  const char* v = std::getenv("OPENSTMF_LOG_LEVEL");
  if (v == nullptr) return LogLevel::kInfo;
  if (std::strcmp(v, "debug") == 0) return LogLevel::kDebug;
  if (std::strcmp(v, "warn") == 0) return LogLevel::kWarn;
  if (std::strcmp(v, "error") == 0) return LogLevel::kError;
  return LogLevel::kInfo;
}

// Read once: the level is fixed for the life of the process.
LogLevel MinLevel() {
  static const LogLevel kLevel = LevelFromEnv();
  return kLevel;
}

bool ToJournal() {
  static const bool kJournal = std::getenv("JOURNAL_STREAM") != nullptr;
  return kJournal;
}

}  // namespace

bool LogEnabled(LogLevel level) { return level >= MinLevel(); }

void Log(LogLevel level, const char* component, const char* fmt, ...) {
  if (!LogEnabled(level)) return;
  static constexpr const char* kNames[] = {"debug", "info", "warn", "error"};
  static constexpr int kPriorities[] = {7, 6, 4, 3};  // syslog(3) priorities
  const int idx = static_cast<int>(level);

  char message[1024];
  va_list ap;
  va_start(ap, fmt);
  // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): ap is started just above
  int m = std::vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  if (m < 0) return;

  char line[1200];
  int n =
      ToJournal()
          ? std::snprintf(line, sizeof line, "<%d>%s: %s\n", kPriorities[idx], component, message)
          : std::snprintf(line, sizeof line, "%s %s: %s\n", kNames[idx], component, message);
  if (n < 0) return;
  size_t len = static_cast<size_t>(n) < sizeof line ? static_cast<size_t>(n) : sizeof line - 1;
  line[len - 1] = '\n';  // a cut record still ends its line
  ssize_t rc = ::write(STDERR_FILENO, line, len);
  (void)rc;  // nowhere left to report a failed log write
}

}  // namespace openstmf
