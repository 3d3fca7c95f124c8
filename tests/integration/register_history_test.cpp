// The record's past (issue 11): everyday administration (a device added or switched back on, a student added
// mid-year, windows that leave a punch out, a class's settings removed) never rewrites what the register, the
// reports and the school's gateway already said. Real HTTP, the real recompute worker, a real gateway.

#include "integration/school_test.hpp"
#include "support/webhook_receiver.hpp"

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

// The fixed clock says 2026-03-12 10:00 UTC: 13:00 in Nairobi, a Thursday. MakeSchool's "Main gate" is added now.

class RegisterHistory : public SchoolTest {
protected:
    WebhookReceiver gateway_;

    void SetUp() override {
        auto r = http_.Post(Path("/webhooks"), json::object{{"url", gateway_.Url()}}, s_.admin_token);
        ASSERT_EQ(r.status, 201) << r.body;
    }
    void Push(const std::vector<std::pair<std::string, std::string>>& punches) {
        auto r = http_.Post("/api/v1/biometric/push-log", PushLogBody(punches), s_.device_token);
        ASSERT_EQ(r.status, 200) << r.body;
    }
    /// What the worker threads do, run here so the test knows when it is done.
    void Process() {
        ASSERT_TRUE(server_.app().recompute().Sweep());
        ASSERT_TRUE(server_.app().recompute().RunPending());
        ASSERT_TRUE(server_.app().webhooks().DeliverDue());
    }
    json::object Get(const std::string& rest) {
        auto r = http_.Get(Path(rest), s_.admin_token);
        EXPECT_EQ(r.status, 200) << rest << ": " << r.body;
        return r.Json().as_object();
    }
    json::object Row(const std::string& date, std::int64_t person) {
        const auto reg = Get("/attendance?date=" + date);
        for (const auto& row : reg.at("rows").as_array()) {
            if (row.at("person_id").as_int64() == person) {
                return row.as_object();
            }
        }
        ADD_FAILURE() << "no row for person " << person << " on " << date;
        return {};
    }
    /// "type:name" of every event the gateway received, in order.
    std::vector<std::string> Events() const {
        std::vector<std::string> out;
        for (const auto& r : gateway_.Received()) {
            const auto doc = r.Json();
            out.push_back(std::string(doc.at("type").as_string()) + ":" +
                          std::string(doc.at("person").at("name").as_string()));
        }
        return out;
    }
    /// How many deliveries the school's log holds.
    std::size_t Deliveries() {
        return http_.Get(Path("/webhooks/deliveries"), s_.admin_token).Json().at("items").as_array().size();
    }
    void PatchDeviceStatus(std::int64_t device, const std::string& status) {
        const auto r = http_.Patch(DevicePath(device), json::object{{"status", status}}, s_.admin_token);
        ASSERT_EQ(r.status, 200) << r.body;
    }
};

TEST_F(RegisterHistory, AddingADeviceTodayLeavesMarchFinalAndSendsNoEvent) {
    Rules({{"school_start_time", "08:00"}});
    const auto amina = Person("Amina");
    const auto brian = Person("Brian");
    Map("1", amina);
    Map("2", brian);
    Push({{"1", "2026-03-10 07:55:00"}, {"1", "2026-03-12 07:50:00"}});
    Process();
    const auto march = Get("/reports/absent?from=2026-03-01&to=2026-03-12");
    ASSERT_FALSE(march.at("rows").as_array().empty());
    ASSERT_TRUE(Get("/attendance?date=2026-03-12").at("final").as_bool());
    ASSERT_EQ(Row("2026-03-12", brian).at("status").as_string(), "absent");
    const auto events = Events();
    const auto told = Deliveries();
    ASSERT_EQ(events, (std::vector<std::string>{"arrival:Amina", "absent:Brian"}));

    // The admin adds the old terminal for the agent to read; nobody has read it yet.
    auto added =
        http_.Post(Path("/devices"),
                   json::object{{"name", "Old gate"}, {"sync_mode", "agent"}, {"ip", "192.0.2.10"}, {"port", 4370}},
                   s_.admin_token);
    ASSERT_EQ(added.status, 201) << added.body;

    EXPECT_EQ(Get("/reports/absent?from=2026-03-01&to=2026-03-12"), march) << "March's absentees are still absent";
    const auto today = Get("/attendance?date=2026-03-12");
    EXPECT_TRUE(today.at("final").as_bool());
    EXPECT_EQ(json::serialize(today.at("warnings")).find("Old gate"), std::string::npos)
        << "today was final before the device came: nothing waits for it";
    EXPECT_EQ(Row("2026-03-12", brian).at("status").as_string(), "absent");
    EXPECT_EQ(Row("2026-03-10", brian).at("status").as_string(), "absent");
    Process();
    EXPECT_EQ(Events(), events) << "no correction, and never a pending";
    EXPECT_EQ(Deliveries(), told);
    // Tomorrow the new device is one of the school's: its silence holds Friday's absences back (R16).
    server_.clock().Advance(std::int64_t{24} * 3600);
    s_.admin_token = server_.SuperAdminToken();
    Push({});
    const auto friday = Get("/attendance?date=2026-03-13");
    EXPECT_FALSE(friday.at("final").as_bool());
    EXPECT_EQ(friday.at("silent_devices").as_array().size(), 1U);
    EXPECT_EQ(Get("/reports/absent?from=2026-03-01&to=2026-03-12"), march);
}

// R16: a gate that was switched off while the day was decided does not reopen it when it is switched back on.
TEST_F(RegisterHistory, SwitchingAGateBackOnLeavesTheDayItMissedFinal) {
    Rules({{"school_start_time", "08:00"}});  // cutoff 10:00
    const auto amina = Person("Amina");
    Map("1", amina);
    auto back =
        http_.Post(Path("/devices"), json::object{{"name", "Back gate"}, {"sync_mode", "push"}}, s_.admin_token);
    ASSERT_EQ(back.status, 201) << back.body;
    const auto back_id = back.Json().at("id").as_int64();

    server_.clock().Advance(std::int64_t{24} * 3600);  // Friday 13:00: both gates existed before Friday's cutoff
    s_.admin_token = server_.SuperAdminToken();
    Push({});
    ASSERT_EQ(Row("2026-03-13", amina).at("status").as_string(), "pending") << "the back gate is silent";
    PatchDeviceStatus(back_id, "inactive");  // broken: not waited for (operations.md)
    ASSERT_EQ(Row("2026-03-13", amina).at("status").as_string(), "absent");
    Process();
    const auto events = Events();
    ASSERT_EQ(events, std::vector<std::string>{"absent:Amina"});

    PatchDeviceStatus(back_id, "active");  // repaired, not yet heard from
    EXPECT_TRUE(Get("/attendance?date=2026-03-13").at("final").as_bool());
    EXPECT_EQ(Row("2026-03-13", amina).at("status").as_string(), "absent");
    Process();
    EXPECT_EQ(Events(), events);
    // Saturday is a new day: the repaired gate is waited for again.
    server_.clock().Advance(std::int64_t{24} * 3600);
    s_.admin_token = server_.SuperAdminToken();
    Push({});
    const auto saturday = Get("/attendance?date=2026-03-14");
    EXPECT_FALSE(saturday.at("final").as_bool());
    EXPECT_EQ(saturday.at("silent_devices").as_array().size(), 1U);
}

TEST_F(RegisterHistory, AStudentAddedTodayIsNotAbsentForLastYear) {
    auto rules = http_.Put(Path("/settings/attendance"),
                           json::object{{"effective_from", "2025-01-06"}, {"school_start_time", "08:00"}},
                           s_.admin_token);
    ASSERT_EQ(rules.status, 200) << rules.body;
    auto created = http_.Post(
        Path("/people"),
        json::object{{"name", "Zawadi"}, {"kind", "student"}, {"group", "5A"}, {"active_from", "2026-03-12"}},
        s_.admin_token);
    ASSERT_EQ(created.status, 201) << created.body;
    const auto zawadi = created.Json().at("id").as_int64();
    Map("5", zawadi);
    // She came to a trial day the week before she joined: the punch is evidence.
    Push({{"5", "2026-03-05 08:10:00"}});

    const auto last_year = Row("2025-11-12", zawadi);
    EXPECT_EQ(last_year.at("status").as_string(), "not_tracked");
    EXPECT_EQ(last_year.at("status_rule").as_string(), "R8");
    EXPECT_EQ(Row("2026-03-04", zawadi).at("status").as_string(), "not_tracked");
    const auto trial = Row("2026-03-05", zawadi);
    EXPECT_EQ(trial.at("status").as_string(), "late");
    EXPECT_EQ(trial.at("in_time").as_string(), "08:10:00");
    EXPECT_EQ(Row("2026-03-12", zawadi).at("status").as_string(), "absent");

    EXPECT_TRUE(Get("/reports/absent?from=2025-03-12&to=2026-03-11").at("rows").as_array().empty());
    const auto year = Get("/reports/summary?from=2025-03-12&to=2026-03-11").at("rows").as_array();
    ASSERT_EQ(year.size(), 1U);
    // Name, Kind, Group, School days, Present, Late, Absent, Excused, Pending, Attendance %
    EXPECT_EQ(year[0].as_array()[3].as_string(), "0");
    EXPECT_EQ(year[0].as_array()[6].as_string(), "0");
    EXPECT_EQ(year[0].as_array()[9].as_string(), "");
    const auto today = Get("/reports/summary?from=2026-03-12&to=2026-03-12").at("rows").as_array();
    EXPECT_EQ(today[0].as_array()[3].as_string(), "1");
    Process();
    EXPECT_EQ(Events(), std::vector<std::string>{"absent:Zawadi"}) << "only today's absence, never last year's";
}

TEST_F(RegisterHistory, AChildWhoPunchedAfterTheInWindowIsShownAndNeverAnnouncedAbsent) {
    Rules({{"school_start_time", "08:00"},
           {"in_window", json::object{{"start", "06:00"}, {"end", "09:30"}}},
           {"out_window", json::object{{"start", "15:00"}, {"end", "18:00"}}}});
    const auto amina = Person("Amina");
    const auto brian = Person("Brian");
    Map("1", amina);
    Map("2", brian);
    Push({{"1", "2026-03-12 11:30:00"}});

    auto row = Row("2026-03-12", amina);
    EXPECT_EQ(row.at("status").as_string(), "absent") << "the guide's rule stays the default";
    EXPECT_EQ(json::serialize(row.at("flags")), R"(["outside_window"])");
    EXPECT_EQ(json::serialize(row.at("outside_window_times")), R"(["11:30:00"])");
    Process();
    EXPECT_EQ(Events(), std::vector<std::string>{"absent:Brian"}) << "Amina came: no absent for her";

    // The school chooses to count a punch between the windows as a late arrival.
    Rules({{"school_start_time", "08:00"},
           {"in_window", json::object{{"start", "06:00"}, {"end", "09:30"}}},
           {"out_window", json::object{{"start", "15:00"}, {"end", "18:00"}}},
           {"late_after_in_window", true}});
    row = Row("2026-03-12", amina);
    EXPECT_EQ(row.at("status").as_string(), "late");
    EXPECT_EQ(row.at("in_time").as_string(), "11:30:00");
    EXPECT_EQ(row.at("late_minutes").as_int64(), 210);
    EXPECT_EQ(json::serialize(row.at("flags")), R"(["after_in_window"])");
    // Today was final before the change; it stays so, and Brian stays absent rather than pending.
    EXPECT_EQ(Row("2026-03-12", brian).at("status").as_string(), "absent");
    Process();
    EXPECT_EQ(Events(), (std::vector<std::string>{"absent:Brian", "arrival:Amina", "late:Amina"}));
    auto settings = Get("/settings/attendance");
    EXPECT_TRUE(settings.at("late_after_in_window").as_bool());
}

// R21: the settings answer says where its values come from, and a class's own settings can be removed.
TEST_F(RegisterHistory, AnUnknownGroupsSettingsSayTheyAreTheSchoolsAndAClassCanInheritAgain) {
    Rules({{"school_start_time", "08:00"}});
    for (const auto& [query, start] : {std::pair{"?group=1A", "09:00"}, {"?kind=staff", "07:30"}}) {
        auto r = http_.Put(Path(std::string("/settings/attendance") + query),
                           json::object{{"effective_from", "2026-01-01"}, {"school_start_time", start}},
                           s_.admin_token);
        ASSERT_EQ(r.status, 200) << r.body;
    }
    const auto nope = Get("/settings/attendance?group=NOPE");
    EXPECT_EQ(nope.at("scope").as_string(), "school");
    EXPECT_EQ(nope.at("requested_scope").as_string(), "group:NOPE");
    EXPECT_EQ(json::serialize(nope.at("scopes")), R"(["school","group:1A","kind:staff"])");
    EXPECT_EQ(json::serialize(nope.at("warnings")),
              R"j(["group:NOPE has no settings of its own in force: these are the school's (R21)"])j");
    EXPECT_EQ(Get("/settings/attendance?group=1A").at("scope").as_string(), "group:1A");

    const auto baraka = Person("Baraka", "1A");
    Map("3", baraka);
    Push({{"3", "2026-03-12 08:45:00"}});
    ASSERT_EQ(Row("2026-03-12", baraka).at("status").as_string(), "present");  // 1A starts at 09:00
    ASSERT_EQ(http_.Delete(Path("/settings/attendance?group=1A"), s_.admin_token).status, 204);
    EXPECT_EQ(Row("2026-03-12", baraka).at("status").as_string(), "late");  // the school's 08:00 again
    const auto after = Get("/settings/attendance?group=1A");
    EXPECT_EQ(after.at("scope").as_string(), "school");
    EXPECT_EQ(json::serialize(after.at("scopes")), R"(["school","kind:staff"])");
    const auto line = Get("/audit").at("items").as_array().at(0);
    EXPECT_EQ(line.at("entity").as_string(), "settings");
    EXPECT_EQ(line.at("action").as_string(), "delete");
    EXPECT_EQ(line.at("old").at("scope").as_string(), "group:1A");
    EXPECT_EQ(line.at("old").at("versions").as_array().at(0).at("school_start_time").as_string(), "09:00");

    EXPECT_EQ(http_.Delete(Path("/settings/attendance?group=1A"), s_.admin_token).status, 404);
    EXPECT_EQ(http_.Delete(Path("/settings/attendance"), s_.admin_token).status, 400);
    EXPECT_EQ(Get("/settings/attendance").at("school_start_time").as_string(), "08:00");
}

}  // namespace
}  // namespace rollcall::test
