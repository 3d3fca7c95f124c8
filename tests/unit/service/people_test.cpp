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

TEST_F(PeopleTest, TheCsvImportCreatesEachValidLineAndNamesTheBadOnes) {
    const auto report =
        people_
            .ImportPeopleCsv(
                w_.admin, school_, "\xEF\xBB\xBFname,kind,group\r\nAmina,student,5A\r\n,student,5A\nBo,alien,\n")
            .value();
    EXPECT_EQ(report.created, 1U);
    ASSERT_EQ(report.errors.size(), 2U);
    EXPECT_EQ(report.errors[0].line, 3U);
    EXPECT_EQ(report.errors[0].reason, "name: required");
    EXPECT_EQ(report.errors[1].line, 4U);
    EXPECT_EQ(people_.ImportPeopleCsv(w_.admin, school_, "").error().code, core::Errc::kInvalidArgument);
    EXPECT_EQ(Audit("person").size(), 1U);
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
