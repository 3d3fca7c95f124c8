// What an HTTP answer's status means to the agent: which failures it retries (the server or a proxy in front
// of it is down, busy or slow) and which it leaves to the school (a revoked token, a device switched to push).

#include "net/status_error.hpp"

#include <gtest/gtest.h>

namespace rollcall::net {
namespace {

using core::Errc;

TEST(StatusError, WhatOnlyTheSchoolCanFixIsNotRetried) {
    const std::vector<std::pair<int, Errc>> permanent = {
        {400, Errc::kInvalidArgument},
        {401, Errc::kUnauthorized},
        {403, Errc::kForbidden},
        {404, Errc::kNotFound},
        {409, Errc::kConflict},
        {413, Errc::kPayloadTooLarge},
        {422, Errc::kInvalidArgument},
        {418, Errc::kInvalidArgument},
    };
    for (const auto& [status, code] : permanent) {
        const auto error = StatusError(status, "HTTP " + std::to_string(status));
        EXPECT_EQ(error.code, code) << status;
        EXPECT_FALSE(error.retryable) << status;
        EXPECT_EQ(error.message, "HTTP " + std::to_string(status));
    }
}

TEST(StatusError, AServerThatIsDownBusyOrSlowIsRetried) {
    const std::vector<std::pair<int, Errc>> passing = {
        {429, Errc::kTooManyRequests},
        {408, Errc::kTimeout},
        {504, Errc::kTimeout},
        {500, Errc::kUnavailable},
        {502, Errc::kUnavailable},
        {503, Errc::kUnavailable},
        {302, Errc::kUnavailable},  // a redirect is not followed: a proxy or a login page in the way
        {204, Errc::kUnavailable},  // not the answer the agent asked for
    };
    for (const auto& [status, code] : passing) {
        const auto error = StatusError(status, "HTTP " + std::to_string(status));
        EXPECT_EQ(error.code, code) << status;
        EXPECT_TRUE(error.retryable) << status;
    }
}

TEST(StatusError, ErrorsMadeWithoutAStatusAreRetryableOnlyWhenThePeerMayRecover) {
    EXPECT_TRUE(core::MakeError(Errc::kTimeout, "no answer").retryable);
    EXPECT_TRUE(core::MakeError(Errc::kUnavailable, "refused").retryable);
    EXPECT_FALSE(core::MakeError(Errc::kInvalidArgument, "url: must be http or https").retryable);
    EXPECT_FALSE(core::MakeError(Errc::kInternal, "bug").retryable);
    EXPECT_EQ(core::ErrcName(Errc::kTimeout), "timeout");
}

}  // namespace
}  // namespace rollcall::net
