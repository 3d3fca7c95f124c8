// Admin users as a school lives with them (docs/api.md "Users"): a deputy who leaves, a forgotten password, a
// password changed on one computer while another is still logged in, and a school that leaves the service.

#include "support/test_server.hpp"

#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

class Users : public ::testing::Test {
protected:
    TestServer server_;
    HttpClient http_{server_.port()};
    std::string root_ = server_.SuperAdminToken();

    std::int64_t NewSchool(const std::string& name) {
        const auto r =
            http_.Post("/api/v1/schools", json::object{{"name", name}, {"timezone", "Africa/Nairobi"}}, root_);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.Json().at("id").as_int64();
    }
    static std::string School(std::int64_t id) { return "/api/v1/schools/" + std::to_string(id); }

    HttpResponse Login(const std::string& email, const std::string& password) {
        return http_.Post("/api/v1/auth/login", json::object{{"email", email}, {"password", password}});
    }
    std::string TokenOf(const std::string& email, const std::string& password) {
        const auto r = Login(email, password);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? std::string(r.Json().at("token").as_string()) : std::string();
    }
    std::int64_t IdOf(const std::string& token) {
        return http_.Get("/api/v1/me", token).Json().at("user_id").as_int64();
    }
    json::array AuditOf(std::int64_t school) {
        const auto r = http_.Get(School(school) + "/audit", root_);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.Json().at("items").as_array();
    }
};

TEST_F(Users, ADeputyWhoLeavesIsDisabledHerOpenSessionStopsAtOnceAndWhatSheDidStaysInTheTrail) {
    const auto hill = NewSchool("Hill School");
    const auto head = server_.SchoolAdminToken(hill, "head@hill.example");

    // The head adds her deputy; the school is the head's own without saying so.
    const auto added = http_.Post(
        "/api/v1/users", json::object{{"email", "deputy@hill.example"}, {"password", "first day at work"}}, head);
    ASSERT_EQ(added.status, 201) << added.body;
    EXPECT_EQ(added.Json().at("school_id").as_int64(), hill);
    EXPECT_EQ(added.Json().at("role").as_string(), "school_admin");
    EXPECT_EQ(added.body.find("first day at work"), std::string::npos);
    const auto deputy_id = added.Json().at("id").as_int64();

    const auto deputy = TokenOf("deputy@hill.example", "first day at work");
    const auto holiday =
        http_.Post(School(hill) + "/holidays", json::object{{"date", "2026-05-01"}, {"name", "Labour Day"}}, deputy);
    ASSERT_EQ(holiday.status, 201) << holiday.body;

    // She leaves: the head disables her, and the browser she left logged in stops working at once.
    const auto disabled =
        http_.Patch("/api/v1/users/" + std::to_string(deputy_id), json::object{{"status", "inactive"}}, head);
    ASSERT_EQ(disabled.status, 200) << disabled.body;
    EXPECT_EQ(disabled.Json().at("status").as_string(), "inactive");
    EXPECT_EQ(http_.Get(School(hill) + "/people", deputy).status, 401);
    const auto again = Login("deputy@hill.example", "first day at work");
    EXPECT_EQ(again.status, 403) << again.body;
    EXPECT_NE(again.body.find("disabled"), std::string::npos) << again.body;

    // The holiday she added is still hers in the trail, and the head's act is the newest line.
    const auto trail = AuditOf(hill);
    EXPECT_EQ(trail.at(0).at("entity").as_string(), "user");
    EXPECT_EQ(trail.at(0).at("user_id").as_int64(), IdOf(head));
    EXPECT_EQ(trail.at(0).at("old").at("status").as_string(), "active");
    EXPECT_EQ(trail.at(0).at("new").at("status").as_string(), "inactive");
    bool holiday_kept = false;
    for (const auto& line : trail) {
        holiday_kept |= line.at("entity").as_string() == "holiday" && line.at("user_id").as_int64() == deputy_id;
    }
    EXPECT_TRUE(holiday_kept) << json::serialize(trail);

    // The list shows her disabled; nobody disables themselves.
    const auto users = http_.Get("/api/v1/users", head).Json().at("items").as_array();
    ASSERT_EQ(users.size(), 2U);
    EXPECT_EQ(users[1].at("status").as_string(), "inactive");
    const auto self =
        http_.Patch("/api/v1/users/" + std::to_string(IdOf(head)), json::object{{"status", "inactive"}}, head);
    EXPECT_EQ(self.status, 409) << self.body;
}

TEST_F(Users, AHeadWhoForgotHerPasswordGetsANewOneAndEverySessionOfHersEnds) {
    const auto hill = NewSchool("Hill School");
    const auto office = server_.SchoolAdminToken(hill, "head@hill.example");
    const auto phone = TokenOf("head@hill.example", kTestPassword);

    const auto reset = http_.Post("/api/v1/users/" + std::to_string(IdOf(office)) + "/password",
                                  json::object{{"password", "given over the phone"}},
                                  root_);
    ASSERT_EQ(reset.status, 204) << reset.body;
    EXPECT_EQ(http_.Get("/api/v1/me", office).status, 401);
    EXPECT_EQ(http_.Get("/api/v1/me", phone).status, 401);
    EXPECT_EQ(Login("head@hill.example", kTestPassword).status, 401);
    EXPECT_EQ(Login("head@hill.example", "given over the phone").status, 200);
    const auto line = AuditOf(hill).at(0);
    EXPECT_EQ(line.at("action").as_string(), "reset_password");
    EXPECT_EQ(line.at("by").as_string(), "root@example.org");
    EXPECT_EQ(line.at("label").as_string(), "head@hill.example");
    EXPECT_EQ(json::serialize(AuditOf(hill)).find("given over"), std::string::npos) << "no password in the trail";
}

TEST_F(Users, ChangingMyPasswordLogsOutMyOtherBrowsersButNotThisOne) {
    const auto hill = NewSchool("Hill School");
    const auto office = server_.SchoolAdminToken(hill, "head@hill.example");
    const auto home = TokenOf("head@hill.example", kTestPassword);

    const auto wrong = http_.Post("/api/v1/me/password",
                                  json::object{{"current_password", "a guess"}, {"new_password", "much longer now"}},
                                  office);
    EXPECT_EQ(wrong.status, 400) << wrong.body;
    EXPECT_NE(wrong.body.find("current_password"), std::string::npos) << wrong.body;
    EXPECT_EQ(http_.Get("/api/v1/me", home).status, 200) << "a refused change ends nothing";

    const auto changed =
        http_.Post("/api/v1/me/password",
                   json::object{{"current_password", kTestPassword}, {"new_password", "much longer now"}},
                   office);
    ASSERT_EQ(changed.status, 204) << changed.body;
    EXPECT_EQ(http_.Get("/api/v1/me", office).status, 200);
    EXPECT_EQ(http_.Get("/api/v1/me", home).status, 401);
    EXPECT_EQ(Login("head@hill.example", "much longer now").status, 200);
}

TEST_F(Users, ASchoolThatLeavesTheServiceIsRefusedAtItsGateWhileOtherSchoolsCarryOn) {
    const auto hill = NewSchool("Hill School");
    const auto lake = NewSchool("Lake School");
    const auto head = server_.SchoolAdminToken(hill, "head@hill.example");
    auto gate_of = [&](std::int64_t school) {
        const auto r =
            http_.Post(School(school) + "/devices", json::object{{"name", "Gate"}, {"sync_mode", "push"}}, root_);
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(r.Json().at("api_token").as_string());
    };
    const auto hill_gate = gate_of(hill);
    const auto hill_agent =
        std::string(http_.Post(School(hill) + "/agent-tokens", json::object{}, root_).Json().at("token").as_string());
    ASSERT_EQ(http_.Get("/api/v1/agent/devices", hill_agent).status, 200);
    const auto lake_gate = gate_of(lake);
    auto push = [&](const std::string& token) {
        return http_.Post(
            "/api/v1/biometric/push-log",
            json::object{{"logs", json::array{json::object{{"user_id", "7"}, {"timestamp", "2026-03-12 07:40:00"}}}}},
            token);
    };
    ASSERT_EQ(push(hill_gate).status, 200);

    const auto renamed =
        http_.Patch(School(hill), json::object{{"name", "Hill Academy"}, {"status", "inactive"}}, root_);
    ASSERT_EQ(renamed.status, 200) << renamed.body;
    EXPECT_EQ(renamed.Json().at("name").as_string(), "Hill Academy");
    EXPECT_EQ(renamed.Json().at("status").as_string(), "inactive");

    const auto refused = push(hill_gate);
    EXPECT_EQ(refused.status, 403) << refused.body;
    EXPECT_NE(refused.body.find("deactivated"), std::string::npos) << refused.body;
    EXPECT_EQ(push(lake_gate).status, 200) << "another school carries on";
    const auto agent = http_.Get("/api/v1/agent/devices", hill_agent);
    EXPECT_EQ(agent.status, 403) << agent.body;
    EXPECT_NE(agent.body.find("deactivated"), std::string::npos) << agent.body;
    EXPECT_EQ(http_.Get(School(hill) + "/people", head).status, 401);
    EXPECT_EQ(Login("head@hill.example", kTestPassword).status, 403);
    // Its record stays for the super admin, punches included.
    const auto devices = http_.Get(School(hill) + "/devices", root_).Json();
    const auto gate_id = devices.at("items").at(0).at("id").as_int64();
    const auto logs = http_.Get(School(hill) + "/devices/" + std::to_string(gate_id) + "/logs", root_);
    ASSERT_EQ(logs.status, 200) << logs.body;
    EXPECT_EQ(logs.Json().at("items").as_array().size(), 1U);

    // A head cannot rename their school, and nobody moves its zone.
    EXPECT_EQ(http_.Patch(School(hill), json::object{{"timezone", "Europe/London"}}, root_).status, 400);
    ASSERT_EQ(http_.Patch(School(hill), json::object{{"status", "active"}}, root_).status, 200);
    EXPECT_EQ(http_.Get("/api/v1/me", head).status, 401) << "the sessions ended with the deactivation";
    const auto back = TokenOf("head@hill.example", kTestPassword);
    EXPECT_EQ(http_.Patch(School(hill), json::object{{"name", "Mine"}}, back).status, 403);
    EXPECT_EQ(push(hill_gate).status, 200) << "active again, the gate is heard again";
    EXPECT_EQ(AuditOf(hill).at(0).at("entity").as_string(), "school");
}

TEST_F(Users, WhatHappensToSuperAdminsIsInTheServersOwnTrail) {
    const auto ops =
        http_.Post("/api/v1/users",
                   json::object{{"email", "ops@example.org"}, {"password", "night shift"}, {"role", "super_admin"}},
                   root_);
    ASSERT_EQ(ops.status, 201) << ops.body;
    const auto ops_id = ops.Json().at("id").as_int64();
    ASSERT_EQ(
        http_.Patch("/api/v1/users/" + std::to_string(ops_id), json::object{{"status", "inactive"}}, root_).status,
        200);

    const auto trail = http_.Get("/api/v1/audit?entity=user", root_);
    ASSERT_EQ(trail.status, 200) << trail.body;
    const auto lines = trail.Json().at("items").as_array();
    ASSERT_EQ(lines.size(), 3U) << trail.body;
    EXPECT_EQ(lines[0].at("action").as_string(), "update");
    EXPECT_EQ(lines[0].at("label").as_string(), "ops@example.org");
    EXPECT_EQ(lines[0].at("by").as_string(), "root@example.org");
    EXPECT_EQ(lines[1].at("action").as_string(), "create");
    EXPECT_EQ(lines[1].at("entity_id").as_int64(), ops_id);
    EXPECT_EQ(lines[2].at("label").as_string(), "root@example.org");
    EXPECT_EQ(lines[2].at("by").as_string(), "command line") << "the first super admin is made on the host";

    const auto hill = NewSchool("Hill School");
    EXPECT_EQ(http_.Get("/api/v1/audit", server_.SchoolAdminToken(hill, "head@hill.example")).status, 403);
    EXPECT_EQ(http_.Get("/api/v1/audit?from=2026-03-02&to=2026-03-01", root_).status, 400);
}

}  // namespace
}  // namespace rollcall::test
