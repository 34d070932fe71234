// door_getparam / door_setparam and their enforcement by door_call.
#include <cerrno>
#include <climits>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "door.h"
#include "door_test_util.h"

namespace {

using door_test::EchoProc;
using door_test::ScopedFd;

size_t Get(int d, int param) {
  size_t v = 12345;
  EXPECT_EQ(door_getparam(d, param, &v), 0);
  return v;
}

int CallWith(int d, size_t size, uint_t n_desc) {
  std::vector<char> data(size, 'x');
  std::vector<door_desc_t> descs(n_desc);
  for (auto& desc : descs) {
    desc.d_attributes = DOOR_DESCRIPTOR;
    desc.d_data.d_desc.d_descriptor = 0;
  }
  std::vector<char> out(size + 16);
  door_arg_t a{};
  a.data_ptr = data.data();
  a.data_size = size;
  a.desc_ptr = descs.data();
  a.desc_num = n_desc;
  a.rbuf = out.data();
  a.rsize = out.size();
  return door_call(d, &a) == 0 ? 0 : errno;
}

TEST(DoorParam, Defaults) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  EXPECT_EQ(Get(d.get(), DOOR_PARAM_DESC_MAX), static_cast<size_t>(INT_MAX));
  EXPECT_EQ(Get(d.get(), DOOR_PARAM_DATA_MAX), SIZE_MAX);
  EXPECT_EQ(Get(d.get(), DOOR_PARAM_DATA_MIN), 0u);
  ScopedFd r(door_create(EchoProc, nullptr, DOOR_REFUSE_DESC));
  EXPECT_EQ(Get(r.get(), DOOR_PARAM_DESC_MAX), 0u);
}

TEST(DoorParam, DataLimitsAreEnforcedWithEnobufs) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  ASSERT_EQ(door_setparam(d.get(), DOOR_PARAM_DATA_MIN, 4), 0);
  ASSERT_EQ(door_setparam(d.get(), DOOR_PARAM_DATA_MAX, 100000), 0);
  EXPECT_EQ(CallWith(d.get(), 3, 0), ENOBUFS);
  EXPECT_EQ(CallWith(d.get(), 4, 0), 0);
  EXPECT_EQ(CallWith(d.get(), 100000, 0), 0);
  EXPECT_EQ(CallWith(d.get(), 100001, 0), ENOBUFS);
  EXPECT_EQ(CallWith(d.get(), 50, 0), 0);  // the connection keeps working
}

TEST(DoorParam, DescriptorLimitIsEnforcedWithEnfile) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  ASSERT_EQ(door_setparam(d.get(), DOOR_PARAM_DESC_MAX, 2), 0);
  EXPECT_EQ(CallWith(d.get(), 1, 2), 0);
  EXPECT_EQ(CallWith(d.get(), 1, 3), ENFILE);
  ASSERT_EQ(door_setparam(d.get(), DOOR_PARAM_DESC_MAX, 0), 0);
  EXPECT_EQ(CallWith(d.get(), 1, 1), ENFILE);
}

TEST(DoorParam, SetparamErrors) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  EXPECT_EQ(door_setparam(d.get(), 99, 1), -1);
  EXPECT_EQ(errno, EINVAL);
  ASSERT_EQ(door_setparam(d.get(), DOOR_PARAM_DATA_MAX, 10), 0);
  EXPECT_EQ(door_setparam(d.get(), DOOR_PARAM_DATA_MIN, 11), -1);  // min above max
  EXPECT_EQ(errno, EINVAL);
  ASSERT_EQ(door_setparam(d.get(), DOOR_PARAM_DATA_MIN, 5), 0);
  EXPECT_EQ(door_setparam(d.get(), DOOR_PARAM_DATA_MAX, 4), -1);  // max below min
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(door_setparam(d.get(), DOOR_PARAM_DESC_MAX, size_t{INT_MAX} + 1), -1);
  EXPECT_EQ(errno, ERANGE);
  EXPECT_EQ(door_setparam(-1, DOOR_PARAM_DATA_MAX, 1), -1);
  EXPECT_EQ(errno, EBADF);
  ScopedFd r(door_create(EchoProc, nullptr, DOOR_REFUSE_DESC));
  EXPECT_EQ(door_setparam(r.get(), DOOR_PARAM_DESC_MAX, 1), -1);
  EXPECT_EQ(errno, ENOTSUP);
  EXPECT_EQ(door_setparam(r.get(), DOOR_PARAM_DESC_MAX, 0), 0);
}

TEST(DoorParam, GetparamErrors) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  size_t v;
  EXPECT_EQ(door_getparam(d.get(), 0, &v), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(door_getparam(d.get(), DOOR_PARAM_DATA_MAX, nullptr), -1);
  EXPECT_EQ(errno, EFAULT);
  EXPECT_EQ(door_getparam(0, DOOR_PARAM_DATA_MAX, &v), -1);
  EXPECT_EQ(errno, EBADF);
}

TEST(DoorParam, RevokedDoorRefusesSetparam) {
  int d = door_create(EchoProc, nullptr, 0);
  int copy = dup(d);
  ASSERT_EQ(door_revoke(d), 0);
  EXPECT_EQ(door_setparam(copy, DOOR_PARAM_DATA_MAX, 1), -1);
  EXPECT_EQ(errno, EBADF);
  close(copy);
}

}  // namespace
