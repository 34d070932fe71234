// list-lu [-v] [-o json] [LU-name ...].
#include <libstmf.h>

#include <cstring>
#include <ostream>

#include "cli/common/values.h"
#include "cli/stmfadm/commands.h"
#include "cli/stmfadm/format.h"

namespace openstmf::cli {
namespace {

std::optional<std::string> GetProp(luResource hdl, uint32_t id) {
  char buf[4096];
  size_t len = sizeof(buf);
  if (stmfGetLuProp(hdl, id, buf, &len) != STMF_STATUS_SUCCESS) return std::nullopt;
  return std::string(buf);
}

LuInfo Describe(stmfGuid guid) {
  LuInfo lu;
  lu.guid = GuidText(guid);
  stmfLogicalUnitProperties props;
  if (stmfGetLogicalUnitProperties(&guid, &props) == STMF_STATUS_SUCCESS) lu.props = props;
  stmfViewEntryList* views = nullptr;
  if (stmfGetViewEntryList(&guid, &views) == STMF_STATUS_SUCCESS) {
    lu.view_count = views->cnt;
    stmfFreeMemory(views);
  }
  luResource hdl = nullptr;
  if (stmfGetLuResource(&guid, &hdl) == STMF_STATUS_SUCCESS) {
    LuInfo::Ext e;
    e.data_file = GetProp(hdl, STMF_LU_PROP_FILENAME);
    e.meta_file = GetProp(hdl, STMF_LU_PROP_META_FILENAME);
    e.size = GetProp(hdl, STMF_LU_PROP_SIZE);
    e.block_size = GetProp(hdl, STMF_LU_PROP_BLOCK_SIZE);
    e.mgmt_url = GetProp(hdl, STMF_LU_PROP_MGMT_URL);
    e.vendor = GetProp(hdl, STMF_LU_PROP_VID);
    e.product = GetProp(hdl, STMF_LU_PROP_PID);
    e.serial = GetProp(hdl, STMF_LU_PROP_SERIAL_NUM);
    e.write_protect = GetProp(hdl, STMF_LU_PROP_WRITE_PROTECT);
    e.write_cache_disabled = GetProp(hdl, STMF_LU_PROP_WRITE_CACHE_DISABLE);
    e.access_state = GetProp(hdl, STMF_LU_PROP_ACCESS_STATE);
    lu.ext = e;
    (void)stmfFreeLuResource(hdl);
  }
  return lu;
}

}  // namespace

int ListLu(const ParsedArgs& a, const Context& c) {
  std::vector<stmfGuid> wanted;
  for (const std::string& op : a.operands) {
    auto g = ParseGuid(op);
    if (!g) return c.Error(op + ": must be 32 hexadecimal digits long");
    wanted.push_back(*g);
  }
  stmfGuidList* list = nullptr;
  int rc = stmfGetLogicalUnitList(&list);
  if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc);
  std::vector<stmfGuid> all(list->guid, list->guid + list->cnt);
  stmfFreeMemory(list);

  int status = 0;
  std::vector<stmfGuid> shown;
  if (wanted.empty()) {
    shown = all;
  } else {
    for (size_t i = 0; i < wanted.size(); ++i) {
      bool found = false;
      for (const stmfGuid& g : all) found = found || memcmp(&g, &wanted[i], sizeof(g)) == 0;
      if (found) {
        shown.push_back(wanted[i]);
      } else {
        status = c.Error(a.operands[i] + ": not found");
      }
    }
  }
  bool json = WantsJson(a);
  bool verbose = json || a.Has('v');
  Json lus = Json::Array();
  for (const stmfGuid& g : shown) {
    LuInfo lu = verbose ? Describe(g) : LuInfo{GuidText(g), {}, {}, {}};
    if (json) {
      lus.Push(LuJson(lu));
    } else {
      c.out() << FormatLu(lu, verbose);
    }
  }
  if (json) c.out() << Json::Object().Add("lus", std::move(lus)).Dump() << "\n";
  return status;
}

}  // namespace openstmf::cli
