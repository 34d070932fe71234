// add-view, remove-view, list-view.
#include <libstmf.h>

#include <cstring>
#include <ostream>

#include "cli/common/values.h"
#include "cli/stmfadm/commands.h"
#include "cli/stmfadm/format.h"

namespace openstmf::cli {
namespace {

std::optional<stmfGuid> GuidArg(const Context& c, const std::string& text) {
  auto g = ParseGuid(text);
  if (!g) c.Error(text + ": must be 32 hexadecimal digits long");
  return g;
}

bool SetGroup(const Context& c, const std::string& name, const char* what, char* out) {
  if (name.empty() || name.size() >= sizeof(stmfGroupName)) {
    c.Error(std::string(what) + " name \"" + name + "\" must have 1 to 255 characters");
    return false;
  }
  memcpy(out, name.data(), name.size());
  out[name.size()] = '\0';
  return true;
}

}  // namespace

int AddView(const ParsedArgs& a, const Context& c) {
  auto guid = GuidArg(c, a.operands[0]);
  if (!guid) return 1;
  stmfViewEntry ve{};
  ve.allHosts = B_TRUE;
  ve.allTargets = B_TRUE;
  if (auto n = a.Last('n')) {
    auto lun = ParseLun(*n);
    if (!lun) return c.Error(*n + ": Logical unit number must be a number less than 16384");
    ve.luNbrValid = B_TRUE;
    ve.luNbr[0] = static_cast<uchar_t>(*lun >> 8);
    ve.luNbr[1] = static_cast<uchar_t>(*lun & 0xff);
  }
  if (auto h = a.Last('h')) {
    if (!SetGroup(c, *h, "host group", ve.hostGroup)) return 1;
    ve.allHosts = B_FALSE;
  }
  if (auto t = a.Last('t')) {
    if (!SetGroup(c, *t, "target group", ve.targetGroup)) return 1;
    ve.allTargets = B_FALSE;
  }
  int rc = stmfAddViewEntry(&*guid, &ve);
  if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc, a.operands[0]);
  return 0;
}

int RemoveView(const ParsedArgs& a, const Context& c) {
  auto l = a.Last('l');
  if (!l) return c.Error("remove-view: logical unit (-l) not specified");
  auto guid = GuidArg(c, *l);
  if (!guid) return 1;
  bool all = a.Has('a');
  if (!all && a.operands.empty()) return c.Error("remove-view: no view entries specified");
  if (all && !a.operands.empty()) {
    return c.Error("remove-view: give either -a or view entry numbers, not both");
  }
  std::vector<uint32_t> indexes;
  for (const std::string& op : a.operands) {
    auto i = ParseIndex(op);
    if (!i) return c.Error(op + ": invalid view entry number");
    indexes.push_back(*i);
  }
  if (all) {
    stmfViewEntryList* list = nullptr;
    int rc = stmfGetViewEntryList(&*guid, &list);
    if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc, *l);
    for (uint32_t i = 0; i < list->cnt; ++i) indexes.push_back(list->ve[i].veIndex);
    stmfFreeMemory(list);
    if (indexes.empty()) return c.Error(*l + ": no views found");
  }
  int failures = 0;
  for (uint32_t index : indexes) {
    int rc = stmfRemoveViewEntry(&*guid, index);
    if (rc != STMF_STATUS_SUCCESS) {
      c.StmfError(rc, *l + ": " + std::to_string(index));
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}

int ListView(const ParsedArgs& a, const Context& c) {
  auto l = a.Last('l');
  if (!l) return c.Error("list-view: logical unit (-l) not specified");
  auto guid = GuidArg(c, *l);
  if (!guid) return 1;
  std::vector<uint32_t> wanted;
  for (const std::string& op : a.operands) {
    auto i = ParseIndex(op);
    if (!i) return c.Error(op + ": invalid view entry number");
    wanted.push_back(*i);
  }
  stmfViewEntryList* list = nullptr;
  int rc = stmfGetViewEntryList(&*guid, &list);
  if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc, *l);
  std::vector<ViewInfo> all;
  for (uint32_t i = 0; i < list->cnt; ++i) all.push_back(ViewFromEntry(list->ve[i]));
  stmfFreeMemory(list);

  int status = 0;
  std::vector<ViewInfo> shown;
  if (wanted.empty()) {
    shown = all;
  } else {
    for (uint32_t w : wanted) {
      bool found = false;
      for (const ViewInfo& v : all) {
        if (v.index == w) {
          shown.push_back(v);
          found = true;
        }
      }
      if (!found) status = c.Error(*l + ", " + std::to_string(w) + ": not found");
    }
  }
  std::string guid_text = GuidText(*guid);
  if (WantsJson(a)) {
    c.out() << ViewsJson(guid_text, shown).Dump() << "\n";
    return status;
  }
  if (all.empty()) return c.Error(guid_text + ": no views found");
  c.out() << FormatViews(shown);
  return status;
}

}  // namespace openstmf::cli
