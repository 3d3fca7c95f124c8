// The web panel's cookie session: a browser sends the cookie with any request, even one forged by another site,
// so every change needs the X-CSRF-Token header as well. Walked over every write route the server registers.

#include "integration/route_walk.hpp"

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

struct CookieSession {
    std::string cookie;
    std::string csrf;
};

class Csrf : public ::testing::Test {
protected:
    TestServer server_;
    RouteWalker walk_{server_};
    World a_ = walk_.Build("Hill School", "Africa/Nairobi");

    CookieSession SessionOf(const std::string& token) {
        const auto me = walk_.http().Get("/api/v1/me", token);
        EXPECT_EQ(me.status, 200) << me.body;
        return {"rollcall_session=" + token, std::string(me.Json().at("csrf_token").as_string())};
    }

    HttpResponse SendWithCookie(const WalkRequest& req,
                                const CookieSession& session,
                                const std::optional<std::string>& csrf) {
        std::map<std::string, std::string> headers{{"Content-Type", req.content_type}, {"Cookie", session.cookie}};
        if (csrf) {
            headers["X-CSRF-Token"] = *csrf;
        }
        return walk_.http().Request(req.method, req.target, req.body, headers);
    }
};

TEST_F(Csrf, ACookieSessionChangesNothingOnAnyWriteRouteWithoutItsCsrfToken) {
    const auto admin = SessionOf(a_.admin_token);
    const auto super = SessionOf(walk_.super_token());
    const auto before = walk_.Snapshot(a_);
    const auto schools_before = walk_.http().Get("/api/v1/schools", walk_.super_token()).body;
    std::size_t walked = 0;
    for (const auto& route : walk_.Routes()) {
        if (route.auth != http::RouteAuth::kAdmin || !IsWrite(route)) {
            continue;
        }
        const auto& session = UnderSchool(route) ? admin : super;
        std::string why;
        const auto req = walk_.Fill(route, a_, a_, why);
        ASSERT_TRUE(req) << why;
        for (const auto& csrf : {std::optional<std::string>(),
                                 std::optional<std::string>(""),
                                 std::optional<std::string>(session.csrf + "x"),
                                 std::optional<std::string>(session.csrf.substr(1))}) {
            const auto r = SendWithCookie(*req, session, csrf);
            EXPECT_EQ(r.status, 403) << RouteName(route) << " with X-CSRF-Token " << csrf.value_or("(none)") << ": "
                                     << r.body;
            EXPECT_NE(r.body.find("X-CSRF-Token"), std::string::npos) << r.body;
        }
        ++walked;
    }
    EXPECT_GE(walked, 25U);
    EXPECT_EQ(walk_.Snapshot(a_), before) << "a forged request changed the school";
    EXPECT_EQ(walk_.http().Get("/api/v1/schools", walk_.super_token()).body, schools_before);
    // The sessions are still valid: the refusals were for the missing token, not for the session.
    EXPECT_EQ(walk_.http().Request("GET", "/api/v1/me", "", {{"Cookie", admin.cookie}}).status, 200);
}

TEST_F(Csrf, WithItsTokenACookieSessionChangesAndReadsNeedNone) {
    const auto admin = SessionOf(a_.admin_token);
    const auto path = "/api/v1/schools/" + std::to_string(a_.school_id);
    const WalkRequest people{"POST", path + "/people", R"({"name":"Amina","kind":"student"})"};
    EXPECT_EQ(SendWithCookie(people, admin, admin.csrf).status, 201);
    const WalkRequest patch{"PATCH", path + "/people/" + std::to_string(a_.person_id), R"({"group":"6B"})"};
    EXPECT_EQ(SendWithCookie(patch, admin, admin.csrf).status, 200);
    const WalkRequest list{"GET", path + "/people", ""};
    EXPECT_EQ(SendWithCookie(list, admin, std::nullopt).status, 200);
    // A bearer token is not sent by a browser on its own: it needs no CSRF token.
    EXPECT_EQ(
        walk_.Send(WalkRequest{"DELETE", path + "/people/" + std::to_string(a_.person_id), ""}, a_.admin_token).status,
        204);
}

}  // namespace
}  // namespace rollcall::test
