#include "mgmt/message.h"

#include <gtest/gtest.h>

#include "mgmt/status_codes.h"

namespace openstmf::mgmt {
namespace {

TEST(MessageTest, RoundTripsEveryType) {
  Message m("add-view");
  m.Set("guid", std::string_view("\x60\x0\x1\x2\x3\x4\x5\x6\x7\x8\x9\xa\xb\xc\xd\xe", 16));
  m.Set("lun", uint64_t{16383});
  m.SetBool("all_hosts", true);
  Message item;
  item.Set("name", "hg1");
  m.Append("groups", item);
  m.Append("groups", Message().Set("name", "hg2"));
  auto d = Decode(Encode(m));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(*d, m);
  EXPECT_EQ(d->Text("op"), "add-view");
  EXPECT_EQ(d->Bytes("guid")->size(), 16u);
  EXPECT_EQ(d->Number("lun"), 16383u);
  EXPECT_TRUE(d->Flag("all_hosts"));
  ASSERT_NE(d->ListOf("groups"), nullptr);
  EXPECT_EQ(d->ListOf("groups")->at(1).Text("name"), "hg2");
  EXPECT_FALSE(d->Number("guid").has_value());  // wrong type reads as absent
}

TEST(MessageTest, RefusesMalformedBytes) {
  std::vector<uint8_t> good = Encode(Message("list-lus").Set("x", uint64_t{1}));
  // Every truncation fails cleanly.
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(Decode({good.data(), n}).ok()) << n;
  }
  std::vector<uint8_t> trailing = good;
  trailing.push_back(0);
  EXPECT_FALSE(Decode(trailing).ok());
  std::vector<uint8_t> bad_magic = good;
  bad_magic[0] = 'X';
  EXPECT_FALSE(Decode(bad_magic).ok());
  // A count that claims more fields than there are bytes.
  std::vector<uint8_t> liar = {'O', 'S', 'M', '1', 0xff, 0xff, 0xff, 0xff};
  auto r = Decode(liar);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("field count"), std::string::npos);
}

TEST(MessageTest, RefusesDuplicateNamesAndDeepNesting) {
  // Two fields both named "a".
  std::vector<uint8_t> dup = {'O', 'S', 'M', '1', 0, 0, 0,   2, 1, 1, 'a', 0, 0, 0, 0,
                              0,   0,   0,   1,   1, 1, 'a', 0, 0, 0, 0,   0, 0, 0, 2};
  EXPECT_FALSE(Decode(dup).ok());
  Message inner("x");
  for (int i = 0; i < 5; ++i) {
    Message outer;
    outer.Append("l", inner);
    inner = outer;
  }
  EXPECT_FALSE(Decode(Encode(inner)).ok());
}

TEST(MessageTest, ReplyStatus) {
  EXPECT_EQ(ReplyStatus(Reply(kStmfErrorGroupNotFound, "host group \"hg1\" not found")),
            kStmfErrorGroupNotFound);
  EXPECT_EQ(ReplyStatus(Message()), kStmfStatusError);
  EXPECT_EQ(StatusToStmf(Status(Code::kNotFound, "x")), kStmfErrorNotFound);
}

}  // namespace
}  // namespace openstmf::mgmt
