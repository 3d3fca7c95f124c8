// Tenant isolation over every route the server registers: another school's data does not exist for a school
// admin (404, never 403, 400 or 200), whether named by the school in the path or by an object id under their
// own school, and nothing of the other school changes.

#include "integration/route_walk.hpp"

#include <set>

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

constexpr std::int64_t kNoSuchId = 987654;

/// World `w` with every id replaced by one that exists nowhere.
World Nowhere(const World& w) {
    World out = w;
    for (auto* id : {&out.device_id,
                     &out.agent_device_id,
                     &out.person_id,
                     &out.mapping_id,
                     &out.holiday_id,
                     &out.clock_correction_id,
                     &out.override_id,
                     &out.webhook_id,
                     &out.agent_token_id,
                     &out.user_id}) {
        *id = kNoSuchId;
    }
    return out;
}

World NoSchool(const World& w) {
    World out = Nowhere(w);
    out.school_id = kNoSuchId;
    return out;
}

// Routes whose path names no school and no object, so there is nothing of another school to name. Each is
// checked some other way; a new route without parameters must be added here with its reason.
const std::set<std::string> kNamesNothing{
    "GET /healthz",                     // public
    "GET /readyz",                      // public
    "GET /metrics",                     // public, counts only
    "POST /api/v1/auth/login",          // before any school
    "POST /api/v1/auth/logout",         // the caller's own session
    "GET /api/v1/me",                   // the caller's own account
    "GET /api/v1/schools",              // lists only the caller's school: checked below
    "POST /api/v1/schools",             // super admin only: 403 for a school admin, checked below
    "POST /api/v1/biometric/push-log",  // the device token names the device and its school
    "GET /api/v1/agent/devices",        // the agent token names the school: checked below
    "GET /api/v1/users",                // lists only the caller's school's admins: checked below
    "POST /api/v1/users",               // a school admin adds only to their own school: checked below
    "POST /api/v1/me/password",         // the caller's own account
    "GET /api/v1/audit",                // the server's own trail: super admin only (403), checked below
    "GET /api/v1/unknown-pushes",       // super admin only (403): events_test.cpp
};

/// Routes that name a user: a school admin manages only their own school's admins.
bool NamesAUser(const http::RouteInfo& route) {
    return route.pattern.starts_with("/api/v1/users/{id}");
}

class Tenancy : public ::testing::Test {
protected:
    TestServer server_;
    RouteWalker walk_{server_};
    World a_ = walk_.Build("Hill School", "Africa/Nairobi");
    World b_ = walk_.Build("Lake School", "Europe/London");

    std::map<std::string, std::string> SnapshotOfB() { return walk_.Snapshot(b_); }

    /// Sends `req` and expects the same 404 as `nowhere`, the request naming ids that exist in no school:
    /// the answer must not even tell that the other school's object exists.
    void ExpectNotFound(const WalkRequest& req,
                        const WalkRequest& nowhere,
                        const std::string& token,
                        const std::string& who) {
        const auto r = walk_.Send(req, token);
        EXPECT_EQ(r.status, 404) << who << " " << req.method << " " << req.target << ": " << r.body;
        const auto missing = walk_.Send(nowhere, token);
        EXPECT_EQ(r.body, missing.body) << who << " " << req.method << " " << req.target << " answers differently from "
                                        << nowhere.target;
    }
};

TEST_F(Tenancy, EveryRouteAnswers404ForAnotherSchoolsSchoolOrObjects) {
    const auto before = SnapshotOfB();
    std::size_t probed = 0;
    for (const auto& route : walk_.Routes()) {
        const auto name = RouteName(route);
        const auto keys = ParamKeys(route.pattern);
        if (keys.empty()) {
            EXPECT_TRUE(kNamesNothing.contains(name)) << name
                                                      << ": a route without parameters; add it to "
                                                         "kNamesNothing with why no other school can be named";
            continue;
        }
        std::string why;
        const bool agent = route.auth == http::RouteAuth::kAgent;
        if (agent || NamesAUser(route)) {
            // A's agent names B's devices; A's admin names B's admin.
            const auto req = walk_.Fill(route, a_, b_, why);
            const auto nowhere = walk_.Fill(route, a_, Nowhere(b_), why);
            ASSERT_TRUE(req && nowhere) << why;
            ExpectNotFound(*req, *nowhere, agent ? a_.agent_token : a_.admin_token, agent ? "A's agent" : "A's admin");
            ++probed;
            if (!agent) {
                // Nor does a super admin exist for a school admin: no disabling them, no resetting their password.
                World super = a_;
                super.user_id = walk_.http().Get("/api/v1/me", walk_.super_token()).Json().at("user_id").as_int64();
                const auto at_super = walk_.Fill(route, a_, super, why);
                ASSERT_TRUE(at_super) << why;
                ExpectNotFound(*at_super, *nowhere, a_.admin_token, "A's admin");
            }
            continue;
        }
        ASSERT_EQ(route.auth, http::RouteAuth::kAdmin) << name << ": a new kind of route; teach this test";
        ASSERT_TRUE(UnderSchool(route)) << name << ": parameters outside /api/v1/schools/{school_id}; teach this test";
        // B's school in the path, with B's objects.
        const auto in_b = walk_.Fill(route, b_, b_, why);
        const auto in_no_school = walk_.Fill(route, NoSchool(b_), NoSchool(b_), why);
        ASSERT_TRUE(in_b && in_no_school) << why;
        ExpectNotFound(*in_b, *in_no_school, a_.admin_token, "A's admin");
        ++probed;
        if (!ObjectKeys(route.pattern).empty()) {
            // A's own school in the path, B's objects: the store must filter on the school, for everyone.
            const auto b_objects = walk_.Fill(route, a_, b_, why);
            const auto no_objects = walk_.Fill(route, a_, Nowhere(b_), why);
            ASSERT_TRUE(b_objects && no_objects) << why;
            ExpectNotFound(*b_objects, *no_objects, a_.admin_token, "A's admin");
            ExpectNotFound(*b_objects, *no_objects, walk_.super_token(), "the super admin");
            ++probed;
        }
    }
    EXPECT_GT(probed, 40U);
    EXPECT_EQ(SnapshotOfB(), before) << "B's data changed";
}

TEST_F(Tenancy, RoutesWithoutParametersShowOnlyTheCallersSchool) {
    auto& http = walk_.http();
    const auto schools = http.Get("/api/v1/schools", a_.admin_token).Json().at("items").as_array();
    ASSERT_EQ(schools.size(), 1U);
    EXPECT_EQ(schools[0].at("id").as_int64(), a_.school_id);
    EXPECT_EQ(http.Post("/api/v1/schools", json::object{{"name", "X"}, {"timezone", "UTC"}}, a_.admin_token).status,
              403);
    const auto devices = http.Get("/api/v1/agent/devices", a_.agent_token);
    ASSERT_EQ(devices.status, 200) << devices.body;
    const auto items = devices.Json().at("items").as_array();
    ASSERT_EQ(items.size(), 1U);
    EXPECT_EQ(items[0].at("id").as_int64(), a_.agent_device_id);

    const auto users = http.Get("/api/v1/users", a_.admin_token);
    ASSERT_EQ(users.status, 200) << users.body;
    const auto listed = users.Json();
    for (const auto& u : listed.at("items").as_array()) {
        EXPECT_EQ(u.at("school_id").as_int64(), a_.school_id) << json::serialize(u);
    }
    EXPECT_EQ(listed.at("items").as_array().size(), 2U) << "A's admin and A's deputy";
    EXPECT_EQ(http.Get("/api/v1/users?school_id=" + std::to_string(b_.school_id), a_.admin_token).status, 404);
    const auto into_b =
        http.Post("/api/v1/users",
                  json::object{{"email", "spy@example.org"}, {"password", kTestPassword}, {"school_id", b_.school_id}},
                  a_.admin_token);
    EXPECT_EQ(into_b.status, 404) << into_b.body;
    EXPECT_EQ(
        http.Post("/api/v1/users",
                  json::object{{"email", "boss@example.org"}, {"password", kTestPassword}, {"role", "super_admin"}},
                  a_.admin_token)
            .status,
        403);
    EXPECT_EQ(http.Get("/api/v1/audit", a_.admin_token).status, 403);
}

// Ids in a body or query are not path parameters, but naming another school's must look exactly like naming
// one that does not exist, and change nothing.
TEST_F(Tenancy, AnotherSchoolsIdsInABodyOrQueryLookLikeIdsThatDoNotExist) {
    auto& http = walk_.http();
    const auto path = [&](const std::string& rest) { return "/api/v1/schools/" + std::to_string(a_.school_id) + rest; };
    auto expect_same = [&](const std::string& method,
                           const std::string& rest,
                           json::object body,
                           const std::string& field,
                           std::int64_t b_id) {
        body[field] = b_id;
        const auto with_b =
            http.Request(method, path(rest), json::serialize(body), {{"Authorization", "Bearer " + a_.admin_token}});
        body[field] = kNoSuchId;
        const auto with_none =
            http.Request(method, path(rest), json::serialize(body), {{"Authorization", "Bearer " + a_.admin_token}});
        EXPECT_GE(with_b.status, 400) << rest << " " << field << ": " << with_b.body;
        EXPECT_EQ(with_b.status, with_none.status) << rest << " " << field;
        EXPECT_EQ(with_b.body, with_none.body) << rest << " " << field;
    };
    const auto before = SnapshotOfB();
    const auto audit_before = http.Get(path("/audit"), a_.admin_token).body;
    expect_same("POST", "/mappings", {{"user_id", "77"}}, "person_id", b_.person_id);
    expect_same("POST", "/mappings", {{"user_id", "77"}, {"person_id", a_.person_id}}, "device_id", b_.device_id);
    expect_same("POST",
                "/overrides",
                {{"date", "2026-03-11"}, {"status", "absent"}, {"reason", "x"}},
                "person_id",
                b_.person_id);
    expect_same(
        "POST",
        "/clock-corrections",
        {{"from", "2026-03-01 00:00:00"}, {"to", "2026-03-02 00:00:00"}, {"offset_seconds", 60}, {"reason", "x"}},
        "device_id",
        b_.device_id);
    const auto deliveries =
        http.Get(path("/webhooks/deliveries?webhook_id=" + std::to_string(b_.webhook_id)), a_.admin_token);
    const auto none = http.Get(path("/webhooks/deliveries?webhook_id=" + std::to_string(kNoSuchId)), a_.admin_token);
    EXPECT_EQ(deliveries.status, none.status);
    EXPECT_EQ(deliveries.body, none.body);
    EXPECT_EQ(http.Get(path("/audit"), a_.admin_token).body, audit_before) << "a refused request changed A";
    EXPECT_EQ(SnapshotOfB(), before) << "B's data changed";
}

}  // namespace
}  // namespace rollcall::test
