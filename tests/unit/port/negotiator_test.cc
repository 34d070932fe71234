#include "port/iscsi/negotiator.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace openstmf::iscsi {
namespace {

// Offers `key=value` pairs to a fresh negotiator and returns the answers.
class NegotiatorTest : public ::testing::Test {
 protected:
  std::map<std::string, std::string> Offer(std::vector<KeyValue> kvs) {
    for (const KeyValue& kv : kvs) {
      auto f = n_.Offer(kv, FindKey(kv.key));
      EXPECT_FALSE(f) << kv.key << ": " << (f ? f->message : "");
    }
    TextWriter w;
    n_.FlushAnswers(&w);
    std::map<std::string, std::string> out;
    auto parsed =
        ParseKeyValues({reinterpret_cast<const uint8_t*>(w.text().data()), w.text().size()});
    EXPECT_TRUE(parsed.ok());
    for (const KeyValue& kv : *parsed) out[std::string(kv.key)] = std::string(kv.value);
    return out;
  }

  NegotiationConfig config_;
  Negotiator n_{config_, true};
};

TEST_F(NegotiatorTest, NegotiatesMinimumOfMaxBurstLength) {
  auto a = Offer({{"MaxBurstLength", "16776192"}});
  EXPECT_EQ("1048576", a["MaxBurstLength"]);
  EXPECT_EQ(1048576U, n_.params().max_burst_length);
}

TEST_F(NegotiatorTest, NegotiatesSmallerInitiatorMaxBurstLength) {
  auto a = Offer({{"MaxBurstLength", "65536"}});
  EXPECT_EQ("65536", a["MaxBurstLength"]);
}

TEST_F(NegotiatorTest, ClampsFirstBurstLengthToMaxBurstLength) {
  auto a = Offer({{"FirstBurstLength", "262144"}, {"MaxBurstLength", "131072"}});
  EXPECT_EQ("131072", a["FirstBurstLength"]);
  EXPECT_EQ(131072U, n_.params().first_burst_length);
}

TEST_F(NegotiatorTest, FirstBurstLengthIrrelevantWithoutUnsolicitedData) {
  auto a = Offer({{"InitialR2T", "Yes"}, {"ImmediateData", "No"}, {"FirstBurstLength", "65536"}});
  EXPECT_EQ("Yes", a["InitialR2T"]);
  EXPECT_EQ("No", a["ImmediateData"]);
  EXPECT_EQ("Irrelevant", a["FirstBurstLength"]);
}

TEST_F(NegotiatorTest, InitialR2TIsBooleanOr) {
  EXPECT_EQ("No", Offer({{"InitialR2T", "No"}})["InitialR2T"]);
  EXPECT_FALSE(n_.params().initial_r2t);
  Negotiator other(config_, true);
  ASSERT_FALSE(other.Offer({"InitialR2T", "Yes"}, FindKey("InitialR2T")));
  EXPECT_TRUE(other.params().initial_r2t);
}

TEST_F(NegotiatorTest, ImmediateDataIsBooleanAnd) {
  EXPECT_EQ("Yes", Offer({{"ImmediateData", "Yes"}})["ImmediateData"]);
  NegotiationConfig no = config_;
  no.immediate_data = false;
  Negotiator other(no, true);
  ASSERT_FALSE(other.Offer({"ImmediateData", "Yes"}, FindKey("ImmediateData")));
  EXPECT_FALSE(other.params().immediate_data);
}

TEST_F(NegotiatorTest, DataOrderKeysAreBooleanOr) {
  auto a = Offer({{"DataPDUInOrder", "No"}, {"DataSequenceInOrder", "No"}});
  EXPECT_EQ("Yes", a["DataPDUInOrder"]);
  EXPECT_EQ("Yes", a["DataSequenceInOrder"]);
}

TEST_F(NegotiatorTest, PicksFirstDigestOfInitiatorListThatIsAcceptable) {
  auto a = Offer({{"HeaderDigest", "CRC32C,None"}, {"DataDigest", "None,CRC32C"}});
  EXPECT_EQ("CRC32C", a["HeaderDigest"]);
  EXPECT_EQ("None", a["DataDigest"]);
  EXPECT_TRUE(n_.params().header_digest);
  EXPECT_FALSE(n_.params().data_digest);
}

TEST_F(NegotiatorTest, RejectsDigestListWithNothingAcceptable) {
  NegotiationConfig c = config_;
  c.header_digest_crc32c = false;
  Negotiator n(c, true);
  ASSERT_FALSE(n.Offer({"HeaderDigest", "CRC32C,MD5"}, FindKey("HeaderDigest")));
  TextWriter w;
  n.FlushAnswers(&w);
  EXPECT_EQ(std::string("HeaderDigest=Reject\0", 20), w.text());
}

TEST_F(NegotiatorTest, DefaultTime2WaitIsMaximumAndRetainMinimum) {
  auto a = Offer({{"DefaultTime2Wait", "0"}, {"DefaultTime2Retain", "0"}});
  EXPECT_EQ("2", a["DefaultTime2Wait"]);
  EXPECT_EQ("0", a["DefaultTime2Retain"]);
}

TEST_F(NegotiatorTest, NumericalMinKeys) {
  auto a = Offer({{"MaxOutstandingR2T", "64"},
                  {"MaxConnections", "1"},
                  {"ErrorRecoveryLevel", "2"},
                  {"iSCSIProtocolLevel", "2"}});
  EXPECT_EQ("16", a["MaxOutstandingR2T"]);
  EXPECT_EQ("1", a["MaxConnections"]);
  EXPECT_EQ("0", a["ErrorRecoveryLevel"]);
  EXPECT_EQ("1", a["iSCSIProtocolLevel"]);
}

TEST_F(NegotiatorTest, AnswersRejectToOutOfRangeAndMalformedValues) {
  auto a = Offer({{"MaxBurstLength", "100"},
                  {"MaxOutstandingR2T", "0"},
                  {"ErrorRecoveryLevel", "3"},
                  {"ImmediateData", "Maybe"},
                  {"DefaultTime2Wait", "x"}});
  EXPECT_EQ("Reject", a["MaxBurstLength"]);
  EXPECT_EQ("Reject", a["MaxOutstandingR2T"]);
  EXPECT_EQ("Reject", a["ErrorRecoveryLevel"]);
  EXPECT_EQ("Reject", a["ImmediateData"]);
  EXPECT_EQ("Reject", a["DefaultTime2Wait"]);
  EXPECT_EQ(262144U, n_.params().max_burst_length);  // default kept
}

TEST_F(NegotiatorTest, RecordsInitiatorMaxRecvDataSegmentLengthWithoutAnswer) {
  auto a = Offer({{"MaxRecvDataSegmentLength", "65536"}});
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(65536U, n_.params().max_xmit_data_segment_length);
}

TEST_F(NegotiatorTest, FailsOnBadMaxRecvDataSegmentLengthDeclaration) {
  auto f = n_.Offer({"MaxRecvDataSegmentLength", "100"}, FindKey("MaxRecvDataSegmentLength"));
  ASSERT_TRUE(f);
  EXPECT_EQ(LoginStatus::kInitiatorError, f->status);
}

TEST_F(NegotiatorTest, DeclaresTargetMaxRecvDataSegmentLengthOnce) {
  TextWriter w;
  n_.DeclareTargetValues(&w);
  n_.DeclareTargetValues(&w);
  EXPECT_EQ(std::string("MaxRecvDataSegmentLength=262144\0", 32), w.text());
  EXPECT_EQ(262144U, n_.params().max_recv_data_segment_length);
}

TEST_F(NegotiatorTest, AnswersNotUnderstoodToUnknownAndPrivateKeys) {
  auto a = Offer(
      {{"X-com.example.Foo", "1"}, {"X#NodeArchitecture", "x"}, {"Z-Foo", "1"}, {"Bogus", "1"}});
  EXPECT_EQ("NotUnderstood", a["X-com.example.Foo"]);
  EXPECT_EQ("NotUnderstood", a["X#NodeArchitecture"]);
  EXPECT_EQ("NotUnderstood", a["Z-Foo"]);
  EXPECT_EQ("NotUnderstood", a["Bogus"]);
}

TEST_F(NegotiatorTest, AnswersIserKeysForTcp) {
  auto a = Offer({{"RDMAExtensions", "Yes"},
                  {"TargetRecvDataSegmentLength", "8192"},
                  {"InitiatorRecvDataSegmentLength", "8192"},
                  {"MaxOutstandingUnexpectedPDUs", "0"}});
  EXPECT_EQ("No", a["RDMAExtensions"]);
  EXPECT_EQ("Irrelevant", a["TargetRecvDataSegmentLength"]);
  EXPECT_EQ("Irrelevant", a["InitiatorRecvDataSegmentLength"]);
  EXPECT_EQ("Irrelevant", a["MaxOutstandingUnexpectedPDUs"]);
}

TEST_F(NegotiatorTest, AnswersLegacyMarkerKeys) {
  auto a = Offer({{"OFMarker", "Yes"}, {"IFMarker", "No"}, {"OFMarkInt", "2048~8192"}});
  EXPECT_EQ("No", a["OFMarker"]);
  EXPECT_EQ("No", a["IFMarker"]);
  EXPECT_EQ("Irrelevant", a["OFMarkInt"]);
}

TEST_F(NegotiatorTest, TaskReportingAcceptsOnlyRfc3720) {
  EXPECT_EQ("RFC3720", Offer({{"TaskReporting", "FastAbort,RFC3720"}})["TaskReporting"]);
  Negotiator n(config_, true);
  ASSERT_FALSE(n.Offer({"TaskReporting", "FastAbort"}, FindKey("TaskReporting")));
  TextWriter w;
  n.FlushAnswers(&w);
  EXPECT_EQ(std::string("TaskReporting=Reject\0", 21), w.text());
}

TEST_F(NegotiatorTest, AnswersIrrelevantInDiscoverySession) {
  n_.set_session_type(SessionType::kDiscovery);
  auto a = Offer({{"MaxConnections", "1"},
                  {"InitialR2T", "No"},
                  {"ImmediateData", "Yes"},
                  {"MaxBurstLength", "512"},
                  {"FirstBurstLength", "512"},
                  {"MaxOutstandingR2T", "1"},
                  {"DataPDUInOrder", "Yes"},
                  {"DataSequenceInOrder", "Yes"},
                  {"HeaderDigest", "None"}});
  for (const char* k :
       {"MaxConnections", "InitialR2T", "ImmediateData", "MaxBurstLength", "FirstBurstLength",
        "MaxOutstandingR2T", "DataPDUInOrder", "DataSequenceInOrder"}) {
    EXPECT_EQ("Irrelevant", a[k]) << k;
  }
  EXPECT_EQ("None", a["HeaderDigest"]);
}

TEST_F(NegotiatorTest, FailsWhenKeyNegotiatedTwice) {
  ASSERT_FALSE(n_.Offer({"MaxBurstLength", "512"}, FindKey("MaxBurstLength")));
  auto f = n_.Offer({"MaxBurstLength", "1024"}, FindKey("MaxBurstLength"));
  ASSERT_TRUE(f);
  EXPECT_EQ(LoginStatus::kInitiatorError, f->status);
}

TEST_F(NegotiatorTest, FailsOnTargetOnlyAndFullFeatureOnlyKeys) {
  EXPECT_TRUE(n_.Offer({"TargetAlias", "x"}, FindKey("TargetAlias")));
  EXPECT_TRUE(n_.Offer({"TargetPortalGroupTag", "1"}, FindKey("TargetPortalGroupTag")));
  EXPECT_TRUE(n_.Offer({"SendTargets", "All"}, FindKey("SendTargets")));
}

TEST_F(NegotiatorTest, FailsOnLeadingOnlyKeyOnSecondaryConnection) {
  Negotiator secondary(config_, false);
  EXPECT_TRUE(secondary.Offer({"MaxBurstLength", "512"}, FindKey("MaxBurstLength")));
  EXPECT_FALSE(secondary.Offer({"HeaderDigest", "None"}, FindKey("HeaderDigest")));
}

TEST_F(NegotiatorTest, SecondaryConnectionInheritsSessionValues) {
  Negotiator secondary(config_, false);
  OperationalParams session;
  session.max_burst_length = 4096;
  session.header_digest = true;
  secondary.InheritSession(session);
  EXPECT_EQ(4096U, secondary.params().max_burst_length);
  EXPECT_FALSE(secondary.params().header_digest);  // per connection
}

TEST_F(NegotiatorTest, FullFeatureTextAcceptsOnlyAllPhaseKeys) {
  n_.OfferInFullFeature({"MaxRecvDataSegmentLength", "16384"}, FindKey("MaxRecvDataSegmentLength"));
  n_.OfferInFullFeature({"MaxBurstLength", "512"}, FindKey("MaxBurstLength"));
  n_.OfferInFullFeature({"X-foo", "1"}, nullptr);
  TextWriter w;
  n_.FlushAnswers(&w);
  EXPECT_EQ(std::string("MaxBurstLength=Reject\0X-foo=NotUnderstood\0", 42), w.text());
  EXPECT_EQ(16384U, n_.params().max_xmit_data_segment_length);
}

TEST(NegotiationConfigTest, DefaultsAreValidAndTunedForThroughput) {
  NegotiationConfig c;
  EXPECT_TRUE(c.Validate().ok());
  EXPECT_TRUE(c.immediate_data);
  EXPECT_FALSE(c.initial_r2t);
  EXPECT_EQ(262144U, c.max_recv_data_segment_length);
  EXPECT_GT(c.max_outstanding_r2t, 1U);
  c.first_burst_length = c.max_burst_length + 1;
  EXPECT_FALSE(c.Validate().ok());
  c = NegotiationConfig{};
  c.max_recv_data_segment_length = 100;
  EXPECT_FALSE(c.Validate().ok());
}

}  // namespace
}  // namespace openstmf::iscsi
