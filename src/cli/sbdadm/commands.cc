#include "cli/sbdadm/commands.h"

#include <libstmf.h>

#include <array>
#include <ostream>

#include "cli/common/json.h"
#include "cli/common/values.h"
#include "cli/sbdadm/format.h"

namespace openstmf::cli {
namespace {

std::string Prop(luResource hdl, uint32_t id) {
  char buf[4096];
  size_t len = sizeof(buf);
  if (stmfGetLuProp(hdl, id, buf, &len) != STMF_STATUS_SUCCESS) return "";
  return buf;
}

// The row of one LU; nullopt when it is not an sbd LU or has gone.
std::optional<SbdRow> Row(stmfGuid guid) {
  stmfLogicalUnitProperties props;
  if (stmfGetLogicalUnitProperties(&guid, &props) != STMF_STATUS_SUCCESS) return std::nullopt;
  if (std::string(props.providerName) != "sbd") return std::nullopt;
  SbdRow row{GuidText(guid), "", ""};
  luResource hdl = nullptr;
  if (stmfGetLuResource(&guid, &hdl) == STMF_STATUS_SUCCESS) {
    row.size = Prop(hdl, STMF_LU_PROP_SIZE);
    row.source = Prop(hdl, STMF_LU_PROP_FILENAME);
    (void)stmfFreeLuResource(hdl);
  }
  return row;
}

int PrintOne(const Context& c, const char* title, stmfGuid guid) {
  c.out() << title << "\n" << SbdHeader();
  auto row = Row(guid);
  c.out() << SbdRowText(row.value_or(SbdRow{GuidText(guid), "", ""}));
  return 0;
}

int CreateLu(const ParsedArgs& a, const Context& c) {
  std::optional<uint64_t> size;
  if (auto s = a.Last('s')) {
    size = ParseSize(*s);
    if (!size) {
      return c.Error(*s + ": invalid size (a number of bytes with an optional k, m, g, t suffix)");
    }
  }
  luResource hdl = nullptr;
  if (stmfCreateLuResource(STMF_DISK, &hdl) != STMF_STATUS_SUCCESS) {
    return c.Error("failure to create lu resource");
  }
  int status = 0;
  if (size && stmfSetLuProp(hdl, STMF_LU_PROP_SIZE, std::to_string(*size).c_str()) != 0) {
    status = c.Error(std::string("size param invalid: ") + stmfGetErrorDetail());
  } else if (stmfSetLuProp(hdl, STMF_LU_PROP_FILENAME, a.operands[0].c_str()) != 0) {
    status = c.Error(a.operands[0] + ": " + stmfGetErrorDetail());
  } else {
    stmfGuid created;
    int rc = stmfCreateLu(hdl, &created);
    status = rc == STMF_STATUS_SUCCESS ? PrintOne(c, "Created the following LU:", created)
                                       : c.StmfError(rc, a.operands[0]);
  }
  (void)stmfFreeLuResource(hdl);
  return status;
}

int ImportLu(const ParsedArgs& a, const Context& c) {
  std::string file = a.operands[0];
  stmfGuid imported;
  int rc = stmfImportLu(STMF_DISK, file.data(), &imported);
  if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc, file);
  return PrintOne(c, "Imported the following LU:", imported);
}

int DeleteLu(const ParsedArgs& a, const Context& c) {
  auto guid = ParseGuid(a.operands[0]);
  if (!guid) return c.Error(a.operands[0] + ": must be 32 hexadecimal digits long");
  int rc = stmfDeleteLu(&*guid);
  std::string detail = stmfGetErrorDetail();
  if (rc != STMF_STATUS_SUCCESS && rc != STMF_ERROR_NOT_FOUND) {
    return c.StmfError(rc, a.operands[0]);
  }
  bool had_views = false;
  stmfViewEntryList* views = nullptr;
  if (stmfGetViewEntryList(&*guid, &views) == STMF_STATUS_SUCCESS) {
    had_views = views->cnt > 0;
    if (!a.Has('k')) {
      for (uint32_t i = 0; i < views->cnt; ++i) {
        (void)stmfRemoveViewEntry(&*guid, views->ve[i].veIndex);
      }
    }
    stmfFreeMemory(views);
  }
  if (rc == STMF_ERROR_NOT_FOUND && !had_views) {
    return c.Error(detail.empty() ? a.operands[0] + ": not found" : detail);
  }
  return 0;
}

int ModifyLu(const ParsedArgs& a, const Context& c) {
  const std::string& target = a.operands[0];
  auto s = a.Last('s');
  if (!s) return c.Error("modify-lu: the new size (-s size) is required");
  auto size = ParseSize(*s);
  if (!size) {
    return c.Error(*s + ": invalid size (a number of bytes with an optional k, m, g, t suffix)");
  }
  std::string value = std::to_string(*size);
  int rc;
  if (!target.empty() && target[0] == '/') {
    rc = stmfModifyLuByFname(STMF_DISK, target.c_str(), STMF_LU_PROP_SIZE, value.c_str());
  } else {
    auto guid = ParseGuid(target);
    if (!guid) return c.Error(target + ": must be 32 hexadecimal digits or an absolute file name");
    rc = stmfModifyLu(&*guid, STMF_LU_PROP_SIZE, value.c_str());
  }
  if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc, target);
  return 0;
}

int ListLu(const ParsedArgs& a, const Context& c) {
  stmfGuidList* list = nullptr;
  int rc = stmfGetLogicalUnitList(&list);
  if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc);
  std::vector<SbdRow> rows;
  for (uint32_t i = 0; i < list->cnt; ++i) {
    if (auto row = Row(list->guid[i])) rows.push_back(*row);
  }
  stmfFreeMemory(list);
  if (WantsJson(a)) {
    Json lus = Json::Array();
    for (const SbdRow& r : rows) {
      lus.Push(
          Json::Object()
              .Add("guid", Json::String(r.guid))
              .Add("data_size", r.size.empty() ? Json::Null() : Json::Number(std::stoull(r.size)))
              .Add("source", r.source.empty() ? Json::Null() : Json::String(r.source)));
    }
    c.out() << Json::Object().Add("lus", std::move(lus)).Dump() << "\n";
    return 0;
  }
  if (rows.empty()) return 0;  // as COMSTAR: nothing at all when there is no sbd LU
  c.out() << "\nFound " << rows.size() << " LU(s)\n" << SbdHeader();
  for (const SbdRow& r : rows) c.out() << SbdRowText(r);
  return 0;
}

const OptionSpec kSize{'s', "disk-size", "size"};

const std::array<Subcommand, 5>& Table() {
  static const std::array<Subcommand, 5> kTable{{
      {"create-lu", {kSize}, 1, 1, "[-s size] lu-file", nullptr, CreateLu},
      {"delete-lu", {{'k', "keep-views", nullptr}}, 1, 1, "[-k] GUID", nullptr, DeleteLu},
      {"import-lu", {}, 1, 1, "lu-file", nullptr, ImportLu},
      {"list-lu", {kOutputOption}, 0, 0, "[-o json]", nullptr, ListLu},
      {"modify-lu", {kSize}, 1, 1, "-s size GUID|lu-file", nullptr, ModifyLu},
  }};
  return kTable;
}

}  // namespace

std::span<const Subcommand> SbdadmCommands() { return Table(); }

int RunSbdadm(const Context& ctx, std::span<const std::string> args) {
  return RunTool(ctx, SbdadmCommands(), args);
}

}  // namespace openstmf::cli
