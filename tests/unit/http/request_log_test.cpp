#include "http/request_log.hpp"

#include <chrono>

#include <gtest/gtest.h>

namespace rollcall::http {
namespace {

using namespace std::chrono_literals;

TEST(RequestLog, ALineSaysMethodPathStatusSchoolDeviceAddressAndDuration) {
    const auto line = FormatRequestLine(
        RequestLogLine{"POST", "/api/v1/biometric/push-log", 200, 1, 3, "10.0.0.7", std::chrono::microseconds(4249)});
    EXPECT_EQ(line, "POST /api/v1/biometric/push-log 200 school=1 device=3 from=10.0.0.7 4.2 ms");
}

TEST(RequestLog, WhatIsNotKnownIsADash) {
    EXPECT_EQ(FormatRequestLine(RequestLogLine{"GET", "/healthz", 200, std::nullopt, std::nullopt, "", 0ms}),
              "GET /healthz 200 school=- device=- from=- 0.0 ms");
}

TEST(RequestLog, ThePathLeavesTheQueryAndFragmentOut) {
    EXPECT_EQ(PathOf("/iclock/cdata?SN=ABC123&token=secret"), "/iclock/cdata");
    EXPECT_EQ(PathOf("/api/v1/me#x"), "/api/v1/me");
    EXPECT_EQ(PathOf("/api/v1/me"), "/api/v1/me");
}

}  // namespace
}  // namespace rollcall::http
