// itadm's list subcommands, in Solaris itadm's layout (column widths and
// labels) or, with -o json, as one JSON document. Secrets are never shown: only
// whether one is set.
#include <cstdio>

#include "base/text_list.h"
#include "cli/common/json.h"
#include "cli/itadm/itadm.h"
#include "mgmt/iscsi_ops.h"

namespace openstmf::cli {
namespace {

std::string Pad(const std::string& s, size_t width) {
  std::string out = s;
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

std::string OrNone(const std::string& s) { return s.empty() ? "<none>" : s; }

const mgmt::Message::List& ListField(const mgmt::Message& m, const char* name) {
  static const mgmt::Message::List kEmpty;
  const mgmt::Message::List* l = m.ListOf(name);
  return l != nullptr ? *l : kEmpty;
}

// Keeps the entries named by the operand (if any); an unknown name is an error.
std::optional<std::vector<mgmt::Message>> Select(const ParsedArgs& args, const Context& ctx,
                                                 const mgmt::Message::List& all, const char* what) {
  std::vector<mgmt::Message> out;
  for (const mgmt::Message& m : all) {
    if (args.operands.empty() || m.Text("name") == args.operands[0]) out.push_back(m);
  }
  if (!args.operands.empty() && out.empty()) {
    // Names of targets and initiators are kept lower-case.
    std::string lower = args.operands[0];
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const mgmt::Message& m : all) {
      if (m.Text("name") == lower) out.push_back(m);
    }
    if (out.empty()) {
      ctx.Error(std::string(what) + " \"" + args.operands[0] + "\" not found");
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace

int ListTarget(const ParsedArgs& args, const Context& ctx) {
  auto reply = CallDaemon(ctx, mgmt::Message(mgmt::kOpItListTargets));
  if (!reply) return 1;
  auto targets = Select(args, ctx, ListField(*reply, "targets"), "target");
  if (!targets) return 1;
  if (WantsJson(args)) {
    Json arr = Json::Array();
    for (const mgmt::Message& t : *targets) {
      Json tags = Json::Array();
      for (const std::string& tag : SplitList(t.Text("tpg_tags"))) {
        const size_t eq = tag.find('=');
        tags.Push(Json::Object()
                      .Add("name", Json::String(tag.substr(0, eq)))
                      .Add("tag", Json::Number(std::stoull(tag.substr(eq + 1)))));
      }
      arr.Push(
          Json::Object()
              .Add("name", Json::String(t.Text("name")))
              .Add("state", Json::String(t.Text("state")))
              .Add("sessions", Json::Number(t.NumberOr("session_count", 0)))
              .Add("alias", Json::String(t.Text("alias")))
              .Add("auth", Json::String(t.Text("auth")))
              .Add("auth_from_defaults", Json::Bool(t.Flag("auth_default")))
              .Add("targetchapuser", Json::String(t.Text("chap_user")))
              .Add("targetchapsecret", Json::String(t.Flag("chap_secret_set") ? "set" : "unset"))
              .Add("tpg_tags", std::move(tags)));
    }
    ctx.out() << arr.Dump() << "\n";
    return 0;
  }
  if (!targets->empty()) {
    ctx.out() << Pad("TARGET NAME", 61) << Pad("STATE", 9) << Pad("SESSIONS", 9) << "\n";
  }
  for (const mgmt::Message& t : *targets) {
    const std::string name = t.Text("name");
    ctx.out() << Pad(name, 61) << (name.size() > 60 ? "\t" : "") << Pad(t.Text("state"), 9)
              << Pad(std::to_string(t.NumberOr("session_count", 0)), 9) << "\n";
    if (!args.Has('v')) continue;
    std::string tags;
    for (char c : t.Text("tpg_tags")) {
      if (c == '=') {
        tags += " = ";
      } else {
        tags += c;
      }
    }
    ctx.out() << "\t" << Pad("alias:", 20) << "\t"
              << (t.Text("alias").empty() ? "-" : t.Text("alias")) << "\n"
              << "\t" << Pad("auth:", 20) << "\t" << t.Text("auth")
              << (t.Flag("auth_default") ? " (defaults)" : "") << "\n"
              << "\t" << Pad("targetchapuser:", 20) << "\t"
              << (t.Text("chap_user").empty() ? "-" : t.Text("chap_user")) << "\n"
              << "\t" << Pad("targetchapsecret:", 20) << "\t"
              << (t.Flag("chap_secret_set") ? "set" : "unset") << "\n"
              << "\t" << Pad("tpg-tags:", 20) << "\t" << (tags.empty() ? "default" : tags) << "\n";
  }
  return 0;
}

int ListTpg(const ParsedArgs& args, const Context& ctx) {
  auto reply = CallDaemon(ctx, mgmt::Message(mgmt::kOpItListTpgs));
  if (!reply) return 1;
  auto tpgs = Select(args, ctx, ListField(*reply, "tpgs"), "target portal group");
  if (!tpgs) return 1;
  auto portals_of = [](const mgmt::Message& t) { return SplitList(t.Text("portals")); };
  if (WantsJson(args)) {
    Json arr = Json::Array();
    for (const mgmt::Message& t : *tpgs) {
      Json portals = Json::Array();
      for (const std::string& p : portals_of(t)) portals.Push(Json::String(p));
      arr.Push(Json::Object()
                   .Add("name", Json::String(t.Text("name")))
                   .Add("tag", Json::Number(t.NumberOr("tag", 0)))
                   .Add("portal_count", Json::Number(portals_of(t).size()))
                   .Add("listening", Json::Number(t.NumberOr("listening", 0)))
                   .Add("portals", std::move(portals)));
    }
    ctx.out() << arr.Dump() << "\n";
    return 0;
  }
  if (!tpgs->empty()) ctx.out() << Pad("TARGET PORTAL GROUP", 30) << "PORTAL COUNT\n";
  for (const mgmt::Message& t : *tpgs) {
    const std::string name = t.Text("name");
    const std::vector<std::string> portals = portals_of(t);
    ctx.out() << Pad(name, 30) << (name.size() > 30 ? "\t" : "") << portals.size() << "\n";
    if (!args.Has('v')) continue;
    std::string joined;
    for (const std::string& p : portals) joined += (joined.empty() ? "" : ",") + p;
    ctx.out() << "    portals:\t" << OrNone(joined) << "\n";
  }
  return 0;
}

int ListInitiator(const ParsedArgs& args, const Context& ctx) {
  auto reply = CallDaemon(ctx, mgmt::Message(mgmt::kOpItListInitiators));
  if (!reply) return 1;
  auto inis = Select(args, ctx, ListField(*reply, "initiators"), "initiator");
  if (!inis) return 1;
  if (WantsJson(args)) {
    Json arr = Json::Array();
    for (const mgmt::Message& i : *inis) {
      arr.Push(Json::Object()
                   .Add("name", Json::String(i.Text("name")))
                   .Add("chapuser", Json::String(i.Text("chap_user")))
                   .Add("secret", Json::String(i.Flag("chap_secret_set") ? "set" : "unset")));
    }
    ctx.out() << arr.Dump() << "\n";
    return 0;
  }
  if (!inis->empty()) {
    ctx.out() << Pad("INITIATOR NAME", 61) << Pad("CHAPUSER", 15) << "SECRET\n";
  }
  for (const mgmt::Message& i : *inis) {
    const std::string name = i.Text("name");
    const std::string user = OrNone(i.Text("chap_user"));
    ctx.out() << Pad(name, 61) << (name.size() > 60 ? "\t" : "") << Pad(user, 15)
              << (user.size() >= 15 ? "\t" : "") << (i.Flag("chap_secret_set") ? "set" : "unset")
              << "\n";
  }
  return 0;
}

int ListDefaults(const ParsedArgs& args, const Context& ctx) {
  auto reply = CallDaemon(ctx, mgmt::Message(mgmt::kOpItGetDefaults));
  if (!reply) return 1;
  const mgmt::Message& d = *reply;
  if (WantsJson(args)) {
    Json servers = Json::Array();
    for (const std::string& s : SplitList(d.Text("isns_servers"))) servers.Push(Json::String(s));
    Json status = Json::Array();
    for (const mgmt::Message& st : ListField(d, "isns_status")) {
      status.Push(Json::Object()
                      .Add("server", Json::String(st.Text("server")))
                      .Add("registered", Json::Bool(st.Flag("registered")))
                      .Add("error", Json::String(st.Text("error"))));
    }
    ctx.out() << Json::Object()
                     .Add("auth", Json::String(d.Text("auth")))
                     .Add("radiusserver", Json::String(d.Text("radius_server")))
                     .Add("radiussecret",
                          Json::String(d.Flag("radius_secret_set") ? "set" : "unset"))
                     .Add("isns", Json::Bool(d.Flag("isns")))
                     .Add("isnsserver", std::move(servers))
                     .Add("isns_status", std::move(status))
                     .Dump()
              << "\n";
    return 0;
  }
  ctx.out() << "iSCSI Target Default Properties:\n\n"
            << Pad("alias:", 15) << "\t<none>\n"
            << Pad("auth:", 15) << "\t" << OrNone(d.Text("auth")) << "\n"
            << Pad("radiusserver:", 15) << "\t" << OrNone(d.Text("radius_server")) << "\n"
            << Pad("radiussecret:", 15) << "\t" << (d.Flag("radius_secret_set") ? "set" : "unset")
            << "\n"
            << Pad("isns:", 15) << "\t" << (d.Flag("isns") ? "enabled" : "disabled") << "\n"
            << Pad("isnsserver:", 15) << "\t" << OrNone(d.Text("isns_servers")) << "\n";
  for (const mgmt::Message& st : ListField(d, "isns_status")) {
    ctx.out() << Pad("isns status:", 15) << "\t" << st.Text("server") << " "
              << (st.Flag("registered") ? "registered" : "not registered")
              << (st.Text("error").empty() ? "" : " (" + st.Text("error") + ")") << "\n";
  }
  return 0;
}

}  // namespace openstmf::cli
