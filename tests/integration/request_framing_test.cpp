// Request smuggling (issue 12 item 3, RFC 9112 6.3): a head whose body framing another HTTP hop could read
// differently is answered 400 and the connection closed, so whatever follows it is never run as a request.
// Over a raw socket against the real server, with the smuggled request right behind the head.

#include "support/test_server.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

using namespace std::chrono_literals;

/// How many answers the raw bytes hold ("HTTP/1.1 NNN" status lines).
std::size_t AnswersIn(const std::string& raw) {
    std::size_t n = 0;
    for (auto at = raw.find("HTTP/1.1 "); at != std::string::npos; at = raw.find("HTTP/1.1 ", at + 1)) {
        ++n;
    }
    return n;
}

class RequestFraming : public ::testing::Test {
protected:
    RequestFraming() : school_(MakeSchool(server_)) {}

    /// A request the attacker wants run with the victim's token: here, a person added to the school.
    std::string Smuggled() const {
        const std::string body = R"({"name":"Smuggled","kind":"student"})";
        return "POST " + SchoolPath(school_, "/people") + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
               school_.admin_token +
               "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
               body;
    }

    /// A push whose head carries `framing` (header lines ending in CRLF), then the smuggled request right after.
    std::string PushWith(const std::string& framing) const {
        return "POST /api/v1/biometric/push-log HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + school_.device_token +
               "\r\nContent-Type: application/json\r\n" + framing + "\r\n" + Smuggled();
    }

    std::size_t People() {
        HttpClient http(server_.port());
        return http.Get(SchoolPath(school_, "/people"), school_.admin_token).Json().at("items").as_array().size();
    }

    TestServer server_;
    SchoolFixture school_;
};

TEST_F(RequestFraming, EveryAmbiguousFramingIs400AndClosedAndTheSmuggledRequestNeverRuns) {
    const auto smuggled_size = std::to_string(Smuggled().size());
    const std::vector<std::string> framings{
        "Transfer-Encoding: chunked, gzip\r\n",
        "Transfer-Encoding: gzip\r\n",
        "Transfer-Encoding: xchunked\r\n",
        "Transfer-Encoding: gzip, chunked\r\n",
        "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding:\r\n chunked\r\n",  // obs-fold: a folded line
        "Transfer-Encoding: gzip\r\n\tchunked\r\n",
        "X-Padding: a\r\n Transfer-Encoding: chunked\r\n",
        "Transfer-Encoding: gzip\r\nContent-Length: " + smuggled_size + "\r\n",
        "Content-Length: " + smuggled_size + "\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: chunked\r\nContent-Length: " + smuggled_size + "\r\n",
        "Content-Length: 0\r\nContent-Length: 0\r\n",
        "Content-Length: 0, 0\r\n",
    };
    for (const auto& framing : framings) {
        RawClient raw(server_.port());
        ASSERT_TRUE(raw.Send(PushWith(framing)));
        const auto answer = raw.ReadAll(30s);
        EXPECT_EQ(StatusOf(answer), 400) << framing << answer;
        EXPECT_NE(answer.find("Connection: close"), std::string::npos) << framing << answer;
        EXPECT_TRUE(raw.Closed()) << framing;
        EXPECT_EQ(AnswersIn(answer), 1U) << framing << ": the smuggled request was answered\n" << answer;
    }
    EXPECT_EQ(People(), 0U) << "a smuggled request ran";
}

TEST_F(RequestFraming, ChunkedOnAnHttp10RequestIs400AndClosed) {
    RawClient raw(server_.port());
    ASSERT_TRUE(raw.Send("POST /api/v1/biometric/push-log HTTP/1.0\r\nHost: x\r\nAuthorization: Bearer " +
                         school_.device_token + "\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + Smuggled()));
    const auto answer = raw.ReadAll(30s);
    EXPECT_EQ(StatusOf(answer), 400) << answer;
    EXPECT_EQ(AnswersIn(answer), 1U) << answer;
    EXPECT_EQ(People(), 0U);
}

TEST_F(RequestFraming, AChunkedPushAndAPipelinedRequestBehindItAreBothServed) {
    // What must keep working: exactly "chunked" (any case), then the next request on the same connection.
    const std::string body = R"({"logs":[{"user_id":"17","timestamp":"2026-03-12 08:05:00"}]})";
    char size[16];
    std::snprintf(size, sizeof size, "%zx", body.size());
    RawClient raw(server_.port());
    ASSERT_TRUE(raw.Send("POST /api/v1/biometric/push-log HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                         school_.device_token + "\r\nTransfer-Encoding: Chunked\r\n\r\n" + size + "\r\n" + body +
                         "\r\n0\r\n\r\n" + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    const auto answers = raw.ReadAll(30s);
    EXPECT_EQ(StatusOf(answers), 200) << answers;
    EXPECT_NE(answers.find(R"("inserted":1)"), std::string::npos) << answers;
    EXPECT_EQ(AnswersIn(answers), 2U) << answers;
    EXPECT_NE(answers.find(R"({"status":"ok",)"), std::string::npos) << answers;
}

}  // namespace
}  // namespace rollcall::test
