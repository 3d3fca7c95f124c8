#include "domain/attendance_settings.hpp"

#include <cstdint>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace rollcall::domain {
namespace {

constexpr std::int32_t Hm(int h, int m) {
    return h * 3600 + m * 60;
}

AttendanceSettings WithWindows(TimeWindow in, TimeWindow out) {
    AttendanceSettings s;
    s.in_window = in;
    s.out_window = out;
    return s;
}

/// The refusal's message starts with the field it names.
void ExpectRefused(const AttendanceSettings& s, std::string_view field) {
    const auto st = ValidateSettings(s);
    ASSERT_FALSE(st.ok()) << "expected a refusal naming " << field;
    EXPECT_EQ(st.error().code, core::Errc::kInvalidArgument);
    EXPECT_EQ(st.error().message.rfind(std::string(field) + ":", 0), 0U) << st.error().message;
}

TEST(ValidateSettings, DefaultsAreValid) {
    const AttendanceSettings s;
    EXPECT_TRUE(ValidateSettings(s).ok());
    EXPECT_FALSE(s.windows_mode());
    EXPECT_EQ(s.grace_minutes, 0);
    EXPECT_EQ(s.min_in_out_gap_minutes, 30);
    EXPECT_EQ(s.absent_after_minutes, 120);
    EXPECT_FALSE(s.use_device_punch_state);
    // Monday to Friday.
    EXPECT_TRUE(s.IsSchoolWeekday(core::DateFromYmd(2026, 3, 9)));
    EXPECT_TRUE(s.IsSchoolWeekday(core::DateFromYmd(2026, 3, 13)));
    EXPECT_FALSE(s.IsSchoolWeekday(core::DateFromYmd(2026, 3, 14)));
    EXPECT_FALSE(s.IsSchoolWeekday(core::DateFromYmd(2026, 3, 15)));
}

TEST(ValidateSettings, R11_WindowsInOrderAreAccepted) {
    const auto s = WithWindows({Hm(6, 0), Hm(9, 30)}, {Hm(15, 0), Hm(18, 0)});
    EXPECT_TRUE(ValidateSettings(s).ok());
    EXPECT_TRUE(s.windows_mode());
}

TEST(ValidateSettings, R11_OutWindowMayStartWhereInWindowEnds) {
    EXPECT_TRUE(ValidateSettings(WithWindows({Hm(6, 0), Hm(12, 0)}, {Hm(12, 0), Hm(18, 0)})).ok());
}

TEST(ValidateSettings, R11_InWindowMustStartBeforeItEnds) {
    ExpectRefused(WithWindows({Hm(9, 30), Hm(6, 0)}, {Hm(15, 0), Hm(18, 0)}), "in_window");
    ExpectRefused(WithWindows({Hm(9, 30), Hm(9, 30)}, {Hm(15, 0), Hm(18, 0)}), "in_window");
}

TEST(ValidateSettings, R11_OutWindowMustNotOverlapTheInWindow) {
    ExpectRefused(WithWindows({Hm(6, 0), Hm(9, 30)}, {Hm(9, 29), Hm(18, 0)}), "out_window");
    ExpectRefused(WithWindows({Hm(15, 0), Hm(18, 0)}, {Hm(6, 0), Hm(9, 30)}), "out_window");
}

TEST(ValidateSettings, R11_OutWindowMustStartBeforeItEnds) {
    ExpectRefused(WithWindows({Hm(6, 0), Hm(9, 30)}, {Hm(18, 0), Hm(15, 0)}), "out_window");
    ExpectRefused(WithWindows({Hm(6, 0), Hm(9, 30)}, {Hm(15, 0), Hm(15, 0)}), "out_window");
}

TEST(ValidateSettings, R11_OnlyOneWindowIsRefused) {
    AttendanceSettings only_in;
    only_in.in_window = TimeWindow{Hm(6, 0), Hm(9, 30)};
    EXPECT_FALSE(only_in.windows_mode());
    ExpectRefused(only_in, "out_window");
    const auto st = ValidateSettings(only_in);
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("both windows or neither"), std::string::npos);

    AttendanceSettings only_out;
    only_out.out_window = TimeWindow{Hm(15, 0), Hm(18, 0)};
    EXPECT_FALSE(only_out.windows_mode());
    ExpectRefused(only_out, "in_window");
}

TEST(ValidateSettings, MinuteFieldsMustBeWithinADay) {
    const std::pair<std::int32_t AttendanceSettings::*, const char*> fields[] = {
        {&AttendanceSettings::grace_minutes, "grace_minutes"},
        {&AttendanceSettings::early_leave_grace_minutes, "early_leave_grace_minutes"},
        {&AttendanceSettings::min_in_out_gap_minutes, "min_in_out_gap_minutes"},
        {&AttendanceSettings::absent_after_minutes, "absent_after_minutes"},
    };
    for (const auto& [member, name] : fields) {
        AttendanceSettings s;
        s.*member = 0;
        EXPECT_TRUE(ValidateSettings(s).ok()) << name;
        s.*member = 1440;
        EXPECT_TRUE(ValidateSettings(s).ok()) << name;
        s.*member = 1441;
        ExpectRefused(s, name);
        s.*member = -1;
        ExpectRefused(s, name);
    }
}

TEST(ValidateSettings, EndTimeMustBeAfterStartTime) {
    AttendanceSettings s;
    s.school_start_time = Hm(8, 0);
    s.school_end_time = Hm(16, 0);
    EXPECT_TRUE(ValidateSettings(s).ok());
    s.school_end_time = Hm(8, 0);
    ExpectRefused(s, "school_end_time");
    s.school_end_time = Hm(7, 0);
    ExpectRefused(s, "school_end_time");
    // Either one alone is fine.
    s.school_start_time.reset();
    EXPECT_TRUE(ValidateSettings(s).ok());
    s.school_start_time = Hm(8, 0);
    s.school_end_time.reset();
    EXPECT_TRUE(ValidateSettings(s).ok());
}

TEST(ValidateSettings, AtLeastOneSchoolDay) {
    AttendanceSettings s;
    s.school_days = 0;
    ExpectRefused(s, "school_days");
    s.school_days = 0x80;  // not a weekday bit
    ExpectRefused(s, "school_days");
    s.school_days = 0b1000000;  // Sunday only
    EXPECT_TRUE(ValidateSettings(s).ok());
    EXPECT_TRUE(s.IsSchoolWeekday(core::DateFromYmd(2026, 3, 15)));
    EXPECT_FALSE(s.IsSchoolWeekday(core::DateFromYmd(2026, 3, 9)));
}

TEST(Cutoff, R16_WindowsModeIsTheEndOfTheInWindow) {
    auto s = WithWindows({Hm(6, 0), Hm(9, 30)}, {Hm(15, 0), Hm(18, 0)});
    EXPECT_EQ(CutoffSecondsOfDay(s), Hm(9, 30));
    // Windows win over the start time.
    s.school_start_time = Hm(8, 0);
    s.absent_after_minutes = 30;
    EXPECT_EQ(CutoffSecondsOfDay(s), Hm(9, 30));
}

// Issue 11, item 5: while a punch between the windows can still be a late arrival, nobody is absent yet.
TEST(Cutoff, R16_ALateArrivalAfterTheInWindowMovesTheCutoffToTheOutWindow) {
    auto s = WithWindows({Hm(6, 0), Hm(9, 30)}, {Hm(15, 0), Hm(18, 0)});
    s.late_after_in_window = true;
    EXPECT_EQ(CutoffSecondsOfDay(s), Hm(15, 0));
}

TEST(ValidateSettings, R11_LateAfterInWindowNeedsBothWindowsAndIsOffByDefault) {
    EXPECT_FALSE(AttendanceSettings{}.late_after_in_window);
    AttendanceSettings s;
    s.late_after_in_window = true;
    ExpectRefused(s, "late_after_in_window");
    auto windows = WithWindows({Hm(6, 0), Hm(9, 30)}, {Hm(15, 0), Hm(18, 0)});
    windows.late_after_in_window = true;
    EXPECT_TRUE(ValidateSettings(windows).ok());
}

TEST(Cutoff, R16_StartTimePlusAbsentAfter) {
    AttendanceSettings s;
    s.school_start_time = Hm(8, 0);
    EXPECT_EQ(CutoffSecondsOfDay(s), Hm(10, 0));  // default 120 minutes
    s.absent_after_minutes = 45;
    EXPECT_EQ(CutoffSecondsOfDay(s), Hm(8, 45));
    s.absent_after_minutes = 0;
    EXPECT_EQ(CutoffSecondsOfDay(s), Hm(8, 0));
}

TEST(Cutoff, R16_StartTimePlusAbsentAfterNeverPassesTheEndOfTheDay) {
    AttendanceSettings s;
    s.school_start_time = Hm(23, 0);
    s.absent_after_minutes = 120;
    EXPECT_EQ(CutoffSecondsOfDay(s), 86400);
    s.absent_after_minutes = 60;
    EXPECT_EQ(CutoffSecondsOfDay(s), 86400);
    s.absent_after_minutes = 59;
    EXPECT_EQ(CutoffSecondsOfDay(s), 86400 - 60);
}

TEST(Cutoff, R16_NeitherIsTheEndOfTheDay) {
    AttendanceSettings s;
    EXPECT_EQ(CutoffSecondsOfDay(s), 86400);
    // Only one window is not windows mode.
    s.in_window = TimeWindow{Hm(6, 0), Hm(9, 30)};
    EXPECT_EQ(CutoffSecondsOfDay(s), 86400);
}

}  // namespace
}  // namespace rollcall::domain
