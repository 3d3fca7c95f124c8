// What an audit line says about its object (R19): a label an admin reads without looking ids up, the person
// it is about, who made it in words; and the trail read back filtered by entity, person and the school's days.

#include "service/audit.hpp"

#include "service/calendar.hpp"
#include "service/people.hpp"
#include "support/service_world.hpp"

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

storage::AuditEntry LineOf(const std::string& entity, const std::string& new_value, const std::string& old_value = "") {
    storage::AuditEntry line;
    line.entity = entity;
    line.new_value = new_value;
    line.old_value = old_value;
    return line;
}

TEST(AuditLabel, NamesEachObjectAsAnAdminKnowsIt) {
    EXPECT_EQ(AuditLabel(LineOf("person", R"({"name":"Amina Njeri","kind":"student"})")), "Amina Njeri");
    EXPECT_EQ(AuditLabel(LineOf("device", R"({"name":"Main gate","sync_mode":"push"})")), "Main gate");
    EXPECT_EQ(AuditLabel(LineOf("holiday", R"({"date":"2026-03-20","name":"Founders' Day"})")),
              "Founders' Day (2026-03-20)");
    EXPECT_EQ(AuditLabel(LineOf("webhook", R"({"url":"https://sms.example.org/rollcall","events":[]})")),
              "https://sms.example.org/rollcall");
    EXPECT_EQ(AuditLabel(LineOf("settings", R"({"scope":"group:5A","settings":{}})")), "group 5A");
    EXPECT_EQ(AuditLabel(LineOf("settings", R"({"scope":"kind:staff","settings":{}})")), "staff");
    EXPECT_EQ(AuditLabel(LineOf("settings", R"({"scope":"kind:student","settings":{}})")), "students");
    EXPECT_EQ(AuditLabel(LineOf("settings", R"({"scope":"school","settings":{}})")), "the school");
    EXPECT_EQ(AuditLabel(LineOf("day", R"({"date":"2026-03-12"})")), "2026-03-12");
    EXPECT_EQ(AuditLabel(LineOf("days", R"({"from":"2026-03-01","to":"2026-03-31"})")), "2026-03-01 to 2026-03-31");
    // The lead's user and school lines carry the email and the name in their values.
    EXPECT_EQ(AuditLabel(LineOf("user", R"({"email":"head@hill.example","role":"school_admin"})")),
              "head@hill.example");
    EXPECT_EQ(AuditLabel(LineOf("school", R"({"name":"Hill School","timezone":"Africa/Nairobi"})")), "Hill School");
}

TEST(AuditLabel, ADeletionIsNamedByWhatItDeleted) {
    EXPECT_EQ(AuditLabel(LineOf("device", "", R"({"name":"Old gate"})")), "Old gate");
    EXPECT_EQ(AuditLabel(LineOf("person", R"({"name":"Amina Wanjiru"})", R"({"name":"Amina Njeri"})")), "Amina Wanjiru")
        << "a renamed person is named as they are now";
}

TEST(AuditLabel, AnOverrideOrAMappingNamesItsPersonWhenTheWriterKnewThem) {
    const auto override_line = LineOf("override", R"({"person_id":3,"date":"2026-03-12","status":"excused"})");
    EXPECT_EQ(AuditLabel(override_line, "Amina Njeri"), "Amina Njeri, 2026-03-12");
    EXPECT_EQ(AuditLabel(override_line), "person 3, 2026-03-12") << "a line stored before labels";

    EXPECT_EQ(AuditLabel(LineOf("mapping", R"({"user_id":"17","person_id":3,"device_id":null})"), "Amina Njeri"),
              "Amina Njeri (user 17)");
    EXPECT_EQ(AuditLabel(LineOf("mapping", "", R"({"user_id":"17","person_id":3,"device_id":2})")),
              "person 3 (user 17 on device 2)");

    const auto correction =
        LineOf("clock_correction", R"({"device_id":2,"from":"2026-03-01 00:00:00","to":"2026-03-02 00:00:00"})");
    EXPECT_EQ(AuditLabel(correction, "Old gate"), "Old gate, 2026-03-01 00:00:00 to 2026-03-02 00:00:00");
    EXPECT_EQ(AuditLabel(correction), "device 2, 2026-03-01 00:00:00 to 2026-03-02 00:00:00");
}

TEST(AuditLabel, WhatKeepsNoValuesIsNamedByItsWriterOrItsId) {
    auto rotation = LineOf("device", "");
    rotation.entity_id = 5;
    EXPECT_EQ(AuditLabel(rotation, "Main gate"), "Main gate");
    EXPECT_EQ(AuditLabel(rotation), "device 5");
    auto token = LineOf("agent_token", "");
    EXPECT_EQ(AuditLabel(token), "") << "an agent token has no id before it is stored";
    token.entity_id = 2;
    EXPECT_EQ(AuditLabel(token), "agent token 2");
}

TEST(AuditLabel, ALineAboutAPersonIsTiedToThem) {
    storage::Person amina;
    amina.id = 3;
    amina.name = "Amina Njeri";

    auto update = LineOf("person", R"({"name":"Amina Njeri"})");
    Label(update, amina);
    EXPECT_EQ(update.person_id, 3);
    EXPECT_EQ(update.label, "Amina Njeri");

    // A mapping made with a new person: the person has no id yet, the mapping's values have it.
    auto mapping = LineOf("mapping", R"({"user_id":"17","person_id":9,"device_id":null})");
    amina.id = 0;
    Label(mapping, amina);
    EXPECT_EQ(mapping.person_id, 9);
    EXPECT_EQ(mapping.label, "Amina Njeri (user 17)");

    auto created = LineOf("person", R"({"name":"Amina Njeri"})");
    Label(created, amina);
    EXPECT_FALSE(created.person_id.has_value()) << "the store ties a creation line to the id it gives";

    auto holiday = LineOf("holiday", R"({"date":"2026-03-20","name":"Founders' Day"})");
    Label(holiday);
    EXPECT_FALSE(holiday.person_id.has_value());
}

TEST(AuditOf, SaysWhoInWords) {
    test::ServiceWorld w;
    EXPECT_EQ(AuditOf(w.admin, 1, 0, domain::AuditAction::kCreate, "holiday").by, "admin@example.org");
    EXPECT_EQ(AuditOf(CommandLinePrincipal(), 1, 0, domain::AuditAction::kCreate, "school").by, "command line");
}

class AuditTrailTest : public ::testing::Test {
protected:
    test::ServiceWorld w_;
    People people_{*w_.store, w_.clock, 32};
    Calendar calendar_{*w_.store, w_.clock};
    std::int64_t school_ = w_.School();  // Africa/Nairobi, UTC+3

    core::Result<std::vector<storage::AuditEntry>> Read(const AuditQuery& q) const {
        return ReadAuditTrail(*w_.store, school_, q);
    }
    void AddHolidayAt(std::int64_t unix_seconds, const std::string& name, core::Date date) {
        w_.clock.Set(unix_seconds);
        ASSERT_TRUE(calendar_.CreateHoliday(w_.admin, school_, date, name));
    }
};

TEST_F(AuditTrailTest, AnUnknownEntityIsRefusedNamingTheKnownOnes) {
    AuditQuery q;
    q.entity = "pupil";
    const auto r = Read(q);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kInvalidArgument);
    EXPECT_NE(r.error().message.find("entity: one of"), std::string::npos) << r.error().message;
    for (const auto entity : kAuditEntities) {
        EXPECT_NE(r.error().message.find(entity), std::string::npos) << entity;
        q.entity = std::string(entity);
        EXPECT_TRUE(Read(q)) << entity;
    }
}

TEST_F(AuditTrailTest, ALimitOutsideItsRangeAndAPeriodEndingBeforeItStartsAreRefused) {
    for (const std::int64_t limit : {std::int64_t{0}, std::int64_t{-1}, kAuditMaxLines + 1}) {
        const auto r = Read(AuditQuery::Newest(limit));
        ASSERT_FALSE(r) << limit;
        EXPECT_EQ(r.error().message.rfind("limit:", 0), 0U) << r.error().message;
    }
    EXPECT_TRUE(Read(AuditQuery::Newest(kAuditMaxLines)));
    AuditQuery q;
    q.from = core::DateFromYmd(2026, 3, 12);
    q.to = core::DateFromYmd(2026, 3, 11);
    const auto r = Read(q);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message.rfind("to:", 0), 0U) << r.error().message;
}

TEST_F(AuditTrailTest, AChangeIsDatedOnTheSchoolsDayNotUtcs) {
    // 2026-03-11 23:30 UTC is 02:30 on the 12th in Nairobi; 20:59 UTC on the 11th is 23:59 there.
    AddHolidayAt(1773271800, "Late night", core::DateFromYmd(2026, 4, 1));
    AddHolidayAt(1773262740, "Evening", core::DateFromYmd(2026, 4, 2));
    AuditQuery twelfth;
    twelfth.from = core::DateFromYmd(2026, 3, 12);
    twelfth.to = core::DateFromYmd(2026, 3, 12);
    const auto on_twelfth = Read(twelfth).value();
    ASSERT_EQ(on_twelfth.size(), 1U);
    EXPECT_EQ(on_twelfth[0].label, "Late night (2026-04-01)");

    AuditQuery eleventh;
    eleventh.to = core::DateFromYmd(2026, 3, 11);  // open start
    const auto on_eleventh = Read(eleventh).value();
    ASSERT_EQ(on_eleventh.size(), 1U);
    EXPECT_EQ(on_eleventh[0].label, "Evening (2026-04-02)");
}

TEST_F(AuditTrailTest, ALineStoredWithoutALabelIsLabelledFromItsValuesWhenRead) {
    storage::Person p;
    p.school_id = school_;
    p.name = "Brian Otieno";
    storage::AuditEntry line = AuditOf(w_.admin, school_, w_.clock.NowUnix(), domain::AuditAction::kCreate, "person");
    line.new_value = PersonAuditJson(p);
    ASSERT_TRUE(w_.store->CreatePerson(p, line));
    const auto trail = Read(AuditQuery{}).value();
    ASSERT_EQ(trail.size(), 1U);
    EXPECT_EQ(trail[0].label, "Brian Otieno");
}

}  // namespace
}  // namespace rollcall::service
