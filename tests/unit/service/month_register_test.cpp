// The monthly register against a real temporary store: the letter of every cell of a month (present, late, absent,
// excused, holiday, weekend, an override, someone who joined mid-month, someone nothing can record), the totals per
// person and per day, one group or the whole school, and its CSV. The clock says 2026-03-12 13:00 in Nairobi.

#include "service/month_register.hpp"

#include "service/calendar.hpp"
#include "service/reports.hpp"
#include "support/service_world.hpp"

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

using domain::DayStatus;

core::Date March(unsigned day) {
    return core::DateFromYmd(2026, 3, day);
}

/// The cells of a person as one string, '.' for a blank: "WPLAE" reads better in a failure than a vector.
std::string Letters(const MonthPerson& p) {
    std::string out;
    for (const auto mark : p.cells) {
        const auto letter = core::NameOf(mark);
        out += letter.empty() ? std::string(".") : std::string(letter);
    }
    return out;
}

class MonthRegisterTest : public ::testing::Test {
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
    std::int64_t amina_ = 0;
    std::int64_t brian_ = 0;
    std::int64_t chao_ = 0;
    std::int64_t dana_ = 0;

    std::int64_t Person(const std::string& name,
                        const std::string& group,
                        core::Date active_from,
                        std::optional<std::string> user_id,
                        domain::PersonKind kind = domain::PersonKind::kStudent) {
        PersonPatch p;
        p.name = name;
        p.kind = kind;
        p.group = group;
        p.external_id = "00" + name.substr(0, 1);  // looks like a number to a spreadsheet: must stay text
        p.active_from = std::optional<core::Date>(active_from);
        const auto id = people_.CreatePerson(w_.admin, school_, p).value().id;
        if (user_id) {
            people_.CreateMapping(w_.admin, school_, *user_id, id, std::nullopt).value();
        }
        return id;
    }
    void Punch(const std::string& user, const std::string& time) {
        storage::PunchBatch batch{school_, gate_.id, "push", test::kWorldNow, {}};
        batch.rows.push_back({user, *core::ParseLocalDateTime(time), 0, std::nullopt});
        ASSERT_TRUE(w_.store->WritePunches(batch).ok());
    }
    void Override(std::int64_t person, core::Date date, DayStatus status) {
        ASSERT_TRUE(attendance_
                        .SetOverride(w_.admin,
                                     school_,
                                     OverrideInput{person, date, status, std::nullopt, std::nullopt, "phoned"})
                        .ok());
    }

    void SetUp() override {
        ASSERT_TRUE(calendar_
                        .PutSettings(w_.admin,
                                     school_,
                                     w_.Settings(R"({"effective_from":"2026-01-01","school_start_time":"08:00"})"))
                        .ok());
        ASSERT_TRUE(calendar_.CreateHoliday(w_.admin, school_, March(6), "Founders' Day").ok());
        amina_ = Person("Amina", "5A", core::DateFromYmd(2026, 1, 1), "7");
        brian_ = Person("Brian", "5A", March(10), "8");                             // joined on Tuesday the 10th
        chao_ = Person("Chao", "6B", core::DateFromYmd(2026, 1, 1), std::nullopt);  // no mapping
        dana_ = Person("Dana", "", core::DateFromYmd(2026, 1, 1), "9", domain::PersonKind::kStaff);
        Punch("7", "2026-03-02 07:55:00");  // Monday: present
        Punch("7", "2026-03-03 08:10:00");  // Tuesday: late
        Punch("7", "2026-03-12 07:50:00");  // today: present
        Punch("8", "2026-03-10 08:00:00");  // exactly at the start: present
        Punch("8", "2026-03-12 08:30:00");  // late
        Punch("9", "2026-03-12 07:30:00");
        Override(amina_, March(5), DayStatus::kExcused);  // no punch: would be absent
        Override(amina_, March(9), DayStatus::kPresent);  // no punch: would be absent
        // The gate was heard from now, so every day up to today is final (R16).
        ASSERT_TRUE(w_.store->TouchDevice(gate_.id, test::kWorldNow).ok());
    }

    MonthRegister Month(MonthFilter filter = {}) { return reports_.MonthlyRegister(school_, 2026, 3, filter).value(); }
};

TEST_F(MonthRegisterTest, EachCellShowsTheDayAsTheRegisterDoesWithWeekendsHolidaysAndOverrides) {
    const auto month = Month(MonthFilter{"5A", std::nullopt});
    ASSERT_EQ(month.groups.size(), 1U);
    const auto& group = month.groups[0];
    EXPECT_EQ(group.group, "5A");
    ASSERT_EQ(group.people.size(), 2U);
    const auto& amina = group.people[0];
    EXPECT_EQ(amina.person.id, amina_);
    // March 2026 starts on a Sunday; the 6th is Founders' Day; today is Thursday the 12th, so from the 13th on only
    // the weekends are known.
    //                          1234567890123456789012345678901
    EXPECT_EQ(Letters(amina), "WPLAEHWWPAAP.WW.....WW.....WW..");
    EXPECT_EQ(amina.overridden, (std::vector<std::size_t>{4, 8}));
    const auto& t = amina.totals;
    EXPECT_EQ(t.Of(DayStatus::kPresent), 3);
    EXPECT_EQ(t.Of(DayStatus::kLate), 1);
    EXPECT_EQ(t.Of(DayStatus::kAbsent), 3);
    EXPECT_EQ(t.Of(DayStatus::kExcused), 1);
    EXPECT_EQ(t.Attended(), 4);
    EXPECT_EQ(t.SchoolDays(), 8);
    EXPECT_NEAR(t.AttendancePercent().value(), 100.0 * 4 / 7, 1e-9);  // an excused day is not held against her
}

TEST_F(MonthRegisterTest, SomeoneWhoJoinedMidMonthIsBlankBeforeTheirFirstDayAndCountsOnlyFromIt) {
    const auto month = Month(MonthFilter{"5A", std::nullopt});
    const auto& brian = month.groups.at(0).people.at(1);
    EXPECT_EQ(brian.person.id, brian_);
    EXPECT_EQ(Letters(brian), ".........PAL.WW.....WW.....WW..");
    EXPECT_TRUE(brian.overridden.empty());
    EXPECT_EQ(brian.totals.SchoolDays(), 3);
    EXPECT_EQ(brian.totals.Attended(), 2);
}

TEST_F(MonthRegisterTest, TheDayTotalsCountEachDaysCellsOfTheGroup) {
    const auto month = Month(MonthFilter{"5A", std::nullopt});
    const auto& days = month.groups.at(0).day_totals;
    ASSERT_EQ(days.size(), 31U);
    const auto& tenth = days[9];  // Amina absent, Brian present
    EXPECT_EQ(tenth.Of(DayStatus::kPresent), 1);
    EXPECT_EQ(tenth.Of(DayStatus::kAbsent), 1);
    const auto& twelfth = days[11];  // Amina present, Brian late
    EXPECT_EQ(twelfth.Of(DayStatus::kPresent), 1);
    EXPECT_EQ(twelfth.Of(DayStatus::kLate), 1);
    EXPECT_EQ(days[4].Of(DayStatus::kExcused), 1);  // Amina's override; Brian had not joined
    EXPECT_EQ(days[4].Of(DayStatus::kAbsent), 0);
    EXPECT_EQ(days[20].SchoolDays(), 0);  // the 21st: a Saturday to come
}

TEST_F(MonthRegisterTest, TheDaysSayWhichAreSchoolDaysAndNameTheHoliday) {
    const auto month = Month();
    ASSERT_EQ(month.days.size(), 31U);
    EXPECT_EQ(month.days[0].date, March(1));
    EXPECT_FALSE(month.days[0].school_day);  // Sunday
    EXPECT_TRUE(month.days[1].school_day);
    EXPECT_FALSE(month.days[5].school_day);
    EXPECT_EQ(month.days[5].holiday, std::optional<std::string>("Founders' Day"));
    EXPECT_FALSE(month.days[4].holiday.has_value());
    EXPECT_EQ(month.today, March(12));
    EXPECT_EQ(month.MonthText(), "2026-03");
    EXPECT_EQ(month.MonthTitle(), "March 2026");
    EXPECT_TRUE(month.warnings.empty());
}

TEST_F(MonthRegisterTest, TheWholeSchoolIsEveryGroupStaffFirstAndSomeoneNothingCanRecordIsN) {
    const auto month = Month();
    ASSERT_EQ(month.groups.size(), 3U);
    EXPECT_EQ(month.groups[0].kind, domain::PersonKind::kStaff);
    EXPECT_EQ(GroupLabel(month.groups[0]), "Staff");
    EXPECT_EQ(month.groups[1].group, "5A");
    EXPECT_EQ(month.groups[2].group, "6B");
    const auto& chao = month.groups[2].people.at(0);
    EXPECT_EQ(chao.person.id, chao_);
    EXPECT_EQ(Letters(chao), "WNNNNHWWNNNN.WW.....WW.....WW..");
    EXPECT_EQ(chao.totals.SchoolDays(), 0);
    EXPECT_FALSE(chao.totals.AttendancePercent().has_value());
    // The whole school's day totals add up every group's.
    EXPECT_EQ(month.day_totals[11].Of(DayStatus::kPresent), 2);  // Amina and Dana
    EXPECT_EQ(month.day_totals[11].Of(DayStatus::kLate), 1);     // Brian
}

TEST_F(MonthRegisterTest, AKindShowsOnlyItsPeopleAndAGroupNobodyIsInIsNotFound) {
    const auto staff = Month(MonthFilter{std::nullopt, domain::PersonKind::kStaff});
    ASSERT_EQ(staff.groups.size(), 1U);
    ASSERT_EQ(staff.groups[0].people.size(), 1U);
    EXPECT_EQ(staff.groups[0].people[0].person.id, dana_);
    const auto none = reports_.MonthlyRegister(school_, 2026, 3, MonthFilter{"7Z", std::nullopt});
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().code, core::Errc::kNotFound);
    // Another school's group is no group of this one.
    const auto valley = w_.School("Valley School");
    const auto elsewhere = reports_.MonthlyRegister(valley, 2026, 3, MonthFilter{"5A", std::nullopt});
    ASSERT_FALSE(elsewhere.ok());
    EXPECT_EQ(elsewhere.error().code, core::Errc::kNotFound);
}

TEST_F(MonthRegisterTest, AMonthThatHasNotStartedShowsOnlyItsWeekendsAndDecemberEndsOnThe31st) {
    const auto april = reports_.MonthlyRegister(school_, 2026, 4, MonthFilter{"5A", std::nullopt}).value();
    ASSERT_EQ(april.days.size(), 30U);
    EXPECT_EQ(Letters(april.groups.at(0).people.at(0)), "...WW.....WW.....WW.....WW....");
    EXPECT_EQ(april.groups[0].people[0].totals.SchoolDays(), 0);
    const auto december = reports_.MonthlyRegister(school_, 2025, 12, MonthFilter{}).value();
    ASSERT_EQ(december.days.size(), 31U);
    EXPECT_EQ(december.days.back().date, core::DateFromYmd(2025, 12, 31));
}

TEST_F(MonthRegisterTest, WithoutAStartTimeTheMonthWarnsThatNobodyCouldBeLate) {
    ASSERT_TRUE(calendar_.PutSettings(w_.admin, school_, w_.Settings(R"({"effective_from":"2026-03-09"})")).ok());
    const auto month = Month();
    ASSERT_EQ(month.warnings.size(), 1U);
    EXPECT_NE(month.warnings[0].find("on 17 of the 21 school days"), std::string::npos) << month.warnings[0];
}

TEST_F(MonthRegisterTest, TheCsvHasTheHeadingALinePerPersonWithMarkedOverridesTheDayTotalsAndTheLegend) {
    const auto csv = MonthToCsv(Month(MonthFilter{"5A", std::nullopt}));
    EXPECT_EQ(csv.substr(0, csv.find("\r\n\r\n")), "Monthly register,Hill School\r\nMonth,March 2026\r\nGroup,5A");
    EXPECT_NE(csv.find("\r\nName,External ID,1,2,3,"), std::string::npos);
    EXPECT_NE(csv.find(",,Su,Mo,Tu,We,Th,Fr,Sa,Su,"), std::string::npos);
    EXPECT_NE(csv.find("\r\nAmina,00A,W,P,L,A,E*,H,W,W,P*,A,A,P,,W,W,,,,,,W,W,,,,,,W,W,,,3,1,3,1,0,4,8,57.1\r\n"),
              std::string::npos)
        << csv;
    EXPECT_NE(csv.find("\r\nAbsent,,0,0,0,1,0,0,0,0,0,1,2,0,"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\r\nLegend,P,present\r\n"), std::string::npos);
    EXPECT_NE(csv.find("\r\nLegend,*,\"set by an admin (an override, R19)\"\r\n"), std::string::npos);
}

}  // namespace
}  // namespace rollcall::service
