// The node's ALUA setting (stmfSetAluaState / stmfGetAluaState, aluaadm).
#include "daemon/mgmt_reply.h"
#include "daemon/mgmt_stmf.h"
#include "mgmt/ops.h"
#include "mgmt/status_codes.h"

namespace openstmf::daemon {

void RegisterAluaOps(mgmt::Dispatcher& d, MgmtContext& ctx, StmfState& state) {
  stmf::Framework* fw = ctx.framework;
  StmfState* st = &state;
  d.Register(mgmt::kOpAluaSetState, [fw, st](const mgmt::Message& req, const mgmt::Caller&) {
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
    return mgmt::Reply(0);
  });
  d.Register(mgmt::kOpAluaGetState, [st](const mgmt::Message&, const mgmt::Caller&) {
    mgmt::Message reply = mgmt::Reply(0);
    reply.SetBool("enabled", st->alua_enabled);
    reply.Set("node", st->alua_node);
    return reply;
  });
}

}  // namespace openstmf::daemon
