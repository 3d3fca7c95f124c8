// The calendar against a real temporary store: settings versions by day and scope (R21), and holidays.

#include "service/calendar.hpp"

#include "support/service_world.hpp"

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

class CalendarTest : public ::testing::Test {
protected:
    test::ServiceWorld w_;
    Calendar calendar_{*w_.store, w_.clock};
    std::int64_t school_ = w_.School();
};

TEST_F(CalendarTest, TodayIsTheSchoolsDayInItsOwnZone) {
    w_.clock.Set(1773342000);  // 2026-03-12 19:00 UTC: already the 13th in Auckland
    EXPECT_EQ(calendar_.SchoolToday(w_.School("Harbour School", "Pacific/Auckland")).value(),
              core::DateFromYmd(2026, 3, 13));
    EXPECT_EQ(calendar_.SchoolToday(school_).value(), core::DateFromYmd(2026, 3, 12));
}

TEST_F(CalendarTest, ASettingsVersionHoldsFromItsDayOnAndAScopeFallsBackToTheSchools) {
    ASSERT_TRUE(calendar_
                    .PutSettings(w_.admin,
                                 school_,
                                 w_.Settings(R"({"effective_from":"2026-01-01","school_start_time":"08:00"})"))
                    .ok());
    ASSERT_TRUE(calendar_
                    .PutSettings(w_.admin,
                                 school_,
                                 w_.Settings(R"({"effective_from":"2026-03-01","school_start_time":"07:30"})"),
                                 "kind:staff")
                    .ok());
    EXPECT_EQ(calendar_.SettingsOn(school_, core::DateFromYmd(2026, 3, 12))->school_start_time, 8 * 3600);
    EXPECT_EQ(calendar_.SettingsOn(school_, core::DateFromYmd(2026, 3, 12), "kind:staff")->school_start_time,
              7 * 3600 + 1800);
    // Before the staff's own version, the school's applies; before any, the defaults (no start time).
    EXPECT_EQ(calendar_.SettingsOn(school_, core::DateFromYmd(2026, 2, 1), "kind:staff")->school_start_time, 8 * 3600);
    EXPECT_FALSE(calendar_.SettingsOn(school_, core::DateFromYmd(2025, 12, 1))->school_start_time.has_value());
    const auto line = w_.Audit(school_).at(0);
    EXPECT_EQ(line.entity, "settings");
    EXPECT_NE(line.new_value.find(R"("scope":"kind:staff")"), std::string::npos);
}

TEST_F(CalendarTest, BadSettingsAreRefusedAndLeaveNoVersion) {
    // The API's decoder refuses such settings first; the service does not trust its caller either.
    auto settings = w_.Settings(R"({"school_start_time":"08:00"})");
    settings.grace_minutes = -10;
    const auto refused = calendar_.PutSettings(w_.admin, school_, settings);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::Errc::kInvalidArgument);
    EXPECT_TRUE(refused.error().message.starts_with("grace_minutes")) << refused.error().message;
    EXPECT_TRUE(w_.Audit(school_).empty());
}

TEST_F(CalendarTest, AHolidayIsOnePerDayNamedAndAudited) {
    const auto day = core::DateFromYmd(2026, 4, 3);
    const auto holiday = calendar_.CreateHoliday(w_.admin, school_, day, "Good Friday").value();
    EXPECT_EQ(calendar_.CreateHoliday(w_.admin, school_, day, "Again").error().message, "date: already a holiday");
    EXPECT_EQ(calendar_.CreateHoliday(w_.admin, school_, core::DateFromYmd(2026, 4, 6), "").error().message,
              "name: required");
    ASSERT_EQ(calendar_.ListHolidays(school_)->size(), 1U);
    ASSERT_TRUE(calendar_.DeleteHoliday(w_.admin, school_, holiday.id).ok());
    EXPECT_EQ(calendar_.DeleteHoliday(w_.admin, school_, holiday.id).error().code, core::Errc::kNotFound);
    const auto audit = w_.Audit(school_);
    ASSERT_EQ(audit.size(), 2U);
    EXPECT_EQ(audit[0].action, domain::AuditAction::kDelete);
    EXPECT_EQ(audit[1].action, domain::AuditAction::kCreate);
    EXPECT_NE(audit[1].new_value.find("2026-04-03"), std::string::npos);
}

// Issue 11, item 6: asked for a group with no settings of its own, the answer says whose values they are.
TEST_F(CalendarTest, TheSettingsOfAScopeSayWhichScopeTheyComeFrom) {
    const auto today = core::DateFromYmd(2026, 3, 12);
    auto none = calendar_.ScopedSettingsOn(school_, today, "group:NOPE").value();
    EXPECT_EQ(none.source, kDefaultsScope);
    EXPECT_EQ(none.requested, "group:NOPE");
    EXPECT_TRUE(none.own_scopes.empty());
    ASSERT_TRUE(calendar_
                    .PutSettings(w_.admin,
                                 school_,
                                 w_.Settings(R"({"effective_from":"2026-01-01","school_start_time":"09:00"})"),
                                 "group:1A")
                    .ok());
    ASSERT_TRUE(calendar_
                    .PutSettings(w_.admin,
                                 school_,
                                 w_.Settings(R"({"effective_from":"2026-01-01","school_start_time":"08:00"})"))
                    .ok());
    const auto nope = calendar_.ScopedSettingsOn(school_, today, "group:NOPE").value();
    EXPECT_EQ(nope.source, "");
    EXPECT_EQ(nope.settings.school_start_time, 8 * 3600);
    EXPECT_EQ(nope.own_scopes, (std::vector<std::string>{"", "group:1A"}));
    EXPECT_EQ(calendar_.ScopedSettingsOn(school_, today, "group:1A")->source, "group:1A");
    // Before any version of the group or of the school: the defaults.
    EXPECT_EQ(calendar_.ScopedSettingsOn(school_, core::DateFromYmd(2025, 12, 1), "group:1A")->source, kDefaultsScope);
}

TEST_F(CalendarTest, DeletingAGroupsSettingsMakesItInheritAgainAndIsAudited) {
    const auto group = w_.Settings(R"({"effective_from":"2026-02-01","school_start_time":"09:00"})");
    ASSERT_TRUE(calendar_.PutSettings(w_.admin, school_, group, "group:1A").ok());
    ASSERT_TRUE(calendar_.DeleteScopeSettings(w_.admin, school_, "group:1A").ok());
    EXPECT_TRUE(calendar_.OwnScopes(school_)->empty());
    EXPECT_FALSE(calendar_.SettingsOn(school_, core::DateFromYmd(2026, 3, 12), "group:1A")->school_start_time);
    const auto line = w_.Audit(school_).at(0);
    EXPECT_EQ(line.action, domain::AuditAction::kDelete);
    EXPECT_EQ(line.entity, "settings");
    EXPECT_NE(line.old_value.find(R"("scope":"group:1A")"), std::string::npos);
    EXPECT_NE(line.old_value.find(R"("school_start_time":"09:00")"), std::string::npos);
    EXPECT_EQ(calendar_.DeleteScopeSettings(w_.admin, school_, "group:1A").error().code, core::Errc::kNotFound);
    EXPECT_EQ(calendar_.DeleteScopeSettings(w_.admin, school_, "").error().code, core::Errc::kInvalidArgument);
    EXPECT_EQ(w_.Audit(school_).size(), 2U) << "a refused delete writes no line";
}

TEST_F(CalendarTest, AScopeIsAKindOrAGroupNeverBoth) {
    EXPECT_EQ(SettingsScope(std::nullopt, std::nullopt).value(), "");
    EXPECT_EQ(SettingsScope(std::string("staff"), std::nullopt).value(), "kind:staff");
    EXPECT_EQ(SettingsScope(std::nullopt, std::string("5A")).value(), "group:5A");
    EXPECT_EQ(SettingsScope(std::string("staff"), std::string("5A")).error().code, core::Errc::kInvalidArgument);
    EXPECT_EQ(SettingsScope(std::string("parent"), std::nullopt).error().message, "kind: must be student or staff");
}

}  // namespace
}  // namespace rollcall::service
