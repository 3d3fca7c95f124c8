// What every answer's head says, whatever the route: nothing of a school is cached or sniffed, and a HEAD request
// gets the head of the GET's answer without its body (docs/security.md).

#include "support/test_server.hpp"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

using namespace std::chrono_literals;

TEST(ResponseHeaders, NoAnswerIsCachedOrSniffedTokensErrorsAndProbesAlike) {
    TestServer server;
    const auto school = MakeSchool(server);
    HttpClient http(server.port());
    const auto bearer = std::map<std::string, std::string>{{"Authorization", "Bearer " + school.admin_token}};
    const auto token_path = SchoolPath(school, "/devices/" + std::to_string(school.device_id) + "/token");
    for (const auto& [what, r] : std::vector<std::pair<std::string, HttpResponse>>{
             {"a device token", http.Request("GET", token_path, "", bearer)},
             {"a refused login",
              http.Post("/api/v1/auth/login", boost::json::object{{"email", "x@y.z"}, {"password", "nope"}})},
             {"a missing route", http.Get("/api/v1/nowhere")},
             {"no token", http.Get(SchoolPath(school, "/people"))},
             {"the health probe", http.Get("/healthz")},
         }) {
        EXPECT_EQ(r.headers.count("cache-control") ? r.headers.at("cache-control") : "", "no-store") << what;
        EXPECT_EQ(r.headers.count("x-content-type-options") ? r.headers.at("x-content-type-options") : "", "nosniff")
            << what;
    }
}

TEST(ResponseHeaders, AHeadRequestGetsTheHeadOfTheGetAndNoBody) {
    TestServer server;
    const auto school = MakeSchool(server);
    HttpClient http(server.port());
    const auto path = SchoolPath(school, "/people");
    const auto get = http.Request("GET", path, "", {{"Authorization", "Bearer " + school.admin_token}});
    ASSERT_EQ(get.status, 200) << get.body;
    ASSERT_FALSE(get.body.empty());

    RawClient raw(server.port());
    ASSERT_TRUE(raw.Send("HEAD " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + school.admin_token +
                         "\r\nConnection: close\r\n\r\n"));
    const auto answer = raw.ReadAll(30s);
    EXPECT_EQ(StatusOf(answer), 200) << answer;
    const auto end_of_head = answer.find("\r\n\r\n");
    ASSERT_NE(end_of_head, std::string::npos) << answer;
    EXPECT_EQ(answer.size(), end_of_head + 4) << "a body followed the head:\n" << answer;
    EXPECT_NE(answer.find("Content-Length: " + std::to_string(get.body.size()) + "\r\n"), std::string::npos)
        << "the GET's length, so a client knows what a GET would bring:\n"
        << answer;
}

}  // namespace
}  // namespace rollcall::test
