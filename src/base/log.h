// One-line log records to standard error (which systemd's journal collects).
//
// A record reads "<level> <component>: <message>", prefixed with syslog priority
// markers ("<3>") when stderr is the journal so journalctl shows levels. The least
// level printed comes from OPENSTMF_LOG_LEVEL (debug, info, warn, error; default
// info), read once per process. Thread-safe: each record is a single write(2).
#ifndef OPENSTMF_BASE_LOG_H
#define OPENSTMF_BASE_LOG_H

namespace openstmf {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// True when records of this level are printed.
bool LogEnabled(LogLevel level);

// printf-style; the record is cut at 1 KiB.
void Log(LogLevel level, const char* component, const char* fmt, ...)
    __attribute__((format(printf, 3, 4)));

}  // namespace openstmf

#endif  // OPENSTMF_BASE_LOG_H
