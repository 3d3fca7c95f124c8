// People against a real temporary store: people, the CSV import, mappings (R6, R7) and the unmapped inbox,
// and a person's deletion: refused while the record holds their history, audited when they have none (R19).

#include "service/people.hpp"

#include "service/attendance.hpp"
#include "support/service_world.hpp"

#include <algorithm>

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

class PeopleTest : public ::testing::Test {
protected:
    test::ServiceWorld w_;
    People people_{*w_.store, w_.clock, 32};
    std::int64_t school_ = w_.School();
    storage::Device gate_ = w_.Gate(school_);

    storage::Person Person(const std::string& name, const std::string& group = "5A") {
        PersonPatch p;
        p.name = name;
        p.kind = domain::PersonKind::kStudent;
        p.group = group;
        return people_.CreatePerson(w_.admin, school_, p).value();
    }
    void Punch(const std::string& user, const std::string& time) {
        storage::PunchBatch batch{school_, gate_.id, "push", test::kWorldNow, {}};
        batch.rows.push_back({user, *core::ParseLocalDateTime(time), 0, std::nullopt});
        ASSERT_TRUE(w_.store->WritePunches(batch).ok());
    }
    /// The audit lines about one kind of object, newest first.
    std::vector<storage::AuditEntry> Audit(const std::string& entity) {
        auto lines = w_.Audit(school_);
        std::erase_if(lines, [&](const storage::AuditEntry& a) { return a.entity != entity; });
        return lines;
    }
};

TEST_F(PeopleTest, APersonIsValidatedCreatedUpdatedAndEachChangeAudited) {
    PersonPatch nameless;
    nameless.kind = domain::PersonKind::kStudent;
    EXPECT_EQ(people_.CreatePerson(w_.admin, school_, nameless).error().message, "name: required");
    const auto amina = Person("Amina");
    PersonPatch move;
    move.group = "6B";
    EXPECT_EQ(people_.UpdatePerson(w_.admin, school_, amina.id, move)->group, "6B");
    EXPECT_EQ(people_.GetPerson(school_, amina.id)->group, "6B");
    const auto lines = Audit("person");
    ASSERT_EQ(lines.size(), 2U);
    EXPECT_EQ(lines[0].action, domain::AuditAction::kUpdate);
    EXPECT_NE(lines[0].old_value.find(R"("group":"5A")"), std::string::npos);
    EXPECT_NE(lines[0].new_value.find(R"("group":"6B")"), std::string::npos);
    EXPECT_EQ(lines[1].action, domain::AuditAction::kCreate);
}

TEST_F(PeopleTest, APersonWhoPunchedCannotBeDeletedAndIsToldToSetActiveTo) {
    const auto amina = Person("Amina");
    people_.CreateMapping(w_.admin, school_, "7", amina.id, std::nullopt).value();
    Punch("7", "2026-03-10 07:50:00");
    const auto audited = w_.Audit(school_).size();

    const auto refused = people_.DeletePerson(w_.admin, school_, amina.id);

    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::Errc::kConflict);
    EXPECT_EQ(refused.error().message,
              "this person has a history (punches); set active_to to deactivate them instead: only a person with no "
              "history can be deleted");
    // Nothing went: the person, their mapping, and no line in the trail.
    EXPECT_TRUE(people_.GetPerson(school_, amina.id).ok());
    EXPECT_EQ(people_.ListMappings(school_)->size(), 1U);
    EXPECT_EQ(w_.Audit(school_).size(), audited);
}

TEST_F(PeopleTest, AnOverrideAFinalRegisterDayOrAWebhookEventIsHistoryToo) {
    const auto amina = Person("Amina");
    const auto brian = Person("Brian");
    const auto chao = Person("Chao");
    Attendance attendance{*w_.store, w_.clock};
    ASSERT_TRUE(
        attendance
            .SetOverride(
                w_.admin,
                school_,
                OverrideInput{amina.id, core::DateFromYmd(2026, 3, 5), domain::DayStatus::kExcused, {}, {}, "flu"})
            .ok());
    // Brian's absence on 5 March is final in the stored register and his parents were told: the worker's write.
    const auto hook =
        w_.store->CreateWebhook(storage::Webhook{0, school_, "https://sms.example.org", {}, {1}, true, 0}).value();
    storage::DayRecompute day{storage::DirtyDay{school_, core::DateFromYmd(2026, 3, 5), 0}, true, {}, {}};
    day.rows.push_back(storage::DayRecord{
        school_, brian.id, day.claimed.date, domain::DayStatus::kAbsent, {}, {}, 0, true, 0, {}, test::kWorldNow});
    storage::DayRecord chao_row = day.rows[0];
    chao_row.person_id = chao.id;
    chao_row.final = false;  // a day not yet final says nothing for good
    day.rows.push_back(chao_row);
    storage::WebhookDelivery absent;
    absent.school_id = school_;
    absent.webhook_id = hook.id;
    absent.event = "absent";
    absent.person_id = brian.id;
    absent.date = day.claimed.date;
    absent.payload = "{}";
    day.deliveries.push_back(absent);
    ASSERT_TRUE(w_.store->SaveRecompute(day).ok());

    EXPECT_NE(people_.DeletePerson(w_.admin, school_, amina.id).error().message.find("(1 override)"),
              std::string::npos);
    EXPECT_NE(people_.DeletePerson(w_.admin, school_, brian.id)
                  .error()
                  .message.find("(1 final register day, 1 webhook event)"),
              std::string::npos);
    EXPECT_TRUE(people_.DeletePerson(w_.admin, school_, chao.id).ok());
    EXPECT_TRUE(people_.GetPerson(school_, amina.id).ok());
    EXPECT_TRUE(people_.GetPerson(school_, brian.id).ok());
}

TEST_F(PeopleTest, APunchCountsAsHistoryOnlyForThePersonTheRegisterGivesItTo) {
    // R6: on the gate, user 7 is Brian by the gate's own mapping; Amina's school-wide mapping of 7 never saw it.
    const auto amina = Person("Amina");
    const auto brian = Person("Brian");
    people_.CreateMapping(w_.admin, school_, "7", amina.id, std::nullopt).value();
    people_.CreateMapping(w_.admin, school_, "7", brian.id, gate_.id).value();
    Punch("7", "2026-03-10 07:50:00");
    EXPECT_EQ(people_.DeletePerson(w_.admin, school_, brian.id).error().code, core::Errc::kConflict);
    EXPECT_TRUE(people_.DeletePerson(w_.admin, school_, amina.id).ok());
}

TEST_F(PeopleTest, APersonAddedByMistakeIsDeletedWithTheirMappingsAndEachRemovalAudited) {
    const auto amina = Person("Amina");
    const auto brian = Person("Brian");
    const auto card = people_.CreateMapping(w_.admin, school_, "7", amina.id, std::nullopt).value();
    const auto finger = people_.CreateMapping(w_.admin, school_, "17", amina.id, gate_.id).value();
    people_.CreateMapping(w_.admin, school_, "8", brian.id, std::nullopt).value();
    Punch("8", "2026-03-10 07:50:00");  // Brian's punch is no history of Amina's

    ASSERT_TRUE(people_.DeletePerson(w_.admin, school_, amina.id).ok());

    EXPECT_EQ(people_.GetPerson(school_, amina.id).error().code, core::Errc::kNotFound);
    const auto person = Audit("person").at(0);
    EXPECT_EQ(person.action, domain::AuditAction::kDelete);
    EXPECT_EQ(person.entity_id, amina.id);
    EXPECT_EQ(person.user_id, w_.admin.user_id);
    EXPECT_NE(person.old_value.find("Amina"), std::string::npos);
    std::vector<std::int64_t> removed;
    for (const auto& line : Audit("mapping")) {
        if (line.action == domain::AuditAction::kDelete) {
            removed.push_back(line.entity_id);
            EXPECT_EQ(line.reason, "its person was deleted");
            EXPECT_EQ(line.user_id, w_.admin.user_id);
            EXPECT_EQ(line.at, person.at);
        }
    }
    std::sort(removed.begin(), removed.end());
    EXPECT_EQ(removed, (std::vector<std::int64_t>{card.id, finger.id}));
    // Brian's mapping stays.
    EXPECT_EQ(people_.ListMappings(school_)->size(), 1U);
}

TEST_F(PeopleTest, DeletingAnUnknownPersonChangesNothing) {
    const auto before = w_.Audit(school_).size();
    EXPECT_EQ(people_.DeletePerson(w_.admin, school_, 9999).error().code, core::Errc::kNotFound);
    EXPECT_EQ(w_.Audit(school_).size(), before);
}

TEST_F(PeopleTest, APersonAddedWithoutAStartDateIsActiveFromTheSchoolsToday) {
    EXPECT_EQ(Person("Amina").active_from, core::DateFromYmd(2026, 3, 12));
    PersonPatch given;
    given.name = "Brian";
    given.kind = domain::PersonKind::kStudent;
    given.active_from = std::optional<core::Date>(core::DateFromYmd(2026, 1, 5));
    EXPECT_EQ(people_.CreatePerson(w_.admin, school_, given)->active_from, core::DateFromYmd(2026, 1, 5));
    given.active_from = std::optional<core::Date>();  // an explicit null is no start date either
    EXPECT_EQ(people_.CreatePerson(w_.admin, school_, given)->active_from, core::DateFromYmd(2026, 3, 12));
    // 10:00 UTC is already tomorrow in Kiritimati (UTC+14): the school's date, not the server's.
    const auto island = w_.School("Atoll School", "Pacific/Kiritimati");
    given.active_from.reset();
    EXPECT_EQ(people_.CreatePerson(w_.admin, island, given)->active_from, core::DateFromYmd(2026, 3, 13));
}

TEST_F(PeopleTest, TheCsvImportCreatesEachValidLineAndNamesTheBadOnes) {
    const auto report =
        people_
            .ImportPeopleCsv(
                w_.admin, school_, "\xEF\xBB\xBFname,kind,group\r\nAmina,student,5A\r\n,student,5A\nBo,alien,\n")
            .value();
    EXPECT_EQ(report.created, 1U);
    EXPECT_EQ(report.mapped, 0U);
    EXPECT_EQ(report.encoding, CsvEncoding::kUtf8);
    ASSERT_EQ(report.errors.size(), 2U);
    EXPECT_EQ(report.errors[0].line, 3U);
    EXPECT_EQ(report.errors[0].reason, "name: required");
    EXPECT_EQ(report.errors[1].line, 4U);
    EXPECT_EQ(people_.ImportPeopleCsv(w_.admin, school_, "").error().code, core::Errc::kInvalidArgument);
    EXPECT_EQ(Audit("person").size(), 1U);
}

TEST_F(PeopleTest, TheCsvImportMapsEachRowsUserOnTheDeviceItNamesOrSchoolWide) {
    const auto back = w_.Gate(school_, "Back gate", 2);
    const auto csv =
        "name,kind,external_id,group,active_from,active_to,user_id,device\n"
        "Amina,student,A1,5A,2026-01-05,,17,\n"
        "Brian,student,A2,5A,,,18,Main gate\n"
        "Chao,student,A3,6B,,2026-07-31,19," +
        std::to_string(back.id) +
        "\n"
        "Dana,staff,S1,,,,,\n"
        "Eve,student,A5,6B,,,17,\n"
        "Fay,student,A6,6B,,,20,Side gate\n"
        "Gus,student,A7,6B,soon,,,\n"
        "Hal,student,A1,6B,,,,\n"
        "Ivy,student,A9,6B,,,,Main gate\n"
        "Jo,student,A10,6B,,,21,Main gate,extra\n"
        "Kim,student,A11,6B,2026-03-01,2026-02-01,,\n";

    const auto report = people_.ImportPeopleCsv(w_.admin, school_, csv).value();

    EXPECT_EQ(report.created, 4U);
    EXPECT_EQ(report.mapped, 3U);
    std::vector<std::pair<std::size_t, std::string>> errors;
    for (const auto& e : report.errors) {
        errors.emplace_back(e.line, e.reason);
    }
    EXPECT_EQ(errors,
              (std::vector<std::pair<std::size_t, std::string>>{
                  {6, "user_id: already mapped school-wide"},
                  {7, "device: this school has no device named or numbered \"Side gate\""},
                  {8, "active_from: expected YYYY-MM-DD"},
                  {9, "external_id: another person of this school has it"},
                  {10, "device: given without a user_id to map on it"},
                  {11, "the line has 9 fields and the header 8 columns; quote a field that holds a comma"},
                  {12, "active_to: must not be before active_from"}}));

    const auto people = people_.ListPeople(school_).value();
    ASSERT_EQ(people.size(), 4U) << "a refused row leaves no person behind";
    EXPECT_EQ(people[0].active_from, core::DateFromYmd(2026, 1, 5));
    EXPECT_EQ(people[1].active_from, core::DateFromYmd(2026, 3, 12)) << "no start date: the day of the import";
    EXPECT_EQ(people[2].active_to, core::DateFromYmd(2026, 7, 31));
    EXPECT_EQ(people[3].kind, domain::PersonKind::kStaff);
    const auto mappings = people_.ListMappings(school_).value();
    ASSERT_EQ(mappings.size(), 3U);
    EXPECT_EQ(mappings[0].user_id, "17");
    EXPECT_EQ(mappings[0].person_id, people[0].id);
    EXPECT_EQ(mappings[0].device_id, std::nullopt);
    EXPECT_EQ(mappings[1].device_id, gate_.id);
    EXPECT_EQ(mappings[1].person_id, people[1].id);
    EXPECT_EQ(mappings[2].device_id, back.id);
    EXPECT_EQ(mappings[2].person_id, people[2].id);
    // Each person and each mapping has its creation line, the mapping's naming its new person.
    EXPECT_EQ(Audit("person").size(), 4U);
    const auto lines = Audit("mapping");
    ASSERT_EQ(lines.size(), 3U);
    EXPECT_EQ(lines[2].entity_id, mappings[0].id);
    EXPECT_NE(lines[2].new_value.find(R"("person_id":)" + std::to_string(people[0].id)), std::string::npos)
        << lines[2].new_value;
}

TEST_F(PeopleTest, AnImportedMappingMakesTheUsersPastPunchesCount) {
    Punch("17", "2026-03-10 07:50:00");
    ASSERT_GT(w_.store->CountDirty().value(), 0);
    const auto marked = w_.store->ListDirty(10).value();
    for (const auto& d : marked) {
        ASSERT_TRUE(w_.store->SaveRecompute(storage::DayRecompute{d, false, {}, {}}).ok());
    }
    ASSERT_EQ(w_.store->CountDirty().value(), 0);
    const auto report =
        people_.ImportPeopleCsv(w_.admin, school_, "name,kind,active_from,user_id\nAmina,student,2026-01-05,17\n")
            .value();
    ASSERT_EQ(report.mapped, 1U);
    EXPECT_EQ(w_.store->CountDirty().value(), 3) << "R7: the days of the user's punches are recomputed";
    EXPECT_TRUE(people_.Unmapped(school_)->empty());
}

TEST_F(PeopleTest, AMappingNamesAPersonAndADeviceOfTheSchoolAndIsNotMadeTwice) {
    const auto amina = Person("Amina");
    EXPECT_EQ(people_.CreateMapping(w_.admin, school_, "7", amina.id + 100, std::nullopt).error().message,
              "person_id: no such person in this school");
    EXPECT_EQ(people_.CreateMapping(w_.admin, school_, "7", amina.id, gate_.id + 100).error().message,
              "device_id: no such device in this school");
    ASSERT_TRUE(people_.CreateMapping(w_.admin, school_, "7", amina.id, std::nullopt).ok());
    EXPECT_EQ(people_.CreateMapping(w_.admin, school_, "7", amina.id, std::nullopt).error().code,
              core::Errc::kConflict);
    const auto id = people_.ListMappings(school_)->at(0).id;
    ASSERT_TRUE(people_.DeleteMapping(w_.admin, school_, id).ok());
    EXPECT_EQ(people_.DeleteMapping(w_.admin, school_, id).error().code, core::Errc::kNotFound);
    EXPECT_EQ(Audit("mapping").at(0).action, domain::AuditAction::kDelete);
}

TEST_F(PeopleTest, TheInboxListsDeviceUsersNobodyIsMappedToAndTheReportPeopleWithoutAMapping) {
    const auto amina = Person("Amina");
    const auto brian = Person("Brian");
    Punch("7", "2026-03-10 07:50:00");
    Punch("8", "2026-03-10 07:51:00");
    ASSERT_TRUE(people_.CreateMapping(w_.admin, school_, "7", amina.id, std::nullopt).ok());
    const auto inbox = people_.Unmapped(school_).value();
    ASSERT_EQ(inbox.size(), 1U);
    EXPECT_EQ(inbox[0].user_id, "8");
    const auto without = people_.PeopleWithoutMapping(school_).value();
    ASSERT_EQ(without.size(), 1U);
    EXPECT_EQ(without[0].id, brian.id);
}

}  // namespace
}  // namespace rollcall::service
