// The stored records as the admin API answers them: the exact text a school's integrator reads
// (docs/openapi.yaml), and the part of it the audit trail keeps.

#include "wire/records.hpp"

#include <gtest/gtest.h>

namespace rollcall::wire {
namespace {

std::string Text(const json::value& v) {
    return json::serialize(v);
}

TEST(Records, ADeviceIsAnsweredWithItsZoneAsNullWhenItKeepsTheSchoolsAndNeverWithItsToken) {
    storage::Device d;
    d.id = 3;
    d.school_id = 1;
    d.name = "Main gate";
    d.ip = "192.168.1.20";
    d.serial = "ABCD1234";
    d.comm_key = "0";
    d.token_hash = {1, 2, 3};
    d.created_at = 1773309600;  // 2026-03-12T10:00:00Z
    EXPECT_EQ(Text(json::value_from(d)),
              R"({"id":3,"school_id":1,"name":"Main gate","sync_mode":"push","direction":"auto","status":"active",)"
              R"("ip":"192.168.1.20","port":4370,"serial":"ABCD1234","comm_key":"0","timezone":null,)"
              R"("last_seen":null,"created_at":"2026-03-12T10:00:00Z"})");
    d.timezone = "Africa/Nairobi";
    d.last_seen = 1773309660;
    const auto with_zone = json::value_from(d);
    EXPECT_EQ(with_zone.at("timezone").as_string(), "Africa/Nairobi");
    EXPECT_EQ(with_zone.at("last_seen").as_string(), "2026-03-12T10:01:00Z");
}

TEST(Records, APersonWithoutLimitsHasNullDatesAndALeaverHasTheirLastDay) {
    storage::Person p;
    p.id = 9;
    p.school_id = 1;
    p.name = "Amina";
    p.external_id = "S-001";
    p.group = "5A";
    EXPECT_EQ(Text(json::value_from(p)),
              R"({"id":9,"school_id":1,"name":"Amina","kind":"student","external_id":"S-001","group":"5A",)"
              R"("active_from":null,"active_to":null})");
    p.active_to = core::ParseDate("2026-07-31");
    EXPECT_EQ(json::value_from(p).at("active_to").as_string(), "2026-07-31");
}

TEST(Records, AMappingSaysWhetherItHoldsForOneDeviceOrTheWholeSchool) {
    storage::Mapping m;
    m.id = 4;
    m.user_id = "7";
    m.person_id = 9;
    EXPECT_EQ(Text(json::value_from(m)), R"({"id":4,"user_id":"7","person_id":9,"device_id":null,"scope":"school"})");
    m.device_id = 3;
    EXPECT_EQ(Text(json::value_from(m)), R"({"id":4,"user_id":"7","person_id":9,"device_id":3,"scope":"device"})");
}

TEST(Records, TheUnmappedInboxShowsADeviceUserByTheNameTheTerminalKnowsWithoutThePerson) {
    storage::DeviceUser u;
    u.device_id = 3;
    u.user_id = "42";
    u.name = "AMINA K";
    u.punches = 12;
    u.first_seen = *core::ParseLocalDateTime("2026-03-02 07:41:00");
    u.last_seen = *core::ParseLocalDateTime("2026-03-12 07:38:00");
    EXPECT_EQ(json::value_from(u).at("name").as_string(), "AMINA K");
    EXPECT_EQ(Text(json::value_from(UnmappedUser{u})),
              R"({"device_id":3,"user_id":"42","name":"AMINA K","punches":12,"first_seen":"2026-03-02 07:41:00",)"
              R"("last_seen":"2026-03-12 07:38:00"})");
}

TEST(Records, ADeviceUserShowsWhatItsTerminalsTableSaysAndNoPunchTimesBeforeItPunched) {
    storage::DeviceUser u;
    u.device_id = 3;
    u.user_id = "43";
    u.name = "Brian O.";
    u.in_terminal = true;
    u.card = 4000043;
    u.privilege = 14;
    EXPECT_EQ(Text(json::value_from(u)),
              R"({"device_id":3,"user_id":"43","name":"Brian O.","punches":0,"first_seen":null,"last_seen":null,)"
              R"("person_id":null,"in_terminal":true,"card":4000043,"privilege":14})");
    u.in_terminal = false;
    EXPECT_TRUE(json::value_from(u).at("card").is_null()) << "nothing the terminal's table did not say";
    EXPECT_TRUE(json::value_from(u).at("privilege").is_null());
}

TEST(Records, AnOverrideGivesItsTimesAsTheSchoolClockShowsThem) {
    storage::Override o;
    o.id = 2;
    o.person_id = 9;
    o.date = *core::ParseDate("2026-03-12");
    o.status = domain::DayStatus::kExcused;
    o.in_time = 8 * 3600 + 5 * 60;
    o.reason = "clinic visit";
    o.created_by = 1;
    o.created_at = 1773309600;
    EXPECT_EQ(Text(json::value_from(o)),
              R"({"id":2,"person_id":9,"date":"2026-03-12","status":"excused","in_time":"08:05:00",)"
              R"("out_time":null,"reason":"clinic visit","created_by":1,"created_at":"2026-03-12T10:00:00Z"})");
}

TEST(Records, AnAuditLineShowsItsSnapshotsAsJsonAndNoneAsNull) {
    storage::AuditEntry a;
    a.id = 5;
    a.user_id = 1;
    a.at = 1773309600;
    a.action = domain::AuditAction::kDelete;
    a.entity = "holiday";
    a.entity_id = 8;
    a.old_value = R"({"date":"2026-03-13","name":"Sports day"})";
    a.reason = "";
    const auto v = json::value_from(a);
    EXPECT_EQ(v.at("old").at("name").as_string(), "Sports day");
    EXPECT_TRUE(v.at("new").is_null());
    EXPECT_EQ(v.at("action").as_string(), "delete");
    EXPECT_TRUE(v.at("person_id").is_null()) << "a holiday is about nobody";
}

TEST(Records, AnAuditLineSaysWhoAndWhatInWords) {
    storage::AuditEntry a;
    a.entity = "override";
    a.by = "head@hill.example";
    a.label = "Amina Njeri, 2026-03-12";
    a.person_id = 3;
    const auto v = json::value_from(a);
    EXPECT_EQ(v.at("by").as_string(), "head@hill.example");
    EXPECT_EQ(v.at("label").as_string(), "Amina Njeri, 2026-03-12");
    EXPECT_EQ(v.at("person_id").as_int64(), 3);
}

TEST(Records, OnlyAPendingDeliveryHasANextAttempt) {
    storage::WebhookDelivery d;
    d.id = 1;
    d.webhook_id = 2;
    d.event = "late";
    d.person_id = 9;
    d.date = *core::ParseDate("2026-03-12");
    d.payload = R"({"event":"late"})";
    d.next_attempt_at = 1773309600;
    EXPECT_EQ(json::value_from(d).at("next_attempt_at").as_string(), "2026-03-12T10:00:00Z");
    d.state = domain::DeliveryState::kDelivered;
    d.delivered_at = 1773309601;
    const auto delivered = json::value_from(d);
    EXPECT_TRUE(delivered.at("next_attempt_at").is_null());
    EXPECT_EQ(delivered.at("payload").at("event").as_string(), "late");
}

TEST(Records, TheAuditTrailKeepsTheNamedFieldsOfTheApiShapeInTheirOrder) {
    storage::Device d;
    d.id = 3;
    d.name = "Main gate";
    d.comm_key = "12345";
    EXPECT_EQ(json::serialize(Pick(d, {"name", "port", "comm_key"})),
              R"({"name":"Main gate","port":4370,"comm_key":"12345"})");
    storage::Webhook w;
    w.url = "https://sms.example/hook";
    w.events = {"late", "absent"};
    EXPECT_EQ(json::serialize(Pick(w, {"url", "events"})),
              R"({"url":"https://sms.example/hook","events":["late","absent"]})");
}

}  // namespace
}  // namespace rollcall::wire
