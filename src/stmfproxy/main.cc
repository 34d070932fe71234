// stmfproxy: relays the STMF proxy service between the two nodes of an ALUA
// pair. Wiring only; see proxy_service.h.
#include <signal.h>

#include <cstdio>

#include "base/log.h"
#include "ha/proxy_client.h"
#include "ha/proxy_door.h"
#include "mgmt/client.h"
#include "mgmt/message.h"
#include "mgmt/ops.h"
#include "mgmt/status_codes.h"
#include "stmfproxy/options.h"
#include "stmfproxy/proxy_service.h"

namespace {

using namespace openstmf;

uint32_t EnableAlua(const std::string& run_dir, uint8_t node) {
  auto c = mgmt::Client::Open(run_dir + "/" + mgmt::kDoorFileName);
  if (!c.ok()) return mgmt::kStmfErrorServiceNotFound;
  auto r = c->Call(mgmt::Message(mgmt::kOpAluaSetState).SetBool("enabled", true).Set("node", node));
  if (!r.ok()) return mgmt::kStmfStatusError;
  if (mgmt::ReplyStatus(*r) != mgmt::kStmfStatusSuccess) {
    Log(LogLevel::kError, "stmfproxy", "stmfd: %s", r->Text("error").c_str());
  }
  return mgmt::ReplyStatus(*r);
}

}  // namespace

int main(int argc, char** argv) {
  auto options = stmfproxy::ParseOptions(argc, argv);
  if (!options.ok()) {
    Log(LogLevel::kError, "stmfproxy", "%s", options.status().message().c_str());
    std::fputs(stmfproxy::Usage(), stderr);
    return 2;
  }
  if (options->help) {
    std::fputs(stmfproxy::Usage(), stdout);
    return 0;
  }
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGINT);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  signal(SIGPIPE, SIG_IGN);

  stmfproxy::ProxyServiceOptions so;
  so.relay.node = options->node;
  so.relay.secret = options->secret;
  so.relay.peer = options->peer;
  so.relay.listen = options->listen;
  so.proxy_door_path = options->run_dir + "/" + ha::kProxyDoorFileName;
  const std::string run_dir = options->run_dir;
  so.enable_alua = [run_dir](uint8_t node) { return EnableAlua(run_dir, node); };
  auto service = stmfproxy::ProxyService::Start(std::move(so));
  if (!service.ok()) {
    Log(LogLevel::kError, "stmfproxy", "%s", service.status().message().c_str());
    return 1;
  }
  if (options->node == 1) {
    Log(LogLevel::kInfo, "stmfproxy", "node 1 waiting for the peer on %s",
        (*service)->listen_address()->ToString().c_str());
  } else {
    Log(LogLevel::kInfo, "stmfproxy", "node 0 connecting to %s", options->peer->ToString().c_str());
  }
  int sig = 0;
  while (sigwait(&sigs, &sig) != 0) {
  }
  Log(LogLevel::kInfo, "stmfproxy", "signal %d: stopping", sig);
  service->reset();
  return 0;
}
