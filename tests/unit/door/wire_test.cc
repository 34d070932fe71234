// The record validators (door/wire.h) and reference tags (door/tag.h).
#include "door/wire.h"

#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "door.h"
#include "door/tag.h"

namespace {

namespace dw = openstmf::door;
using dw::MakeHeader;
using dw::MsgType;

std::vector<unsigned char> Record(const dw::WireHeader& h, const std::vector<dw::WireDesc>& descs,
                                  const std::string& data) {
  std::vector<unsigned char> v(sizeof h);
  std::memcpy(v.data(), &h, sizeof h);
  for (const auto& d : descs) {
    const auto* p = reinterpret_cast<const unsigned char*>(&d);
    v.insert(v.end(), p, p + sizeof d);
  }
  v.insert(v.end(), data.begin(), data.end());
  return v;
}

dw::WireDesc Desc(uint32_t attributes = DOOR_DESCRIPTOR) { return dw::WireDesc{attributes, 0, 0}; }

TEST(WireRequest, AcceptsAnInlineCallWithDescriptors) {
  auto rec = Record(MakeHeader(MsgType::kCall, 0, 2, 3),
                    {Desc(), Desc(DOOR_DESCRIPTOR | DOOR_RELEASE)}, "abc");
  dw::Request r;
  ASSERT_TRUE(dw::DecodeRequest(rec.data(), rec.size(), 2, &r).ok());
  EXPECT_EQ(r.type, MsgType::kCall);
  EXPECT_EQ(r.n_desc, 2u);
  EXPECT_EQ(r.data_size, 3u);
  EXPECT_EQ(std::memcmp(r.data, "abc", 3), 0);
  EXPECT_EQ(r.first_desc_fd, 0u);
  EXPECT_EQ(dw::DescAt(r.descs, 1).attributes, DOOR_DESCRIPTOR | DOOR_RELEASE);
}

TEST(WireRequest, AcceptsArenaCallsAndInfo) {
  auto arena = Record(MakeHeader(MsgType::kCall, dw::kFlagArena | dw::kFlagNewArena, 1, 1 << 20),
                      {Desc()}, "");
  dw::Request r;
  ASSERT_TRUE(dw::DecodeRequest(arena.data(), arena.size(), 2, &r).ok());
  EXPECT_EQ(r.data, nullptr);
  EXPECT_EQ(r.first_desc_fd, 1u);
  auto info = Record(MakeHeader(MsgType::kInfo, 0, 0, 0), {}, "");
  ASSERT_TRUE(dw::DecodeRequest(info.data(), info.size(), 0, &r).ok());
  EXPECT_EQ(r.type, MsgType::kInfo);
  // A pipelined call says more follow; the flag is kept for the server.
  auto more = Record(MakeHeader(MsgType::kCall, dw::kFlagMore, 0, 3), {}, "abc");
  ASSERT_TRUE(dw::DecodeRequest(more.data(), more.size(), 0, &r).ok());
  EXPECT_EQ(r.flags, dw::kFlagMore);
}

TEST(WireRequest, RejectsEveryInconsistency) {
  struct Case {
    const char* name;
    std::vector<unsigned char> rec;
    size_t fds;
  };
  dw::WireHeader magic = MakeHeader(MsgType::kCall, 0, 0, 0);
  magic.magic ^= 1;
  dw::WireHeader version = MakeHeader(MsgType::kCall, 0, 0, 0);
  version.version = 2;
  std::vector<Case> cases = {
      {"short", std::vector<unsigned char>(31, 0), 0},
      {"magic", Record(magic, {}, ""), 0},
      {"version", Record(version, {}, ""), 0},
      {"type", Record(MakeHeader(MsgType::kReply, 0, 0, 0), {}, ""), 0},
      {"flags", Record(MakeHeader(MsgType::kCall, 0x100, 0, 0), {}, ""), 0},
      {"new arena without arena",
       Record(MakeHeader(MsgType::kCall, dw::kFlagNewArena, 0, 0), {}, ""), 1},
      {"aux", Record(MakeHeader(MsgType::kCall, 0, 0, 0, 5), {}, ""), 0},
      {"data longer than record", Record(MakeHeader(MsgType::kCall, 0, 0, 10), {}, "abc"), 0},
      {"data shorter than record", Record(MakeHeader(MsgType::kCall, 0, 0, 1), {}, "abc"), 0},
      {"inline too large",
       Record(MakeHeader(MsgType::kCall, 0, 0, dw::kMaxInline + 1), {},
              std::string(dw::kMaxInline + 1, 'x')),
       0},
      {"arena too large",
       Record(MakeHeader(MsgType::kCall, dw::kFlagArena, 0, dw::kMaxShared + 1), {}, ""), 0},
      {"arena with inline bytes", Record(MakeHeader(MsgType::kCall, dw::kFlagArena, 0, 5), {}, "x"),
       0},
      {"too many descriptors", Record(MakeHeader(MsgType::kCall, 0, dw::kMaxDesc + 1, 0), {}, ""),
       0},
      {"fewer descriptors than announced",
       Record(MakeHeader(MsgType::kCall, 0, 2, 0), {Desc(), Desc()}, ""), 1},
      {"more descriptors than announced", Record(MakeHeader(MsgType::kCall, 0, 0, 0), {}, ""), 1},
      {"descriptor without DOOR_DESCRIPTOR",
       Record(MakeHeader(MsgType::kCall, 0, 1, 0), {Desc(0)}, ""), 1},
      {"unknown descriptor attribute",
       Record(MakeHeader(MsgType::kCall, 0, 1, 0), {Desc(DOOR_DESCRIPTOR | DOOR_LOCAL)}, ""), 1},
      {"reserved descriptor bits",
       Record(MakeHeader(MsgType::kCall, 0, 1, 0), {dw::WireDesc{DOOR_DESCRIPTOR, 1, 0}}, ""), 1},
      {"info with data", Record(MakeHeader(MsgType::kInfo, 0, 0, 1), {}, "x"), 0},
      {"info with descriptors", Record(MakeHeader(MsgType::kInfo, 0, 0, 0), {}, ""), 1},
  };
  for (const Case& c : cases) {
    dw::Request r;
    const dw::WireError e = dw::DecodeRequest(c.rec.data(), c.rec.size(), c.fds, &r);
    EXPECT_FALSE(e.ok()) << c.name;
    EXPECT_EQ(e.err, EINVAL) << c.name;
    EXPECT_STRNE(e.reason, "") << c.name;
  }
  dw::Request r;
  EXPECT_FALSE(dw::DecodeRequest(nullptr, 0, 0, &r).ok());
}

TEST(WireReply, AcceptsEachReplyKind) {
  dw::Reply r;
  auto inline_reply = Record(MakeHeader(MsgType::kReply, 0, 1, 2), {Desc()}, "ok");
  ASSERT_TRUE(dw::DecodeReply(inline_reply.data(), inline_reply.size(), 1, &r).ok());
  EXPECT_EQ(std::memcmp(r.data, "ok", 2), 0);
  auto memfd = Record(MakeHeader(MsgType::kReply, dw::kFlagMemfd, 0, 1 << 20), {}, "");
  ASSERT_TRUE(dw::DecodeReply(memfd.data(), memfd.size(), 1, &r).ok());
  EXPECT_EQ(r.first_desc_fd, 1u);
  auto err = Record(MakeHeader(MsgType::kError, 0, 0, 0, EBADF), {}, "");
  ASSERT_TRUE(dw::DecodeReply(err.data(), err.size(), 0, &r).ok());
  EXPECT_EQ(r.err, EBADF);
  auto info = Record(MakeHeader(MsgType::kInfoReply, 0, 0, sizeof(dw::WireInfo)), {},
                     std::string(sizeof(dw::WireInfo), '\0'));
  ASSERT_TRUE(dw::DecodeReply(info.data(), info.size(), 0, &r).ok());
  auto open = Record(MakeHeader(MsgType::kOpenReply, 0, 0, 0), {}, "");
  ASSERT_TRUE(dw::DecodeReply(open.data(), open.size(), 1, &r).ok());
}

TEST(WireReply, RejectsBogusReplies) {
  dw::Reply r;
  auto zero_errno = Record(MakeHeader(MsgType::kError, 0, 0, 0, 0), {}, "");
  EXPECT_FALSE(dw::DecodeReply(zero_errno.data(), zero_errno.size(), 0, &r).ok());
  auto huge_errno = Record(MakeHeader(MsgType::kError, 0, 0, 0, 1 << 20), {}, "");
  EXPECT_FALSE(dw::DecodeReply(huge_errno.data(), huge_errno.size(), 0, &r).ok());
  auto both = Record(MakeHeader(MsgType::kReply, dw::kFlagArena | dw::kFlagMemfd, 0, 1), {}, "");
  EXPECT_FALSE(dw::DecodeReply(both.data(), both.size(), 1, &r).ok());
  auto memfd_missing = Record(MakeHeader(MsgType::kReply, dw::kFlagMemfd, 0, 1), {}, "");
  EXPECT_FALSE(dw::DecodeReply(memfd_missing.data(), memfd_missing.size(), 0, &r).ok());
  auto short_info = Record(MakeHeader(MsgType::kInfoReply, 0, 0, 8), {}, "12345678");
  EXPECT_FALSE(dw::DecodeReply(short_info.data(), short_info.size(), 0, &r).ok());
  auto open_no_fd = Record(MakeHeader(MsgType::kOpenReply, 0, 0, 0), {}, "");
  EXPECT_FALSE(dw::DecodeReply(open_no_fd.data(), open_no_fd.size(), 0, &r).ok());
  auto call = Record(MakeHeader(MsgType::kCall, 0, 0, 0), {}, "");
  EXPECT_FALSE(dw::DecodeReply(call.data(), call.size(), 0, &r).ok());
  auto more = Record(MakeHeader(MsgType::kReply, dw::kFlagMore, 0, 0), {}, "");
  EXPECT_FALSE(dw::DecodeReply(more.data(), more.size(), 0, &r).ok());  // calls only
}

TEST(WireControl, AcceptsConnectRefOpenOnly) {
  dw::MsgType t;
  auto connect = Record(MakeHeader(MsgType::kConnect, 0, 0, 0), {}, "");
  ASSERT_TRUE(dw::DecodeControl(connect.data(), connect.size(), 1, &t).ok());
  EXPECT_EQ(t, MsgType::kConnect);
  EXPECT_FALSE(dw::DecodeControl(connect.data(), connect.size(), 0, &t).ok());
  EXPECT_FALSE(dw::DecodeControl(connect.data(), connect.size(), 2, &t).ok());
  uint32_t flags = 1;
  ASSERT_TRUE(dw::DecodeControl(connect.data(), connect.size(), 1, &t, &flags).ok());
  EXPECT_EQ(flags, 0u);
  // A connection for pipelined calls says so; no other flag, and no other type.
  auto pipelined = Record(MakeHeader(MsgType::kConnect, dw::kFlagMore, 0, 0), {}, "");
  ASSERT_TRUE(dw::DecodeControl(pipelined.data(), pipelined.size(), 1, &t, &flags).ok());
  EXPECT_EQ(flags, dw::kFlagMore);
  auto arena = Record(MakeHeader(MsgType::kConnect, dw::kFlagArena, 0, 0), {}, "");
  EXPECT_FALSE(dw::DecodeControl(arena.data(), arena.size(), 1, &t).ok());
  auto ref_more = Record(MakeHeader(MsgType::kRef, dw::kFlagMore, 0, 0), {}, "");
  EXPECT_FALSE(dw::DecodeControl(ref_more.data(), ref_more.size(), 1, &t).ok());
  auto open = Record(MakeHeader(MsgType::kOpen, 0, 0, 0), {}, "");
  ASSERT_TRUE(dw::DecodeControl(open.data(), open.size(), 0, &t).ok());
  EXPECT_FALSE(dw::DecodeControl(open.data(), open.size(), 1, &t).ok());
  auto with_data = Record(MakeHeader(MsgType::kRef, 0, 0, 1), {}, "x");
  EXPECT_FALSE(dw::DecodeControl(with_data.data(), with_data.size(), 1, &t).ok());
  auto call = Record(MakeHeader(MsgType::kCall, 0, 0, 0), {}, "");
  EXPECT_FALSE(dw::DecodeControl(call.data(), call.size(), 0, &t).ok());
}

TEST(Tag, FormatsAndParsesRoundTrip) {
  dw::Tag t;
  t.server_pid = 4242;
  t.door_id = 0x123456789abcdefULL;
  t.attributes = DOOR_UNREF | DOOR_PRIVATE;
  t.server_nonce = ~0ULL;
  t.minter_nonce = 7;
  t.seq = 99;
  const std::string name = dw::FormatTag(t);
  dw::Tag back;
  ASSERT_TRUE(dw::ParseTag(name.data(), name.size(), &back)) << name;
  EXPECT_EQ(back.server_pid, t.server_pid);
  EXPECT_EQ(back.door_id, t.door_id);
  EXPECT_EQ(back.attributes, t.attributes);
  EXPECT_EQ(back.server_nonce, t.server_nonce);
  EXPECT_EQ(back.minter_nonce, t.minter_nonce);
  EXPECT_EQ(back.seq, t.seq);
  EXPECT_LT(name.size() + 1, sizeof(sockaddr_un{}.sun_path));
}

TEST(Tag, RejectsOtherNames) {
  dw::Tag t;
  for (const char* n :
       {"", "libdoor/", "libdoor/1/2/3/4/5", "libdoor/1/2/3/4/5.", "libdoor/0/1/0/1/1.1",
        "libdoor/1/2/3/4/5.6/7", "libdoor/x/2/3/4/5.6", "libdoor/1/2/3/4/5.6x", "other/1/2/3/4/5.6",
        "libdoor/1/99999999999999999999999/3/4/5.6"}) {
    EXPECT_FALSE(dw::ParseTag(n, std::strlen(n), &t)) << n;
  }
}

TEST(Tag, ReadTagRejectsNonDoors) {
  EXPECT_EQ(dw::ReadTag(-1).status().sys_errno(), EBADF);
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  EXPECT_EQ(dw::ReadTag(p[0]).status().sys_errno(), EBADF);
  close(p[0]);
  close(p[1]);
}

}  // namespace
