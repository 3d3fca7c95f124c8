#pragma once

// A test's way to take the value of a Result that must be OK: an error fails the test with its message, and the
// test goes on with an empty value so that its later checks still say what else differs.

#include "core/result.hpp"

#include <utility>

#include <gtest/gtest.h>

namespace rollcall::testing {

/// The value of a Result that must be OK.
template <class T>
T ValueOf(core::Result<T> result) {
    EXPECT_TRUE(result.ok()) << result.error().message;
    return result.ok() ? std::move(*result) : T{};
}

}  // namespace rollcall::testing
