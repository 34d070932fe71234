// The node's ALUA setting and LU ownership (stmfSetAluaState, stmfGetAluaState,
// stmfLuStandby, aluaadm): stored, then applied to the pair (ha/pair_node.h).
#include "daemon/mgmt_reply.h"
#include "daemon/mgmt_stmf.h"
#include "ha/pair_node.h"
#include "mgmt/ops.h"
#include "mgmt/status_codes.h"

namespace openstmf::daemon {
namespace {

mgmt::Message MoveFailed(const Status& s) {
  uint32_t code = s.code() == Code::kNotFound      ? mgmt::kStmfErrorNotFound
                  : s.code() == Code::kUnavailable ? mgmt::kStmfErrorBusy
                                                   : mgmt::kStmfStatusError;
  return Fail(code, s.message());
}

}  // namespace

void RegisterAluaOps(mgmt::Dispatcher& d, MgmtContext& ctx, StmfState& state) {
  stmf::Framework* fw = ctx.framework;
  ha::PairNode* pair = ctx.pair;
  StmfState* st = &state;
  d.Register(mgmt::kOpAluaSetState, [fw, st, pair](const mgmt::Message& req, const mgmt::Caller&) {
    const bool enabled = req.Flag("enabled");
    const uint64_t node = req.NumberOr("node", 0);
    // COMSTAR: the node of an ALUA pair is 0 or 1 (the kernel answers EINVAL).
    if (enabled && node > 1) {
      return Fail(mgmt::kStmfErrorInvalidArg,
                  "ALUA node " + std::to_string(node) + " is neither 0 nor 1");
    }
    const bool was_enabled = st->alua_enabled;
    const uint64_t was_node = st->alua_node;
    st->alua_enabled = enabled;
    st->alua_node = enabled ? node : 0;
    Status s = st->Persist({st->ServiceObject(fw->online())});
    if (!s.ok()) {
      st->alua_enabled = was_enabled;
      st->alua_node = was_node;
      return FailPersist(s);
    }
    if (pair != nullptr) {
      s = pair->SetAluaState(enabled, static_cast<uint8_t>(node));
      if (!s.ok()) return FailStatus(s);
    }
    return mgmt::Reply(0);
  });
  d.Register(mgmt::kOpAluaGetState, [st, pair](const mgmt::Message&, const mgmt::Caller&) {
    mgmt::Message reply = mgmt::Reply(0);
    reply.SetBool("enabled", st->alua_enabled);
    reply.Set("node", st->alua_node);
    if (pair != nullptr) {
      ha::PairNode::State ps = pair->state();
      reply.SetBool("peer", ps.peer_alive);
      reply.Set("mode", ha::ProxyModeName(ps.mode));
    }
    return reply;
  });
  auto move = [pair](bool active) {
    return [pair, active](const mgmt::Message& req, const mgmt::Caller&) {
      auto guid = GuidField(req);
      if (!guid) return BadGuid();
      if (pair == nullptr) return Fail(mgmt::kStmfErrorInvalidArg, "ALUA is not available");
      Status s = active ? pair->MakeActive(*guid) : pair->MakeStandby(*guid);
      if (!s.ok()) return MoveFailed(s);
      return mgmt::Reply(0);
    };
  };
  d.Register(mgmt::kOpLuStandby, move(false));
  d.Register(mgmt::kOpLuActive, move(true));
  d.Register(mgmt::kOpAluaListLu, [fw, pair](const mgmt::Message&, const mgmt::Caller&) {
    mgmt::Message reply = mgmt::Reply(0);
    reply.Set("lus", mgmt::Message::List{});
    for (stmf::LogicalUnit* u : fw->Lus()) {
      std::optional<ha::LuAccess> a = pair != nullptr ? pair->Access(u->guid()) : std::nullopt;
      reply.Append("lus", mgmt::Message()
                              .Set("guid", GuidBytes(u->guid()))
                              .Set("access", a ? ha::LuAccessName(*a) : "Active"));
    }
    return reply;
  });
}

}  // namespace openstmf::daemon
