#include "door/wire.h"

#include <gtest/gtest.h>

TEST(Wire, Placeholder) {}
