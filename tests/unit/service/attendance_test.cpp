// The register against a real temporary store: computed on read, explained, corrected by overrides (R19) and
// clock corrections (R4), finalized (R16), re-processed (R18); every change audited.

#include "service/attendance.hpp"

#include "service/calendar.hpp"
#include "service/people.hpp"
#include "support/service_world.hpp"

#include <tuple>

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

const core::Date kWednesday = core::DateFromYmd(2026, 3, 11);

class AttendanceTest : public ::testing::Test {
protected:
    test::ServiceWorld w_;
    Attendance attendance_{*w_.store, w_.clock};
    People people_{*w_.store, w_.clock, 32};
    Calendar calendar_{*w_.store, w_.clock};
    std::int64_t school_ = w_.School();
    storage::Device gate_ = w_.Gate(school_);
    std::int64_t amina_ = [this] {
        PersonPatch p;
        p.name = "Amina";
        p.kind = domain::PersonKind::kStudent;
        p.active_from = std::optional<core::Date>(core::DateFromYmd(2026, 1, 1));  // with the school all term
        const auto id = people_.CreatePerson(w_.admin, school_, p).value().id;
        people_.CreateMapping(w_.admin, school_, "7", id, std::nullopt).value();
        return id;
    }();

    void SetUp() override {
        ASSERT_TRUE(calendar_
                        .PutSettings(w_.admin,
                                     school_,
                                     w_.Settings(R"({"effective_from":"2026-01-01","school_start_time":"08:00"})"))
                        .ok());
        // The gate was heard from today, so the days before are final (R16).
        ASSERT_TRUE(w_.store->TouchDevice(gate_.id, test::kWorldNow).ok());
    }
    void Punch(const std::string& time) {
        storage::PunchBatch batch{school_, gate_.id, "push", test::kWorldNow, {}};
        batch.rows.push_back({"7", *core::ParseLocalDateTime(time), 0, std::nullopt});
        ASSERT_TRUE(w_.store->WritePunches(batch).ok());
    }
    domain::DayStatus StatusOn(core::Date date) {
        const auto reg = attendance_.RegisterFor(school_, date).value();
        EXPECT_EQ(reg.rows.size(), 1U);
        return reg.rows.at(0).result.status;
    }
    OverrideInput Excused(core::Date date) {
        return OverrideInput{amina_, date, domain::DayStatus::kExcused, std::nullopt, std::nullopt, "clinic"};
    }
};

TEST_F(AttendanceTest, ThePunchesOfADayMakeItsRegisterAndTheExplanationShowsThem) {
    Punch("2026-03-11 08:20:00");
    const auto reg = attendance_.RegisterFor(school_, kWednesday).value();
    ASSERT_EQ(reg.rows.size(), 1U);
    EXPECT_EQ(reg.rows[0].result.status, domain::DayStatus::kLate);
    EXPECT_EQ(reg.rows[0].result.late_minutes, 20);
    EXPECT_TRUE(reg.final);
    const auto why = attendance_.Explain(school_, amina_, kWednesday).value();
    ASSERT_EQ(why.punches.size(), 1U);
    EXPECT_EQ(why.result.status, domain::DayStatus::kLate);
    EXPECT_EQ(StatusOn(core::DateFromYmd(2026, 3, 10)), domain::DayStatus::kAbsent);
}

TEST_F(AttendanceTest, AnOverrideIsShownOverTheComputedRowAndEveryChangeIsAudited) {
    const auto first = attendance_.SetOverride(w_.admin, school_, Excused(kWednesday)).value();
    auto replaced = Excused(kWednesday);
    replaced.status = domain::DayStatus::kPresent;
    replaced.in_time = 8 * 3600;
    replaced.reason = "the gate was broken";
    const auto second = attendance_.SetOverride(w_.admin, school_, replaced).value();
    EXPECT_EQ(second.id, first.id);
    EXPECT_EQ(second.status, domain::DayStatus::kPresent);
    const auto reg = attendance_.RegisterFor(school_, kWednesday).value();
    EXPECT_EQ(reg.rows.at(0).result.status, domain::DayStatus::kAbsent);  // kept beside the override
    EXPECT_EQ(ShowRow(reg.rows.at(0)).status, domain::DayStatus::kPresent);
    EXPECT_EQ(ShowRow(reg.rows.at(0)).in_time, 8 * 3600);
    EXPECT_EQ(attendance_.ListOverrides(school_, kWednesday)->size(), 1U);

    ASSERT_TRUE(attendance_.ClearOverride(w_.admin, school_, first.id).ok());
    EXPECT_FALSE(attendance_.RegisterFor(school_, kWednesday)->rows.at(0).override_row.has_value());
    const auto audit = attendance_.ListAudit(school_, AuditQuery::Newest(3)).value();
    EXPECT_EQ(audit[0].action, domain::AuditAction::kDelete);
    EXPECT_EQ(audit[1].action, domain::AuditAction::kReplace);
    EXPECT_NE(audit[1].old_value.find(R"("status":"excused")"), std::string::npos);
    EXPECT_EQ(audit[1].reason, "the gate was broken");
    EXPECT_EQ(audit[2].action, domain::AuditAction::kCreate);
}

TEST_F(AttendanceTest, AnOverrideSetsADecidedStatusWithAReasonAndTimesInOrder) {
    auto pending = Excused(kWednesday);
    pending.status = domain::DayStatus::kPending;
    EXPECT_EQ(attendance_.SetOverride(w_.admin, school_, pending).error().message,
              "status: must be present, late, absent or excused");
    auto no_reason = Excused(kWednesday);
    no_reason.reason.clear();
    EXPECT_EQ(attendance_.SetOverride(w_.admin, school_, no_reason).error().message,
              "reason: required (at most 500 characters)");
    auto backwards = Excused(kWednesday);
    backwards.in_time = 9 * 3600;
    backwards.out_time = 8 * 3600;
    EXPECT_EQ(attendance_.SetOverride(w_.admin, school_, backwards).error().message,
              "out_time: must not be before in_time");
    auto stranger = Excused(kWednesday);
    stranger.person_id = amina_ + 100;
    EXPECT_EQ(attendance_.SetOverride(w_.admin, school_, stranger).error().message,
              "person_id: no such person in this school");
    EXPECT_TRUE(attendance_.ListOverrides(school_, kWednesday)->empty());
}

TEST_F(AttendanceTest, AClockCorrectionMovesADevicesPunchesAndIsAudited) {
    Punch("2026-03-10 08:20:00");  // the device was a day behind: this was Wednesday's punch
    const auto day = [](const char* text) { return *core::ParseLocalDateTime(text); };
    const ClockCorrectionInput backwards{gate_.id, day("2026-03-10 12:00:00"), day("2026-03-10 00:00:00"), 86400, "x"};
    EXPECT_EQ(attendance_.AddClockCorrection(w_.admin, school_, backwards).error().message,
              "to: expected YYYY-MM-DD HH:MM:SS, not before from");
    const ClockCorrectionInput unknown{
        gate_.id + 100, day("2026-03-10 00:00:00"), day("2026-03-10 23:59:59"), 86400, "x"};
    EXPECT_EQ(attendance_.AddClockCorrection(w_.admin, school_, unknown).error().code, core::Errc::kNotFound);

    const ClockCorrectionInput fix{
        gate_.id, day("2026-03-10 00:00:00"), day("2026-03-10 23:59:59"), 86400, "the clock lost a day"};
    const auto correction = attendance_.AddClockCorrection(w_.admin, school_, fix).value();
    EXPECT_EQ(StatusOn(kWednesday), domain::DayStatus::kLate);
    EXPECT_EQ(StatusOn(core::DateFromYmd(2026, 3, 10)), domain::DayStatus::kAbsent);
    EXPECT_EQ(attendance_.ListClockCorrections(school_)->size(), 1U);
    ASSERT_TRUE(attendance_.RemoveClockCorrection(w_.admin, school_, correction.id).ok());
    EXPECT_EQ(StatusOn(kWednesday), domain::DayStatus::kAbsent);
    const auto audit = attendance_.ListAudit(school_, AuditQuery::Newest(2)).value();
    EXPECT_EQ(audit[0].action, domain::AuditAction::kDelete);
    EXPECT_EQ(audit[0].entity, "clock_correction");
    EXPECT_EQ(audit[1].reason, "the clock lost a day");
}

TEST_F(AttendanceTest, ADayIsFinalizedOnlyAfterItsCutoffAndReprocessingIsAudited) {
    const auto today = core::DateFromYmd(2026, 3, 12);
    EXPECT_EQ(attendance_.FinalizeDay(w_.admin, school_, core::DateFromYmd(2026, 3, 13)).error().code,
              core::Errc::kConflict);
    ASSERT_TRUE(attendance_.FinalizeDay(w_.admin, school_, today).ok());
    EXPECT_TRUE(attendance_.RegisterFor(school_, today)->finalized_by_admin);
    EXPECT_EQ(attendance_.ListAudit(school_, AuditQuery::Newest(1))->at(0).action, domain::AuditAction::kFinalize);

    EXPECT_EQ(attendance_.Reprocess(w_.admin, school_, core::DateFromYmd(2026, 3, 1), today).value(), 12);
    const auto line = attendance_.ListAudit(school_, AuditQuery::Newest(1))->at(0);
    EXPECT_EQ(line.action, domain::AuditAction::kRecompute);
    EXPECT_NE(line.new_value.find("2026-03-01"), std::string::npos);
}

}  // namespace
}  // namespace rollcall::service

namespace rollcall::service {
namespace {

/// What a school sees of a register row, to compare two reads of the same day.
std::string Shown(const Register& reg) {
    std::string out = core::FormatDate(reg.date) + (reg.final ? " final" : " open") +
                      (reg.finalized_by_admin ? " finalized" : "") + (reg.holiday ? " holiday" : "") +
                      (reg.school_day ? " school day" : "");
    for (const auto& row : reg.rows) {
        const auto shown = ShowRow(row);
        out += " | " + row.person.name + " " + std::string(core::NameOf(shown.status)) + " in " +
               (shown.in_time ? core::FormatTimeOfDay(*shown.in_time) : "-") + " out " +
               (shown.out_time ? core::FormatTimeOfDay(*shown.out_time) : "-") + " punches " +
               std::to_string(row.punches.size());
    }
    return out;
}

// The register screen and its exports list people by kind as the school reads the word (staff before student),
// then by group and name: the kind is an enum, but its order on the page is its name's.
TEST_F(AttendanceTest, TheRegisterListsStaffBeforeStudentsThenByGroupAndName) {
    for (const auto& [name, kind, group] : {std::tuple{"Zawadi", domain::PersonKind::kStudent, "5A"},
                                            {"Otieno", domain::PersonKind::kStaff, ""},
                                            {"Baraka", domain::PersonKind::kStudent, "4B"},
                                            {"Achieng", domain::PersonKind::kStaff, ""}}) {
        PersonPatch p;
        p.name = name;
        p.kind = kind;
        p.group = group;
        ASSERT_TRUE(people_.CreatePerson(w_.admin, school_, p).ok());
    }
    const auto reg = attendance_.RegisterFor(school_, kWednesday).value();
    std::vector<std::string> names;
    for (const auto& row : reg.rows) {
        names.push_back(row.person.name);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"Achieng", "Otieno", "Amina", "Baraka", "Zawadi"}));
}

// The reports and the recompute worker read the registers of a range in blocks of days; what they get must be
// what the register screen gets for each day alone, across a block's edge, for a device on another zone whose
// punches change date (R5) and for a clock correction that moves punches by days (R4).
TEST_F(AttendanceTest, ARangeReadsTheSameRegistersAsEachOfItsDaysReadAlone) {
    auto dubai = w_.Gate(school_, "Dubai annex", 2);
    dubai.timezone = "Asia/Dubai";
    dubai = w_.store->UpdateDevice(dubai).value();
    ASSERT_TRUE(w_.store->TouchDevice(dubai.id, test::kWorldNow).ok());
    PersonPatch p;
    p.name = "Brian";
    p.kind = domain::PersonKind::kStaff;
    const auto brian = people_.CreatePerson(w_.admin, school_, p).value().id;
    people_.CreateMapping(w_.admin, school_, "8", brian, dubai.id).value();

    const core::Date from = core::DateFromYmd(2026, 1, 20);
    const core::Date to = core::DateFromYmd(2026, 3, 5);  // 45 days: two blocks of punches
    for (core::Date d = from; d <= to; d = core::Date{d.days + 3}) {
        Punch(core::FormatDate(d) + " 07:5" + std::to_string(d.days % 10) + ":00");
        storage::PunchBatch batch{school_, dubai.id, "push", test::kWorldNow, {}};
        // 00:30 in Dubai is 23:30 the day before in Nairobi.
        batch.rows.push_back({"8", *core::ParseLocalDateTime(core::FormatDate(d) + " 00:30:00"), 0, std::nullopt});
        ASSERT_TRUE(w_.store->WritePunches(batch).ok());
    }
    ClockCorrectionInput two_days{gate_.id,
                                  *core::ParseLocalDateTime("2026-02-15 00:00:00"),
                                  *core::ParseLocalDateTime("2026-02-25 00:00:00"),
                                  std::int64_t{2} * 86400,
                                  "the clock was two days behind"};
    ASSERT_TRUE(attendance_.AddClockCorrection(w_.admin, school_, two_days).ok());
    ASSERT_TRUE(attendance_.SetOverride(w_.admin, school_, Excused(core::DateFromYmd(2026, 2, 19))).ok());
    // A range reads the overrides and the finalized days of its blocks at once: each must land on its own day.
    ASSERT_TRUE(attendance_.SetOverride(w_.admin, school_, Excused(core::DateFromYmd(2026, 3, 3))).ok());
    ASSERT_TRUE(attendance_.FinalizeDay(w_.admin, school_, core::DateFromYmd(2026, 2, 18)).ok());
    ASSERT_TRUE(attendance_.FinalizeDay(w_.admin, school_, core::DateFromYmd(2026, 2, 20)).ok());
    ASSERT_TRUE(calendar_.CreateHoliday(w_.admin, school_, core::DateFromYmd(2026, 2, 24), "Half term").ok());

    std::vector<std::string> range;
    ASSERT_TRUE(attendance_
                    .ForEachRegister(school_,
                                     from,
                                     to,
                                     [&](Register& reg) -> core::Status {
                                         range.push_back(Shown(reg));
                                         return {};
                                     })
                    .ok());
    ASSERT_EQ(range.size(), static_cast<std::size_t>(to.days - from.days + 1));
    std::size_t punches = 0;
    for (core::Date d = from; d <= to; d = core::Date{d.days + 1}) {
        const auto alone = attendance_.RegisterFor(school_, d).value();
        for (const auto& row : alone.rows) {
            punches += row.punches.size();
        }
        EXPECT_EQ(range.at(static_cast<std::size_t>(d.days - from.days)), Shown(alone));
    }
    // 15 days with a gate punch and a Dubai punch each; the first Dubai punch falls on the day before the range.
    EXPECT_EQ(punches, 29U);
    const auto third = attendance_.RegisterFor(school_, core::DateFromYmd(2026, 3, 3)).value();
    EXPECT_EQ(ShowRow(third.rows.at(1)).status, domain::DayStatus::kExcused);
    EXPECT_TRUE(attendance_.RegisterFor(school_, core::DateFromYmd(2026, 2, 20))->finalized_by_admin);
    EXPECT_FALSE(attendance_.RegisterFor(school_, core::DateFromYmd(2026, 2, 19))->finalized_by_admin);

    // The worker's batches: scattered days, in any order, read the same as alone.
    const std::vector<core::Date> scattered{core::DateFromYmd(2026, 3, 1),
                                            core::DateFromYmd(2026, 1, 21),
                                            core::DateFromYmd(2026, 2, 19),
                                            core::DateFromYmd(2026, 2, 20),
                                            core::DateFromYmd(2026, 1, 22)};
    std::vector<core::Date> seen;
    ASSERT_TRUE(attendance_
                    .ForEachRegisterOn(school_,
                                       scattered,
                                       [&](Register& reg) -> core::Status {
                                           seen.push_back(reg.date);
                                           EXPECT_EQ(Shown(reg),
                                                     Shown(attendance_.RegisterFor(school_, reg.date).value()));
                                           return {};
                                       })
                    .ok());
    auto sorted = scattered;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(seen, sorted);
}

// The settings preview (docs/api.md "Settings"): the day's register under the settings in force and under proposed
// ones, side by side, with nothing stored, marked or audited; and what it says is what the PUT then brings.
TEST_F(AttendanceTest, APreviewShowsWhoseStatusProposedSettingsWouldChangeAndStoresNothing) {
    Punch("2026-03-11 08:20:00");  // late against 08:00
    const auto audit_before = w_.Audit(school_).size();
    const auto versions_before = w_.store->ListSettings(school_).value().size();
    const auto dirty_before = w_.store->CountDirty().value();
    const auto later = w_.Settings(R"({"effective_from":"2026-03-12","school_start_time":"08:30"})");

    const auto preview = attendance_.PreviewSettings(school_, kWednesday, "", later).value();
    EXPECT_EQ(preview.date, kWednesday);
    EXPECT_EQ(preview.current.Of(domain::DayStatus::kLate), 1);
    EXPECT_EQ(preview.current.Of(domain::DayStatus::kPresent), 0);
    EXPECT_EQ(preview.proposed.Of(domain::DayStatus::kLate), 0);
    EXPECT_EQ(preview.proposed.Of(domain::DayStatus::kPresent), 1);
    EXPECT_EQ(preview.changed, 1);
    ASSERT_EQ(preview.changes.size(), 1U);
    EXPECT_EQ(preview.changes[0].person.id, amina_);
    EXPECT_EQ(preview.changes[0].now, domain::DayStatus::kLate);
    EXPECT_EQ(preview.changes[0].proposed, domain::DayStatus::kPresent);
    EXPECT_EQ(preview.changes[0].in_time, std::optional<std::int32_t>(8 * 3600 + 20 * 60));

    EXPECT_EQ(w_.Audit(school_).size(), audit_before);
    EXPECT_EQ(w_.store->ListSettings(school_).value().size(), versions_before);
    EXPECT_EQ(w_.store->CountDirty().value(), dirty_before);
    EXPECT_EQ(StatusOn(kWednesday), domain::DayStatus::kLate);

    // Stored from that day on, the settings give the register the preview showed.
    auto stored = later;
    stored.effective_from = kWednesday;
    ASSERT_TRUE(calendar_.PutSettings(w_.admin, school_, stored).ok());
    EXPECT_EQ(StatusOn(kWednesday), domain::DayStatus::kPresent);
}

TEST_F(AttendanceTest, APreviewOfAScopeCountsOnlyItsPeopleAndAnOverrideStaysAsItIs) {
    Punch("2026-03-11 08:20:00");
    const auto later = w_.Settings(R"({"effective_from":"2026-03-12","school_start_time":"08:30"})");
    const auto staff = attendance_.PreviewSettings(school_, kWednesday, "kind:staff", later).value();
    EXPECT_EQ(staff.current.SchoolDays(), 0);  // Amina is a student
    EXPECT_EQ(staff.changed, 0);
    const auto students = attendance_.PreviewSettings(school_, kWednesday, "kind:student", later).value();
    EXPECT_EQ(students.changed, 1);

    ASSERT_TRUE(attendance_.SetOverride(w_.admin, school_, Excused(kWednesday)).ok());
    const auto overridden = attendance_.PreviewSettings(school_, kWednesday, "", later).value();
    EXPECT_EQ(overridden.changed, 0);
    EXPECT_EQ(overridden.proposed.Of(domain::DayStatus::kExcused), 1);
}

TEST_F(AttendanceTest, APreviewNamesAtMostAHundredPeopleAndCountsThemAll) {
    for (int i = 0; i < 120; ++i) {
        PersonPatch p;
        p.name = "Student " + std::to_string(i);
        p.kind = domain::PersonKind::kStudent;
        p.active_from = std::optional<core::Date>(core::DateFromYmd(2026, 1, 1));
        const auto id = people_.CreatePerson(w_.admin, school_, p).value().id;
        people_.CreateMapping(w_.admin, school_, std::to_string(100 + i), id, std::nullopt).value();
    }
    // Nobody punched on Wednesday: everyone is absent; with Wednesday no school day, nobody is.
    const auto no_wednesdays = w_.Settings(R"({"effective_from":"2026-03-12","school_start_time":"08:00",
        "school_days":["mon","tue","thu","fri"]})");
    const auto preview = attendance_.PreviewSettings(school_, kWednesday, "", no_wednesdays).value();
    EXPECT_EQ(preview.current.Of(domain::DayStatus::kAbsent), 121);
    EXPECT_EQ(preview.proposed.Of(domain::DayStatus::kHoliday), 121);
    EXPECT_EQ(preview.changed, 121);
    EXPECT_EQ(preview.changes.size(), kPreviewChangesShown);
}

}  // namespace
}  // namespace rollcall::service
