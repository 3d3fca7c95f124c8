// The audit trail (R19) over every write route the server registers: each change an admin makes under a school
// leaves a line saying who did what to which kind of object, and no secret lands in it.

#include "integration/route_walk.hpp"

#include <algorithm>
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
    {"POST " + kSchoolPrefix + "/mapping-suggestions/accept", {"create", "mapping"}},
    {"POST " + kSchoolPrefix + "/devices/{id}/users/create-people", {"create", "person"}},
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
    "PUT /api/v1/agent/devices/{id}/users",
};

// POSTs that only read: what they are asked is a body (a settings preview takes the settings a PUT would store), and
// they change nothing, so they must leave no line.
const std::set<std::string> kReadsWithABody{
    "POST " + kSchoolPrefix + "/settings/attendance/preview",
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
    const auto super_me = walk_.http().Get("/api/v1/me", walk_.super_token()).Json();
    const auto super_id = super_me.at("user_id").as_int64();
    const std::string super_email(super_me.at("email").as_string());
    const std::string admin_email(walk_.http().Get("/api/v1/me", a_.admin_token).Json().at("email").as_string());
    std::size_t walked = 0;
    std::size_t read_only = 0;
    for (const auto& route : walk_.Routes()) {
        const auto name = RouteName(route);
        if (!IsWrite(route) || kNotAdminChanges.contains(name)) {
            continue;
        }
        if (kReadsWithABody.contains(name)) {
            const auto last = LastAuditId(a_.school_id);
            std::string why;
            const auto req = walk_.Fill(route, a_, a_, why);
            ASSERT_TRUE(req) << why;
            const auto r = walk_.Send(*req, a_.admin_token);
            EXPECT_EQ(r.status, 200) << name << ": " << r.body;
            EXPECT_EQ(LastAuditId(a_.school_id), last) << name << " only reads, yet left an audit line";
            ++read_only;
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
        EXPECT_EQ(match->at("by").as_string(), super_only ? super_email : admin_email) << name;
        EXPECT_FALSE(match->at("label").as_string().empty()) << name << ": a line names its object";
        EXPECT_EQ(match->at("at").as_string(), "2026-03-12T10:00:00Z") << name;
        // Asked about its kind of object only, the trail still has the line.
        const auto by_entity = walk_.http().Get(
            "/api/v1/schools/" + std::to_string(school) + "/audit?entity=" + std::string(expected->second.entity),
            walk_.super_token());
        ASSERT_EQ(by_entity.status, 200) << name << ": " << by_entity.body;
        const auto kind = by_entity.Json().at("items").as_array();
        EXPECT_TRUE(std::any_of(kind.begin(), kind.end(), [&](const json::value& l) {
            return l.at("id") == match->at("id");
        })) << name;
        EXPECT_TRUE(std::all_of(kind.begin(), kind.end(), [&](const json::value& l) {
            return l.at("entity").as_string() == expected->second.entity;
        })) << name;
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
    EXPECT_EQ(read_only, kReadsWithABody.size()) << "a route of kReadsWithABody no longer exists";
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

// The trail as a head teacher reads it: narrowed to one child, one kind of object or one period of the school's
// own calendar, each line saying who made it and what it is about in words.
class AuditTrail : public ::testing::Test {
protected:
    // Times of the changes, in UTC (Nairobi is three hours ahead).
    static constexpr std::int64_t kFeb20 = 1771578000;      // 2026-02-20 09:00
    static constexpr std::int64_t kMar05 = 1772701200;      // 2026-03-05 09:00
    static constexpr std::int64_t kApr02 = 1775120400;      // 2026-04-02 09:00
    static constexpr std::int64_t kMar11Late = 1773271800;  // 2026-03-11 23:30, the 12th at 02:30 in Nairobi

    // The server starts on the last of those days and the test takes the clock back: sessions made at the start
    // are still good then.
    TestServer server_{{}, kApr02};
    HttpClient http_{server_.port()};
    SchoolFixture school_ = MakeSchool(server_, "Hill School", "Africa/Nairobi");
    std::string head_ = server_.SchoolAdminToken(school_.school_id, "head@hill.example");

    std::string Path(const std::string& rest) const { return SchoolPath(school_, rest); }
    std::int64_t Create(const std::string& rest, const json::object& body) {
        const auto r = http_.Post(Path(rest), body, head_);
        EXPECT_EQ(r.status, 201) << rest << ": " << r.body;
        return r.status == 201 ? r.Json().at("id").as_int64() : 0;
    }
    std::int64_t NewPerson(const std::string& name) {
        return Create("/people", json::object{{"name", name}, {"kind", "student"}, {"active_from", "2026-01-05"}});
    }
    json::array Trail(const std::string& query) {
        const auto r = http_.Get(Path("/audit" + query), head_);
        EXPECT_EQ(r.status, 200) << query << ": " << r.body;
        return r.status == 200 ? r.Json().at("items").as_array() : json::array{};
    }
    std::string Refusal(const std::string& query) {
        const auto r = http_.Get(Path("/audit" + query), head_);
        EXPECT_EQ(r.status, 400) << query << ": " << r.body;
        return r.status == 400 ? std::string(r.Json().at("error").at("message").as_string()) : "";
    }
};

TEST_F(AuditTrail, TheHeadAsksWhoChangedAminasRegisterInMarchAndSeesOnlyAminasMarchLines) {
    server_.clock().Set(kFeb20);
    const auto amina = NewPerson("Amina Njeri");
    const auto brian = NewPerson("Brian Otieno");

    server_.clock().Set(kMar05);
    Create("/mappings", json::object{{"user_id", "17"}, {"person_id", amina}});
    Create("/mappings", json::object{{"user_id", "18"}, {"person_id", brian}});
    Create("/overrides",
           json::object{{"person_id", amina}, {"date", "2026-03-04"}, {"status", "excused"}, {"reason", "dentist"}});
    Create("/overrides",
           json::object{{"person_id", brian}, {"date", "2026-03-04"}, {"status", "absent"}, {"reason", "flu"}});
    ASSERT_EQ(http_.Patch(Path("/people/" + std::to_string(amina)), json::object{{"group", "5A"}}, head_).status, 200);

    server_.clock().Set(kDefaultNow);  // 2026-03-12
    Create("/overrides",
           json::object{{"person_id", amina}, {"date", "2026-03-04"}, {"status", "late"}, {"reason", "came at 9"}});

    server_.clock().Set(kApr02);
    Create("/overrides",
           json::object{{"person_id", amina}, {"date", "2026-04-01"}, {"status", "excused"}, {"reason", "trip"}});

    const auto march = Trail("?person_id=" + std::to_string(amina) + "&from=2026-03-01&to=2026-03-31");
    std::vector<std::string> seen;
    for (const auto& line : march) {
        seen.push_back(std::string(line.at("action").as_string()) + " " + std::string(line.at("entity").as_string()) +
                       ": " + std::string(line.at("label").as_string()));
        EXPECT_EQ(line.at("by").as_string(), "head@hill.example");
        EXPECT_EQ(line.at("person_id").as_int64(), amina);
    }
    EXPECT_EQ(seen,
              (std::vector<std::string>{"replace override: Amina Njeri, 2026-03-04",
                                        "update person: Amina Njeri",
                                        "create override: Amina Njeri, 2026-03-04",
                                        "create mapping: Amina Njeri (user 17)"}))
        << "newest first; not February's creation, not April's override, nothing about Brian";

    // Without the period, her whole history; with the entity too, only her overrides.
    EXPECT_EQ(Trail("?person_id=" + std::to_string(amina)).size(), 6U);
    EXPECT_EQ(Trail("?person_id=" + std::to_string(amina) + "&entity=override").size(), 3U);
    EXPECT_EQ(Trail("?person_id=" + std::to_string(amina) + "&limit=2").size(), 2U);
}

TEST_F(AuditTrail, ADeletedDevicesLinesStillNameIt) {
    const auto gate = Create("/devices", json::object{{"name", "Back gate"}, {"sync_mode", "push"}});
    const auto path = Path("/devices/" + std::to_string(gate));
    ASSERT_EQ(http_.Patch(path, json::object{{"direction", "in"}}, head_).status, 200);
    ASSERT_EQ(http_.Post(path + "/rotate-token", json::object{}, head_).status, 200);
    ASSERT_EQ(http_.Delete(path, head_).status, 204);
    ASSERT_EQ(http_.Get(path, head_).status, 404);

    std::vector<std::string> actions;
    for (const auto& line : Trail("?entity=device")) {
        if (line.at("entity_id").as_int64() == gate) {
            actions.emplace_back(line.at("action").as_string());
            EXPECT_EQ(line.at("label").as_string(), "Back gate") << line;
            EXPECT_EQ(line.at("by").as_string(), "head@hill.example");
            EXPECT_TRUE(line.at("person_id").is_null());
        }
    }
    EXPECT_EQ(actions, (std::vector<std::string>{"delete", "rotate_token", "update", "create"}));
}

TEST_F(AuditTrail, ADeletedPersonsLinesCanStillBeFoundByTheirId) {
    const auto typo = NewPerson("Amina Njeeri");
    Create("/mappings", json::object{{"user_id", "17"}, {"person_id", typo}});
    ASSERT_EQ(http_.Delete(Path("/people/" + std::to_string(typo)), head_).status, 204);
    std::vector<std::string> seen;
    for (const auto& line : Trail("?person_id=" + std::to_string(typo))) {
        seen.push_back(std::string(line.at("action").as_string()) + " " + std::string(line.at("entity").as_string()) +
                       ": " + std::string(line.at("label").as_string()));
    }
    EXPECT_EQ(seen,
              (std::vector<std::string>{"delete mapping: Amina Njeeri (user 17)",
                                        "delete person: Amina Njeeri",
                                        "create mapping: Amina Njeeri (user 17)",
                                        "create person: Amina Njeeri"}));
}

TEST_F(AuditTrail, APersonOfAnotherSchoolHasNoLinesHere) {
    const auto other = MakeSchool(server_, "Lake School", "Africa/Nairobi");
    const auto them = http_.Post(
        SchoolPath(other, "/people"), json::object{{"name", "Zawadi"}, {"kind", "student"}}, other.admin_token);
    ASSERT_EQ(them.status, 201) << them.body;
    const auto id = them.Json().at("id").as_int64();
    EXPECT_EQ(
        http_
            .Patch(SchoolPath(other, "/people/" + std::to_string(id)), json::object{{"group", "2B"}}, other.admin_token)
            .status,
        200);
    EXPECT_TRUE(Trail("?person_id=" + std::to_string(id)).empty())
        << "another school's person is not known here, as everywhere in the API";
    const auto theirs = http_.Get(SchoolPath(other, "/audit?person_id=" + std::to_string(id)), other.admin_token);
    ASSERT_EQ(theirs.status, 200);
    EXPECT_EQ(theirs.Json().at("items").as_array().size(), 2U);
}

TEST_F(AuditTrail, AChangeMadeAt2330UtcIsOnTheNextDayInNairobi) {
    server_.clock().Set(kMar11Late);
    Create("/holidays", json::object{{"date", "2026-04-10"}, {"name", "Founders' Day"}});
    const auto twelfth = Trail("?entity=holiday&from=2026-03-12&to=2026-03-12");
    ASSERT_EQ(twelfth.size(), 1U);
    EXPECT_EQ(twelfth[0].at("label").as_string(), "Founders' Day (2026-04-10)");
    EXPECT_EQ(twelfth[0].at("at").as_string(), "2026-03-11T23:30:00Z");
    EXPECT_TRUE(Trail("?entity=holiday&from=2026-03-11&to=2026-03-11").empty());
    EXPECT_TRUE(Trail("?entity=holiday&to=2026-03-11").empty());
    EXPECT_EQ(Trail("?entity=holiday&from=2026-03-12").size(), 1U);
}

TEST_F(AuditTrail, TheSerialTheAgentReadIsAuditedAsTheSyncAgent) {
    const auto old_gate =
        Create("/devices", json::object{{"name", "Old gate"}, {"sync_mode", "agent"}, {"ip", "192.0.2.10"}});
    const auto token = http_.Post(Path("/agent-tokens"), json::object{}, head_);
    ASSERT_EQ(token.status, 201) << token.body;
    const std::string agent(token.Json().at("token").as_string());
    const auto status = http_.Post("/api/v1/agent/devices/" + std::to_string(old_gate) + "/status",
                                   json::object{{"reachable", true}, {"serial", "BOCK201560123"}},
                                   agent);
    ASSERT_EQ(status.status, 200) << status.body;
    const auto line = Trail("?entity=device&limit=1").at(0);
    EXPECT_EQ(line.at("action").as_string(), "update");
    EXPECT_EQ(line.at("by").as_string(), "sync agent");
    EXPECT_EQ(line.at("user_id").as_int64(), 0);
    EXPECT_EQ(line.at("label").as_string(), "Old gate");
    EXPECT_EQ(line.at("new").at("serial").as_string(), "BOCK201560123");
    const auto made = Trail("?entity=agent_token&limit=1").at(0);
    EXPECT_EQ(made.at("label").as_string(), "agent token " + std::to_string(token.Json().at("id").as_int64()));
}

TEST_F(AuditTrail, BadFiltersAreRefusedNamingTheField) {
    const auto entity = Refusal("?entity=pupil");
    EXPECT_EQ(entity.rfind("entity: one of", 0), 0U) << entity;
    EXPECT_NE(entity.find("person"), std::string::npos) << entity;
    EXPECT_NE(entity.find("override"), std::string::npos) << entity;
    EXPECT_EQ(Refusal("?person_id=amina").rfind("person_id:", 0), 0U);
    EXPECT_EQ(Refusal("?from=2026-02-30").rfind("from:", 0), 0U);
    EXPECT_EQ(Refusal("?to=12/03/2026").rfind("to:", 0), 0U);
    EXPECT_EQ(Refusal("?from=2026-03-31&to=2026-03-01").rfind("to:", 0), 0U);
    EXPECT_EQ(Refusal("?limit=0").rfind("limit:", 0), 0U);
    EXPECT_EQ(Refusal("?limit=5001").rfind("limit:", 0), 0U);
    EXPECT_EQ(Refusal("?limit=ten").rfind("limit:", 0), 0U);
    EXPECT_FALSE(Trail("?limit=5000").empty()) << "the maximum itself is fine";
}

}  // namespace
}  // namespace rollcall::test
