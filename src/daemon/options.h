// stmfd's command line.
//
//   --state-dir DIR        persistent state (default /var/lib/openstmf)
//   --run-dir DIR          lock file and runtime files (default /run/openstmf)
//   --listen ADDR[:PORT]   an iSCSI portal; repeatable (default 127.0.0.1:3260)
//   --loops N              event loops (default: one per CPU, or per CPU of --cpus)
//   --cpus LIST            run only on these CPUs ("0", "0-3", "1,3"; default: any)
//   --target IQN           the default target's name
//   --lu SPEC              a LU to serve instead of the embedded default; repeatable.
//                          SPEC = PATH[,size=N[K|M|G|T]][,block=512|4096][,wp]
//                          [,removable][,nomedia][,ram][,pblock=N]: PATH is imported when it
//                          exists, else created (size required, sparse)
//   --nop-interval SECONDS idle time before a NOP-In ping (0: off; default 30)
//   --admin-group NAME     members of this group may use the management door
//                          besides root
//   --alua-mode MODE       how the non-owner node of an ALUA pair serves a LU:
//                          active-nonoptimized (default: every command proxied to
//                          the owner) or standby (COMSTAR's filter)
//   --alua-lease MS        ownership lease of an ALUA pair in milliseconds
//                          (default 1000; 200..60000); the same on both nodes
//   --foreground           stay attached (the only mode; accepted for scripts)
//
// Thread-safety: values.
#ifndef OPENSTMF_DAEMON_OPTIONS_H
#define OPENSTMF_DAEMON_OPTIONS_H

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace openstmf::daemon {

inline constexpr const char* kDefaultTarget = "iqn.2026-11.org.openstmf:default";
inline constexpr uint64_t kDefaultLuSize = uint64_t{1} << 30;
inline constexpr const char* kDefaultLuFile = "default-lu.img";

struct LuSpec {
  std::string path;
  uint64_t size = 0;  // 0: import only
  uint32_t block_size = 512;
  bool write_protect = false;
  bool removable = false;
  bool no_medium = false;
  bool ram = false;
  uint32_t physical_block = 0;  // 0: one logical block per physical block
};

struct Options {
  std::string state_dir = "/var/lib/openstmf";
  std::string run_dir = "/run/openstmf";
  std::vector<std::string> listen;  // empty: 127.0.0.1:3260
  unsigned loops = 0;
  std::vector<unsigned> cpus;  // empty: any CPU
  std::string target = kDefaultTarget;
  std::vector<LuSpec> lus;  // empty: the embedded default LU
  unsigned nop_interval = 30;
  std::string admin_group;  // empty: root only
  std::string alua_mode = "active-nonoptimized";
  unsigned alua_lease_ms = 1000;
  bool help = false;
};

// Parses argv; InvalidArgument naming the bad flag or value.
Result<Options> ParseOptions(int argc, char** argv);
Result<LuSpec> ParseLuSpec(const std::string& spec);
// "1G", "64M", "4096" -> bytes.
Result<uint64_t> ParseSize(const std::string& text);
const char* Usage();

}  // namespace openstmf::daemon

#endif  // OPENSTMF_DAEMON_OPTIONS_H
