// create-lu, modify-lu, import-lu, delete-lu, online-lu, offline-lu.
#include <libstmf.h>

#include <ostream>

#include "cli/common/values.h"
#include "cli/stmfadm/commands.h"

namespace openstmf::cli {
namespace {

struct PropSetting {
  uint32_t id;
  std::string name;
  std::string value;
};

// -p name=value and -s size, in command-line order, checked.
std::optional<std::vector<PropSetting>> Settings(const ParsedArgs& a, const Context& c) {
  std::vector<PropSetting> out;
  for (const auto& [opt, text] : a.options) {
    if (opt == 's') {
      auto size = ParseSize(text);
      if (!size) {
        c.Error(text + ": invalid size (a number of bytes with an optional k, m, g, t suffix)");
        return std::nullopt;
      }
      out.push_back({STMF_LU_PROP_SIZE, "size", std::to_string(*size)});
    } else if (opt == 'p') {
      size_t eq = text.find('=');
      if (eq == std::string::npos || eq == 0) {
        c.Error(text + ": invalid property specifier - prop=val");
        return std::nullopt;
      }
      std::string name = text.substr(0, eq);
      auto id = LuPropId(name);
      if (!id) {
        c.Error("invalid property specified: " + name);
        return std::nullopt;
      }
      out.push_back({*id, name, text.substr(eq + 1)});
    }
  }
  return out;
}

// Runs every value through stmfSetLuProp on a scratch resource (local, no daemon),
// so that a bad value is reported before anything changes.
bool CheckValues(const std::vector<PropSetting>& settings, const Context& c, luResource hdl) {
  for (const PropSetting& s : settings) {
    if (s.id == STMF_LU_PROP_MGMT_URL && s.value.empty()) continue;  // clears the URL
    int rc = stmfSetLuProp(hdl, s.id, s.value.c_str());
    if (rc != STMF_STATUS_SUCCESS) {
      c.Error("unable to set " + s.name + ": " + stmfGetErrorDetail());
      return false;
    }
  }
  return true;
}

bool Modifiable(uint32_t id) {
  return id == STMF_LU_PROP_ALIAS || id == STMF_LU_PROP_MGMT_URL ||
         id == STMF_LU_PROP_WRITE_CACHE_DISABLE || id == STMF_LU_PROP_WRITE_PROTECT ||
         id == STMF_LU_PROP_SIZE;
}

int OnlineOffline(bool online, const ParsedArgs& a, const Context& c) {
  auto guid = ParseGuid(a.operands[0]);
  if (!guid) return c.Error(a.operands[0] + ": must be 32 hexadecimal digits long");
  int rc = online ? stmfOnlineLogicalUnit(&*guid) : stmfOfflineLogicalUnit(&*guid);
  if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc, a.operands[0]);
  return 0;
}

}  // namespace

int CreateLu(const ParsedArgs& a, const Context& c) {
  auto settings = Settings(a, c);
  if (!settings) return 1;
  luResource hdl = nullptr;
  if (stmfCreateLuResource(STMF_DISK, &hdl) != STMF_STATUS_SUCCESS) {
    return c.Error("failure to create lu resource");
  }
  bool ok = CheckValues(*settings, c, hdl);
  if (ok &&
      stmfSetLuProp(hdl, STMF_LU_PROP_FILENAME, a.operands[0].c_str()) != STMF_STATUS_SUCCESS) {
    ok = c.Error(a.operands[0] + ": " + stmfGetErrorDetail()) == 0;
  }
  int status = ok ? 0 : 1;
  if (ok) {
    stmfGuid created;
    int rc = stmfCreateLu(hdl, &created);
    if (rc == STMF_STATUS_SUCCESS) {
      c.out() << "Logical unit created: " << GuidText(created) << "\n";
    } else {
      status = c.StmfError(rc, a.operands[0]);
    }
  }
  (void)stmfFreeLuResource(hdl);
  return status;
}

int ModifyLu(const ParsedArgs& a, const Context& c) {
  const std::string& target = a.operands[0];
  bool by_file = a.Has('f');
  std::optional<stmfGuid> guid;
  if (!by_file) {
    guid = ParseGuid(target);
    if (!guid) return c.Error(target + ": must be 32 hexadecimal digits long");
  }
  auto settings = Settings(a, c);
  if (!settings) return 1;
  if (settings->empty()) return c.Error("modify-lu: nothing to modify (give -p or -s)");
  for (const PropSetting& s : *settings) {
    if (!Modifiable(s.id)) return c.Error(s.name + ": invalid property for modify");
  }
  luResource scratch = nullptr;
  if (stmfCreateLuResource(STMF_DISK, &scratch) != STMF_STATUS_SUCCESS) {
    return c.Error("failure to create lu resource");
  }
  bool ok = CheckValues(*settings, c, scratch);
  (void)stmfFreeLuResource(scratch);
  if (!ok) return 1;
  for (const PropSetting& s : *settings) {
    int rc = by_file ? stmfModifyLuByFname(STMF_DISK, target.c_str(), s.id, s.value.c_str())
                     : stmfModifyLu(&*guid, s.id, s.value.c_str());
    if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc, target);
  }
  return 0;
}

int ImportLu(const ParsedArgs& a, const Context& c) {
  std::string file = a.operands[0];
  stmfGuid imported;
  int rc = stmfImportLu(STMF_DISK, file.data(), &imported);
  if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc, file);
  c.out() << "Logical unit imported: " << GuidText(imported) << "\n";
  return 0;
}

int DeleteLu(const ParsedArgs& a, const Context& c) {
  std::vector<stmfGuid> guids;
  for (const std::string& op : a.operands) {
    auto g = ParseGuid(op);
    if (!g) return c.Error(op + ": must be 32 hexadecimal digits long");
    guids.push_back(*g);
  }
  bool keep_views = a.Has('k');
  int failures = 0;
  for (size_t i = 0; i < guids.size(); ++i) {
    int rc = stmfDeleteLu(&guids[i]);
    std::string detail = stmfGetErrorDetail();
    if (rc != STMF_STATUS_SUCCESS && rc != STMF_ERROR_NOT_FOUND) {
      c.StmfError(rc, a.operands[i]);
      ++failures;
      continue;
    }
    // As in COMSTAR, the view entries outlive the LU unless removed here; an LU
    // that is gone but still has view entries is not "not found".
    bool had_views = false;
    stmfViewEntryList* views = nullptr;
    if (stmfGetViewEntryList(&guids[i], &views) == STMF_STATUS_SUCCESS) {
      had_views = views->cnt > 0;
      if (!keep_views) {
        for (uint32_t j = 0; j < views->cnt; ++j) {
          (void)stmfRemoveViewEntry(&guids[i], views->ve[j].veIndex);
        }
      }
      stmfFreeMemory(views);
    }
    if (rc == STMF_ERROR_NOT_FOUND && !had_views) {
      c.Error(detail.empty() ? a.operands[i] + ": not found" : detail);
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}

int OnlineLu(const ParsedArgs& a, const Context& c) { return OnlineOffline(true, a, c); }
int OfflineLu(const ParsedArgs& a, const Context& c) { return OnlineOffline(false, a, c); }

}  // namespace openstmf::cli
