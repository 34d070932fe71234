// Start-up: the persisted framework configuration, the embedded default LU on
// the first start, and the --lu LUs.
#include <unistd.h>

#include <bit>

#include "base/log.h"
#include "daemon/mgmt_lu_props.h"
#include "daemon/mgmt_reply.h"
#include "daemon/mgmt_stmf.h"
#include "lu/sbd/sbd_lu.h"

namespace openstmf::daemon {
namespace {

void Warn(const std::string& what) { Log(LogLevel::kWarn, "stmfd", "%s", what.c_str()); }

Result<std::unique_ptr<lu::SbdStore>> OpenOrCreate(const LuSpec& spec) {
  lu::SbdCreateOptions o;
  o.size = spec.size;
  o.block_size = spec.block_size;
  o.write_protect = spec.write_protect;
  o.removable = spec.removable;
  if (spec.ram) return lu::CreateRamLu(o);
  if (access(spec.path.c_str(), F_OK) == 0) return lu::OpenLu(spec.path);
  if (spec.size == 0) {
    return Status(Code::kNotFound, "LU " + spec.path + " does not exist (give size= to create it)");
  }
  Log(LogLevel::kInfo, "stmfd", "creating LU %s (%llu bytes, sparse)", spec.path.c_str(),
      static_cast<unsigned long long>(spec.size));
  return lu::CreateFileLu(spec.path, o);
}

Status StoreError(const ConfigStore& store, const Status& s) {
  return Status(s.code(), "configuration database " + store.path() + ": " + s.message());
}

void LoadService(const Properties& p, StmfState& state, stmf::Framework& fw) {
  auto get = [&](const char* name) {
    auto it = p.find(name);
    return it == p.end() ? std::string() : it->second;
  };
  state.persist_method = get("persist_method") == "none" ? kPersistNone : kPersistSmf;
  state.default_lu_online = get("default_lu_state") != "offline";
  state.default_port_online = get("default_port_state") != "offline";
  state.global_mgmt_url = get("mgmt_url");
  state.alua_enabled = get("alua_enabled") == "true";
  state.alua_node = get("alua_node") == "1" ? 1 : 0;
  fw.SetDefaultPortOnline(state.default_port_online);
  fw.SetOnline(get("operational") != "offline");
}

// Each LU from its backing store; one that cannot be opened is skipped.
Status LoadLus(MgmtContext& ctx) {
  ConfigStore& store = *ctx.store;
  auto lus = store.List(kKindLu);
  if (!lus.ok()) return StoreError(store, lus.status());
  for (const auto& [key, props] : *lus) {
    auto it = props.find("data");
    const std::string data = it == props.end() ? std::string() : it->second;
    auto sbd = lu::OpenLu(data);
    if (!sbd.ok()) {
      Warn("LU " + key + " skipped: " + sbd.status().message());
      continue;
    }
    if (GuidHex((*sbd)->metadata().guid) != key) {
      std::string why = "LU " + key;
      why += " skipped: " + data;
      why += " now holds LU " + GuidHex((*sbd)->metadata().guid);
      Warn(why);
      continue;
    }
    auto state = props.find("state");
    const bool online = state == props.end() || state->second != "offline";
    auto u = ctx.framework->AddLu(std::move(sbd).value(), online);
    if (!u.ok()) Warn("LU " + key + " skipped: " + u.status().message());
  }
  return Status::Ok();
}

Status LoadGroups(MgmtContext& ctx) {
  for (stmf::GroupKind kind : {stmf::GroupKind::kHost, stmf::GroupKind::kTarget}) {
    auto groups = ctx.store->List(GroupStoreKind(kind));
    if (!groups.ok()) return StoreError(*ctx.store, groups.status());
    for (const auto& entry : *groups) {
      const std::string& name = entry.first;  // captured below: a reference, not a binding
      auto it = entry.second.find("members");
      const std::string members = it == entry.second.end() ? std::string() : it->second;
      Status s = ctx.framework->WithViews([&](stmf::Views& v) {
        RETURN_IF_ERROR(v.CreateGroup(kind, name));
        size_t pos = 0;
        while (pos < members.size()) {
          size_t end = members.find('\n', pos);
          if (end == std::string::npos) end = members.size();
          if (end > pos) RETURN_IF_ERROR(v.AddMember(kind, name, members.substr(pos, end - pos)));
          pos = end + 1;
        }
        return Status::Ok();
      });
      if (!s.ok()) Warn(std::string(GroupWord(kind)) + " group " + name + ": " + s.message());
    }
  }
  return Status::Ok();
}

Status LoadViews(MgmtContext& ctx) {
  auto views = ctx.store->List(kKindView);
  if (!views.ok()) return StoreError(*ctx.store, views.status());
  for (const auto& [key, view_props] : *views) {
    const auto& props = view_props;  // captured below: a reference, not a binding
    auto get = [&](const char* name) {
      auto it = props.find(name);
      return it == props.end() ? std::string() : it->second;
    };
    const size_t slash = key.find('/');
    auto guid = ParseGuidHex(key.substr(0, slash));
    char* end = nullptr;
    const std::string index = slash == std::string::npos ? "" : key.substr(slash + 1);
    const unsigned long idx = std::strtoul(index.c_str(), &end, 10);
    const std::string lun_text = get("lun");
    char* lun_end = nullptr;
    const unsigned long lun = std::strtoul(lun_text.c_str(), &lun_end, 10);
    if (!guid || index.empty() || *end != '\0' || lun_text.empty() || *lun_end != '\0' ||
        idx > UINT32_MAX || lun > stmf::kMaxLun) {
      Warn("view " + key + " skipped: malformed");
      continue;
    }
    stmf::ViewRequest r{static_cast<uint32_t>(idx), get("host_group"), get("target_group"),
                        static_cast<uint32_t>(lun)};
    auto e = ctx.framework->WithViews([&](stmf::Views& v) { return v.AddEntry(*guid, r); });
    if (!e.ok()) Warn("view " + key + " skipped: " + e.status().message());
  }
  return Status::Ok();
}

Status LoadProviderData(MgmtContext& ctx, StmfState& state) {
  auto list = ctx.store->List(kKindProviderData);
  if (!list.ok()) return StoreError(*ctx.store, list.status());
  for (const auto& [key, props] : *list) {
    const size_t slash = key.find('/');
    auto data = props.find("data");
    auto token = props.find("token");
    if (slash == std::string::npos || data == props.end() || token == props.end() ||
        data->second.size() % 2 != 0) {
      Warn("provider data " + key + " skipped: malformed");
      continue;
    }
    std::string bytes;
    bool ok = true;
    for (size_t i = 0; i < data->second.size() && ok; i += 2) {
      char* end = nullptr;
      const std::string pair = data->second.substr(i, 2);
      const unsigned long v = std::strtoul(pair.c_str(), &end, 16);
      ok = *end == '\0';
      bytes += static_cast<char>(v);
    }
    const uint64_t type = std::strtoull(key.substr(0, slash).c_str(), nullptr, 10);
    if (!ok || (type != kLuProviderType && type != kPortProviderType)) {
      Warn("provider data " + key + " skipped: malformed");
      continue;
    }
    state.provider_data[{type, key.substr(slash + 1)}] = {
        bytes, std::strtoull(token->second.c_str(), nullptr, 10)};
  }
  return Status::Ok();
}

// First start without --lu: the embedded default LU, stored with the service
// object in one batch so a crash leaves either both or neither.
Status CreateDefault(MgmtContext& ctx, StmfState& state, std::vector<ConfigChange>* batch) {
  LuSpec def;
  def.path = ctx.options->state_dir + "/" + kDefaultLuFile;
  def.size = kDefaultLuSize;
  ASSIGN_OR_RETURN(std::unique_ptr<lu::SbdStore> sbd, OpenOrCreate(def));
  const lu::LuMetadata md = sbd->metadata();
  if (ctx.framework->FindLu(md.guid) != nullptr) return Status::Ok();
  batch->push_back(LuObject(md, def.path, state.default_lu_online));
  ASSIGN_OR_RETURN(stmf::LogicalUnit * u,
                   ctx.framework->AddLu(std::move(sbd), state.default_lu_online));
  (void)u;
  return Status::Ok();
}

Status AddFlagLus(MgmtContext& ctx, StmfState& state) {
  for (const LuSpec& spec : ctx.options->lus) {
    if (!spec.ram && ctx.framework->FindLuByPath(spec.path) != nullptr) {
      Log(LogLevel::kInfo, "stmfd", "--lu %s: already a configured LU, not added again",
          spec.path.c_str());
      continue;
    }
    ASSIGN_OR_RETURN(std::unique_ptr<lu::SbdStore> sbd, OpenOrCreate(spec));
    ASSIGN_OR_RETURN(stmf::LogicalUnit * u, ctx.framework->AddLu(std::move(sbd)));
    state.transient_lus.insert(u->guid());
    std::lock_guard<std::recursive_mutex> lock(u->mu());
    if (spec.no_medium) u->scsi().SetMediumPresent(false);
    if (spec.physical_block != 0) {
      // SBC-3 5.16.2: LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT.
      u->scsi().SetPhysicalBlockExponent(static_cast<uint8_t>(
          std::countr_zero(spec.physical_block / u->store().metadata().block_size)));
    }
  }
  return Status::Ok();
}

}  // namespace

Status LoadStmfConfig(MgmtContext& ctx, StmfState& state) {
  ConfigStore& store = *ctx.store;
  auto service = store.Get(kKindStmf, kKeyService);
  if (!service.ok()) return StoreError(store, service.status());
  const bool first_start = !service->has_value();
  if (!first_start) LoadService(**service, state, *ctx.framework);
  RETURN_IF_ERROR(LoadLus(ctx));
  RETURN_IF_ERROR(LoadGroups(ctx));
  RETURN_IF_ERROR(LoadViews(ctx));
  RETURN_IF_ERROR(LoadProviderData(ctx, state));
  if (first_start) {
    std::vector<ConfigChange> batch;
    if (ctx.options->lus.empty()) RETURN_IF_ERROR(CreateDefault(ctx, state, &batch));
    batch.push_back(state.ServiceObject(ctx.framework->online()));
    Status s = store.Apply(batch);
    if (!s.ok()) return StoreError(store, s);
  }
  return AddFlagLus(ctx, state);
}

}  // namespace openstmf::daemon
