// The audit trail (R19) over every write route the server registers: each change an admin makes under a school
// leaves a line saying who did what to which kind of object, and no secret lands in it.

#include "integration/route_walk.hpp"

#include <set>

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

struct Expected {
    std::string action;
    std::string entity;
};

// The audit line each write route must leave. A write route missing here fails the walk.
const std::map<std::string, Expected> kAuditOf{
    {"POST /api/v1/schools", {"create", "school"}},
    {"PATCH " + kSchoolPrefix, {"update", "school"}},
    {"POST /api/v1/users", {"create", "user"}},
    {"PATCH /api/v1/users/{id}", {"update", "user"}},
    {"POST /api/v1/users/{id}/password", {"reset_password", "user"}},
    {"POST /api/v1/me/password", {"change_password", "user"}},
    {"POST " + kSchoolPrefix + "/devices", {"create", "device"}},
    {"PATCH " + kSchoolPrefix + "/devices/{id}", {"update", "device"}},
    {"DELETE " + kSchoolPrefix + "/devices/{id}", {"delete", "device"}},
    {"POST " + kSchoolPrefix + "/devices/{id}/rotate-token", {"rotate_token", "device"}},
    {"POST " + kSchoolPrefix + "/people", {"create", "person"}},
    {"POST " + kSchoolPrefix + "/people/import", {"create", "person"}},
    {"PATCH " + kSchoolPrefix + "/people/{id}", {"update", "person"}},
    {"DELETE " + kSchoolPrefix + "/people/{id}", {"delete", "person"}},
    {"POST " + kSchoolPrefix + "/mappings", {"create", "mapping"}},
    {"DELETE " + kSchoolPrefix + "/mappings/{id}", {"delete", "mapping"}},
    {"PUT " + kSchoolPrefix + "/settings/attendance", {"update", "settings"}},
    {"DELETE " + kSchoolPrefix + "/settings/attendance", {"delete", "settings"}},
    {"POST " + kSchoolPrefix + "/holidays", {"create", "holiday"}},
    {"DELETE " + kSchoolPrefix + "/holidays/{id}", {"delete", "holiday"}},
    {"POST " + kSchoolPrefix + "/clock-corrections", {"create", "clock_correction"}},
    {"DELETE " + kSchoolPrefix + "/clock-corrections/{id}", {"delete", "clock_correction"}},
    {"POST " + kSchoolPrefix + "/overrides", {"create", "override"}},
    {"DELETE " + kSchoolPrefix + "/overrides/{id}", {"delete", "override"}},
    {"POST " + kSchoolPrefix + "/attendance/{date}/finalize", {"finalize", "day"}},
    {"POST " + kSchoolPrefix + "/recompute", {"recompute", "days"}},
    {"POST " + kSchoolPrefix + "/webhooks", {"create", "webhook"}},
    {"DELETE " + kSchoolPrefix + "/webhooks/{id}", {"delete", "webhook"}},
    {"POST " + kSchoolPrefix + "/agent-tokens", {"create", "agent_token"}},
    {"DELETE " + kSchoolPrefix + "/agent-tokens/{id}", {"revoke", "agent_token"}},
};

// Write routes known not to audit yet, each with why. Empty today; a route listed here that starts auditing
// fails the walk, so the list only shrinks.
const std::set<std::string> kKnownGaps{};

// Writes that are not an admin's change of school data: sessions, and what devices and agents send (punches
// keep their own provenance: source, received_at, batch, R2).
const std::set<std::string> kNotAdminChanges{
    "POST /api/v1/auth/login",
    "POST /api/v1/auth/logout",
    "POST /api/v1/biometric/push-log",
    "POST /api/v1/agent/devices/{id}/logs",
    "POST /api/v1/agent/devices/{id}/status",
};

class Audit : public ::testing::Test {
protected:
    TestServer server_;
    RouteWalker walk_{server_};
    World a_ = walk_.Build("Hill School", "Africa/Nairobi");

    json::array AuditOf(std::int64_t school_id) {
        const auto r = walk_.http().Get("/api/v1/schools/" + std::to_string(school_id) + "/audit", walk_.super_token());
        EXPECT_EQ(r.status, 200) << r.body;
        return r.Json().at("items").as_array();
    }
    std::int64_t LastAuditId(std::int64_t school_id) {
        const auto items = AuditOf(school_id);
        return items.empty() ? 0 : items[0].at("id").as_int64();
    }
};

TEST_F(Audit, EveryWriteRouteLeavesAnAuditLineNamingItsAction) {
    const auto super_id = walk_.http().Get("/api/v1/me", walk_.super_token()).Json().at("user_id").as_int64();
    std::size_t walked = 0;
    for (const auto& route : walk_.Routes()) {
        const auto name = RouteName(route);
        if (!IsWrite(route) || kNotAdminChanges.contains(name)) {
            continue;
        }
        const auto expected = kAuditOf.find(name);
        const bool gap = kKnownGaps.contains(name);
        if (expected == kAuditOf.end() && !gap) {
            ADD_FAILURE() << name << ": a write route without an expected audit line; add it to kAuditOf";
            continue;
        }
        // A school admin makes the change, except where only a super admin may.
        const bool new_school = name == "POST /api/v1/schools";
        const bool super_only = new_school || name == "PATCH " + kSchoolPrefix;
        const auto& token = super_only ? walk_.super_token() : a_.admin_token;
        const auto user_id = super_only ? super_id : a_.admin_user_id;

        const World w = walk_.FreshFor(a_, route);
        const auto last = LastAuditId(a_.school_id);
        std::string why;
        const auto req = walk_.Fill(route, w, w, why);
        ASSERT_TRUE(req) << why;
        const auto r = walk_.Send(*req, token);
        ASSERT_GE(r.status, 200) << name << ": " << r.body;
        ASSERT_LT(r.status, 300) << name << ": " << r.body;
        ++walked;

        // A new school's trail is its own, and starts with its creation.
        const auto school = new_school ? r.Json().at("id").as_int64() : a_.school_id;
        const auto trail = AuditOf(school);
        std::vector<json::object> fresh;
        for (const auto& line : trail) {
            if (line.at("id").as_int64() > (new_school ? 0 : last)) {
                fresh.push_back(line.as_object());
            }
        }
        if (gap) {
            EXPECT_TRUE(fresh.empty()) << name << " audits now: remove it from kKnownGaps";
            continue;
        }
        const auto match = std::find_if(fresh.begin(), fresh.end(), [&](const json::object& line) {
            return line.at("action").as_string() == expected->second.action &&
                   line.at("entity").as_string() == expected->second.entity;
        });
        ASSERT_NE(match, fresh.end()) << name << ": no audit line '" << expected->second.action << " "
                                      << expected->second.entity
                                      << "'; new lines: " << json::serialize(json::value_from(fresh));
        EXPECT_EQ(match->at("user_id").as_int64(), user_id) << name;
        EXPECT_EQ(match->at("at").as_string(), "2026-03-12T10:00:00Z") << name;
        // Tokens and secrets shown once in the answer never land in the trail.
        const auto answer = r.body.empty() ? json::value() : r.Json();
        for (const auto* field : {"api_token", "token", "secret"}) {
            if (answer.is_object() && answer.as_object().contains(field)) {
                const std::string secret(answer.at(field).as_string());
                EXPECT_EQ(json::serialize(json::value_from(trail)).find(secret), std::string::npos)
                    << name << ": the " << field << " is in the audit trail";
            }
        }
    }
    EXPECT_EQ(walked, kAuditOf.size() + kKnownGaps.size()) << "a route of kAuditOf or kKnownGaps no longer exists";
}

TEST_F(Audit, ALineSaysWhatChangedFromWhatToWhat) {
    auto& http = walk_.http();
    const auto path = "/api/v1/schools/" + std::to_string(a_.school_id);
    const auto patched =
        http.Patch(path + "/people/" + std::to_string(a_.person_id), json::object{{"group", "7C"}}, a_.admin_token);
    ASSERT_EQ(patched.status, 200) << patched.body;
    const auto line = AuditOf(a_.school_id).at(0).as_object();
    EXPECT_EQ(line.at("action").as_string(), "update");
    EXPECT_EQ(line.at("entity").as_string(), "person");
    EXPECT_EQ(line.at("entity_id").as_int64(), a_.person_id);
    EXPECT_EQ(line.at("old").at("group").as_string(), "");
    EXPECT_EQ(line.at("new").at("group").as_string(), "7C");
    EXPECT_EQ(line.at("new").at("name").as_string(), line.at("old").at("name").as_string());
}

TEST_F(Audit, ARefusedChangeLeavesNoLine) {
    auto& http = walk_.http();
    const auto path = "/api/v1/schools/" + std::to_string(a_.school_id);
    const auto before = AuditOf(a_.school_id).size();
    EXPECT_EQ(http.Post(path + "/devices", json::object{{"name", "X"}, {"sync_mode", "carrier-pigeon"}}, a_.admin_token)
                  .status,
              400);
    EXPECT_EQ(http.Delete(path + "/people/987654", a_.admin_token).status, 404);
    EXPECT_EQ(
        http.Post(path + "/holidays", json::object{{"date", "2026-02-30"}, {"name", "No"}}, a_.admin_token).status,
        400);
    EXPECT_EQ(AuditOf(a_.school_id).size(), before);
}

}  // namespace
}  // namespace rollcall::test
