// stmfproxy: relays the STMF proxy service between the two nodes of an ALUA
// pair. Wiring only; see proxy_service.h.
#include <libstmf.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>

#include "base/cpu_list.h"
#include "base/log.h"
#include "base/main_guard.h"
#include "ha/proxy_client.h"
#include "ha/proxy_door.h"
#include "stmfproxy/options.h"
#include "stmfproxy/proxy_service.h"

namespace {

using namespace openstmf;

// libstmf finds stmfd through $OPENSTMF_RUN_DIR, which main() sets from -R.
uint32_t EnableAlua(uint8_t node) {
  int rc = stmfSetAluaState(B_TRUE, node);
  if (rc != STMF_STATUS_SUCCESS) {
    Log(LogLevel::kError, "stmfproxy", "stmfSetAluaState: %s", stmfGetErrorDetail());
  }
  return static_cast<uint32_t>(rc);
}

int Run(int argc, char** argv) {
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
  if (!options->cpus.empty()) {
    // Before the service starts its threads: they inherit it.
    Status pinned = PinProcess(options->cpus);
    if (!pinned.ok()) {
      Log(LogLevel::kError, "stmfproxy", "-c: %s", pinned.message().c_str());
      return 1;
    }
    Log(LogLevel::kInfo, "stmfproxy", "running on CPUs %s", FormatCpuList(options->cpus).c_str());
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
  setenv("OPENSTMF_RUN_DIR", options->run_dir.c_str(), 1);
  so.enable_alua = EnableAlua;
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

}  // namespace

int main(int argc, char** argv) {
  return openstmf::RunGuarded("stmfproxy", [&] { return Run(argc, argv); });
}
