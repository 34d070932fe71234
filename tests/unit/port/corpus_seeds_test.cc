// Builds the fuzzers' seed corpora (tests/fuzz/corpus/iscsi_pdu, iscsi_keys) from the
// codec, and checks that every PDU seed frames cleanly. With
// OPENSTMF_ISCSI_WRITE_CORPUS=<corpus root> set, it (re)writes the seed files.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "port/iscsi/ahs.h"
#include "port/iscsi/framer.h"
#include "port/iscsi/pdu_initiator.h"
#include "wire_util.h"

namespace openstmf::iscsi {
namespace {

using testing::Header;
using testing::Wire;

std::string T(std::initializer_list<std::pair<std::string, std::string>> kvs) {
  std::string t;
  for (const auto& [k, v] : kvs) t += k + "=" + v + std::string(1, '\0');
  return t;
}

const std::string kOperational =
    T({{"InitiatorName", "iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-test"},
       {"InitiatorAlias", "host"},
       {"TargetName", "iqn.2024-01.org.openstmf:disk0"},
       {"SessionType", "Normal"},
       {"HeaderDigest", "None,CRC32C"},
       {"DataDigest", "None"},
       {"InitialR2T", "Yes"},
       {"ImmediateData", "Yes"},
       {"MaxBurstLength", "262144"},
       {"FirstBurstLength", "262144"},
       {"MaxRecvDataSegmentLength", "262144"},
       {"DataPDUInOrder", "Yes"},
       {"DefaultTime2Wait", "2"},
       {"DefaultTime2Retain", "0"},
       {"IFMarker", "No"},
       {"OFMarker", "No"},
       {"MaxConnections", "1"},
       {"MaxOutstandingR2T", "1"},
       {"ErrorRecoveryLevel", "0"},
       {"DataSequenceInOrder", "Yes"}});

std::vector<uint8_t> Login(uint8_t csg, uint8_t nsg, bool transit, const std::string& text) {
  LoginRequest l;
  l.transit = transit;
  l.csg = csg;
  l.nsg = nsg;
  l.isid = 0x23d000000001ULL;
  l.itt = 0x1234;
  l.cmd_sn = 0x55;
  return Wire(Header(l), text);
}

std::vector<uint8_t> Cat(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// name -> (config byte, stream)
std::vector<std::pair<std::string, std::vector<uint8_t>>> PduSeeds() {
  const uint8_t kLogin = 0x40;       // login phase, MRDSL 8192
  const uint8_t kFfp = 0xc1;         // full feature, MRDSL 256 KiB
  const uint8_t kFfpDigests = 0xcd;  // + header and data digest
  const uint8_t kDiscovery = 0xc3;   // full feature, discovery
  std::vector<std::pair<std::string, std::vector<uint8_t>>> seeds;
  auto add = [&](std::string name, uint8_t config, std::vector<uint8_t> stream) {
    stream.insert(stream.begin(), config);
    seeds.emplace_back(std::move(name), std::move(stream));
  };
  add("login_operational", kLogin, Login(1, 3, true, kOperational));
  add("login_security_chap", kLogin,
      Cat({Login(0, 1, true,
                 T({{"InitiatorName", "iqn.1994-05.com.example:init"},
                    {"TargetName", "iqn.2024-01.org.openstmf:disk0"},
                    {"AuthMethod", "CHAP,None"}})),
           Login(0, 1, false, T({{"CHAP_A", "5"}}))}));
  add("login_discovery", kLogin,
      Login(1, 3, true,
            T({{"InitiatorName", "iqn.1994-05.com.example:init"}, {"SessionType", "Discovery"}})));
  ScsiCommand read;
  read.read = true;
  read.attr = 1;
  read.itt = 1;
  read.cmd_sn = 0x55;
  read.expected_data_transfer_length = 4096;
  read.cdb = {0x28, 0, 0, 0, 0, 0, 0, 0, 8, 0};
  add("scsi_read10", kFfp, Wire(Header(read), ""));
  ScsiCommand write = read;
  write.read = false;
  write.write = true;
  write.final_bit = false;
  write.cdb[0] = 0x2a;
  DataOut d;
  d.itt = 1;
  d.final_bit = true;
  d.buffer_offset = 1024;
  add("scsi_write_immediate_and_dataout", kFfp,
      Cat({Wire(Header(write), std::string(1024, 'w')), Wire(Header(d), std::string(3072, 'd'))}));
  add("scsi_read10_digests", kFfpDigests, Wire(Header(read), "", {true, true}));
  add("scsi_write_digests", kFfpDigests, Wire(Header(write), std::string(1001, 'x'), {true, true}));
  ScsiCommand longcdb = read;
  longcdb.total_ahs_words = 3;
  auto h = Header(longcdb);
  uint8_t cdb[32] = {0x7f};
  uint8_t ahs[32];
  const size_t n = EncodeExtendedCdbAhs(cdb, 24, ahs);
  h.insert(h.end(), ahs, ahs + n);
  add("scsi_extended_cdb", kFfp, Wire(h, ""));
  NopOut nop;
  nop.immediate = true;
  nop.itt = 9;
  add("nop_out_ping", kFfp, Wire(Header(nop), "ping-data"));
  TextRequest text;
  text.itt = 3;
  add("text_sendtargets", kDiscovery, Wire(Header(text), T({{"SendTargets", "All"}})));
  LogoutRequest logout;
  logout.immediate = true;
  logout.itt = 4;
  add("logout", kFfp, Wire(Header(logout), ""));
  TaskMgmtRequest tmf;
  tmf.immediate = true;
  tmf.function = 1;
  tmf.itt = 5;
  tmf.referenced_task_tag = 1;
  add("tmf_abort_task", kFfp, Wire(Header(tmf), ""));
  SnackRequest snack;
  snack.type = 1;
  add("snack_status", kFfp, Wire(Header(snack), ""));
  add("pipeline", kFfp,
      Cat({Wire(Header(read), ""), Wire(Header(nop), "p"), Wire(Header(tmf), ""),
           Wire(Header(logout), "")}));
  return seeds;
}

std::vector<std::pair<std::string, std::string>> KeySeeds() {
  auto m = [](uint8_t mode, const std::string& text) { return std::string(1, char(mode)) + text; };
  const std::string sep(1, '\xff');
  const std::string names = T({{"InitiatorName", "iqn.1994-05.com.example:init"},
                               {"TargetName", "iqn.2024-01.org.openstmf:disk0"}});
  return {
      {"operational_libiscsi", m(0x10, kOperational)},
      {"discovery", m(0x11, T({{"InitiatorName", "iqn.1994-05.com.example:init"},
                               {"SessionType", "Discovery"},
                               {"MaxBurstLength", "512"},
                               {"SendTargets", "All"}}))},
      {"chap_flow",
       m(0x04, names + T({{"AuthMethod", "CHAP,None"}}) + sep + T({{"CHAP_A", "7,5"}}) + sep +
                   T({{"CHAP_N", "iqn.1994-05.com.example:init"},
                      {"CHAP_R", "0x00112233445566778899aabbccddeeff"}}))},
      {"chap_mutual",
       m(0x0c, names + T({{"AuthMethod", "CHAP"}}) + sep + T({{"CHAP_A", "5"}}) + sep +
                   T({{"CHAP_N", "iqn.1994-05.com.example:init"},
                      {"CHAP_R", "0bABEiM0RVZneImaq7zN3u8="},
                      {"CHAP_I", "9"},
                      {"CHAP_C", "0xaabbccdd"}}))},
      {"security_none", m(0x20, names + T({{"AuthMethod", "None"}}) + sep +
                                    T({{"HeaderDigest", "CRC32C"}, {"DataDigest", "CRC32C"}}))},
      {"extension_keys", m(0x10, names + T({{"X-com.example.Feature", "1"},
                                            {"X#NodeArchitecture", "openstmf"},
                                            {"TaskReporting", "FastAbort,RFC3720"},
                                            {"iSCSIProtocolLevel", "2"}}))},
      {"iser_keys", m(0x10, names + T({{"RDMAExtensions", "Yes"},
                                       {"TargetRecvDataSegmentLength", "8192"},
                                       {"InitiatorRecvDataSegmentLength", "8192"},
                                       {"MaxOutstandingUnexpectedPDUs", "0"}}))},
      {"bad_values", m(0x10, names + T({{"MaxBurstLength", "0x1000000"},
                                        {"ImmediateData", "Maybe"},
                                        {"ErrorRecoveryLevel", "5"},
                                        {"FirstBurstLength", "99999999"}}))},
      {"secondary_connection",
       m(0x12, names + T({{"HeaderDigest", "None"}, {"MaxRecvDataSegmentLength", "65536"}}))},
      {"split_continuation", m(0x00, names.substr(0, 17) + sep + names.substr(17))},
      {"unknown_target",
       m(0x10, T({{"InitiatorName", "iqn.1994-05.com.example:init"}, {"TargetName", "iqn.nope"}}))},
      {"duplicate_key", m(0x10, names + T({{"MaxConnections", "1"}, {"MaxConnections", "2"}}))},
  };
}

void WriteFile(const std::string& path, const void* data, size_t n) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(n));
  ASSERT_TRUE(out.good()) << path;
}

TEST(CorpusSeedsTest, EveryPduSeedFramesWithoutError) {
  for (const auto& [name, seed] : PduSeeds()) {
    FramerConfig c;
    const uint8_t b = seed[0];
    c.validation.phase = (b & 1) ? Phase::kFullFeature : Phase::kLogin;
    c.validation.discovery = (b & 2) != 0;
    c.digests = {(b & 1) && (b & 4), (b & 1) && (b & 8)};
    c.validation.max_recv_data_segment_length = (b >> 6) == 3 ? 262144 : 8192;
    c.validation.initial_r2t = false;
    Framer f(c);
    std::span<const uint8_t> buf(seed.data() + 1, seed.size() - 1);
    int pdus = 0;
    while (!buf.empty()) {
      const FrameResult r = f.Next(buf);
      ASSERT_EQ(FrameStatus::kPdu, r.status) << name << ": " << r.error.what;
      buf = buf.subspan(r.length);
      ++pdus;
    }
    EXPECT_GT(pdus, 0) << name;
  }
}

TEST(CorpusSeedsTest, WritesSeedsWhenAsked) {
  const char* root = std::getenv("OPENSTMF_ISCSI_WRITE_CORPUS");
  if (root == nullptr) GTEST_SKIP() << "set OPENSTMF_ISCSI_WRITE_CORPUS to write seeds";
  for (const auto& [name, seed] : PduSeeds()) {
    WriteFile(std::string(root) + "/iscsi_pdu/" + name, seed.data(), seed.size());
  }
  for (const auto& [name, seed] : KeySeeds()) {
    WriteFile(std::string(root) + "/iscsi_keys/" + name, seed.data(), seed.size());
  }
}

}  // namespace
}  // namespace openstmf::iscsi
