// Reports against a real temporary store: read from the same registers the API serves, day by day.

#include "service/reports.hpp"

#include "service/calendar.hpp"
#include "support/service_world.hpp"

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

class ReportsTest : public ::testing::Test {
protected:
    test::ServiceWorld w_;
    Accounts accounts_{*w_.store, w_.crypto, w_.clock, AccountsConfig{}};
    People people_{*w_.store, w_.clock, 32};
    Attendance attendance_{*w_.store, w_.clock};
    Reports reports_{accounts_, people_, attendance_};
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

TEST_F(ReportsTest, TheUnmappedPeopleReportListsOnlyPeopleWithoutAMapping) {
    Person("Amina", "7");
    Person("Brian", std::nullopt);
    const auto table = reports_.UnmappedPeopleReport(school_).value();
    ASSERT_EQ(table.rows.size(), 1U);
    EXPECT_EQ(table.rows[0][0], "Brian");
    EXPECT_EQ(reports_.UnmappedPeopleReport(school_ + 100).error().code, core::Errc::kNotFound);
}

}  // namespace
}  // namespace rollcall::service
