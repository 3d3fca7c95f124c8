// Every error answer has one shape, written by the server without a JSON library (net::JsonError) and read
// by the agent with the wire type: the two must agree to the byte, or an IT person reads "HTTP 403" where the
// server said why.

#include "wire/error_body.hpp"

#include "net/http_message.hpp"

#include <gtest/gtest.h>

namespace rollcall::wire {
namespace {

TEST(ErrorBody, WhatTheServerWritesIsWhatTheAgentReads) {
    const auto response = net::JsonError(403, "forbidden", "device 7 is in push mode, not \"agent\"");
    const auto read = Decode<ErrorBody>(json::parse(response.body));
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(*read, (ErrorBody{.code = "forbidden", .message = "device 7 is in push mode, not \"agent\""}));
    EXPECT_EQ(json::serialize(json::value_from(*read)), response.body);
}

TEST(ErrorBody, AnAnswerThatIsNotTheServersErrorIsNotReadAsOne) {
    for (const auto* text : {R"({"items": []})", R"({"error": "down"})", R"({"error": {"code": "x"}})", "[1]"}) {
        EXPECT_FALSE(Decode<ErrorBody>(json::parse(text))) << text;
    }
}

}  // namespace
}  // namespace rollcall::wire
