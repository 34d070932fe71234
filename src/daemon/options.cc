#include "daemon/options.h"

#include <cstdlib>
#include <string_view>

#include "base/cpu_list.h"

namespace openstmf::daemon {

const char* Usage() {
  return "usage: stmfd [--foreground] [--state-dir DIR] [--run-dir DIR]\n"
         "             [--listen ADDR[:PORT]]... [--loops N] [--cpus LIST] [--target IQN]\n"
         "             [--lu "
         "PATH[,size=N][,block=512|4096][,wp][,removable][,nomedia][,ram][,pblock=N]]...\n"
         "             [--nop-interval SECONDS] [--admin-group NAME]\n"
         "             [--alua-mode active-nonoptimized|standby] [--alua-lease MS]\n";
}

Result<uint64_t> ParseSize(const std::string& text) {
  if (text.empty()) return Status(Code::kInvalidArgument, "empty size");
  char* end = nullptr;
  unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (end == text.c_str()) return Status(Code::kInvalidArgument, "bad size '" + text + "'");
  std::string_view unit(end);
  uint64_t mult = 1;
  if (unit == "K" || unit == "k") {
    mult = 1ull << 10;
  } else if (unit == "M" || unit == "m") {
    mult = 1ull << 20;
  } else if (unit == "G" || unit == "g") {
    mult = 1ull << 30;
  } else if (unit == "T" || unit == "t") {
    mult = 1ull << 40;
  } else if (!unit.empty()) {
    return Status(Code::kInvalidArgument, "bad size unit in '" + text + "'");
  }
  if (v > (~0ull) / mult) return Status(Code::kInvalidArgument, "size '" + text + "' too large");
  return static_cast<uint64_t>(v * mult);
}

Result<LuSpec> ParseLuSpec(const std::string& spec) {
  LuSpec lu;
  size_t pos = spec.find(',');
  lu.path = spec.substr(0, pos);
  if (lu.path.empty()) return Status(Code::kInvalidArgument, "--lu needs a path");
  while (pos != std::string::npos) {
    size_t next = spec.find(',', pos + 1);
    std::string opt = spec.substr(pos + 1, next == std::string::npos ? next : next - pos - 1);
    pos = next;
    if (opt.rfind("size=", 0) == 0) {
      ASSIGN_OR_RETURN(lu.size, ParseSize(opt.substr(5)));
    } else if (opt == "block=512" || opt == "block=4096") {
      lu.block_size = opt == "block=512" ? 512 : 4096;
    } else if (opt == "wp") {
      lu.write_protect = true;
    } else if (opt == "removable") {
      lu.removable = true;
    } else if (opt == "nomedia") {
      lu.removable = true;
      lu.no_medium = true;
    } else if (opt == "ram") {
      lu.ram = true;
    } else if (opt.rfind("pblock=", 0) == 0) {
      ASSIGN_OR_RETURN(uint64_t pb, ParseSize(opt.substr(7)));
      if (pb == 0 || pb > 65536 || (pb & (pb - 1)) != 0) {
        return Status(Code::kInvalidArgument,
                      "pblock= must be a power of two up to 64K, not '" + opt.substr(7) + "'");
      }
      lu.physical_block = static_cast<uint32_t>(pb);
    } else {
      return Status(Code::kInvalidArgument, "unknown --lu option '" + opt + "'");
    }
  }
  if (lu.ram && lu.size == 0) return Status(Code::kInvalidArgument, "a RAM LU needs size=");
  if (lu.physical_block != 0 && lu.physical_block < lu.block_size) {
    return Status(Code::kInvalidArgument, "pblock= is smaller than the block size");
  }
  return lu;
}

Result<Options> ParseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&](std::string* out) -> Status {
      if (i + 1 >= argc) return Status(Code::kInvalidArgument, std::string(a) + " needs a value");
      *out = argv[++i];
      return Status::Ok();
    };
    std::string v;
    if (a == "--foreground" || a == "-f") {
      continue;  // stmfd always runs in the foreground
    }
    if (a == "--help" || a == "-h") {
      o.help = true;
    } else if (a == "--state-dir") {
      RETURN_IF_ERROR(value(&o.state_dir));
    } else if (a == "--run-dir") {
      RETURN_IF_ERROR(value(&o.run_dir));
    } else if (a == "--listen") {
      RETURN_IF_ERROR(value(&v));
      o.listen.push_back(v);
    } else if (a == "--admin-group") {
      RETURN_IF_ERROR(value(&o.admin_group));
      if (o.admin_group.empty()) {
        return Status(Code::kInvalidArgument, "--admin-group needs a name");
      }
    } else if (a == "--alua-mode") {
      RETURN_IF_ERROR(value(&o.alua_mode));
      if (o.alua_mode != "standby" && o.alua_mode != "active-nonoptimized") {
        return Status(Code::kInvalidArgument,
                      "--alua-mode is standby or active-nonoptimized, not '" + o.alua_mode + "'");
      }
    } else if (a == "--alua-lease") {
      RETURN_IF_ERROR(value(&v));
      char* end = nullptr;
      unsigned long n = std::strtoul(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || n < 200 || n > 60000) {
        return Status(Code::kInvalidArgument,
                      "--alua-lease is 200..60000 milliseconds, not '" + v + "'");
      }
      o.alua_lease_ms = static_cast<unsigned>(n);
    } else if (a == "--cpus") {
      RETURN_IF_ERROR(value(&v));
      auto cpus = ParseCpuList(v);
      if (!cpus.ok()) return Status(Code::kInvalidArgument, "--cpus: " + cpus.status().message());
      o.cpus = std::move(cpus).value();
    } else if (a == "--target") {
      RETURN_IF_ERROR(value(&o.target));
    } else if (a == "--lu") {
      RETURN_IF_ERROR(value(&v));
      ASSIGN_OR_RETURN(LuSpec lu, ParseLuSpec(v));
      o.lus.push_back(std::move(lu));
    } else if (a == "--loops" || a == "--nop-interval") {
      RETURN_IF_ERROR(value(&v));
      char* end = nullptr;
      unsigned long n = std::strtoul(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || n > 1024 || (a == "--loops" && n == 0)) {
        return Status(Code::kInvalidArgument, "bad value '" + v + "' for " + std::string(a));
      }
      (a == "--loops" ? o.loops : o.nop_interval) = static_cast<unsigned>(n);
    } else {
      return Status(Code::kInvalidArgument, "unknown flag '" + std::string(a) + "'");
    }
  }
  if (o.listen.empty()) o.listen.push_back("127.0.0.1:3260");
  return o;
}

}  // namespace openstmf::daemon
