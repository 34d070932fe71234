#include "port/iscsi/login.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "fake_random.h"
#include "fake_registry.h"

namespace openstmf::iscsi {
namespace {

using testing::FakeRandom;
using testing::FakeRegistry;
using testing::Seq;

constexpr char kInit[] = "iqn.1994-05.com.example:init";
constexpr char kTarget[] = "iqn.2024-01.org.openstmf:disk0";
constexpr uint64_t kIsid = 0x400001370000ULL;

std::string Text(std::initializer_list<std::pair<std::string, std::string>> kvs) {
  std::string t;
  for (const auto& [k, v] : kvs) t += k + "=" + v + std::string(1, '\0');
  return t;
}

std::map<std::string, std::string> Pairs(const std::string& text) {
  std::map<std::string, std::string> m;
  auto r = ParseKeyValues({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
  EXPECT_TRUE(r.ok());
  for (const KeyValue& kv : *r) m[std::string(kv.key)] = std::string(kv.value);
  return m;
}

class LoginTest : public ::testing::Test {
 protected:
  LoginTest() {
    registry_.targets[kTarget] = TargetAccess{};
    settings_.initial_stat_sn = 1000;
    settings_.random = &random_;
  }

  LoginReply Send(LoginStateMachine& m, uint8_t csg, uint8_t nsg, bool transit,
                  const std::string& text, uint16_t tsih = 0, bool cont = false,
                  uint8_t version_min = 0) {
    LoginRequest r;
    r.transit = transit;
    r.continue_ = cont;
    r.csg = csg;
    r.nsg = nsg;
    r.version_min = version_min;
    r.isid = kIsid;
    r.tsih = tsih;
    r.itt = 0x77;
    r.cmd_sn = 5;
    r.data_segment_length = static_cast<uint32_t>(text.size());
    uint8_t bhs[kBhsSize];
    r.Encode(bhs);
    return m.Process(bhs, {reinterpret_cast<const uint8_t*>(text.data()), text.size()});
  }

  static uint16_t Status(const LoginReply& r) {
    return static_cast<uint16_t>(r.header.status_class << 8 | r.header.status_detail);
  }

  void UseChap(bool mutual = false) {
    TargetAccess& a = registry_.targets[kTarget];
    a.require_chap = true;
    a.chap.initiator = {kInit, "abcdefghijklmnop"};
    a.chap.challenge_length = 16;
    if (mutual) a.chap.target = ChapCredentials{"tgt", "targetsecret9876"};
    random_.Queue(Seq(0, 16));
    random_.Queue({0x2a});
  }

  FakeRegistry registry_;
  FakeRandom random_;
  LoginSettings settings_;
};

TEST_F(LoginTest, NormalLoginWithoutSecurityReachesFullFeaturePhase) {
  LoginStateMachine m(&registry_, settings_);
  auto r = Send(m, 1, 3, true,
                Text({{"InitiatorName", kInit},
                      {"TargetName", kTarget},
                      {"SessionType", "Normal"},
                      {"HeaderDigest", "None"},
                      {"ImmediateData", "Yes"},
                      {"InitialR2T", "No"},
                      {"MaxBurstLength", "262144"},
                      {"MaxRecvDataSegmentLength", "262144"}}));
  EXPECT_EQ(0, Status(r));
  EXPECT_TRUE(r.header.transit);
  EXPECT_EQ(1, r.header.csg);
  EXPECT_EQ(3, r.header.nsg);
  EXPECT_TRUE(m.complete());
  EXPECT_EQ(0x100, r.header.tsih);
  EXPECT_EQ(kIsid, r.header.isid);
  EXPECT_EQ(0x77U, r.header.itt);
  EXPECT_EQ(1000U, r.header.sn.stat_sn);
  EXPECT_EQ(5U, r.header.sn.exp_cmd_sn);
  EXPECT_EQ(5U + 31, r.header.sn.max_cmd_sn);
  EXPECT_EQ(1001U, m.next_stat_sn());
  auto p = Pairs(r.text);
  EXPECT_EQ("1", p["TargetPortalGroupTag"]);
  EXPECT_EQ("262144", p["MaxRecvDataSegmentLength"]);
  EXPECT_EQ("No", p["InitialR2T"]);
  EXPECT_EQ(r.text.size(), r.header.data_segment_length);
  ASSERT_EQ(1U, registry_.commits.size());
  EXPECT_EQ(LoginKind::kNewSession, registry_.commits[0].kind);
  EXPECT_EQ(kInit, registry_.commits[0].initiator_name);
  EXPECT_FALSE(m.params().initial_r2t);
  EXPECT_EQ(262144U, m.params().max_recv_data_segment_length);
}

TEST_F(LoginTest, SecurityStageWithAuthMethodNoneThenOperational) {
  LoginStateMachine m(&registry_, settings_);
  auto r =
      Send(m, 0, 1, true,
           Text({{"InitiatorName", kInit}, {"TargetName", kTarget}, {"AuthMethod", "CHAP,None"}}));
  EXPECT_EQ(0, Status(r));
  EXPECT_TRUE(r.header.transit);
  EXPECT_EQ(1, r.header.nsg);
  EXPECT_EQ("None", Pairs(r.text)["AuthMethod"]);
  r = Send(m, 1, 3, true, Text({{"MaxConnections", "1"}}));
  EXPECT_EQ(0, Status(r));
  EXPECT_TRUE(m.complete());
  EXPECT_EQ(1001U, r.header.sn.stat_sn);
}

TEST_F(LoginTest, OperationalStageWithoutTransitWaitsForInitiator) {
  LoginStateMachine m(&registry_, settings_);
  auto r = Send(m, 1, 0, false, Text({{"InitiatorName", kInit}, {"TargetName", kTarget}}));
  EXPECT_EQ(0, Status(r));
  EXPECT_FALSE(r.header.transit);
  EXPECT_FALSE(m.complete());
  EXPECT_EQ(0, r.header.tsih);
  r = Send(m, 1, 3, true, "");
  EXPECT_TRUE(m.complete());
}

TEST_F(LoginTest, DiscoveryLoginNeedsNoTargetName) {
  LoginStateMachine m(&registry_, settings_);
  auto r = Send(
      m, 1, 3, true,
      Text({{"InitiatorName", kInit}, {"SessionType", "Discovery"}, {"MaxBurstLength", "512"}}));
  EXPECT_EQ(0, Status(r));
  EXPECT_TRUE(m.complete());
  EXPECT_EQ(SessionType::kDiscovery, m.commit().type);
  auto p = Pairs(r.text);
  EXPECT_EQ("Irrelevant", p["MaxBurstLength"]);
  EXPECT_EQ(0U, p.count("TargetPortalGroupTag"));
}

TEST_F(LoginTest, RejectsLoginToUnknownTargetWithNotFound) {
  LoginStateMachine m(&registry_, settings_);
  auto r = Send(m, 1, 3, true, Text({{"InitiatorName", kInit}, {"TargetName", "iqn.nope"}}));
  EXPECT_EQ(0x0203, Status(r));
  EXPECT_TRUE(m.failed());
}

TEST_F(LoginTest, RejectsDeniedInitiatorWithAuthorizationFailure) {
  registry_.targets[kTarget].status = LoginStatus::kAuthorizationFailure;
  LoginStateMachine m(&registry_, settings_);
  auto r = Send(m, 1, 3, true, Text({{"InitiatorName", kInit}, {"TargetName", kTarget}}));
  EXPECT_EQ(0x0202, Status(r));
}

TEST_F(LoginTest, RedirectionCarriesTargetAddress) {
  registry_.targets[kTarget].status = LoginStatus::kTargetMovedTemporarily;
  registry_.targets[kTarget].redirect_address = "[fe80::1]:3260,2";
  LoginStateMachine m(&registry_, settings_);
  auto r = Send(m, 1, 3, true, Text({{"InitiatorName", kInit}, {"TargetName", kTarget}}));
  EXPECT_EQ(0x0101, Status(r));
  EXPECT_EQ("[fe80::1]:3260,2", Pairs(r.text)["TargetAddress"]);
}

TEST_F(LoginTest, RejectsMissingInitiatorNameWithMissingParameter) {
  LoginStateMachine m(&registry_, settings_);
  EXPECT_EQ(0x0207, Status(Send(m, 1, 3, true, Text({{"TargetName", kTarget}}))));
}

TEST_F(LoginTest, RejectsNormalSessionWithoutTargetName) {
  LoginStateMachine m(&registry_, settings_);
  EXPECT_EQ(0x0207, Status(Send(m, 1, 3, true, Text({{"InitiatorName", kInit}}))));
}

TEST_F(LoginTest, RejectsUnsupportedVersion) {
  LoginStateMachine m(&registry_, settings_);
  auto r =
      Send(m, 1, 3, true, Text({{"InitiatorName", kInit}, {"TargetName", kTarget}}), 0, false, 1);
  EXPECT_EQ(0x0205, Status(r));
}

TEST_F(LoginTest, RejectsUnknownSessionType) {
  LoginStateMachine m(&registry_, settings_);
  auto r = Send(m, 1, 3, true, Text({{"InitiatorName", kInit}, {"SessionType", "Weird"}}));
  EXPECT_EQ(0x0209, Status(r));
}

TEST_F(LoginTest, RejectsDiscoveryWhenNotAllowed) {
  registry_.discovery.status = LoginStatus::kSessionTypeNotSupported;
  LoginStateMachine m(&registry_, settings_);
  auto r = Send(m, 1, 3, true, Text({{"InitiatorName", kInit}, {"SessionType", "Discovery"}}));
  EXPECT_EQ(0x0209, Status(r));
}

TEST_F(LoginTest, RejectsBackwardStageTransition) {
  LoginStateMachine m(&registry_, settings_);
  auto r = Send(m, 1, 1, true, Text({{"InitiatorName", kInit}, {"TargetName", kTarget}}));
  EXPECT_EQ(0x0200, Status(r));
}

TEST_F(LoginTest, RejectsSecurityKeysInOperationalStage) {
  LoginStateMachine m(&registry_, settings_);
  auto r = Send(m, 1, 3, true,
                Text({{"InitiatorName", kInit}, {"TargetName", kTarget}, {"AuthMethod", "None"}}));
  EXPECT_EQ(0x0200, Status(r));
}

TEST_F(LoginTest, RejectsRepeatedInitiatorName) {
  LoginStateMachine m(&registry_, settings_);
  ASSERT_EQ(
      0, Status(Send(m, 1, 0, false, Text({{"InitiatorName", kInit}, {"TargetName", kTarget}}))));
  EXPECT_EQ(0x0200, Status(Send(m, 1, 3, true, Text({{"InitiatorName", kInit}}))));
}

TEST_F(LoginTest, RejectsChangedIsidDuringLogin) {
  LoginStateMachine m(&registry_, settings_);
  ASSERT_EQ(
      0, Status(Send(m, 1, 0, false, Text({{"InitiatorName", kInit}, {"TargetName", kTarget}}))));
  EXPECT_EQ(0x0200, Status(Send(m, 1, 3, true, "", /*tsih=*/7)));
}

TEST_F(LoginTest, ReassemblesContinuedLoginRequest) {
  LoginStateMachine m(&registry_, settings_);
  const std::string all = Text({{"InitiatorName", kInit}, {"TargetName", kTarget}});
  auto r = Send(m, 1, 0, false, all.substr(0, 20), 0, /*cont=*/true);
  EXPECT_EQ(0, Status(r));
  EXPECT_TRUE(r.text.empty());
  r = Send(m, 1, 3, true, all.substr(20));
  EXPECT_EQ(0, Status(r));
  EXPECT_TRUE(m.complete());
}

TEST_F(LoginTest, RejectsLoginWithWrongChapResponse) {
  UseChap();
  LoginStateMachine m(&registry_, settings_);
  auto r =
      Send(m, 0, 1, true,
           Text({{"InitiatorName", kInit}, {"TargetName", kTarget}, {"AuthMethod", "CHAP,None"}}));
  EXPECT_EQ("CHAP", Pairs(r.text)["AuthMethod"]);
  EXPECT_FALSE(r.header.transit);
  r = Send(m, 0, 1, false, Text({{"CHAP_A", "5"}}));
  EXPECT_EQ("5", Pairs(r.text)["CHAP_A"]);
  r = Send(m, 0, 1, true,
           Text({{"CHAP_N", kInit}, {"CHAP_R", "0x00000000000000000000000000000000"}}));
  EXPECT_EQ(0x0201, Status(r));
  EXPECT_TRUE(m.failed());
}

TEST_F(LoginTest, AcceptsLoginWithCorrectChapResponse) {
  UseChap();
  LoginStateMachine m(&registry_, settings_);
  Send(m, 0, 1, true,
       Text({{"InitiatorName", kInit}, {"TargetName", kTarget}, {"AuthMethod", "CHAP,None"}}));
  auto r = Send(m, 0, 1, false, Text({{"CHAP_A", "5"}}));
  auto p = Pairs(r.text);
  EXPECT_EQ("42", p["CHAP_I"]);
  EXPECT_EQ("0x000102030405060708090a0b0c0d0e0f", p["CHAP_C"]);
  // MD5(0x2a || secret || challenge), computed with openssl dgst -md5.
  r = Send(m, 0, 1, true,
           Text({{"CHAP_N", kInit}, {"CHAP_R", "0x06e083bf6e5f435ad587f78569ea9ea2"}}));
  EXPECT_EQ(0, Status(r));
  EXPECT_TRUE(r.header.transit);
  EXPECT_EQ(1, r.header.nsg);
  r = Send(m, 1, 3, true, "");
  EXPECT_TRUE(m.complete());
}

TEST_F(LoginTest, MutualChapAnswersInitiatorChallenge) {
  UseChap(/*mutual=*/true);
  LoginStateMachine m(&registry_, settings_);
  Send(m, 0, 1, true,
       Text({{"InitiatorName", kInit}, {"TargetName", kTarget}, {"AuthMethod", "CHAP"}}));
  Send(m, 0, 1, false, Text({{"CHAP_A", "5"}}));
  auto r = Send(m, 0, 1, true,
                Text({{"CHAP_N", kInit},
                      {"CHAP_R", "0x06e083bf6e5f435ad587f78569ea9ea2"},
                      {"CHAP_I", "7"},
                      {"CHAP_C", "0xaabbccddeeff11223344556677889900"}}));
  EXPECT_EQ(0, Status(r));
  auto p = Pairs(r.text);
  EXPECT_EQ("tgt", p["CHAP_N"]);
  EXPECT_EQ("0xe48584d228653c0240e2b9ee541cd0e6", p["CHAP_R"]);
}

TEST_F(LoginTest, RejectsSkippingSecurityWhenChapRequired) {
  UseChap();
  LoginStateMachine m(&registry_, settings_);
  auto r = Send(m, 1, 3, true, Text({{"InitiatorName", kInit}, {"TargetName", kTarget}}));
  EXPECT_EQ(0x0201, Status(r));
}

TEST_F(LoginTest, RejectsAuthMethodNoneWhenChapRequired) {
  UseChap();
  LoginStateMachine m(&registry_, settings_);
  auto r = Send(m, 0, 1, true,
                Text({{"InitiatorName", kInit}, {"TargetName", kTarget}, {"AuthMethod", "None"}}));
  EXPECT_EQ(0x0201, Status(r));
  EXPECT_TRUE(m.failed());
}

TEST_F(LoginTest, RejectsChapResponseBeforeChallenge) {
  UseChap();
  LoginStateMachine m(&registry_, settings_);
  Send(m, 0, 1, false,
       Text({{"InitiatorName", kInit}, {"TargetName", kTarget}, {"AuthMethod", "CHAP"}}));
  auto r = Send(m, 0, 1, true, Text({{"CHAP_N", kInit}, {"CHAP_R", "0x00"}}));
  EXPECT_EQ(0x0200, Status(r));
}

TEST_F(LoginTest, SameIsidReinstatesSession) {
  SessionRecord s;
  s.tsih = 9;
  s.isid = kIsid;
  s.initiator_name = kInit;
  s.target_name = kTarget;
  registry_.sessions.push_back(s);
  LoginStateMachine m(&registry_, settings_);
  Send(m, 1, 3, true, Text({{"InitiatorName", kInit}, {"TargetName", kTarget}}));
  ASSERT_TRUE(m.complete());
  EXPECT_EQ(LoginKind::kSessionReinstatement, m.commit().kind);
}

class AddConnectionTest : public LoginTest {
 protected:
  AddConnectionTest() {
    SessionRecord s;
    s.tsih = 9;
    s.isid = kIsid;
    s.initiator_name = kInit;
    s.target_name = kTarget;
    s.connection_count = 1;
    s.params.max_connections = 2;
    s.params.max_burst_length = 8192;
    s.exp_cmd_sn = 100;
    s.max_cmd_sn = 131;
    registry_.sessions.push_back(s);
  }
  LoginReply Login(LoginStateMachine& m, uint16_t tsih, uint16_t cid, const std::string& extra) {
    LoginRequest r;
    r.transit = true;
    r.csg = 1;
    r.nsg = 3;
    r.isid = kIsid;
    r.tsih = tsih;
    r.cid = cid;
    const std::string text = Text({{"InitiatorName", kInit}, {"TargetName", kTarget}}) + extra;
    r.data_segment_length = static_cast<uint32_t>(text.size());
    uint8_t bhs[kBhsSize];
    r.Encode(bhs);
    return m.Process(bhs, {reinterpret_cast<const uint8_t*>(text.data()), text.size()});
  }
};

TEST_F(AddConnectionTest, AddsConnectionToExistingSession) {
  LoginStateMachine m(&registry_, settings_);
  auto r = Login(m, 9, 1, Text({{"HeaderDigest", "CRC32C"}}));
  EXPECT_EQ(0, Status(r));
  EXPECT_EQ(9, r.header.tsih);
  EXPECT_EQ(100U, r.header.sn.exp_cmd_sn);
  EXPECT_EQ(131U, r.header.sn.max_cmd_sn);
  EXPECT_EQ(LoginKind::kAddConnection, m.commit().kind);
  EXPECT_EQ(8192U, m.params().max_burst_length);  // inherited
  EXPECT_TRUE(m.params().header_digest);
}

TEST_F(AddConnectionTest, SameCidReinstatesConnection) {
  LoginStateMachine m(&registry_, settings_);
  EXPECT_EQ(0, Status(Login(m, 9, 0, "")));
  EXPECT_EQ(LoginKind::kConnectionReinstatement, m.commit().kind);
}

TEST_F(AddConnectionTest, RejectsUnknownTsihWithSessionDoesNotExist) {
  LoginStateMachine m(&registry_, settings_);
  EXPECT_EQ(0x020a, Status(Login(m, 10, 1, "")));
}

TEST_F(AddConnectionTest, RejectsConnectionBeyondMaxConnections) {
  registry_.sessions[0].connection_count = 2;
  LoginStateMachine m(&registry_, settings_);
  EXPECT_EQ(0x0206, Status(Login(m, 9, 1, "")));
}

TEST_F(AddConnectionTest, RejectsLeadingOnlyKeysOnAddedConnection) {
  LoginStateMachine m(&registry_, settings_);
  EXPECT_EQ(0x0200, Status(Login(m, 9, 1, Text({{"MaxBurstLength", "512"}}))));
}

}  // namespace
}  // namespace openstmf::iscsi
