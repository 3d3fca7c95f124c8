// Terminals' user tables over real HTTP (docs/api.md "Terminal users"): the agent uploads what a terminal holds, the
// admin sees the names on the device's users, gets the closest person of the school for each unmapped name (R7.1),
// accepts the suggestions, and makes people of a terminal's users. Another school's anything is 404.

#include "integration/school_test.hpp"

#include <map>
#include <set>

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

class TerminalUsers : public SchoolTest {
protected:
    TerminalUsers() : SchoolTest({{"agent.max_terminal_users", "7"}}) {}

    std::int64_t gate_ = AgentDevice(s_, "Old gate");
    std::string agent_token_ = AgentToken(s_);

    std::int64_t AgentDevice(const SchoolFixture& school, const std::string& name) {
        auto r = http_.Post(SchoolPath(school, "/devices"),
                            json::object{{"name", name}, {"sync_mode", "agent"}, {"ip", "192.168.1.20"}},
                            s_.admin_token);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.Json().at("id").as_int64();
    }
    std::string AgentToken(const SchoolFixture& school) {
        auto r = http_.Post(SchoolPath(school, "/agent-tokens"), json::object{}, s_.admin_token);
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(r.Json().at("token").as_string());
    }
    /// The agent uploads a terminal's user table of (user id, name) pairs.
    HttpResponse Upload(std::int64_t device,
                        const std::vector<std::pair<std::string, std::string>>& users,
                        const std::string& token = "") {
        json::array items;
        for (const auto& [id, name] : users) {
            items.push_back(json::object{{"user_id", id}, {"name", name}, {"card", 0}, {"privilege", 0}});
        }
        return http_.Put("/api/v1/agent/devices/" + std::to_string(device) + "/users",
                         json::object{{"items", items}, {"read_at", "2026-03-12T09:00:00Z"}},
                         token.empty() ? agent_token_ : token);
    }
    void Punch(std::int64_t device, const std::string& user_id) {
        auto r = http_.Post("/api/v1/agent/devices/" + std::to_string(device) + "/logs",
                            PushLogBody({{user_id, "2026-03-12 07:55:00"}}),
                            agent_token_);
        ASSERT_EQ(r.status, 200) << r.body;
    }
    std::map<std::string, json::object> Users(std::int64_t device) {
        auto r = http_.Get(DevicePath(device) + "/users", s_.admin_token);
        EXPECT_EQ(r.status, 200) << r.body;
        std::map<std::string, json::object> out;
        const auto doc = r.Json();
        for (const auto& u : doc.at("items").as_array()) {
            out.emplace(std::string(u.at("user_id").as_string()), u.as_object());
        }
        return out;
    }
    /// user id -> its suggestion.
    std::map<std::string, json::object> Suggestions() {
        auto r = http_.Get(Path("/mapping-suggestions"), s_.admin_token);
        EXPECT_EQ(r.status, 200) << r.body;
        std::map<std::string, json::object> out;
        const auto doc = r.Json();
        for (const auto& s : doc.at("items").as_array()) {
            out.emplace(std::string(s.at("user_id").as_string()), s.as_object());
        }
        return out;
    }
    /// The school's audit lines about `entity`, newest first.
    json::array Audit(const std::string& entity) {
        auto r = http_.Get(Path("/audit?entity=" + entity), s_.admin_token);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.Json().at("items").as_array();
    }
};

TEST_F(TerminalUsers, TheDevicesUsersShowTheNamesItsTerminalHoldsAlsoOfUsersWhoNeverPunched) {
    Punch(gate_, "17");
    auto r = Upload(gate_, {{"17", "AMINA NJERI"}, {"18", "Brian O."}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json().at("received").as_int64(), 2);
    EXPECT_EQ(r.Json().at("stored").as_int64(), 2);
    auto users = Users(gate_);
    ASSERT_EQ(users.size(), 2U);
    EXPECT_EQ(users.at("17").at("name").as_string(), "AMINA NJERI");
    EXPECT_EQ(users.at("17").at("punches").as_int64(), 1);
    EXPECT_TRUE(users.at("17").at("in_terminal").as_bool());
    EXPECT_EQ(users.at("18").at("name").as_string(), "Brian O.");
    EXPECT_EQ(users.at("18").at("punches").as_int64(), 0);
    EXPECT_TRUE(users.at("18").at("first_seen").is_null());
    EXPECT_EQ(http_.Get(DevicePath(gate_) + "/users", s_.admin_token).Json().at("terminal_read_at").as_string(),
              "2026-03-12T09:00:00Z");
    EXPECT_TRUE(http_.Get(DevicePath(s_.device_id) + "/users", s_.admin_token).Json().at("terminal_read_at").is_null())
        << "a push device has no table";
    // The unmapped inbox lists who punched, by the terminal's name.
    auto unmapped = http_.Get(Path("/unmapped"), s_.admin_token).Json().at("items").as_array();
    ASSERT_EQ(unmapped.size(), 1U);
    EXPECT_EQ(unmapped[0].at("user_id").as_string(), "17");
    EXPECT_EQ(unmapped[0].at("name").as_string(), "AMINA NJERI");
    // The next read replaces the table: 18 left the terminal, 17 was renamed.
    ASSERT_EQ(Upload(gate_, {{"17", "Amina Njeri"}}).status, 200);
    users = Users(gate_);
    ASSERT_EQ(users.size(), 1U);
    EXPECT_EQ(users.at("17").at("name").as_string(), "Amina Njeri");
}

TEST_F(TerminalUsers, ABadUserIsRefusedByItsIndexAndTheRestOfTheTableIsStored) {
    auto r = http_.Put("/api/v1/agent/devices/" + std::to_string(gate_) + "/users",
                       json::object{{"items",
                                     json::array{json::object{{"user_id", "1"}, {"name", "Ama"}},
                                                 json::object{{"user_id", "2"}, {"name", "tab\there"}},
                                                 json::object{{"user_id", "1"}, {"name", "again"}},
                                                 json::object{{"name", "no id"}},
                                                 json::object{{"user_id", 3}, {"name", "Kofi"}}}}},
                       agent_token_);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto report = r.Json();
    EXPECT_EQ(report.at("received").as_int64(), 5);
    EXPECT_EQ(report.at("stored").as_int64(), 2);
    const auto& rejected = report.at("rejected").as_array();
    ASSERT_EQ(rejected.size(), 3U);
    EXPECT_EQ(rejected[0].at("index").as_int64(), 1);
    EXPECT_EQ(rejected[1].at("index").as_int64(), 2);
    EXPECT_EQ(rejected[1].at("reason").as_string(), "user_id: listed before in this table");
    EXPECT_EQ(rejected[2].at("index").as_int64(), 3);
    const auto users = Users(gate_);
    ASSERT_EQ(users.size(), 2U);
    EXPECT_EQ(users.at("3").at("name").as_string(), "Kofi");
}

TEST_F(TerminalUsers, ATableOverTheLimitIsTooLargeAndOnlyTheSchoolsAgentDevicesTakeOne) {
    std::vector<std::pair<std::string, std::string>> eight;
    for (int i = 0; i < 8; ++i) {
        eight.emplace_back(std::to_string(i), "User " + std::to_string(i));
    }
    EXPECT_EQ(Upload(gate_, eight).status, 413) << "agent.max_terminal_users is 7 here";
    EXPECT_EQ(Upload(s_.device_id, {{"1", "Ama"}}).status, 403) << "a push device reads no table";
    const auto other = MakeSchool(server_, "Valley School");
    const auto valley_gate = AgentDevice(other, "Valley gate");
    EXPECT_EQ(Upload(valley_gate, {{"1", "Ama"}}).status, 404) << "another school's device";
    EXPECT_EQ(Upload(gate_, {{"1", "Ama"}}, AgentToken(other)).status, 404) << "another school's agent";
    EXPECT_EQ(Upload(gate_, {{"1", "Ama"}}, "rca_unknown").status, 401);
    EXPECT_TRUE(Users(gate_).empty());
}

TEST_F(TerminalUsers, R7_1_EachUnmappedNameGetsTheClosestPersonOfTheSchoolAndNeverAnotherSchools) {
    const auto amina = Person("Amina Njeri");
    const auto zoe = Person("Zoë Müller");
    Person("Brian Otieno");
    const auto left = Person("Kofi Mensah");
    ASSERT_EQ(
        http_.Patch(Path("/people/" + std::to_string(left)), json::object{{"active_to", "2026-02-28"}}, s_.admin_token)
            .status,
        200);
    // Another school has exactly the names this terminal holds.
    const auto other = MakeSchool(server_, "Valley School");
    for (const auto* name : {"Xavier Quincy", "Kofi Mensah"}) {
        ASSERT_EQ(http_.Post(SchoolPath(other, "/people"), json::object{{"name", name}}, s_.admin_token).status, 201);
    }
    ASSERT_EQ(
        Upload(
            gate_,
            {{"17", "NJERI  Amina"}, {"18", "zoe muller"}, {"19", "Xavier Quincy"}, {"20", "Kofi Mensah"}, {"21", ""}})
            .status,
        200);
    const auto s = Suggestions();
    ASSERT_TRUE(s.contains("17"));
    EXPECT_EQ(s.at("17").at("person_id").as_int64(), amina) << "case, spaces and order do not matter";
    EXPECT_EQ(s.at("17").at("similarity").as_double(), 1.0);
    EXPECT_EQ(s.at("17").at("terminal_name").as_string(), "NJERI  Amina");
    EXPECT_EQ(s.at("17").at("device_id").as_int64(), gate_);
    EXPECT_EQ(s.at("18").at("person_id").as_int64(), zoe) << "nor do accents";
    EXPECT_EQ(s.at("18").at("similarity").as_double(), 1.0);
    EXPECT_EQ(s.at("18").at("person_name").as_string(), "Zoë Müller");
    EXPECT_TRUE(s.at("18").at("runner_up").is_object());
    EXPECT_LT(s.at("18").at("runner_up").at("similarity").as_double(), 0.5);
    // A name nobody of this school has is a low suggestion, if any, and never the other school's person.
    if (s.contains("19")) {
        EXPECT_LT(s.at("19").at("similarity").as_double(), 0.3);
    }
    if (s.contains("20")) {
        EXPECT_NE(s.at("20").at("person_id").as_int64(), left) << "a leaver is not suggested";
        EXPECT_LT(s.at("20").at("similarity").as_double(), 0.5);
    }
    EXPECT_FALSE(s.contains("21")) << "no name, no suggestion";
    auto r = http_.Get(Path("/people"), s_.admin_token);
    std::set<std::int64_t> ours;
    const auto listed = r.Json();
    for (const auto& p : listed.at("items").as_array()) {
        ours.insert(p.at("id").as_int64());
    }
    for (const auto& [user, suggestion] : s) {
        EXPECT_TRUE(ours.contains(suggestion.at("person_id").as_int64())) << user;
        if (suggestion.at("runner_up").is_object()) {
            EXPECT_TRUE(ours.contains(suggestion.at("runner_up").at("person_id").as_int64())) << user;
        }
    }
    // A mapped user needs no suggestion.
    Map("17", amina, gate_);
    EXPECT_FALSE(Suggestions().contains("17"));
}

TEST_F(TerminalUsers, AcceptingEverySuggestionAboveASimilarityMapsThemOnTheirDeviceEachAudited) {
    const auto amina = Person("Amina Njeri");
    const auto zoe = Person("Zoë Müller");
    Person("Brian Otieno");
    ASSERT_EQ(Upload(gate_, {{"17", "NJERI AMINA"}, {"18", "Zoe Mueller"}, {"19", "Xavier Quincy"}}).status, 200);
    Punch(gate_, "17");
    auto r = http_.Post(Path("/mapping-suggestions/accept"), json::object{{"min_similarity", 0.95}}, s_.admin_token);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto accepted = r.Json().at("accepted").as_array();
    ASSERT_EQ(accepted.size(), 1U) << r.body;
    EXPECT_EQ(accepted[0].at("user_id").as_string(), "17");
    EXPECT_EQ(accepted[0].at("person_id").as_int64(), amina);
    EXPECT_EQ(accepted[0].at("device_id").as_int64(), gate_);
    EXPECT_EQ(accepted[0].at("scope").as_string(), "device");
    const auto lines = Audit("mapping");
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0].at("action").as_string(), "create");
    EXPECT_EQ(lines[0].at("person_id").as_int64(), amina);
    EXPECT_EQ(lines[0].at("by").as_string(), "root@example.org");
    EXPECT_NE(std::string(lines[0].at("reason").as_string()).find("accepted a name suggestion"), std::string::npos);
    EXPECT_EQ(Users(gate_).at("17").at("person_id").as_int64(), amina);
    EXPECT_TRUE(http_.Get(Path("/unmapped"), s_.admin_token).Json().at("items").as_array().empty());

    // One by one: Zoë's, as the admin picked it; a user mapped already and another school's person are skipped.
    const auto other = MakeSchool(server_, "Valley School");
    auto stranger = http_.Post(SchoolPath(other, "/people"), json::object{{"name", "Xavier Quincy"}}, s_.admin_token);
    ASSERT_EQ(stranger.status, 201);
    r = http_.Post(Path("/mapping-suggestions/accept"),
                   json::object{{"items",
                                 json::array{json::object{{"device_id", gate_}, {"user_id", "18"}, {"person_id", zoe}},
                                             json::object{{"device_id", gate_}, {"user_id", "17"}, {"person_id", zoe}},
                                             json::object{{"device_id", gate_},
                                                          {"user_id", "19"},
                                                          {"person_id", stranger.Json().at("id").as_int64()}}}}},
                   s_.admin_token);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json().at("accepted").as_array().size(), 1U);
    const auto skipped = r.Json().at("skipped").as_array();
    ASSERT_EQ(skipped.size(), 2U);
    EXPECT_EQ(skipped[0].at("user_id").as_string(), "17");
    EXPECT_EQ(skipped[0].at("reason").as_string(), "already mapped to person " + std::to_string(amina));
    EXPECT_EQ(skipped[1].at("user_id").as_string(), "19");
    EXPECT_EQ(skipped[1].at("reason").as_string(), "person_id: no such person in this school");
    EXPECT_EQ(Audit("mapping").size(), 2U);
    EXPECT_EQ(http_.Post(Path("/mapping-suggestions/accept"), json::object{}, s_.admin_token).status, 400);
    EXPECT_EQ(
        http_.Post(Path("/mapping-suggestions/accept"), json::object{{"min_similarity", 1.5}}, s_.admin_token).status,
        400);
}

TEST_F(TerminalUsers, PeopleAreMadeOfATerminalsUsersInOneStepEachAuditedAndWhoCannotBeIsSaidWhy) {
    const auto amina = Person("Amina Njeri");
    ASSERT_EQ(Upload(gate_, {{"17", "Amina Njeri"}, {"30", " Grace Wanjiru "}, {"31", ""}, {"32", "Mr Kamau"}}).status,
              200);
    Map("17", amina, gate_);
    Punch(gate_, "30");
    Punch(gate_, "40");  // punched, but not in the terminal's table
    auto r = http_.Post(
        DevicePath(gate_) + "/users/create-people",
        json::object{
            {"user_ids", json::array{"30", "31", "17", "40", "99", 32, "30"}}, {"kind", "staff"}, {"group", "Office"}},
        s_.admin_token);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto report = r.Json();
    const auto& created = report.at("created").as_array();
    ASSERT_EQ(created.size(), 2U) << r.body;
    EXPECT_EQ(created[0].at("user_id").as_string(), "30");
    EXPECT_EQ(created[0].at("person").at("name").as_string(), "Grace Wanjiru");
    EXPECT_EQ(created[0].at("person").at("kind").as_string(), "staff");
    EXPECT_EQ(created[0].at("person").at("group").as_string(), "Office");
    EXPECT_EQ(created[0].at("person").at("active_from").as_string(), "2026-03-12") << "today, as for any new person";
    EXPECT_EQ(created[0].at("mapping").at("device_id").as_int64(), gate_);
    EXPECT_EQ(created[0].at("mapping").at("person_id"), created[0].at("person").at("id"));
    EXPECT_EQ(created[1].at("person").at("name").as_string(), "Mr Kamau");
    std::map<std::string, std::string> why;
    for (const auto& s : report.at("skipped").as_array()) {
        why[std::string(s.at("user_id").as_string())] += std::string(s.at("reason").as_string());
    }
    EXPECT_EQ(why.at("31"), "the terminal holds no name for this user");
    EXPECT_EQ(why.at("17"), "already mapped to person " + std::to_string(amina));
    EXPECT_EQ(why.at("40"), "the terminal holds no name for this user");
    EXPECT_EQ(why.at("99"), "not a user of this device");
    EXPECT_EQ(why.at("30"), "listed twice");
    EXPECT_EQ(why.size(), 5U);
    // Every person and every mapping has its audit line, saying where it came from.
    const auto people = Audit("person");
    ASSERT_EQ(people.size(), 3U) << "Amina, then the two created here";
    for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(people[i].at("action").as_string(), "create");
        EXPECT_NE(std::string(people[i].at("reason").as_string()).find("Old gate"), std::string::npos);
    }
    const auto mappings = Audit("mapping");
    ASSERT_EQ(mappings.size(), 3U) << "Amina's by hand, then the two created here";
    EXPECT_EQ(mappings[0].at("person_id").as_int64(), created[1].at("person").at("id").as_int64());
    // The punches of user 30 count for Grace now (R7): the inbox no longer lists her.
    const auto inbox = http_.Get(Path("/unmapped"), s_.admin_token).Json();
    for (const auto& u : inbox.at("items").as_array()) {
        EXPECT_NE(u.at("user_id").as_string(), "30");
    }
}

TEST_F(TerminalUsers, PeopleAreMadeOnlyOfThisSchoolsDevicesAndOnlyFromAUsableRequest) {
    const auto other = MakeSchool(server_, "Valley School");
    const auto valley_gate = AgentDevice(other, "Valley gate");
    const auto valley_token = AgentToken(other);
    ASSERT_EQ(Upload(valley_gate, {{"5", "Chen Li"}}, valley_token).status, 200);
    const json::object body{{"user_ids", json::array{"5"}}};
    EXPECT_EQ(http_.Post(DevicePath(valley_gate) + "/users/create-people", body, s_.admin_token).status, 404)
        << "another school's device, through this school";
    EXPECT_EQ(http_.Get(DevicePath(valley_gate) + "/users", s_.admin_token).status, 404);
    EXPECT_EQ(
        http_
            .Post(DevicePath(gate_) + "/users/create-people", json::object{{"user_ids", json::array{}}}, s_.admin_token)
            .status,
        400);
    EXPECT_EQ(http_
                  .Post(DevicePath(gate_) + "/users/create-people",
                        json::object{{"user_ids", json::array{"5"}}, {"kind", "parent"}},
                        s_.admin_token)
                  .status,
              400);
    EXPECT_TRUE(Audit("person").empty());
    auto valley_people = http_.Get(SchoolPath(other, "/people"), s_.admin_token).Json().at("items").as_array();
    EXPECT_TRUE(valley_people.empty());
}

}  // namespace
}  // namespace rollcall::test
