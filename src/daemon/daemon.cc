#include "daemon/daemon.h"

#include <grp.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <memory>
#include <optional>

#include "base/config_store.h"
#include "base/cpu_list.h"
#include "base/log.h"
#include "daemon/host.h"
#include "daemon/mgmt_context.h"
#include "daemon/mgmt_iscsi.h"
#include "daemon/mgmt_reply.h"
#include "daemon/mgmt_state.h"
#include "daemon/mgmt_stmf.h"
#include "door/wire.h"
#include "event/io_ring.h"
#include "event/loop_group.h"
#include "ha/batch_sender.h"
#include "ha/pair_node.h"
#include "ha/proxy_door.h"
#include "mgmt/client.h"
#include "mgmt/ops.h"
#include "mgmt/server.h"
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
// Event loops post their messages for the peer themselves at the end of each
// turn (ha/batch_sender.h).
ha::LoopPost LoopPostTo(const std::atomic<ha::ProxyDoor*>& proxy_door,
                        const std::vector<event::EventLoop*>& loops) {
  ha::LoopPost p;
  p.try_post = [&proxy_door](std::span<const uint8_t> batch, size_t messages, size_t* lost) {
    ha::ProxyDoor* d = proxy_door.load();
    *lost = 0;
    if (d == nullptr) return Status(Code::kResourceExhausted, "stmfd is stopping");
    return d->TryPost(batch, messages, lost);
  };
  p.current_loop = [loops] { return event::CurrentLoopOf(loops); };
  p.max_bytes = door::kMaxInline;
  return p;
}

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

Result<std::optional<gid_t>> AdminGroup(const Options& options) {
  if (options.admin_group.empty()) return std::optional<gid_t>();
  struct group grp {};
  struct group* found = nullptr;
  std::vector<char> buf(16384);
  int rc = getgrnam_r(options.admin_group.c_str(), &grp, buf.data(), buf.size(), &found);
  if (rc != 0) return Status::FromErrno(rc, "--admin-group " + options.admin_group);
  if (found == nullptr) {
    return Status(Code::kNotFound, "--admin-group " + options.admin_group + ": no such group");
  }
  return std::optional<gid_t>(grp.gr_gid);
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
  auto admin_gid = AdminGroup(options);
  if (!admin_gid.ok()) return Fail(admin_gid.status());
  // A configuration that cannot be read stops the start: discarding it would
  // lose the administrator's LUs, groups and views.
  auto store = ConfigStore::Open(options.state_dir + "/config.db");
  if (!store.ok()) return Fail(store.status());

  std::vector<tcp::SocketAddress> portals;
  for (const std::string& text : options.listen) {
    auto a = tcp::SocketAddress::Parse(text, 3260);
    if (!a.ok()) {
      return Fail(Status(Code::kInvalidArgument, "--listen " + text + ": " + a.status().message()));
    }
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

  // Before the first thread starts, so that every thread inherits it.
  unsigned loop_count = options.loops;
  if (!options.cpus.empty()) {
    s = PinProcess(options.cpus);
    if (!s.ok()) return Fail(Status(Code::kInvalidArgument, "--cpus: " + s.message()));
    if (loop_count == 0) loop_count = static_cast<unsigned>(options.cpus.size());
    Log(LogLevel::kInfo, "stmfd", "running on CPUs %s", FormatCpuList(options.cpus).c_str());
  }

  event::LoopGroup group;
  s = group.Start(loop_count, false);
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
    StmfState state(store->get());
    MgmtContext ctx;
    ctx.framework = &fw;
    ctx.store = store->get();
    ctx.loops = &group;
    ctx.options = &options;
    s = LoadStmfConfig(ctx, state);
    if (!s.ok()) {
      status = Fail(s);
    } else {
      iscsit::IscsiPortOptions po;
      po.nop_interval = std::chrono::seconds(options.nop_interval);
      iscsit::IscsiPort port(&fw, &group, po);
      ctx.port = &port;
      mgmt::Dispatcher dispatcher(*admin_gid);
      // The ALUA pair: messages to the peer go through stmfproxy's door once
      // stmfproxy has installed it (ha/proxy_door.h).
      std::atomic<ha::ProxyDoor*> proxy_door{nullptr};
      ha::PairOptions pa;
      pa.framework = &fw;
      pa.loops = loops;
      pa.mode = ha::ParseProxyMode(options.alua_mode).value_or(ha::ProxyMode::kActiveNonOptimized);
      pa.lease = std::chrono::milliseconds(options.alua_lease_ms);
      ha::BatchSender to_peer(
          [&proxy_door](std::span<const uint8_t> batch) -> Status {
            ha::ProxyDoor* d = proxy_door.load();
            if (d == nullptr) return Status(Code::kUnavailable, "stmfd is stopping");
            return d->Send(batch);
          },
          [&proxy_door] {
            ha::ProxyDoor* d = proxy_door.load();
            return d != nullptr && d->installed();
          },
          size_t{4} << 20, LoopPostTo(proxy_door, loops));
      pa.send = [&to_peer](ha::MessageParts message, bool wait) {
        return wait ? to_peer.SendAndWait(message) : to_peer.Send(message);
      };
      // The pair changes LUs as an administrator would, so they are stored.
      auto run = [&dispatcher](const mgmt::Message& req) -> Status {
        mgmt::Message reply = dispatcher.Run(req, mgmt::Caller{});
        if (mgmt::ReplyStatus(reply) != 0) return Status(Code::kInternal, reply.Text("error"));
        return Status::Ok();
      };
      pa.import_lu = [run, &fw](const std::string& path) -> Result<stmf::LogicalUnit*> {
        RETURN_IF_ERROR(
            run(mgmt::Message(mgmt::kOpImportLu).Set("file", path).Set("from_peer", uint64_t{1})));
        return fw.FindLuByPath(path);
      };
      pa.delete_lu = [run](const ha::Guid& guid) {
        return run(mgmt::Message(mgmt::kOpDeleteLu)
                       .Set("guid", GuidBytes(guid))
                       .Set("keep_views", uint64_t{1}));
      };
      ha::PairNode pair(pa);
      ctx.pair = &pair;
      // Before the pair's worker can run one (it imports and deletes LUs through
      // the dispatcher): the dispatcher's table is not changed after this.
      RegisterStmfOps(dispatcher, ctx, state);
      RegisterIscsiOps(dispatcher, ctx);
      if (state.alua_enabled) {
        // Before the portals open: LUs whose lease the peer holds never serve here.
        (void)pair.SetAluaState(true, static_cast<uint8_t>(state.alua_node));
        pair.SyncNow();
      }
      // Live sessions re-read their LUN maps after every change that alters them.
      fw.SetLunsChangedListener([&port] { port.NotifyLunsChanged(); });
      for (const tcp::SocketAddress& a : portals) {
        auto b = port.Listen(a);
        if (!b.ok()) {
          status = Fail(Status(b.status().code(),
                               "cannot listen on " + a.ToString() + ": " + b.status().message()));
          break;
        }
        ctx.portals.push_back(*b);
      }
      if (status == 0) {
        s = LoadIscsiConfig(ctx);
        if (!s.ok()) status = Fail(s);
      }
      std::unique_ptr<mgmt::Server> server;
      std::unique_ptr<ha::ProxyDoor> pdoor;
      if (status == 0) {
        auto started =
            mgmt::Server::Start(options.run_dir + "/" + mgmt::kDoorFileName, &dispatcher);
        if (!started.ok()) {
          status = Fail(started.status());
        } else {
          server = std::move(started).value();
        }
      }
      if (status == 0) {
        ha::ProxyDoorCallbacks cb;
        cb.allowed = [&dispatcher](uid_t euid, gid_t egid, const gid_t* groups, int ngroups) {
          mgmt::Caller c;
          c.euid = euid;
          c.egid = egid;
          c.groups.assign(groups, groups + std::max(ngroups, 0));
          return dispatcher.Allowed(c);
        };
        cb.on_message = [&pair](std::span<const uint8_t> m) { return pair.OnMessage(m); };
        cb.on_loop_message = [&pair](std::span<const uint8_t> m) { return pair.OnLoopMessage(m); };
        // Posted messages are handled on the loop that runs the peer's commands.
        auto started = ha::ProxyDoor::Start(options.run_dir + "/" + ha::kProxyDoorFileName,
                                            std::move(cb), pair.proxy_loop());
        if (!started.ok()) {
          status = Fail(started.status());
        } else {
          pdoor = std::move(started).value();
          proxy_door = pdoor.get();
        }
      }
      if (status == 0) {
        for (const tcp::SocketAddress& b : ctx.portals) {
          Log(LogLevel::kInfo, "stmfd", "serving %s on %s (%zu loops)", options.target.c_str(),
              b.ToString().c_str(), group.size());
        }
        Log(LogLevel::kInfo, "stmfd", "management door %s", server->path().c_str());
        Log(LogLevel::kInfo, "stmfd", "ready");
        Status n = NotifySystemd("READY=1");
        if (!n.ok()) Log(LogLevel::kWarn, "stmfd", "%s", n.ToString().c_str());
        for (;;) {
          int sig = 0;
          if (sigwait(&sigs, &sig) != 0) continue;
          if (sig == SIGHUP) continue;  // the configuration changes through the door
          Log(LogLevel::kInfo, "stmfd", "signal %d: draining and stopping", sig);
          break;
        }
        n = NotifySystemd("STOPPING=1");
        if (!n.ok()) Log(LogLevel::kWarn, "stmfd", "%s", n.ToString().c_str());
      }
      // No management request or peer message may run once the port and
      // framework go.
      proxy_door = nullptr;
      pdoor.reset();
      server.reset();
      fw.SetLunsChangedListener(nullptr);
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
