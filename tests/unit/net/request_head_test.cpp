// The request head as the server reads it: Beast's parser over the bytes received so far, and the framing checks
// that keep a body from being read as a second request (RFC 9112 6.3). The server's answers over real sockets are
// in tests/integration/request_framing_test.cpp.

#include "net/request_head.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace rollcall::net {
namespace {

/// Feeds `bytes` `step` bytes at a time, as they might arrive; returns the outcome and the parser's request.
struct Fed {
    HeadRead read;
    Request request;
    std::optional<std::string> problem;
};

Fed FeedInSteps(std::string_view bytes, std::size_t step, std::size_t header_limit = 8192) {
    RequestParser parser;
    parser.header_limit(static_cast<std::uint32_t>(header_limit));
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    HeadReader reader;
    Fed fed;
    for (std::size_t have = std::min(step, bytes.size());; have = std::min(have + step, bytes.size())) {
        fed.read = reader.Feed(parser, bytes.substr(0, have));
        if (fed.read.state != HeadRead::State::kNeedMore || have == bytes.size()) {
            break;
        }
    }
    if (fed.read.state == HeadRead::State::kDone) {
        fed.request = HeadFrom(parser, "192.0.2.7");
        fed.problem = FramingProblem(bytes.substr(0, fed.read.used), fed.request);
    }
    return fed;
}

/// Why a complete head is refused (by Beast's parser or by the framing check), or "" when it is sound.
std::string ProblemOf(const std::string& head) {
    const auto fed = FeedInSteps(head, head.size());
    if (fed.read.state == HeadRead::State::kRefused) {
        return std::to_string(fed.read.status) + " " + fed.read.message;
    }
    EXPECT_EQ(fed.read.state, HeadRead::State::kDone) << head;
    return fed.problem.value_or("");
}

TEST(RequestHead, AHeadArrivingByteByByteIsReadOnceWholeAndTheBodyIsLeftAfterIt) {
    const std::string head =
        "POST /api/v1/biometric/push-log HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nContent-Length: 2\r\n\r\n";
    for (const std::size_t step : {std::size_t{1}, std::size_t{7}, head.size() + 2}) {
        const auto fed = FeedInSteps(head + "{}", step);
        ASSERT_EQ(fed.read.state, HeadRead::State::kDone) << "step " << step;
        EXPECT_EQ(fed.read.used, head.size()) << "step " << step;
        EXPECT_EQ(fed.request.method, "POST");
        EXPECT_EQ(fed.request.target, "/api/v1/biometric/push-log");
        EXPECT_EQ(fed.request.remote_address, "192.0.2.7");
        EXPECT_EQ(fed.request.Header("authorization").value_or(""), "Bearer t") << "names are lower-cased";
        EXPECT_FALSE(fed.problem) << *fed.problem;
    }
}

TEST(RequestHead, AStartLineThatIsNotHttpIsRefusedWithoutWaitingForTheRestOfTheHead) {
    const auto fed = FeedInSteps("\x16\x03\x01\x02 TLS hello", 64);
    EXPECT_EQ(fed.read.state, HeadRead::State::kRefused);
    EXPECT_EQ(fed.read.status, 400);
}

TEST(RequestHead, AHeadOverTheLimitIs431EvenBeforeItEnds) {
    const std::string big = "GET / HTTP/1.1\r\nX-Big: " + std::string(2000, 'a');
    const auto fed = FeedInSteps(big, 100, 1024);
    EXPECT_EQ(fed.read.state, HeadRead::State::kRefused);
    EXPECT_EQ(fed.read.status, 431);
}

TEST(RequestHead, ChunkedAloneOrAContentLengthAloneIsSoundFraming) {
    EXPECT_EQ(ProblemOf("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"), "");
    EXPECT_EQ(ProblemOf("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n"), "")
        << "coding names are case-insensitive";
    EXPECT_EQ(ProblemOf("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n"), "");
    EXPECT_EQ(ProblemOf("GET / HTTP/1.0\r\nHost: x\r\n\r\n"), "");
}

TEST(RequestHead, EveryTransferEncodingButExactlyChunkedIsRefused) {
    for (const std::string te : {"chunked, gzip", "gzip", "xchunked", "gzip, chunked", "chunked;q=1", "identity"}) {
        EXPECT_NE(ProblemOf("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + te + "\r\n\r\n"), "") << te;
    }
    EXPECT_NE(ProblemOf("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"), "")
        << "two lines are a list";
    EXPECT_NE(ProblemOf("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), "") << "HTTP/1.0 has no chunked";
}

TEST(RequestHead, TransferEncodingWithContentLengthIsRefused) {
    EXPECT_NE(ProblemOf("POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: gzip\r\n\r\n"), "");
    EXPECT_NE(ProblemOf("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\nContent-Length: 5\r\n\r\n"), "");
}

TEST(RequestHead, AContentLengthThatIsNotOneNumberIsRefused) {
    EXPECT_NE(ProblemOf("POST / HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\n"), "");
    EXPECT_NE(ProblemOf("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n"), "");
}

TEST(RequestHead, AFoldedHeaderLineIsRefusedWhicheverFieldItContinues) {
    // Beast joins a folded line to the one before: it would read "Transfer-Encoding: chunked" in the first two.
    EXPECT_NE(ProblemOf("POST / HTTP/1.1\r\nTransfer-Encoding:\r\n chunked\r\n\r\n"), "");
    EXPECT_NE(ProblemOf("POST / HTTP/1.1\r\nTransfer-Encoding:\r\n\tchunked\r\n\r\n"), "");
    EXPECT_NE(ProblemOf("POST / HTTP/1.1\r\nX-Note: a\r\n b\r\nContent-Length: 0\r\n\r\n"), "");
}

}  // namespace
}  // namespace rollcall::net
