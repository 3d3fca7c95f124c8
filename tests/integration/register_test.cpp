// Punches pushed over HTTP turn into the register: mappings (R6, R7), statuses (R14), finality (R16).

#include "integration/school_test.hpp"

#include <algorithm>

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

class Register : public SchoolTest {
protected:
    void Push(const std::string& token, const std::vector<std::pair<std::string, std::string>>& punches) {
        auto r = http_.Post("/api/v1/biometric/push-log", PushLogBody(punches), token);
        ASSERT_EQ(r.status, 200) << r.body;
    }
    /// The audit lines about one kind of object, newest first (setting up people and devices is audited too).
    json::array Audit(const std::string& entity) {
        json::array out;
        const auto trail = http_.Get(Path("/audit"), s_.admin_token).Json();
        for (const auto& line : trail.at("items").as_array()) {
            if (line.at("entity").as_string() == entity) {
                out.push_back(line);
            }
        }
        return out;
    }
    json::object Row(const std::string& date, std::int64_t person) {
        auto r = http_.Get(Path("/attendance?date=" + date), s_.admin_token);
        EXPECT_EQ(r.status, 200) << r.body;
        const auto doc = r.Json();
        for (const auto& row : doc.at("rows").as_array()) {
            if (row.at("person_id").as_int64() == person) {
                return row.as_object();
            }
        }
        ADD_FAILURE() << "no row for person " << person;
        return {};
    }
};

TEST_F(Register, LatePresentAbsentAndNotTracked) {
    server_.clock().Advance(std::int64_t{5} * 3600);  // 18:00 in Nairobi: the 16:05 punch is in the past (R4)
    Rules({{"school_start_time", "08:00"}, {"grace_minutes", 10}});
    const auto amina = Person("Amina");
    const auto brian = Person("Brian");
    const auto chao = Person("Chao");
    const auto dana = Person("Dana");  // never mapped
    Map("1", amina);
    Map("2", brian);
    Map("3", chao);
    Push(s_.device_token, {{"1", "2026-03-12 07:55:00"}, {"2", "2026-03-12 08:10:01"}, {"1", "2026-03-12 16:05:00"}});

    auto a = Row("2026-03-12", amina);
    EXPECT_EQ(a.at("status").as_string(), "present");
    EXPECT_EQ(a.at("in_time").as_string(), "07:55:00");
    EXPECT_EQ(a.at("out_time").as_string(), "16:05:00");
    auto b = Row("2026-03-12", brian);
    EXPECT_EQ(b.at("status").as_string(), "late");
    EXPECT_EQ(b.at("late_minutes").as_int64(), 11);
    EXPECT_EQ(Row("2026-03-12", chao).at("status").as_string(), "absent");
    EXPECT_EQ(Row("2026-03-12", dana).at("status").as_string(), "not_tracked");
}

TEST_F(Register, R7_MappingLaterMakesPastPunchesCount) {
    Rules({{"school_start_time", "08:00"}});
    const auto amina = Person("Amina");
    Push(s_.device_token, {{"41", "2026-02-02 07:50:00"}});
    auto unmapped = http_.Get(Path("/unmapped"), s_.admin_token).Json().at("items").as_array();
    ASSERT_EQ(unmapped.size(), 1U);
    EXPECT_EQ(unmapped[0].at("user_id").as_string(), "41");
    EXPECT_EQ(unmapped[0].at("punches").as_int64(), 1);
    EXPECT_EQ(Row("2026-02-02", amina).at("status").as_string(), "not_tracked");

    Map("41", amina);
    EXPECT_EQ(Row("2026-02-02", amina).at("status").as_string(), "present");
    EXPECT_TRUE(http_.Get(Path("/unmapped"), s_.admin_token).Json().at("items").as_array().empty());
    auto users = http_.Get(Path("/devices/" + std::to_string(s_.device_id) + "/users"), s_.admin_token);
    EXPECT_EQ(users.Json().at("items").as_array()[0].at("person_id").as_int64(), amina);

    // Removing the mapping removes its effect (R7).
    auto mappings = http_.Get(Path("/mappings"), s_.admin_token).Json().at("items").as_array();
    ASSERT_EQ(http_.Delete(Path("/mappings/" + std::to_string(mappings[0].at("id").as_int64())), s_.admin_token).status,
              204);
    EXPECT_EQ(Row("2026-02-02", amina).at("status").as_string(), "not_tracked");
}

TEST_F(Register, R6_DeviceMappingBeatsSchoolWideMapping) {
    auto second =
        http_.Post(Path("/devices"), json::object{{"name", "Back gate"}, {"sync_mode", "push"}}, s_.admin_token);
    const auto back_id = second.Json().at("id").as_int64();
    const std::string back_token(second.Json().at("api_token").as_string());
    const auto amina = Person("Amina");
    const auto brian = Person("Brian");
    Map("7", amina);           // user 7 everywhere is Amina...
    Map("7", brian, back_id);  // ...except on the back gate, where 7 is Brian
    Push(s_.device_token, {{"7", "2026-03-12 07:40:00"}});
    Push(back_token, {{"7", "2026-03-12 07:45:00"}});
    EXPECT_EQ(Row("2026-03-12", amina).at("in_time").as_string(), "07:40:00");
    EXPECT_EQ(Row("2026-03-12", brian).at("in_time").as_string(), "07:45:00");
    // The same user on the same device cannot be mapped twice.
    EXPECT_EQ(
        http_.Post(Path("/mappings"), json::object{{"user_id", "7"}, {"person_id", amina}}, s_.admin_token).status,
        409);
}

TEST_F(Register, R16_SilentDeviceKeepsAbsencesPendingAndIsNamed) {
    Rules({{"school_start_time", "08:00"}});
    const auto amina = Person("Amina");
    Map("1", amina);
    // The device has never been heard from: nobody can be declared absent.
    auto r = http_.Get(Path("/attendance?date=2026-03-12"), s_.admin_token).Json().as_object();
    EXPECT_FALSE(r.at("final").as_bool());
    EXPECT_EQ(r.at("rows").as_array()[0].at("status").as_string(), "pending");
    ASSERT_EQ(r.at("silent_devices").as_array().size(), 1U);
    EXPECT_EQ(r.at("silent_devices").as_array()[0].at("name").as_string(), "Main gate");
    EXPECT_NE(json::serialize(r.at("warnings")).find("Main gate"), std::string::npos);
    // A push (even an empty one) after the cutoff proves the device is alive: now absence is final.
    Push(s_.device_token, {});
    EXPECT_EQ(Row("2026-03-12", amina).at("status").as_string(), "absent");
}

// R16 waits for every active device, not for the school as a whole: one gate heard from says nothing about the
// punches another gate may still hold. Thursday the main gate is heard from and the back gate is silent; on
// Friday it is the other way round, so a watermark that skips the first or the last device is caught either way.
TEST_F(Register, R16_OneSilentDeviceOfTwoKeepsAbsencesPendingAndIsTheOneNamed) {
    Rules({{"school_start_time", "08:00"}});  // cutoff 10:00; it is 13:00
    const auto amina = Person("Amina");
    Map("1", amina);
    auto back =
        http_.Post(Path("/devices"), json::object{{"name", "Back gate"}, {"sync_mode", "push"}}, s_.admin_token);
    ASSERT_EQ(back.status, 201) << back.body;
    const std::string back_token(back.Json().at("api_token").as_string());
    auto day = [&](const std::string& date) {
        auto r = http_.Get(Path("/attendance?date=" + date), s_.admin_token);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.Json().as_object();
    };
    auto silent = [](const json::object& reg) {
        std::vector<std::string> names;
        for (const auto& d : reg.at("silent_devices").as_array()) {
            names.emplace_back(d.at("name").as_string());
        }
        return names;
    };

    Push(s_.device_token, {});
    auto thursday = day("2026-03-12");
    EXPECT_FALSE(thursday.at("final").as_bool());
    EXPECT_EQ(thursday.at("rows").as_array()[0].at("status").as_string(), "pending");
    EXPECT_EQ(silent(thursday), std::vector<std::string>{"Back gate"});
    EXPECT_NE(json::serialize(thursday.at("warnings")).find("Back gate"), std::string::npos);

    server_.clock().Advance(std::int64_t{24} * 3600);  // Friday 13:00
    s_.admin_token = server_.SuperAdminToken();        // yesterday's login has expired
    Push(back_token, {});
    thursday = day("2026-03-12");  // both gates were heard from after Thursday's cutoff
    EXPECT_TRUE(thursday.at("final").as_bool());
    EXPECT_TRUE(silent(thursday).empty());
    EXPECT_EQ(Row("2026-03-12", amina).at("status").as_string(), "absent");
    auto friday = day("2026-03-13");  // the main gate has not been heard from since Thursday
    EXPECT_FALSE(friday.at("final").as_bool());
    EXPECT_EQ(friday.at("rows").as_array()[0].at("status").as_string(), "pending");
    EXPECT_EQ(silent(friday), std::vector<std::string>{"Main gate"});

    // operations.md "Troubleshooting": a gate taken out of use is set inactive, and is waited for no more.
    PatchDevice(s_.device_id, {{"status", "inactive"}});
    friday = day("2026-03-13");
    EXPECT_TRUE(friday.at("final").as_bool());
    EXPECT_TRUE(silent(friday).empty());
    EXPECT_EQ(Row("2026-03-13", amina).at("status").as_string(), "absent");
}

TEST_F(Register, BeforeTheCutoffNobodyIsAbsent) {
    Rules({{"school_start_time", "12:30"}, {"absent_after_minutes", 60}});  // cutoff 13:30, now 13:00
    const auto amina = Person("Amina");
    Map("1", amina);
    Push(s_.device_token, {});
    EXPECT_EQ(Row("2026-03-12", amina).at("status").as_string(), "pending");
    server_.clock().Advance(std::int64_t{31} * 60);
    Push(s_.device_token, {});
    EXPECT_EQ(Row("2026-03-12", amina).at("status").as_string(), "absent");
}

TEST_F(Register, R14_2_HolidaysAndWeekendsShowPunchesButAreHolidays) {
    Rules({{"school_start_time", "08:00"}});
    const auto amina = Person("Amina");
    Map("1", amina);
    ASSERT_EQ(
        http_.Post(Path("/holidays"), json::object{{"date", "2026-03-11"}, {"name", "Sports day off"}}, s_.admin_token)
            .status,
        201);
    Push(s_.device_token, {{"1", "2026-03-11 09:00:00"}, {"1", "2026-03-14 09:00:00"}});
    auto holiday = Row("2026-03-11", amina);
    EXPECT_EQ(holiday.at("status").as_string(), "holiday");
    EXPECT_EQ(holiday.at("in_time").as_string(), "09:00:00");
    EXPECT_EQ(Row("2026-03-14", amina).at("status").as_string(), "holiday");  // a Saturday
}

TEST_F(Register, R15_NoStartTimeMeansNobodyIsLateAndTheRegisterSaysSo) {
    const auto amina = Person("Amina");
    Map("1", amina);
    Push(s_.device_token, {{"1", "2026-03-12 11:00:00"}});
    auto r = http_.Get(Path("/attendance?date=2026-03-12"), s_.admin_token).Json().as_object();
    EXPECT_EQ(r.at("rows").as_array()[0].at("status").as_string(), "present");
    EXPECT_NE(json::serialize(r.at("warnings")).find("no school start time"), std::string::npos);
}

TEST_F(Register, ExplainCitesTheRules) {
    server_.clock().Advance(std::int64_t{5} * 3600);  // 18:00 in Nairobi: every punch below is in the past (R4)
    Rules({{"school_start_time", "08:00"},
           {"in_window", json::object{{"start", "06:00"}, {"end", "09:30"}}},
           {"out_window", json::object{{"start", "15:00"}, {"end", "18:00"}}}});
    const auto amina = Person("Amina");
    Map("1", amina);
    Push(s_.device_token,
         {{"1", "2026-03-12 07:30:00"},
          {"1", "2026-03-12 07:31:00"},
          {"1", "2026-03-12 12:00:00"},
          {"1", "2026-03-12 16:00:00"}});
    auto r = http_.Get(Path("/attendance/" + std::to_string(amina) + "/2026-03-12/explain"), s_.admin_token);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto punches = r.Json().at("punches").as_array();
    ASSERT_EQ(punches.size(), 4U);
    EXPECT_EQ(punches[0].at("used_as").as_string(), "in");
    EXPECT_EQ(punches[0].at("rule").as_string(), "R11");
    EXPECT_TRUE(punches[1].at("used_as").is_null());
    EXPECT_EQ(punches[2].at("note").as_string(), "outside_window");
    EXPECT_EQ(punches[3].at("used_as").as_string(), "out");
    EXPECT_EQ(r.Json().at("status_rule").as_string(), "R14.5");
    EXPECT_EQ(http_.Get(Path("/attendance/999/2026-03-12/explain"), s_.admin_token).status, 404);
}

TEST_F(Register, InactivePersonIsNotCounted) {
    Rules({{"school_start_time", "08:00"}});
    auto p = http_.Post(Path("/people"),
                        json::object{{"name", "Left"}, {"active_from", "2026-01-05"}, {"active_to", "2026-02-28"}},
                        s_.admin_token);
    const auto id = p.Json().at("id").as_int64();
    Map("1", id);
    Push(s_.device_token, {{"1", "2026-03-12 07:30:00"}, {"1", "2026-02-27 07:30:00"}});
    EXPECT_EQ(Row("2026-03-12", id).at("status").as_string(), "not_tracked");
    EXPECT_EQ(Row("2026-02-27", id).at("status").as_string(), "present");
}

TEST_F(Register, DateIsRequiredAndValidated) {
    EXPECT_EQ(http_.Get(Path("/attendance"), s_.admin_token).status, 400);
    EXPECT_EQ(http_.Get(Path("/attendance?date=2026-13-01"), s_.admin_token).status, 400);
}

TEST_F(Register, R19_OverrideIsALayerThatSurvivesRecomputationAndClearingRestores) {
    Rules({{"school_start_time", "08:00"}});
    const auto amina = Person("Amina");
    Map("1", amina);
    Push(s_.device_token, {});
    ASSERT_EQ(Row("2026-03-12", amina).at("status").as_string(), "absent");

    auto created = Override(amina, "2026-03-12", "excused", "hospital appointment, note from parent");
    ASSERT_EQ(created.status, 201) << created.body;
    const auto override_id = created.Json().at("id").as_int64();
    auto row = Row("2026-03-12", amina);
    EXPECT_EQ(row.at("status").as_string(), "excused");
    EXPECT_EQ(row.at("status_rule").as_string(), "R14.1");
    EXPECT_EQ(row.at("override").at("computed").at("status").as_string(), "absent");  // kept beside it

    // New punches recompute the day; the override stays on top.
    Push(s_.device_token, {{"1", "2026-03-12 10:30:00"}});
    row = Row("2026-03-12", amina);
    EXPECT_EQ(row.at("status").as_string(), "excused");
    EXPECT_EQ(row.at("override").at("computed").at("status").as_string(), "late");

    ASSERT_EQ(http_.Delete(Path("/overrides/" + std::to_string(override_id)), s_.admin_token).status, 204);
    row = Row("2026-03-12", amina);
    EXPECT_EQ(row.at("status").as_string(), "late");
    EXPECT_TRUE(row.at("override").is_null());
    EXPECT_EQ(http_.Delete(Path("/overrides/" + std::to_string(override_id)), s_.admin_token).status, 404);

    // The audit trail: who, when, old, new, why.
    auto audit = Audit("override");
    ASSERT_EQ(audit.size(), 2U);
    EXPECT_EQ(audit[0].at("action").as_string(), "delete");
    EXPECT_EQ(audit[0].at("old").at("status").as_string(), "excused");
    EXPECT_TRUE(audit[0].at("new").is_null());
    EXPECT_EQ(audit[1].at("action").as_string(), "create");
    EXPECT_TRUE(audit[1].at("old").is_null());
    EXPECT_EQ(audit[1].at("new").at("status").as_string(), "excused");
    EXPECT_EQ(audit[1].at("reason").as_string(), "hospital appointment, note from parent");
    EXPECT_EQ(audit[1].at("at").as_string(), "2026-03-12T10:00:00Z");
    EXPECT_GT(audit[1].at("user_id").as_int64(), 0);
}

TEST_F(Register, R19_APersonWithAnOverrideIsDeactivatedNotDeletedAndTheOverrideStays) {
    Rules({{"school_start_time", "08:00"}});
    const auto amina = Person("Amina");
    Map("7", amina);
    // No punch of hers at all: the override alone is history.
    auto created = Override(amina, "2026-03-11", "excused", "clinic visit");
    ASSERT_EQ(created.status, 201) << created.body;
    const auto trail = http_.Get(Path("/audit"), s_.admin_token).Json().at("items").as_array().size();

    const auto refused = http_.Delete(Path("/people/" + std::to_string(amina)), s_.admin_token);

    ASSERT_EQ(refused.status, 409) << refused.body;
    EXPECT_EQ(refused.Json().at("error").at("code").as_string(), "conflict");
    EXPECT_NE(std::string(refused.Json().at("error").at("message").as_string()).find("(1 override); set active_to"),
              std::string::npos)
        << refused.body;
    // The override and the register it decided stay, and the trail has nothing new.
    const auto row = Row("2026-03-11", amina);
    EXPECT_EQ(row.at("status").as_string(), "excused");
    EXPECT_EQ(row.at("override").at("reason").as_string(), "clinic visit");
    EXPECT_EQ(http_.Get(Path("/audit"), s_.admin_token).Json().at("items").as_array().size(), trail);
    EXPECT_EQ(http_.Get(Path("/mappings"), s_.admin_token).Json().at("items").as_array().size(), 1U);

    // What the message says works: she is deactivated from tomorrow, and 11 March still shows the override.
    ASSERT_EQ(
        http_.Patch(Path("/people/" + std::to_string(amina)), json::object{{"active_to", "2026-03-12"}}, s_.admin_token)
            .status,
        200);
    EXPECT_EQ(Row("2026-03-11", amina).at("status").as_string(), "excused");
}

TEST_F(Register, R19_OverrideTimesAndReplacement) {
    Rules({{"school_start_time", "08:00"}});
    const auto amina = Person("Amina");
    Map("1", amina);
    Push(s_.device_token, {{"1", "2026-03-12 08:20:00"}});
    const json::object first{{"person_id", amina},
                             {"date", "2026-03-12"},
                             {"status", "present"},
                             {"in_time", "07:58"},
                             {"reason", "gate reader was slow; teacher saw her at 07:58"}};
    ASSERT_EQ(http_.Post(Path("/overrides"), first, s_.admin_token).status, 201);
    auto row = Row("2026-03-12", amina);
    EXPECT_EQ(row.at("status").as_string(), "present");
    EXPECT_EQ(row.at("in_time").as_string(), "07:58:00");
    EXPECT_EQ(row.at("late_minutes").as_int64(), 0);
    EXPECT_EQ(row.at("override").at("computed").at("in_time").as_string(), "08:20:00");

    json::object second = first;
    second["status"] = "late";
    second.erase("in_time");
    second["reason"] = "changed my mind";
    ASSERT_EQ(http_.Post(Path("/overrides"), second, s_.admin_token).status, 201);
    row = Row("2026-03-12", amina);
    EXPECT_EQ(row.at("status").as_string(), "late");
    EXPECT_EQ(row.at("in_time").as_string(), "08:20:00");  // no override time: the computed one shows
    auto audit = Audit("override");
    ASSERT_EQ(audit.size(), 2U);
    EXPECT_EQ(audit[0].at("action").as_string(), "replace");
    EXPECT_EQ(audit[0].at("old").at("status").as_string(), "present");
    EXPECT_EQ(audit[0].at("new").at("status").as_string(), "late");
    auto listed = http_.Get(Path("/overrides?date=2026-03-12"), s_.admin_token).Json().at("items").as_array();
    EXPECT_EQ(listed.size(), 1U);
}

TEST_F(Register, R19_OverrideValidation) {
    const auto amina = Person("Amina");
    auto post = [&](json::object o) { return http_.Post(Path("/overrides"), std::move(o), s_.admin_token); };
    const json::object ok{{"person_id", amina}, {"date", "2026-03-12"}, {"status", "excused"}, {"reason", "r"}};
    auto bad_status = ok;
    bad_status["status"] = "holiday";
    EXPECT_EQ(post(bad_status).status, 400);
    auto no_reason = ok;
    no_reason.erase("reason");
    EXPECT_EQ(post(no_reason).status, 400);
    auto bad_time = ok;
    bad_time["in_time"] = "25:00";
    EXPECT_EQ(post(bad_time).status, 400);
    auto stranger = ok;
    stranger["person_id"] = 999;
    EXPECT_EQ(post(stranger).status, 400);
    // Another school's admin cannot see or touch this school's overrides.
    auto other = MakeSchool(server_, "Lake School");
    const auto admin_b = server_.SchoolAdminToken(other.school_id, "head@lake.example.org");
    EXPECT_EQ(http_.Post(Path("/overrides"), ok, admin_b).status, 404);
    EXPECT_EQ(http_.Get(Path("/audit"), admin_b).status, 404);
    EXPECT_EQ(post(ok).status, 201);
}

TEST_F(Register, R4_PunchFromADeviceClockInTheFutureIsKeptButIgnored) {
    Rules({{"school_start_time", "08:00"}});
    const auto amina = Person("Amina");
    Map("1", amina);
    // Now is 13:00 in Nairobi: 13:04 is within 5 minutes, 13:06 is not.
    Push(s_.device_token, {{"1", "2026-03-12 13:06:00"}});
    EXPECT_EQ(Row("2026-03-12", amina).at("status").as_string(), "absent");
    auto explain = http_.Get(Path("/attendance/" + std::to_string(amina) + "/2026-03-12/explain"), s_.admin_token);
    const auto punches = explain.Json().at("punches").as_array();
    ASSERT_EQ(punches.size(), 1U);
    EXPECT_EQ(punches[0].at("rule").as_string(), "R4");
    Push(s_.device_token, {{"1", "2026-03-12 13:04:00"}});
    EXPECT_EQ(Row("2026-03-12", amina).at("in_time").as_string(), "13:04:00");
}

TEST_F(Register, R21_StaffAndAClassHaveTheirOwnSettings) {
    server_.clock().Advance(std::int64_t{2} * 3600);  // 15:00 in Nairobi
    Rules({{"school_start_time", "08:00"}});
    ASSERT_EQ(http_
                  .Put(Path("/settings/attendance?kind=staff"),
                       json::object{{"effective_from", "2026-01-01"}, {"school_start_time", "07:30"}},
                       s_.admin_token)
                  .status,
              200);
    auto grade1 = http_.Put(Path("/settings/attendance?group=1A"),
                            json::object{{"effective_from", "2026-01-01"}, {"school_start_time", "09:00"}},
                            s_.admin_token);
    ASSERT_EQ(grade1.status, 200) << grade1.body;
    EXPECT_EQ(grade1.Json().at("scope").as_string(), "group:1A");

    const auto teacher = Person("Mr Kamau", "", "staff");
    const auto student = Person("Amina", "5A");
    const auto little = Person("Baraka", "1A");
    Map("1", teacher);
    Map("2", student);
    Map("3", little);
    Push(s_.device_token, {{"1", "2026-03-12 07:45:00"}, {"2", "2026-03-12 07:45:00"}, {"3", "2026-03-12 08:45:00"}});
    EXPECT_EQ(Row("2026-03-12", teacher).at("status").as_string(), "late");  // staff start 07:30
    EXPECT_EQ(Row("2026-03-12", teacher).at("late_minutes").as_int64(), 15);
    EXPECT_EQ(Row("2026-03-12", student).at("status").as_string(), "present");  // school start 08:00
    EXPECT_EQ(Row("2026-03-12", little).at("status").as_string(), "present");   // class 1A starts 09:00

    auto staff = http_.Get(Path("/settings/attendance?kind=staff"), s_.admin_token).Json();
    EXPECT_EQ(staff.at("school_start_time").as_string(), "07:30");
    auto unknown_group = http_.Get(Path("/settings/attendance?group=9Z"), s_.admin_token).Json();
    EXPECT_EQ(unknown_group.at("school_start_time").as_string(), "08:00");  // falls back to the school's
    EXPECT_EQ(http_.Get(Path("/settings/attendance?kind=parent"), s_.admin_token).status, 400);
    EXPECT_EQ(http_.Get(Path("/settings/attendance?kind=staff&group=1A"), s_.admin_token).status, 400);
}

TEST_F(Register, R16_AdminCanFinalizeAnywayAfterTheCutoffAndItIsAudited) {
    Rules({{"school_start_time", "12:30"}, {"absent_after_minutes", 60}});  // cutoff 13:30; now 13:00
    const auto amina = Person("Amina");
    Map("1", amina);
    // Before the cutoff, finalizing is refused: children may still arrive.
    EXPECT_EQ(http_.Post(Path("/attendance/2026-03-12/finalize"), json::object{}, s_.admin_token).status, 409);
    server_.clock().Advance(3600);
    EXPECT_EQ(Row("2026-03-12", amina).at("status").as_string(), "pending");  // the gate reader is silent

    auto r = http_.Post(Path("/attendance/2026-03-12/finalize"), json::object{}, s_.admin_token);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.Json().at("final").as_bool());
    EXPECT_TRUE(r.Json().at("finalized_by_admin").as_bool());
    EXPECT_EQ(Row("2026-03-12", amina).at("status").as_string(), "absent");
    auto audit = Audit("day");
    ASSERT_EQ(audit.size(), 1U);
    EXPECT_EQ(audit[0].at("action").as_string(), "finalize");
    EXPECT_NE(std::string(audit[0].at("reason").as_string()).find("Main gate"), std::string::npos);
    // Another day is not affected (the 11th is final on its own: the gate was added on the 12th, R16).
    EXPECT_FALSE(
        http_.Get(Path("/attendance?date=2026-03-11"), s_.admin_token).Json().at("finalized_by_admin").as_bool());
}

TEST_F(Register, R17_APunchArrivingAfterTheDayWasFinalReopensIt) {
    Rules({{"school_start_time", "08:00"}});
    const auto amina = Person("Amina");
    Map("1", amina);
    Push(s_.device_token, {});
    ASSERT_EQ(Row("2026-03-12", amina).at("status").as_string(), "absent");
    // The gate reader was offline all morning and now uploads its backlog.
    Push(s_.device_token, {{"1", "2026-03-12 08:12:00"}});
    auto row = Row("2026-03-12", amina);
    EXPECT_EQ(row.at("status").as_string(), "late");
    EXPECT_EQ(row.at("late_minutes").as_int64(), 12);
}

TEST_F(Register, R5_ADeviceWithItsOwnZoneIsReadInThatZone) {
    server_.clock().Advance(std::int64_t{5} * 3600);  // 18:00 in Nairobi
    Rules({{"school_start_time", "08:00"}});
    // A terminal still set to London time (UTC+0 in March): Nairobi is UTC+3.
    auto d = http_.Post(Path("/devices"),
                        json::object{{"name", "Hostel gate"}, {"sync_mode", "push"}, {"timezone", "Europe/London"}},
                        s_.admin_token);
    ASSERT_EQ(d.status, 201) << d.body;
    EXPECT_EQ(d.Json().at("timezone").as_string(), "Europe/London");
    const std::string token(d.Json().at("api_token").as_string());
    const auto amina = Person("Amina");
    const auto brian = Person("Brian");
    Map("1", amina);
    Map("2", brian);
    // 05:10 London is 08:10 Nairobi: late. 22:30 London on the 11th is 01:30 Nairobi on the 12th.
    Push(token, {{"1", "2026-03-12 05:10:00"}, {"2", "2026-03-11 22:30:00"}});
    auto a = Row("2026-03-12", amina);
    EXPECT_EQ(a.at("status").as_string(), "late");
    EXPECT_EQ(a.at("in_time").as_string(), "08:10:00");
    EXPECT_EQ(Row("2026-03-12", brian).at("in_time").as_string(), "01:30:00");
    EXPECT_EQ(Row("2026-03-11", brian).at("in_time").is_null(), true);
    EXPECT_EQ(http_
                  .Patch(Path("/devices/" + std::to_string(d.Json().at("id").as_int64())),
                         json::object{{"timezone", "Moon/Base"}},
                         s_.admin_token)
                  .status,
              400);
}

TEST_F(Register, R4_AClockCorrectionMovesPunchesAndTheDaysAreRecomputed) {
    Rules({{"school_start_time", "08:00"}});
    const auto amina = Person("Amina");
    const auto brian = Person("Brian");
    Map("1", amina);
    Map("2", brian);
    // The gate reader's clock runs a day ahead: its punches are dated tomorrow and look suspect (R4).
    Push(s_.device_token, {{"1", "2026-03-13 07:50:00"}, {"2", "2026-03-13 08:20:00"}});
    EXPECT_EQ(Row("2026-03-12", amina).at("status").as_string(), "absent");
    EXPECT_EQ(Row("2026-03-13", amina).at("in_time").is_null(), true);  // suspect: left out there too

    auto created = http_.Post(Path("/clock-corrections"),
                              json::object{{"device_id", s_.device_id},
                                           {"from", "2026-03-13 00:00:00"},
                                           {"to", "2026-03-13 23:59:59"},
                                           {"offset_seconds", -86400},
                                           {"reason", "reader clock one day ahead after a power cut"}},
                              s_.admin_token);
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(Row("2026-03-12", amina).at("status").as_string(), "present");
    auto b = Row("2026-03-12", brian);
    EXPECT_EQ(b.at("status").as_string(), "late");
    EXPECT_EQ(b.at("in_time").as_string(), "08:20:00");

    auto audit = Audit("clock_correction");
    ASSERT_EQ(audit.size(), 1U);
    EXPECT_EQ(audit[0].at("action").as_string(), "create");
    ASSERT_EQ(
        http_.Delete(Path("/clock-corrections/" + std::to_string(created.Json().at("id").as_int64())), s_.admin_token)
            .status,
        204);
    EXPECT_EQ(Row("2026-03-12", amina).at("status").as_string(), "absent");

    // Validation names the field; another school's device is not found.
    auto bad = http_.Post(Path("/clock-corrections"),
                          json::object{{"device_id", s_.device_id},
                                       {"from", "2026-03-13 00:00:00"},
                                       {"to", "2026-03-12 00:00:00"},
                                       {"offset_seconds", 60},
                                       {"reason", "x"}},
                          s_.admin_token);
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("to:"), std::string::npos);
    auto other = MakeSchool(server_, "Lake School");
    EXPECT_EQ(http_
                  .Post(Path("/clock-corrections"),
                        json::object{{"device_id", other.device_id},
                                     {"from", "2026-03-13 00:00:00"},
                                     {"to", "2026-03-13 01:00:00"},
                                     {"offset_seconds", 60},
                                     {"reason", "x"}},
                        s_.admin_token)
                  .status,
              404);
}

TEST_F(Register, ByGroupAndKindWithCounts) {
    Rules({{"school_start_time", "08:00"}});
    const auto a = Person("Amina", "5A");
    const auto b = Person("Brian", "5A");
    const auto c = Person("Chao", "6B");
    const auto t = Person("Mr Kamau", "", "staff");
    Map("1", a);
    Map("2", b);
    Map("3", c);
    Map("4", t);
    Push(s_.device_token, {{"1", "2026-03-12 07:50:00"}, {"2", "2026-03-12 08:30:00"}, {"4", "2026-03-12 07:10:00"}});
    auto all = http_.Get(Path("/attendance?date=2026-03-12"), s_.admin_token).Json();
    EXPECT_EQ(all.at("counts").at("present").as_int64(), 2);
    EXPECT_EQ(all.at("counts").at("late").as_int64(), 1);
    EXPECT_EQ(all.at("counts").at("absent").as_int64(), 1);
    const auto groups = all.at("groups").as_array();
    ASSERT_EQ(groups.size(), 3U);  // staff/"", student/5A, student/6B
    EXPECT_EQ(groups[1].at("group").as_string(), "5A");
    EXPECT_EQ(groups[1].at("total").as_int64(), 2);
    EXPECT_EQ(groups[1].at("counts").at("late").as_int64(), 1);

    auto five_a = http_.Get(Path("/attendance?date=2026-03-12&group=5A"), s_.admin_token).Json();
    ASSERT_EQ(five_a.at("rows").as_array().size(), 2U);
    EXPECT_EQ(five_a.at("counts").at("present").as_int64(), 1);
    auto staff = http_.Get(Path("/attendance?date=2026-03-12&kind=staff"), s_.admin_token).Json();
    ASSERT_EQ(staff.at("rows").as_array().size(), 1U);
    EXPECT_EQ(staff.at("rows").as_array()[0].at("person_id").as_int64(), t);
}

TEST_F(Register, R18_ASettingsChangeDatedTodayDoesNotRewriteYesterday) {
    Rules({{"school_start_time", "08:00"}});  // in force since 2026-01-01
    const auto amina = Person("Amina");
    Map("1", amina);
    Push(s_.device_token, {{"1", "2026-03-11 07:45:00"}, {"1", "2026-03-12 07:45:00"}});
    ASSERT_EQ(Row("2026-03-11", amina).at("status").as_string(), "present");
    // No effective_from: the change is dated today (2026-03-12 in the school's zone).
    auto put = http_.Put(Path("/settings/attendance"), json::object{{"school_start_time", "07:30"}}, s_.admin_token);
    ASSERT_EQ(put.status, 200) << put.body;
    EXPECT_EQ(put.Json().at("effective_from").as_string(), "2026-03-12");
    EXPECT_EQ(Row("2026-03-11", amina).at("status").as_string(), "present");  // yesterday keeps 08:00
    EXPECT_EQ(Row("2026-03-12", amina).at("status").as_string(), "late");     // today uses 07:30
    EXPECT_EQ(http_.Get(Path("/settings/attendance?date=2026-03-11"), s_.admin_token).Json().at("school_start_time"),
              "08:00");
    // Dating it back on purpose does rewrite the past.
    ASSERT_EQ(http_
                  .Put(Path("/settings/attendance"),
                       json::object{{"effective_from", "2026-03-01"}, {"school_start_time", "07:30"}},
                       s_.admin_token)
                  .status,
              200);
    EXPECT_EQ(Row("2026-03-11", amina).at("status").as_string(), "late");
}

}  // namespace
}  // namespace rollcall::test
