#include "cli/itadm/requests.h"

#include "base/text_list.h"
#include "cli/itadm/secret.h"
#include "mgmt/iscsi_ops.h"

namespace openstmf::cli {
namespace {

Status Invalid(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }

Status CheckAuthOption(const std::string& auth, bool allow_default) {
  if (auth == "none" || auth == "chap" || auth == "radius") return Status::Ok();
  if (allow_default && auth == "default") return Status::Ok();
  return Invalid("invalid value for -a: \"" + auth + "\" (use " +
                 (allow_default ? "radius, chap, none or default)" : "radius, chap or none)"));
}

size_t CountList(const std::string& text) { return SplitList(text).size(); }

// The options create-target and modify-target share.
Status TargetFields(const ParsedArgs& args, const std::optional<std::string>& secret,
                    mgmt::Message* m) {
  if (auto a = args.Last('a')) {
    RETURN_IF_ERROR(CheckAuthOption(*a, true));
    m->Set("auth", *a);
  }
  if (auto u = args.Last('u')) {
    if (u->empty()) return Invalid("-u needs a CHAP user name");
    m->Set("chap_user", *u);
  }
  if (auto l = args.Last('l')) m->Set("alias", *l);
  if (auto t = args.Last('t')) {
    if (CountList(*t) == 0) return Invalid("-t needs a target portal group name");
    m->Set("tpgs", *t);
  }
  if (secret) {
    RETURN_IF_ERROR(CheckSecretLength(*secret));
    m->Set("chap_secret", *secret);
  }
  return Status::Ok();
}

}  // namespace

Result<mgmt::Message> CreateTargetRequest(const ParsedArgs& args,
                                          const std::optional<std::string>& secret) {
  mgmt::Message m(mgmt::kOpItCreateTarget);
  std::optional<std::string> name = args.Last('n');
  if (!args.operands.empty()) {
    if (name && *name != args.operands[0]) {
      return Invalid("target name given both with -n and as an operand");
    }
    name = args.operands[0];
  }
  if (name) m.Set("name", *name);
  RETURN_IF_ERROR(TargetFields(args, secret, &m));
  return m;
}

Result<mgmt::Message> ModifyTargetRequest(const ParsedArgs& args,
                                          const std::optional<std::string>& secret) {
  if (args.operands.size() != 1) return Invalid("modify-target needs the target name");
  mgmt::Message m(mgmt::kOpItModifyTarget);
  m.Set("name", args.operands[0]);
  if (auto n = args.Last('n')) m.Set("new_name", *n);
  RETURN_IF_ERROR(TargetFields(args, secret, &m));
  return m;
}

Result<mgmt::Message> CreateTpgRequest(const ParsedArgs& args) {
  if (args.operands.size() < 2) return Invalid("create-tpg needs a name and at least one portal");
  mgmt::Message m(mgmt::kOpItCreateTpg);
  m.Set("name", args.operands[0]);
  std::string portals;
  for (size_t i = 1; i < args.operands.size(); ++i) {
    if (args.operands[i].find(',') != std::string::npos) {
      return Invalid("portal \"" + args.operands[i] + "\": give portals as separate operands");
    }
    if (!portals.empty()) portals += ',';
    portals += args.operands[i];
  }
  m.Set("portals", portals);
  return m;
}

Result<mgmt::Message> InitiatorRequest(const ParsedArgs& args, bool create,
                                       const std::optional<std::string>& secret) {
  if (args.operands.size() != 1) return Invalid("the initiator name is needed");
  mgmt::Message m(create ? mgmt::kOpItCreateInitiator : mgmt::kOpItModifyInitiator);
  m.Set("name", args.operands[0]);
  if (auto u = args.Last('u')) {
    if (u->empty()) return Invalid("-u needs a CHAP user name");
    m.Set("chap_user", *u);
  }
  if (secret) {
    RETURN_IF_ERROR(CheckSecretLength(*secret));
    m.Set("chap_secret", *secret);
  }
  return m;
}

Result<mgmt::Message> ModifyDefaultsRequest(const ParsedArgs& args,
                                            const std::optional<std::string>& radius_secret) {
  mgmt::Message m(mgmt::kOpItModifyDefaults);
  if (auto a = args.Last('a')) {
    RETURN_IF_ERROR(CheckAuthOption(*a, false));
    m.Set("auth", *a);
  }
  if (auto r = args.Last('r')) {
    if (r->empty()) return Invalid("-r needs a RADIUS server address");
    m.Set("radius_server", *r);
  }
  if (auto i = args.Last('i')) {
    if (*i != "enable" && *i != "disable") {
      return Invalid("invalid value for -i: \"" + *i + "\" (use enable or disable)");
    }
    m.SetBool("isns", *i == "enable");
  }
  if (auto servers = args.Last('I')) {
    if (CountList(*servers) > 8) {
      return Invalid("too many iSNS servers specified, maximum of 8 allowed");
    }
    m.Set("isns_servers", *servers);
  }
  if (radius_secret) {
    RETURN_IF_ERROR(CheckSecretLength(*radius_secret));
    m.Set("radius_secret", *radius_secret);
  }
  if (m.fields().size() == 1) return Invalid("no properties specified");
  return m;
}

}  // namespace openstmf::cli
