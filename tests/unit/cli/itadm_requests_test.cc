// itadm's option checks and the requests they build, before any daemon call.
#include "cli/itadm/requests.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mgmt/iscsi_ops.h"

namespace openstmf::cli {
namespace {

ParsedArgs Args(std::vector<std::pair<char, std::string>> options,
                std::vector<std::string> operands = {}) {
  ParsedArgs a;
  a.options = std::move(options);
  a.operands = std::move(operands);
  return a;
}

TEST(ItadmRequests, CreateTargetCarriesEveryOption) {
  auto m = CreateTargetRequest(
      Args({{'a', "chap"}, {'u', "tu"}, {'n', "iqn.2026-11.org.x:t"}, {'l', "al"}, {'t', "g1,g2"}}),
      std::string("0123456789abcd"));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->Text("op"), mgmt::kOpItCreateTarget);
  EXPECT_EQ(m->Text("name"), "iqn.2026-11.org.x:t");
  EXPECT_EQ(m->Text("auth"), "chap");
  EXPECT_EQ(m->Text("chap_user"), "tu");
  EXPECT_EQ(m->Text("alias"), "al");
  EXPECT_EQ(m->Text("tpgs"), "g1,g2");
  EXPECT_EQ(m->Text("chap_secret"), "0123456789abcd");
}

TEST(ItadmRequests, CreateTargetWithoutNameLetsTheDaemonGenerateOne) {
  auto m = CreateTargetRequest(Args({}), std::nullopt);
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->Has("name"));
}

TEST(ItadmRequests, RejectsUnknownAuthMethod) {
  auto m = CreateTargetRequest(Args({{'a', "kerberos"}}), std::nullopt);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("invalid value for -a"), std::string::npos);
  // "default" is for targets only.
  EXPECT_FALSE(ModifyDefaultsRequest(Args({{'a', "default"}}), std::nullopt).ok());
}

TEST(ItadmRequests, RejectsSecretsOutsideTwelveTo255Characters) {
  EXPECT_FALSE(CreateTargetRequest(Args({}), std::string(11, 'x')).ok());
  EXPECT_FALSE(
      InitiatorRequest(Args({}, {"iqn.2026-11.org.x:i"}), true, std::string(256, 'x')).ok());
  EXPECT_TRUE(InitiatorRequest(Args({}, {"iqn.2026-11.org.x:i"}), true, std::string(12, 'x')).ok());
  EXPECT_TRUE(
      InitiatorRequest(Args({}, {"iqn.2026-11.org.x:i"}), true, std::string(255, 'x')).ok());
}

TEST(ItadmRequests, ModifyTargetRenamesWithDashN) {
  auto m = ModifyTargetRequest(Args({{'n', "iqn.2026-11.org.x:new"}}, {"iqn.2026-11.org.x:old"}),
                               std::nullopt);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->Text("name"), "iqn.2026-11.org.x:old");
  EXPECT_EQ(m->Text("new_name"), "iqn.2026-11.org.x:new");
}

TEST(ItadmRequests, CreateTpgJoinsPortalOperands) {
  auto m = CreateTpgRequest(Args({}, {"g1", "192.0.2.1", "[::1]:3261"}));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->Text("name"), "g1");
  EXPECT_EQ(m->Text("portals"), "192.0.2.1,[::1]:3261");
  EXPECT_FALSE(CreateTpgRequest(Args({}, {"g1"})).ok());
  EXPECT_FALSE(CreateTpgRequest(Args({}, {"g1", "192.0.2.1,192.0.2.2"})).ok());
}

TEST(ItadmRequests, ModifyDefaultsChecksIsnsOptions) {
  auto m = ModifyDefaultsRequest(Args({{'i', "enable"}, {'I', "a,b"}}), std::nullopt);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->Flag("isns"));
  EXPECT_EQ(m->Text("isns_servers"), "a,b");
  auto bad = ModifyDefaultsRequest(Args({{'i', "on"}}), std::nullopt);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("invalid value for -i"), std::string::npos);
  auto many = ModifyDefaultsRequest(Args({{'I', "1,2,3,4,5,6,7,8,9"}}), std::nullopt);
  ASSERT_FALSE(many.ok());
  EXPECT_NE(many.status().message().find("maximum of 8"), std::string::npos);
  EXPECT_TRUE(ModifyDefaultsRequest(Args({{'I', "1,2,3,4,5,6,7,8"}}), std::nullopt).ok());
}

TEST(ItadmRequests, ModifyDefaultsNeedsAProperty) {
  auto m = ModifyDefaultsRequest(Args({}), std::nullopt);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("no properties specified"), std::string::npos);
  auto r = ModifyDefaultsRequest(Args({}), std::string("radius-secret-1"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Text("radius_secret"), "radius-secret-1");
}

}  // namespace
}  // namespace openstmf::cli
