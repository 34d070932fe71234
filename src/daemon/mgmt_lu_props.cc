#include "daemon/mgmt_lu_props.h"

#include <cstdio>
#include <set>

#include "daemon/mgmt_reply.h"
#include "daemon/options.h"
#include "lu/sbd/sbd_lu.h"
#include "mgmt/status_codes.h"
#include "scsi/lu.h"

namespace openstmf::daemon {
namespace {

// Status::detail() carries the libstmf code for these errors.
Status Err(uint32_t code, std::string message) {
  return Status(Code::kInvalidArgument, std::move(message)).WithDetail(static_cast<int>(code));
}

Status CheckLength(const std::string& name, const std::string& value, size_t max) {
  if (value.size() > max) {
    return Err(mgmt::kStmfErrorInvalidPropsize,
               "LU property " + name + " is longer than " + std::to_string(max) + " bytes");
  }
  if (value.find('\0') != std::string::npos) {
    return Err(mgmt::kStmfErrorInvalidArg, "LU property " + name + " contains a NUL byte");
  }
  return Status::Ok();
}

Result<bool> ParseBool(const std::string& name, const std::string& v) {
  if (v == "true" || v == "on" || v == "1") return true;
  if (v == "false" || v == "off" || v == "0") return false;
  return Err(mgmt::kStmfErrorInvalidArg,
             "LU property " + name + " must be \"true\" or \"false\", not \"" + v + "\"");
}

Result<uint64_t> ParseBytes(const std::string& v) {
  auto r = ParseSize(v);
  if (!r.ok() || *r == 0) return Err(mgmt::kStmfErrorInvalidArg, "bad LU size \"" + v + "\"");
  return *r;
}

Result<uint32_t> ParseOui(const std::string& v) {
  if (v.size() != 6) return Err(mgmt::kStmfErrorInvalidArg, "oui must be 6 hex digits");
  uint32_t out = 0;
  for (char c : v) {
    int d = -1;
    if (c >= '0' && c <= '9') d = c - '0';
    if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    if (d < 0) return Err(mgmt::kStmfErrorInvalidArg, "oui must be 6 hex digits");
    out = out << 4 | static_cast<uint32_t>(d);
  }
  return out;
}

const std::set<std::string>& KnownNames() {
  static const std::set<std::string> kNames = {
      "alias",    "vendor", "product",   "revision",     "serial", "guid",
      "blk",      "size",   "meta",      "data",         "wp",     "wcd",
      "mgmt-url", "oui",    "removable", "access_state", "host_id"};
  return kNames;
}

Status CheckName(const std::string& name) {
  if (KnownNames().count(name) == 0) {
    return Err(mgmt::kStmfErrorInvalidProp, "unknown LU property \"" + name + "\"");
  }
  if (name == "access_state") {
    return Err(mgmt::kStmfErrorAccessStateSet, "LU property access_state is read only");
  }
  if (name == "host_id") {
    return Err(mgmt::kStmfErrorInvalidProp, "LU property host_id is read only");
  }
  return Status::Ok();
}

}  // namespace

Result<PropList> PropsField(const mgmt::Message& m) {
  PropList out;
  const mgmt::Message::List* list = m.ListOf("props");
  if (list == nullptr) return out;
  for (const mgmt::Message& item : *list) {
    auto name = item.Bytes("name");
    auto value = item.Bytes("value");
    if (!name || !value) {
      return Err(mgmt::kStmfErrorInvalidArg, "a property needs a name and value");
    }
    out.emplace_back(*name, *value);
  }
  return out;
}

Result<LuCreateRequest> ParseCreateProps(const PropList& props) {
  LuCreateRequest r;
  std::optional<std::string> meta;
  for (const auto& [name, v] : props) {
    RETURN_IF_ERROR(CheckName(name));
    if (name == "alias") {
      RETURN_IF_ERROR(CheckLength(name, v, 255));
      r.alias = v;
    } else if (name == "vendor") {
      RETURN_IF_ERROR(CheckLength(name, v, 8));
      r.vendor = v;
    } else if (name == "product") {
      RETURN_IF_ERROR(CheckLength(name, v, 16));
      r.product = v;
    } else if (name == "revision") {
      RETURN_IF_ERROR(CheckLength(name, v, 4));
      r.revision = v;
    } else if (name == "serial") {
      RETURN_IF_ERROR(CheckLength(name, v, 252));
      r.serial = v;
    } else if (name == "mgmt-url") {
      RETURN_IF_ERROR(CheckLength(name, v, 1024));
      r.mgmt_url = v;
    } else if (name == "guid") {
      r.guid = ParseGuidHex(v);
      if (!r.guid) return Err(mgmt::kStmfErrorInvalidArg, "guid must be 32 hex digits");
    } else if (name == "oui") {
      ASSIGN_OR_RETURN(r.company_id, ParseOui(v));
    } else if (name == "blk") {
      if (v != "512" && v != "4096") {
        return Err(mgmt::kStmfErrorInvalidBlocksize,
                   "block size \"" + v + "\" is not supported (512 or 4096)");
      }
      r.block_size = v == "512" ? 512 : 4096;
    } else if (name == "size") {
      ASSIGN_OR_RETURN(r.size, ParseBytes(v));
    } else if (name == "data") {
      r.data = v;
    } else if (name == "meta") {
      meta = v;
    } else if (name == "wp") {
      ASSIGN_OR_RETURN(r.write_protect, ParseBool(name, v));
    } else if (name == "wcd") {
      ASSIGN_OR_RETURN(r.write_cache_disabled, ParseBool(name, v));
    } else if (name == "removable") {
      ASSIGN_OR_RETURN(r.removable, ParseBool(name, v));
    }
  }
  if (r.data.empty()) {
    return Err(mgmt::kStmfErrorMissingPropVal, "create-lu needs the data property (a file)");
  }
  if (r.data[0] != '/' || r.data.size() > 4096) {
    return Err(mgmt::kStmfErrorInvalidArg, "data file \"" + r.data + "\" is not an absolute path");
  }
  if (meta && *meta != r.data) {
    return Err(mgmt::kStmfErrorInvalidProp,
               "a separate metadata file is not supported; the metadata lives in the data file");
  }
  if (r.size && *r.size / r.block_size == 0) {
    return Err(mgmt::kStmfErrorInvalidArg, "LU size must hold at least one block");
  }
  return r;
}

Result<stmf::LuChanges> ParseModifyProps(const PropList& props) {
  stmf::LuChanges c;
  for (const auto& [name, v] : props) {
    RETURN_IF_ERROR(CheckName(name));
    if (name == "alias") {
      RETURN_IF_ERROR(CheckLength(name, v, 255));
      c.alias = v;
    } else if (name == "mgmt-url") {
      RETURN_IF_ERROR(CheckLength(name, v, 1024));
      c.mgmt_url = v;
    } else if (name == "wp") {
      ASSIGN_OR_RETURN(c.write_protect, ParseBool(name, v));
    } else if (name == "wcd") {
      ASSIGN_OR_RETURN(c.write_cache_disabled, ParseBool(name, v));
    } else if (name == "size") {
      ASSIGN_OR_RETURN(c.size, ParseBytes(v));
    } else {
      return Err(mgmt::kStmfErrorInvalidProp,
                 "LU property " + name + " cannot be changed after the LU is created");
    }
  }
  return c;
}

stmf::LuChanges UndoOf(const stmf::LuChanges& changes, const lu::LuMetadata& md) {
  stmf::LuChanges u;
  if (changes.alias) u.alias = md.alias;
  if (changes.mgmt_url) u.mgmt_url = md.mgmt_url;
  if (changes.write_protect) u.write_protect = md.write_protect;
  if (changes.write_cache_disabled) u.write_cache_disabled = md.write_cache_disabled;
  if (changes.size) u.size = md.lu_size;
  return u;
}

Properties LuPropsText(const lu::LuMetadata& md, const std::string& data_path) {
  // What the SCSI layer reports when the metadata leaves a field empty.
  const scsi::LuIdentity defaults;
  char oui[8];
  std::snprintf(oui, sizeof oui, "%06X", md.company_id);
  auto flag = [](bool b) { return std::string(b ? "true" : "false"); };
  return {{"alias", md.alias},
          {"vendor", md.vendor.empty() ? defaults.vendor : md.vendor},
          {"product", md.product.empty() ? defaults.product : md.product},
          {"revision", md.revision.empty() ? defaults.revision : md.revision},
          {"serial", md.serial},
          {"guid", GuidHex(md.guid)},
          {"blk", std::to_string(md.block_size)},
          {"size", std::to_string(md.lu_size)},
          {"meta", data_path},
          {"data", data_path},
          {"wp", flag(md.write_protect)},
          {"wcd", flag(md.write_cache_disabled)},
          {"mgmt-url", md.mgmt_url},
          {"oui", md.company_id == 0 ? std::string() : std::string(oui)},
          {"removable", flag(md.removable)},
          {"access_state", "0"},  // active: no ALUA pair yet
          {"host_id", "0"}};
}

ConfigChange LuObject(const lu::LuMetadata& md, const std::string& data_path, bool online) {
  Properties p = LuPropsText(md, data_path);
  p.erase("access_state");
  p.erase("host_id");
  p["state"] = online ? "online" : "offline";
  return ConfigChange::Put("lu", GuidHex(md.guid), std::move(p));
}

}  // namespace openstmf::daemon
