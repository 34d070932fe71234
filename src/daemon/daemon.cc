#include "daemon/daemon.h"

#include <signal.h>
#include <unistd.h>

#include <future>
#include <memory>

#include "base/log.h"
#include "daemon/host.h"
#include "event/io_ring.h"
#include "event/loop_group.h"
#include "lu/sbd/sbd_lu.h"
#include "port/iscsit/iscsi_port.h"
#include "stmf/framework.h"

namespace openstmf::daemon {
namespace {

constexpr unsigned kRingEntries = 256;
constexpr std::chrono::seconds kDrainTimeout{20};

int Fail(const Status& s) {
  Log(LogLevel::kError, "stmfd", "%s", s.ToString().c_str());
  return 1;
}

// Rings are created on their loop's thread (IoRing registers with the loop).
Result<std::vector<std::unique_ptr<event::IoRing>>> CreateRings(event::LoopGroup& group) {
  std::vector<std::unique_ptr<event::IoRing>> rings;
  for (size_t i = 0; i < group.size(); ++i) {
    event::EventLoop* loop = group.loop(i);
    std::promise<Result<std::unique_ptr<event::IoRing>>> p;
    loop->Post([&] { p.set_value(event::IoRing::Create(loop, kRingEntries)); });
    auto r = p.get_future().get();
    if (!r.ok()) return r.status();
    rings.push_back(std::move(r).value());
  }
  return rings;
}

void DestroyRings(event::LoopGroup& group, std::vector<std::unique_ptr<event::IoRing>>& rings) {
  for (size_t i = 0; i < rings.size(); ++i) {
    std::promise<void> p;
    group.loop(i)->Post([&] {
      rings[i].reset();
      p.set_value();
    });
    p.get_future().wait();
  }
}

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

Status AddLus(const Options& options, stmf::Framework& fw) {
  std::vector<LuSpec> specs = options.lus;
  if (specs.empty()) {
    LuSpec def;
    def.path = options.state_dir + "/" + kDefaultLuFile;
    def.size = kDefaultLuSize;
    specs.push_back(def);
  }
  for (const LuSpec& spec : specs) {
    ASSIGN_OR_RETURN(std::unique_ptr<lu::SbdStore> store, OpenOrCreate(spec));
    ASSIGN_OR_RETURN(stmf::LogicalUnit * u, fw.AddLu(std::move(store)));
    if (spec.no_medium) {
      std::lock_guard<std::recursive_mutex> lock(u->mu());
      u->scsi().SetMediumPresent(false);
    }
  }
  return Status::Ok();
}

}  // namespace

int RunDaemon(const Options& options) {
  Status s = PrepareDir(options.state_dir, "state directory");
  if (!s.ok()) return Fail(s);
  s = PrepareDir(options.run_dir, "run directory");
  if (!s.ok()) return Fail(s);
  auto state_lock = TakeLock(options.state_dir, "stmfd.lock");
  if (!state_lock.ok()) return Fail(state_lock.status());
  auto run_lock = TakeLock(options.run_dir, "stmfd.lock");
  if (!run_lock.ok()) return Fail(run_lock.status());

  std::vector<tcp::SocketAddress> portals;
  for (const std::string& text : options.listen) {
    auto a = tcp::SocketAddress::Parse(text, 3260);
    if (!a.ok())
      return Fail(Status(Code::kInvalidArgument, "--listen " + text + ": " + a.status().message()));
    portals.push_back(*a);
  }

  // Signals go to sigwait below, never to a loop thread.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  signal(SIGPIPE, SIG_IGN);

  event::LoopGroup group;
  s = group.Start(options.loops, false);
  if (!s.ok()) return Fail(s);
  auto rings = CreateRings(group);
  if (!rings.ok()) return Fail(rings.status());
  std::vector<event::EventLoop*> loops;
  std::vector<event::IoRing*> ring_ptrs;
  for (size_t i = 0; i < group.size(); ++i) {
    loops.push_back(group.loop(i));
    ring_ptrs.push_back((*rings)[i].get());
  }

  int status = 0;
  {
    stmf::Framework fw(loops, ring_ptrs);
    s = AddLus(options, fw);
    if (!s.ok()) {
      status = Fail(s);
    } else {
      iscsit::IscsiPortOptions po;
      po.nop_interval = std::chrono::seconds(options.nop_interval);
      iscsit::IscsiPort port(&fw, &group, po);
      iscsit::TargetConfig target;
      target.name = options.target;
      target.alias = "openstmf";
      target.negotiation.max_connections = 8;  // RFC 7143 §6.3: MC/S at ERL 0
      std::vector<std::string> bound;
      for (const tcp::SocketAddress& a : portals) {
        auto b = port.Listen(a);
        if (!b.ok()) {
          status = Fail(Status(b.status().code(),
                               "cannot listen on " + a.ToString() + ": " + b.status().message()));
          break;
        }
        target.portals.push_back({b->Host(), b->port(), po.tpgt});
        bound.push_back(b->ToString());
      }
      if (status == 0) {
        port.targets().AddTarget(target);
        for (const std::string& b : bound) {
          Log(LogLevel::kInfo, "stmfd", "serving %s on %s (%zu loops)", target.name.c_str(),
              b.c_str(), group.size());
        }
        Log(LogLevel::kInfo, "stmfd", "ready");
        Status n = NotifySystemd("READY=1");
        if (!n.ok()) Log(LogLevel::kWarn, "stmfd", "%s", n.ToString().c_str());
        for (;;) {
          int sig = 0;
          if (sigwait(&sigs, &sig) != 0) continue;
          if (sig == SIGHUP) continue;  // configuration reload arrives with the management door
          Log(LogLevel::kInfo, "stmfd", "signal %d: draining and stopping", sig);
          break;
        }
        n = NotifySystemd("STOPPING=1");
        if (!n.ok()) Log(LogLevel::kWarn, "stmfd", "%s", n.ToString().c_str());
      }
      port.Stop(kDrainTimeout);
    }
    // Backends still in use by loops must go before the rings and the LUs.
    for (size_t i = 0; i < group.size(); ++i) {
      std::promise<void> p;
      group.loop(i)->Post([&] { p.set_value(); });
      p.get_future().wait();
    }
    DestroyRings(group, *rings);
    group.Stop();
  }
  if (status == 0) Log(LogLevel::kInfo, "stmfd", "stopped");
  return status;
}

}  // namespace openstmf::daemon
