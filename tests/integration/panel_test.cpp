// The School Panel as the real server serves it from the files embedded at build time: its page, its hashed
// scripts, deep links, and the security headers of every answer (docs/panel.md, docs/security.md).

#include "support/test_server.hpp"

#include <regex>
#include <string>

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

std::string HeaderOf(const HttpResponse& r, const std::string& name) {
    const auto it = r.headers.find(name);
    return it != r.headers.end() ? it->second : "";
}

TEST(Panel, ThePanelsPageLoadsOnlyTheServersOwnHashedScriptAndStyle) {
    TestServer server;
    HttpClient http(server.port());
    const auto page = http.Get("/");
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(HeaderOf(page, "content-type"), "text/html; charset=utf-8");
    EXPECT_EQ(HeaderOf(page, "cache-control"), "no-cache");
    std::smatch script;
    ASSERT_TRUE(std::regex_search(page.body, script, std::regex(R"re(src="(/assets/[^"]+\.js)")re"))) << page.body;
    EXPECT_EQ(page.body.find("<script>"), std::string::npos) << "no inline script";
    EXPECT_EQ(page.body.find("<style"), std::string::npos) << "no inline style";
    EXPECT_EQ(page.body.find("style=\""), std::string::npos) << "no style attribute";

    const auto js = http.Request("GET", script[1].str(), "", {{"Accept-Encoding", "gzip"}});
    ASSERT_EQ(js.status, 200);
    EXPECT_EQ(HeaderOf(js, "content-encoding"), "gzip");
    EXPECT_EQ(HeaderOf(js, "cache-control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(HeaderOf(js, "content-type"), "text/javascript; charset=utf-8");
    ASSERT_GE(js.body.size(), 2U);
    EXPECT_EQ(static_cast<unsigned char>(js.body[0]), 0x1f) << "a gzip stream";
    EXPECT_EQ(static_cast<unsigned char>(js.body[1]), 0x8b);
}

TEST(Panel, AReloadOnAScreenOpensThePanelAndAnUnknownApiPathStaysAJson404) {
    TestServer server;
    HttpClient http(server.port());
    const auto index = http.Get("/").body;
    const auto deep = http.Get("/schools/1/devices/2");
    EXPECT_EQ(deep.status, 200);
    EXPECT_EQ(deep.body, index);
    const auto api = http.Get("/api/v1/nowhere");
    EXPECT_EQ(api.status, 404);
    EXPECT_NE(api.body.find("\"not_found\""), std::string::npos) << api.body;
    EXPECT_EQ(http.Get("/assets/index-gone.js").status, 404);
}

TEST(Panel, EveryAnswerForbidsInlineScriptFramingAndReferrers) {
    TestServer server;
    const auto school = MakeSchool(server);
    HttpClient http(server.port());
    for (const auto& [what, r] : std::vector<std::pair<std::string, HttpResponse>>{
             {"the panel", http.Get("/")},
             {"a deep link", http.Get("/schools/1/today")},
             {"an API answer", http.Get(SchoolPath(school, "/people"), school.admin_token)},
             {"an API error", http.Get("/api/v1/nowhere")},
             {"the health probe", http.Get("/healthz")},
         }) {
        const auto csp = HeaderOf(r, "content-security-policy");
        EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << what << ": " << csp;
        EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << what << ": " << csp;
        EXPECT_NE(csp.find("style-src 'self';"), std::string::npos) << what << ": " << csp;
        EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << what << ": " << csp;
        EXPECT_EQ(csp.find("unsafe"), std::string::npos) << what << ": " << csp;
        EXPECT_EQ(HeaderOf(r, "x-frame-options"), "DENY") << what;
        EXPECT_EQ(HeaderOf(r, "referrer-policy"), "no-referrer") << what;
        EXPECT_EQ(HeaderOf(r, "x-content-type-options"), "nosniff") << what;
    }
}

}  // namespace
}  // namespace rollcall::test
