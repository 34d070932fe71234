// The framework's service state (stmfadm list-state, online, offline, the
// persist method and default states) and the providers and their data.
#include <set>

#include "daemon/mgmt_reply.h"
#include "daemon/mgmt_stmf.h"
#include "mgmt/ops.h"
#include "mgmt/status_codes.h"

namespace openstmf::daemon {
namespace {

using mgmt::Caller;
using mgmt::Message;

constexpr const char* kLuProvider = "sbd";
constexpr const char* kPortProvider = "iscsit";

std::string Hex(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string ProviderKey(uint64_t type, const std::string& name) {
  return std::to_string(type) + "/" + name;
}

class ServiceOps {
 public:
  ServiceOps(MgmtContext& ctx, StmfState& state) : fw_(*ctx.framework), state_(state) {}

  Message GetState(const Message&) {
    Message reply = mgmt::Reply(0);
    reply.Set("operational_state", fw_.online() ? kServiceStateOnline : kServiceStateOffline);
    reply.Set("config_state", kConfigStateInitDone);
    reply.SetBool("alua_enabled", state_.alua_enabled);
    reply.Set("alua_node", state_.alua_node);
    reply.Set("persist_method", state_.persist_method);
    reply.Set("default_lu_state", state_.default_lu_online ? "online" : "offline");
    reply.Set("default_port_state", state_.default_port_online ? "online" : "offline");
    if (!state_.global_mgmt_url.empty()) reply.Set("mgmt_url", state_.global_mgmt_url);
    return reply;
  }

  // stmfOnline / stmfOffline: an offline framework shows no LU to anyone.
  Message SetOnline(bool online) {
    if (fw_.online() == online) {
      return online ? Fail(mgmt::kStmfErrorServiceOnline, "the framework is already online")
                    : Fail(mgmt::kStmfErrorServiceOffline, "the framework is already offline");
    }
    fw_.SetOnline(online);
    Status s = state_.Persist({state_.ServiceObject(online)});
    if (!s.ok()) {
      fw_.SetOnline(!online);
      return FailPersist(s);
    }
    return mgmt::Reply(0);
  }

  Message SetPersistMethod(const Message& req) {
    const uint64_t method = req.NumberOr("persist_method", 0);
    if (method != kPersistSmf && method != kPersistNone) {
      return Fail(mgmt::kStmfErrorPersistType,
                  "persist method " + std::to_string(method) + " is neither SMF (1) nor NONE (2)");
    }
    const uint64_t was = state_.persist_method;
    state_.persist_method = method;
    // The method itself is always stored, so a restart keeps it.
    Status s = state_.PersistAlways({state_.ServiceObject(fw_.online())});
    if (!s.ok()) {
      state_.persist_method = was;
      return FailPersist(s);
    }
    return mgmt::Reply(0);
  }

  Message SetStmfProp(const Message& req) {
    const std::string name = req.Text("name");
    const std::string value = req.Text("value");
    StmfState before = state_;
    if (name == "default_lu_state" || name == "default_port_state") {
      if (value != "online" && value != "offline") {
        return Fail(mgmt::kStmfErrorInvalidArg,
                    name + " must be \"online\" or \"offline\", not \"" + value + "\"");
      }
      (name == "default_lu_state" ? state_.default_lu_online : state_.default_port_online) =
          value == "online";
    } else if (name == "mgmt_url") {
      if (value.size() > 1024) {
        return Fail(mgmt::kStmfErrorInvalidPropsize, "mgmt_url is longer than 1024 bytes");
      }
      state_.global_mgmt_url = value;
    } else {
      return Fail(mgmt::kStmfErrorInvalidArg, "unknown framework property \"" + name + "\"");
    }
    fw_.SetDefaultPortOnline(state_.default_port_online);
    Status s = state_.Persist({state_.ServiceObject(fw_.online())});
    if (!s.ok()) {
      state_ = before;
      fw_.SetDefaultPortOnline(state_.default_port_online);
      return FailPersist(s);
    }
    return mgmt::Reply(0);
  }

  Message ListLuProviders(const Message&) {
    Message reply = mgmt::Reply(0);
    reply.Set("providers", Message::List{});
    reply.Append("providers", Message().Set("name", kLuProvider).Set("instance", uint64_t{0}));
    return reply;
  }

  Message ListPortProviders(const Message&) {
    std::set<std::string> names{kPortProvider};
    for (const stmf::LocalPort& p : fw_.Ports()) names.insert(p.provider);
    Message reply = mgmt::Reply(0);
    reply.Set("providers", Message::List{});
    for (const std::string& n : names) {
      reply.Append("providers", Message().Set("name", n).Set("instance", uint64_t{0}));
    }
    return reply;
  }

  Message GetProviderData(const Message& req) {
    auto key = KeyOf(req);
    if (!key.ok()) return FailStatus(key.status());
    auto it = state_.provider_data.find(*key);
    if (it == state_.provider_data.end()) return NoData(*key);
    Message reply = mgmt::Reply(0);
    reply.Set("data", it->second.data);
    reply.Set("token", it->second.token);
    return reply;
  }

  Message SetProviderData(const Message& req) {
    auto key = KeyOf(req);
    if (!key.ok()) return FailStatus(key.status());
    auto data = req.Bytes("data");
    if (!data) return Fail(mgmt::kStmfErrorInvalidArg, "set-provider-data needs data");
    auto it = state_.provider_data.find(*key);
    const uint64_t current = it == state_.provider_data.end() ? 0 : it->second.token;
    // stmfSetProviderDataProt: a token that is not the current one means the
    // caller read data someone has replaced since.
    if (auto token = req.Number("token"); token && *token != current) {
      return Fail(mgmt::kStmfErrorProvDataStale,
                  "provider data of \"" + key->second + "\" changed since it was read");
    }
    std::optional<ProviderData> old;
    if (it != state_.provider_data.end()) old = it->second;
    ProviderData next{*data, current + 1};
    state_.provider_data[*key] = next;
    Status s = state_.Persist(
        {ConfigChange::Put(kKindProviderData, ProviderKey(key->first, key->second),
                           {{"data", Hex(next.data)}, {"token", std::to_string(next.token)}})});
    if (!s.ok()) {
      if (old) {
        state_.provider_data[*key] = *old;
      } else {
        state_.provider_data.erase(*key);
      }
      return FailPersist(s);
    }
    Message reply = mgmt::Reply(0);
    reply.Set("token", next.token);
    return reply;
  }

  Message ClearProviderData(const Message& req) {
    auto key = KeyOf(req);
    if (!key.ok()) return FailStatus(key.status());
    auto it = state_.provider_data.find(*key);
    if (it == state_.provider_data.end()) return NoData(*key);
    Status s = state_.Persist(
        {ConfigChange::Delete(kKindProviderData, ProviderKey(key->first, key->second))});
    if (!s.ok()) return FailPersist(s);
    state_.provider_data.erase(it);
    return mgmt::Reply(0);
  }

 private:
  static Result<std::pair<uint64_t, std::string>> KeyOf(const Message& req) {
    const std::string name = req.Text("name");
    const uint64_t type = req.NumberOr("type", 0);
    if (name.empty() || name.size() > 255 ||
        (type != kLuProviderType && type != kPortProviderType)) {
      return Status(Code::kInvalidArgument,
                    "provider data needs a provider name and type 1 (LU) or 2 (port)");
    }
    return std::make_pair(type, name);
  }
  static Message NoData(const std::pair<uint64_t, std::string>& key) {
    return Fail(mgmt::kStmfErrorNotFound,
                std::string(key.first == kLuProviderType ? "LU" : "port") + " provider \"" +
                    key.second + "\" has no data");
  }

  stmf::Framework& fw_;
  StmfState& state_;
};

}  // namespace

void RegisterServiceOps(mgmt::Dispatcher& d, MgmtContext& ctx, StmfState& state) {
  auto ops = std::make_shared<ServiceOps>(ctx, state);
  auto bind = [&](const char* op, Message (ServiceOps::*fn)(const Message&)) {
    d.Register(op, [ops, fn](const Message& req, const Caller&) { return ((*ops).*fn)(req); });
  };
  bind(mgmt::kOpGetState, &ServiceOps::GetState);
  d.Register(mgmt::kOpOnline,
             [ops](const Message&, const Caller&) { return ops->SetOnline(true); });
  d.Register(mgmt::kOpOffline,
             [ops](const Message&, const Caller&) { return ops->SetOnline(false); });
  bind(mgmt::kOpSetPersistMethod, &ServiceOps::SetPersistMethod);
  bind(mgmt::kOpSetStmfProp, &ServiceOps::SetStmfProp);
  bind(mgmt::kOpListLuProviders, &ServiceOps::ListLuProviders);
  bind(mgmt::kOpListPortProviders, &ServiceOps::ListPortProviders);
  bind(mgmt::kOpGetProviderData, &ServiceOps::GetProviderData);
  bind(mgmt::kOpSetProviderData, &ServiceOps::SetProviderData);
  bind(mgmt::kOpClearProviderData, &ServiceOps::ClearProviderData);
}

void RegisterStmfOps(mgmt::Dispatcher& d, MgmtContext& ctx, StmfState& state) {
  RegisterServiceOps(d, ctx, state);
  RegisterAluaOps(d, ctx, state);
  RegisterViewOps(d, ctx, state);
  RegisterLuOps(d, ctx, state);
}

}  // namespace openstmf::daemon
