// Reports against a real temporary store: read from the same registers the API serves, day by day.

#include "service/reports.hpp"

#include "service/calendar.hpp"
#include "support/service_world.hpp"
#include "support/zip_entry.hpp"

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

class ReportsTest : public ::testing::Test {
protected:
    test::ServiceWorld w_;
    Accounts accounts_{*w_.store, w_.crypto, w_.clock, AccountsConfig{}};
    People people_{*w_.store, w_.clock, 32};
    Attendance attendance_{*w_.store, w_.clock};
    Devices devices_{*w_.store, w_.crypto, w_.clock};
    Calendar calendar_{*w_.store, w_.clock};
    Reports reports_{accounts_, people_, attendance_, devices_, calendar_};
    std::int64_t school_ = w_.School();
    storage::Device gate_ = w_.Gate(school_);

    std::int64_t Person(const std::string& name, std::optional<std::string> user_id) {
        PersonPatch p;
        p.name = name;
        p.kind = domain::PersonKind::kStudent;
        p.group = "5A";
        p.active_from = std::optional<core::Date>(core::DateFromYmd(2026, 1, 1));  // with the school all term
        const auto id = people_.CreatePerson(w_.admin, school_, p).value().id;
        if (user_id) {
            people_.CreateMapping(w_.admin, school_, *user_id, id, std::nullopt).value();
        }
        return id;
    }
    void SetUp() override {
        Calendar calendar{*w_.store, w_.clock};
        ASSERT_TRUE(calendar
                        .PutSettings(w_.admin,
                                     school_,
                                     w_.Settings(R"({"effective_from":"2026-01-01","school_start_time":"08:00"})"))
                        .ok());
        storage::PunchBatch batch{school_, gate_.id, "push", test::kWorldNow, {}};
        batch.rows.push_back({"7", *core::ParseLocalDateTime("2026-03-10 08:25:00"), 0, std::nullopt});
        batch.rows.push_back({"99", *core::ParseLocalDateTime("2026-03-10 07:40:00"), 0, std::nullopt});
        ASSERT_TRUE(w_.store->WritePunches(batch).ok());
    }
};

TEST_F(ReportsTest, TheLateReportListsEachLateArrivalWithItsMinutes) {
    Person("Amina", "7");
    const auto table =
        reports_.LateReport(school_, core::DateFromYmd(2026, 3, 9), core::DateFromYmd(2026, 3, 11)).value();
    EXPECT_EQ(table.school, "Hill School");
    EXPECT_EQ(table.period, "2026-03-09 to 2026-03-11");
    ASSERT_EQ(table.rows.size(), 1U);
    EXPECT_EQ(table.rows[0], (std::vector<std::string>{"2026-03-10", "Amina", "student", "5A", "08:25:00", "25"}));
}

TEST_F(ReportsTest, TheIgnoredPunchesReportNamesTheUnmappedUser) {
    Person("Amina", "7");
    const auto table =
        reports_.IgnoredPunchesReport(school_, core::DateFromYmd(2026, 3, 10), core::DateFromYmd(2026, 3, 10)).value();
    ASSERT_EQ(table.rows.size(), 1U);
    EXPECT_EQ(table.rows[0][3], "99");
    EXPECT_EQ(table.rows[0][5], "R7");
}

// Issue 11, item 6: user 99 punched in February and in March; a report of one March day lists that day's punch
// only, and names the gate rather than its id.
TEST_F(ReportsTest, TheIgnoredPunchesReportKeepsToItsPeriodForUnmappedUsersAndNamesTheGate) {
    Person("Amina", "7");
    storage::PunchBatch february{school_, gate_.id, "push", test::kWorldNow, {}};
    february.rows.push_back({"99", *core::ParseLocalDateTime("2026-02-02 07:40:00"), 0, std::nullopt});
    february.rows.push_back({"99", *core::ParseLocalDateTime("2026-02-03 07:40:00"), 0, std::nullopt});
    ASSERT_TRUE(w_.store->WritePunches(february).ok());
    const auto march =
        reports_.IgnoredPunchesReport(school_, core::DateFromYmd(2026, 3, 10), core::DateFromYmd(2026, 3, 10)).value();
    ASSERT_EQ(march.rows.size(), 1U);
    EXPECT_EQ(march.rows[0],
              (std::vector<std::string>{"2026-03-10", "", "Main gate", "99", "", "R7", "unmapped user (1 punches)"}));
    const auto february_report =
        reports_.IgnoredPunchesReport(school_, core::DateFromYmd(2026, 2, 1), core::DateFromYmd(2026, 2, 28)).value();
    ASSERT_EQ(february_report.rows.size(), 1U);
    EXPECT_EQ(february_report.rows[0][0], "2026-02-02 to 2026-02-03");
    EXPECT_EQ(february_report.rows[0][6], "unmapped user (2 punches)");
    EXPECT_TRUE(reports_.IgnoredPunchesReport(school_, core::DateFromYmd(2026, 3, 1), core::DateFromYmd(2026, 3, 9))
                    ->rows.empty());
}

// Issue 11, item 6: with no start time nobody can be late; the report says so instead of being silently empty.
TEST_F(ReportsTest, TheLateReportWithoutAStartTimeCarriesTheWarningInEveryFormat) {
    Person("Amina", "7");
    Calendar calendar{*w_.store, w_.clock};
    ASSERT_TRUE(
        calendar.PutSettings(w_.admin, school_, w_.Settings(R"({"effective_from":"2026-03-11","grace_minutes":5})"))
            .ok());
    const auto only_some =
        reports_.LateReport(school_, core::DateFromYmd(2026, 3, 9), core::DateFromYmd(2026, 3, 12)).value();
    EXPECT_EQ(only_some.rows.size(), 1U) << "the 10th still had its start time";
    EXPECT_EQ(only_some.warnings,
              std::vector<std::string>{
                  "no school start time is set on 2 of the 4 days: nobody is marked late on those days (R15)"});
    const auto none =
        reports_.LateReport(school_, core::DateFromYmd(2026, 3, 11), core::DateFromYmd(2026, 3, 12)).value();
    EXPECT_TRUE(none.rows.empty());
    EXPECT_EQ(none.warnings, std::vector<std::string>{"no school start time is set: nobody is marked late (R15)"});
    EXPECT_NE(ToCsv(none).find("Warning,no school start time is set: nobody is marked late (R15)\r\n"),
              std::string::npos);
    const auto workbook = ToXlsx(none).value();
    EXPECT_NE(test::ZipEntry(workbook, "xl/sharedStrings.xml").find("no school start time is set"), std::string::npos);
    EXPECT_TRUE(
        reports_.LateReport(school_, core::DateFromYmd(2026, 3, 9), core::DateFromYmd(2026, 3, 10))->warnings.empty());
}

// Issue 11, item 3: a student added today with active_from today has no school days last year, and the days of a
// leaver after active_to are not theirs either.
TEST_F(ReportsTest, TheSummaryCountsOnlyTheDaysSomeoneWasActive) {
    const auto amina = Person("Amina", "7");
    PersonPatch joined;
    joined.active_from = core::DateFromYmd(2026, 3, 10);
    ASSERT_TRUE(people_.UpdatePerson(w_.admin, school_, amina, joined).ok());
    ASSERT_TRUE(w_.store->TouchDevice(gate_.id, test::kWorldNow).ok());
    const auto table =
        reports_.SummaryReport(school_, core::DateFromYmd(2026, 3, 2), core::DateFromYmd(2026, 3, 11)).value();
    ASSERT_EQ(table.rows.size(), 1U);
    // Name, Kind, Group, School days, Present, Late, Absent, Excused, Pending, Attendance %: 10 and 11 March.
    EXPECT_EQ(table.rows[0],
              (std::vector<std::string>{"Amina", "student", "5A", "2", "0", "1", "1", "0", "0", "50.0"}));
}

TEST_F(ReportsTest, TheUnmappedPeopleReportListsOnlyPeopleWithoutAMapping) {
    Person("Amina", "7");
    Person("Brian", std::nullopt);
    const auto table = reports_.UnmappedPeopleReport(school_).value();
    ASSERT_EQ(table.rows.size(), 1U);
    EXPECT_EQ(table.rows[0][0], "Brian");
    EXPECT_EQ(reports_.UnmappedPeopleReport(school_ + 100).error().code, core::Errc::kNotFound);
}

// The Today screen's chart: each day's register counts, as the register of that day shows them (R19: an override's
// status), with the days that are no school days said so.
TEST_F(ReportsTest, TheTrendCountsEachDaysRegisterAsItShowsAndSaysWhichDaysAreSchoolDays) {
    const auto amina = Person("Amina", "7");
    Person("Brian", "8");
    Calendar calendar{*w_.store, w_.clock};
    ASSERT_TRUE(calendar.CreateHoliday(w_.admin, school_, core::DateFromYmd(2026, 3, 6), "Founders' Day").ok());
    ASSERT_TRUE(attendance_
                    .SetOverride(w_.admin,
                                 school_,
                                 OverrideInput{amina,
                                               core::DateFromYmd(2026, 3, 9),
                                               domain::DayStatus::kExcused,
                                               std::nullopt,
                                               std::nullopt,
                                               "clinic"})
                    .ok());
    ASSERT_TRUE(w_.store->TouchDevice(gate_.id, test::kWorldNow).ok());  // every day before today is final (R16)
    const auto trend = reports_.Trend(school_, core::DateFromYmd(2026, 3, 6), core::DateFromYmd(2026, 3, 12)).value();
    ASSERT_EQ(trend.size(), 7U);
    EXPECT_TRUE(trend[0].holiday);
    EXPECT_FALSE(trend[0].school_day);
    EXPECT_EQ(trend[0].counts.Of(domain::DayStatus::kHoliday), 2);
    EXPECT_FALSE(trend[1].holiday);  // Saturday
    EXPECT_FALSE(trend[1].school_day);
    EXPECT_TRUE(trend[3].school_day);  // Monday the 9th: Amina excused, Brian absent
    EXPECT_EQ(trend[3].counts.Of(domain::DayStatus::kExcused), 1);
    EXPECT_EQ(trend[3].counts.Of(domain::DayStatus::kAbsent), 1);
    EXPECT_EQ(trend[4].counts.Of(domain::DayStatus::kLate), 1);  // Tuesday: Amina at 08:25
    EXPECT_EQ(trend[4].counts.Of(domain::DayStatus::kAbsent), 1);
    for (const auto& day : trend) {
        const auto reg = attendance_.RegisterFor(school_, day.date).value();
        StatusCounts counts;
        for (const auto& row : reg.rows) {
            counts.Add(ShowRow(row).status);
        }
        EXPECT_EQ(day.counts.by_status, counts.by_status) << core::FormatDate(day.date);
        EXPECT_EQ(day.final, reg.final);
    }
}

}  // namespace
}  // namespace rollcall::service
