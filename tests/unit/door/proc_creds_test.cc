#include "door/proc_creds.h"

#include <unistd.h>

#include <gtest/gtest.h>

namespace openstmf::door {
namespace {

TEST(ProcCreds, ReadsThisProcessIds) {
  Creds c;
  c.pid = getpid();
  c.start_time = ProcStartTime(c.pid);
  ASSERT_NE(c.start_time, 0u);
  ASSERT_TRUE(ReadCurrentCreds(&c));
  uid_t r, e, s;
  gid_t gr, ge, gs;
  ASSERT_EQ(getresuid(&r, &e, &s), 0);
  ASSERT_EQ(getresgid(&gr, &ge, &gs), 0);
  EXPECT_EQ(c.ruid, r);
  EXPECT_EQ(c.euid, e);
  EXPECT_EQ(c.suid, s);
  EXPECT_EQ(c.rgid, gr);
  EXPECT_EQ(c.egid, ge);
  EXPECT_EQ(c.sgid, gs);
  EXPECT_EQ(static_cast<int>(c.groups.size()), getgroups(0, nullptr));
}

TEST(ProcCreds, AnotherProcessUnderTheSamePidIsNotBelieved) {
  Creds c;
  c.pid = getpid();
  c.euid = 12345;
  c.start_time = ProcStartTime(c.pid) + 1;  // as if the pid had been reused
  EXPECT_FALSE(ReadCurrentCreds(&c));
  EXPECT_EQ(c.euid, 12345u);  // connection-time ids stand
  c.start_time = 0;           // unknown start time: never guess
  EXPECT_FALSE(ReadCurrentCreds(&c));
  c.pid = -1;
  EXPECT_FALSE(ReadCurrentCreds(&c));
}

}  // namespace
}  // namespace openstmf::door
