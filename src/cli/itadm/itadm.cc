#include "cli/itadm/itadm.h"

#include <vector>

#include "cli/itadm/requests.h"
#include "cli/itadm/secret.h"
#include "mgmt/client.h"
#include "mgmt/iscsi_ops.h"

namespace openstmf::cli {
namespace {

constexpr OptionSpec kAuth{'a', "auth-method", "method"};
constexpr OptionSpec kSecret{'s', "chap-secret", nullptr};
constexpr OptionSpec kSecretFile{'S', "chap-secret-file", "path"};
constexpr OptionSpec kUser{'u', "chap-user", "user"};
constexpr OptionSpec kNodeName{'n', "node-name", "name"};
constexpr OptionSpec kAlias{'l', "alias", "alias"};
constexpr OptionSpec kTpg{'t', "tpg-tag", "tpg"};
constexpr OptionSpec kForce{'f', "force", nullptr};
constexpr OptionSpec kVerbose{'v', "verbose", nullptr};
constexpr OptionSpec kRadiusServer{'r', "radius-server", "server"};
constexpr OptionSpec kRadiusSecret{'d', "radius-secret", nullptr};
constexpr OptionSpec kRadiusSecretFile{'D', "radius-secret-file", "path"};
constexpr OptionSpec kIsns{'i', "isns", "enable|disable"};
constexpr OptionSpec kIsnsServer{'I', "isns-server", "servers"};

// -s / -S (or -d / -D): the secret, read now; nullopt when neither was given.
Result<std::optional<std::string>> Secret(const ParsedArgs& args, char prompt_opt, char file_opt,
                                          const char* prompt) {
  if (args.Has(prompt_opt) && args.Has(file_opt)) {
    return Status(Code::kInvalidArgument,
                  std::string("-") + prompt_opt + " and -" + file_opt + " cannot be used together");
  }
  if (auto file = args.Last(file_opt)) {
    ASSIGN_OR_RETURN(std::string s, ReadSecretFile(*file));
    return std::optional<std::string>(std::move(s));
  }
  if (args.Has(prompt_opt)) {
    ASSIGN_OR_RETURN(std::string s, ReadSecretPrompt(prompt));
    return std::optional<std::string>(std::move(s));
  }
  return std::optional<std::string>();
}

int CreateTarget(const ParsedArgs& args, const Context& ctx) {
  auto secret = Secret(args, 's', 'S', "Enter CHAP secret: ");
  if (!secret.ok()) return ctx.Error(secret.status().message());
  auto req = CreateTargetRequest(args, *secret);
  if (!req.ok()) return ctx.Error(req.status().message());
  auto reply = CallDaemon(ctx, *req);
  if (!reply) return 1;
  ctx.out() << "Target " << reply->Text("name") << " successfully created\n";
  return 0;
}

int ModifyTarget(const ParsedArgs& args, const Context& ctx) {
  auto secret = Secret(args, 's', 'S', "Enter CHAP secret: ");
  if (!secret.ok()) return ctx.Error(secret.status().message());
  auto req = ModifyTargetRequest(args, *secret);
  if (!req.ok()) return ctx.Error(req.status().message());
  auto reply = CallDaemon(ctx, *req);
  if (!reply) return 1;
  ctx.out() << "Target " << reply->Text("name") << " successfully modified\n";
  return 0;
}

int DeleteTarget(const ParsedArgs& args, const Context& ctx) {
  mgmt::Message req(mgmt::kOpItDeleteTarget);
  req.Set("name", args.operands[0]);
  if (args.Has('f')) req.SetBool("force", true);
  return CallDaemon(ctx, req) ? 0 : 1;
}

int CreateTpg(const ParsedArgs& args, const Context& ctx) {
  auto req = CreateTpgRequest(args);
  if (!req.ok()) return ctx.Error(req.status().message());
  return CallDaemon(ctx, *req) ? 0 : 1;
}

int DeleteTpg(const ParsedArgs& args, const Context& ctx) {
  mgmt::Message req(mgmt::kOpItDeleteTpg);
  req.Set("name", args.operands[0]);
  if (args.Has('f')) req.SetBool("force", true);
  return CallDaemon(ctx, req) ? 0 : 1;
}

int SetInitiator(const ParsedArgs& args, const Context& ctx, bool create) {
  auto secret = Secret(args, 's', 'S', "Enter CHAP secret: ");
  if (!secret.ok()) return ctx.Error(secret.status().message());
  auto req = InitiatorRequest(args, create, *secret);
  if (!req.ok()) return ctx.Error(req.status().message());
  return CallDaemon(ctx, *req) ? 0 : 1;
}
int CreateInitiator(const ParsedArgs& args, const Context& ctx) {
  return SetInitiator(args, ctx, true);
}
int ModifyInitiator(const ParsedArgs& args, const Context& ctx) {
  return SetInitiator(args, ctx, false);
}

int DeleteInitiator(const ParsedArgs& args, const Context& ctx) {
  mgmt::Message req(mgmt::kOpItDeleteInitiator);
  req.Set("name", args.operands[0]);
  return CallDaemon(ctx, req) ? 0 : 1;
}

int ModifyDefaults(const ParsedArgs& args, const Context& ctx) {
  auto secret = Secret(args, 'd', 'D', "Enter RADIUS secret: ");
  if (!secret.ok()) return ctx.Error(secret.status().message());
  auto req = ModifyDefaultsRequest(args, *secret);
  if (!req.ok()) return ctx.Error(req.status().message());
  return CallDaemon(ctx, *req) ? 0 : 1;
}

const std::vector<Subcommand>& Commands() {
  static const std::vector<Subcommand> kCommands = {
      {"create-target",
       {kAuth, kSecret, kSecretFile, kUser, kNodeName, kAlias, kTpg},
       0,
       1,
       "[-a radius|chap|none|default] [-s] [-S chap-secret-path] [-u chap-username] "
       "[-n target-node-name] [-l alias] [-t tpg-name[,tpg-name,...]]",
       "  -s / -S set the target's own CHAP secret, used for mutual CHAP.\n",
       CreateTarget},
      {"modify-target",
       {kAuth, kSecret, kSecretFile, kUser, kNodeName, kAlias, kTpg},
       1,
       1,
       "[-a radius|chap|none|default] [-s] [-S chap-secret-path] [-u chap-username] "
       "[-n new-target-node-name] [-l alias] [-t tpg-name[,tpg-name,...]] target-node-name",
       "  -t default returns the target to the default portal group.\n",
       ModifyTarget},
      {"delete-target",
       {kForce},
       1,
       1,
       "[-f] target-node-name",
       "  -f logs out the target's sessions first.\n",
       DeleteTarget},
      {"list-target",
       {kVerbose, kOutputOption},
       0,
       1,
       "[-v] [-o json] [target-node-name]",
       nullptr,
       ListTarget},
      {"create-tpg",
       {},
       2,
       kAnyCount,
       "tpg-name IP-address[:port] [IP-address[:port]] [...]",
       "  IPv6 addresses are written in brackets: [::1]:3260.\n",
       CreateTpg},
      {"delete-tpg", {kForce}, 1, 1, "[-f] tpg-name", nullptr, DeleteTpg},
      {"list-tpg", {kVerbose, kOutputOption}, 0, 1, "[-v] [-o json] [tpg-name]", nullptr, ListTpg},
      {"create-initiator",
       {kSecret, kSecretFile, kUser},
       1,
       1,
       "[-s] [-S chap-secret-path] [-u chap-username] initiator-node-name",
       nullptr,
       CreateInitiator},
      {"modify-initiator",
       {kSecret, kSecretFile, kUser},
       1,
       1,
       "[-s] [-S chap-secret-path] [-u chap-username] initiator-node-name",
       nullptr,
       ModifyInitiator},
      {"list-initiator",
       {kVerbose, kOutputOption},
       0,
       1,
       "[-v] [-o json] [initiator-node-name]",
       nullptr,
       ListInitiator},
      {"delete-initiator", {}, 1, 1, "initiator-node-name", nullptr, DeleteInitiator},
      {"modify-defaults",
       {kAuth, kRadiusServer, kRadiusSecret, kRadiusSecretFile, kIsns, kIsnsServer},
       0,
       0,
       "[-a radius|chap|none] [-r IP-address[:port]] [-d] [-D radius-secret-path] "
       "[-i enable|disable] [-I IP-address[:port][,IP-address[:port]]...]",
       "  At most 8 iSNS servers. RADIUS settings are kept, but RADIUS authentication\n"
       "  is not supported: logins to a target using it are refused.\n",
       ModifyDefaults},
      {"list-defaults", {kOutputOption}, 0, 0, "[-o json]", nullptr, ListDefaults},
  };
  return kCommands;
}

}  // namespace

int RunItadm(const Context& ctx, std::span<const std::string> args) {
  return RunTool(ctx, Commands(), args);
}

}  // namespace openstmf::cli
