// The C API compiled as C (door_c_api.c).
#include <gtest/gtest.h>

extern "C" int door_c_api_smoke(void);

TEST(DoorCApi, CreateCallInfoRevokeFromC) { EXPECT_EQ(door_c_api_smoke(), 0); }
