#include "domain/attendance.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace rollcall::domain {
namespace {

constexpr std::int32_t Hms(int h, int m, int s = 0) {
    return h * 3600 + m * 60 + s;
}

// 2026-03-12 is a Thursday; 2026-03-14 a Saturday; 2026-03-15 a Sunday; 2026-03-09 a Monday.
const core::Date kThursday = core::DateFromYmd(2026, 3, 12);
const core::Date kSaturday = core::DateFromYmd(2026, 3, 14);
const core::Date kSunday = core::DateFromYmd(2026, 3, 15);
const core::Date kMonday = core::DateFromYmd(2026, 3, 9);

DayPunch Punch(std::int64_t device,
               std::int32_t seconds_of_day,
               DeviceDirection direction = DeviceDirection::kAuto,
               std::optional<std::int32_t> status = std::nullopt) {
    return DayPunch{device, core::AtTime(kThursday, seconds_of_day), direction, status, false};
}

DayPunch In(std::int64_t device, std::int32_t t) {
    return Punch(device, t, DeviceDirection::kIn);
}
DayPunch Out(std::int64_t device, std::int32_t t) {
    return Punch(device, t, DeviceDirection::kOut);
}

/// Fallback mode (no windows), school starts at 08:00, no grace, no end time.
AttendanceSettings FallbackSettings() {
    AttendanceSettings s;
    s.school_start_time = Hms(8, 0);
    return s;
}

/// Windows mode: In 06:00-09:30, Out 15:00-18:00, start 08:00.
AttendanceSettings WindowSettings() {
    AttendanceSettings s;
    s.school_start_time = Hms(8, 0);
    s.in_window = TimeWindow{Hms(6, 0), Hms(9, 30)};
    s.out_window = TimeWindow{Hms(15, 0), Hms(18, 0)};
    return s;
}

DayInput Day(const AttendanceSettings& settings, std::vector<DayPunch> punches, core::Date date = kThursday) {
    DayInput in;
    in.date = date;
    in.settings = settings;
    for (auto& p : punches) {
        // Keep every punch on the day under test.
        p.time = core::AtTime(date, p.time.time_of_day());
    }
    in.punches = std::move(punches);
    return in;
}

bool HasFlag(const DayResult& r, const std::string& flag) {
    return std::find(r.flags.begin(), r.flags.end(), flag) != r.flags.end();
}

/// The index (into DayInput::punches) used as `as`, if any.
std::optional<std::size_t> UsedAs(const DayResult& r, PunchDirection as) {
    std::optional<std::size_t> found;
    for (const auto& v : r.explain) {
        if (v.used_as == as) {
            EXPECT_FALSE(found.has_value()) << "two punches used as " << PunchDirectionName(as);
            found = v.index;
        }
    }
    return found;
}

// ---------------------------------------------------------------------------------------------------------------
// R9 / R10: direction of a punch.

TEST(Direction, R9_InDeviceGivesIn) {
    EXPECT_EQ(DirectionOf(In(1, Hms(7, 0)), false), PunchDirection::kIn);
    EXPECT_EQ(DirectionOf(In(1, Hms(7, 0)), true), PunchDirection::kIn);
}

TEST(Direction, R9_OutDeviceGivesOut) {
    EXPECT_EQ(DirectionOf(Out(1, Hms(7, 0)), false), PunchDirection::kOut);
    EXPECT_EQ(DirectionOf(Out(1, Hms(7, 0)), true), PunchDirection::kOut);
}

TEST(Direction, R9_AutoDeviceGivesUnknown) {
    EXPECT_EQ(DirectionOf(Punch(1, Hms(7, 0)), false), PunchDirection::kUnknown);
    EXPECT_EQ(DirectionOf(Punch(1, Hms(7, 0)), true), PunchDirection::kUnknown);  // no status
}

TEST(Direction, R10_PunchStateIgnoredWhenOff) {
    for (const std::int32_t status : {0, 1, 2, 3, 4, 5, 6, 255}) {
        EXPECT_EQ(DirectionOf(Punch(1, Hms(7, 0), DeviceDirection::kAuto, status), false), PunchDirection::kUnknown)
            << "status " << status;
    }
}

TEST(Direction, R10_PunchStateMappingWhenOn) {
    const auto dir = [](std::int32_t status) {
        return DirectionOf(Punch(1, Hms(7, 0), DeviceDirection::kAuto, status), true);
    };
    EXPECT_EQ(dir(0), PunchDirection::kIn);
    EXPECT_EQ(dir(4), PunchDirection::kIn);
    EXPECT_EQ(dir(1), PunchDirection::kOut);
    EXPECT_EQ(dir(5), PunchDirection::kOut);
    EXPECT_EQ(dir(2), PunchDirection::kIgnored);
    EXPECT_EQ(dir(3), PunchDirection::kIgnored);
    EXPECT_EQ(dir(6), PunchDirection::kUnknown);
    EXPECT_EQ(dir(15), PunchDirection::kUnknown);
    EXPECT_EQ(dir(255), PunchDirection::kUnknown);
    EXPECT_EQ(dir(-1), PunchDirection::kUnknown);
}

TEST(Direction, R10_PunchStateOnlyForAutoDevices) {
    // A fixed-direction device keeps its direction whatever key was pressed, including the break keys.
    for (const std::int32_t status : {0, 1, 2, 3, 4, 5, 9}) {
        EXPECT_EQ(DirectionOf(Punch(1, Hms(7, 0), DeviceDirection::kIn, status), true), PunchDirection::kIn)
            << "status " << status;
        EXPECT_EQ(DirectionOf(Punch(1, Hms(7, 0), DeviceDirection::kOut, status), true), PunchDirection::kOut)
            << "status " << status;
    }
}

TEST(Direction, R10_BreakPunchIsDroppedFromTheDay) {
    auto s = FallbackSettings();
    s.use_device_punch_state = true;
    const auto r = ComputeDay(Day(s, {Punch(1, Hms(7, 30), DeviceDirection::kAuto, 2)}));
    EXPECT_FALSE(r.in_time);
    EXPECT_FALSE(r.out_time);
    EXPECT_EQ(r.status, DayStatus::kPending);
    ASSERT_EQ(r.explain.size(), 1U);
    EXPECT_EQ(r.explain[0].direction, PunchDirection::kIgnored);
    EXPECT_EQ(r.explain[0].rule, "R10");
    EXPECT_FALSE(r.explain[0].used_as);
}

TEST(Direction, R10_BreakPunchIsDroppedInWindowsMode) {
    auto s = WindowSettings();
    s.use_device_punch_state = true;
    const auto r = ComputeDay(
        Day(s, {Punch(1, Hms(7, 0), DeviceDirection::kAuto, 3), Punch(1, Hms(7, 30), DeviceDirection::kAuto, 0)}));
    EXPECT_EQ(r.in_time, Hms(7, 30));
    EXPECT_EQ(r.explain[0].rule, "R10");
    EXPECT_EQ(r.explain[0].direction, PunchDirection::kIgnored);
    EXPECT_EQ(r.explain[1].used_as, PunchDirection::kIn);
}

TEST(Direction, R10_PunchStateDecidesInAndOut) {
    auto s = FallbackSettings();
    s.use_device_punch_state = true;
    // 07:40 "out" key, 07:50 "in" key, 16:00 "in" key: IN is the first non-OUT; nothing can be the OUT.
    const auto r = ComputeDay(Day(s,
                                  {Punch(1, Hms(7, 40), DeviceDirection::kAuto, 1),
                                   Punch(1, Hms(7, 50), DeviceDirection::kAuto, 0),
                                   Punch(1, Hms(16, 0), DeviceDirection::kAuto, 4)}));
    EXPECT_EQ(r.in_time, Hms(7, 50));
    EXPECT_FALSE(r.out_time);
    EXPECT_EQ(r.explain[0].direction, PunchDirection::kOut);
    EXPECT_EQ(r.explain[1].direction, PunchDirection::kIn);
    EXPECT_EQ(r.explain[2].direction, PunchDirection::kIn);
}

TEST(Direction, R10_OffByDefaultSoTheSamePunchesAreUnknown) {
    const auto s = FallbackSettings();
    ASSERT_FALSE(s.use_device_punch_state);
    const auto r = ComputeDay(Day(s,
                                  {Punch(1, Hms(7, 40), DeviceDirection::kAuto, 1),
                                   Punch(1, Hms(7, 50), DeviceDirection::kAuto, 2),
                                   Punch(1, Hms(16, 0), DeviceDirection::kAuto, 0)}));
    EXPECT_EQ(r.in_time, Hms(7, 40));
    EXPECT_EQ(r.out_time, Hms(16, 0));
    for (const auto& v : r.explain) {
        EXPECT_EQ(v.direction, PunchDirection::kUnknown);
        EXPECT_EQ(v.rule, "R12");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// R11: time windows.

TEST(Windows, R11_FirstInWins) {
    const auto r = ComputeDay(Day(WindowSettings(), {Punch(1, Hms(7, 20)), Punch(1, Hms(7, 5)), Punch(1, Hms(7, 10))}));
    EXPECT_EQ(r.in_time, Hms(7, 5));
    EXPECT_EQ(UsedAs(r, PunchDirection::kIn), 1U);
    EXPECT_EQ(r.explain[0].note, "not the first punch in the In window 06:00-09:30");
    EXPECT_EQ(r.explain[2].note, "not the first punch in the In window 06:00-09:30");
    EXPECT_EQ(r.explain[1].note, "IN");
    for (const auto& v : r.explain) {
        EXPECT_EQ(v.rule, "R11");
    }
}

TEST(Windows, R11_LastOutWins) {
    const auto r = ComputeDay(Day(
        WindowSettings(), {Punch(1, Hms(7, 0)), Punch(1, Hms(15, 10)), Punch(1, Hms(16, 30)), Punch(1, Hms(16, 0))}));
    EXPECT_EQ(r.in_time, Hms(7, 0));
    EXPECT_EQ(r.out_time, Hms(16, 30));
    EXPECT_EQ(UsedAs(r, PunchDirection::kOut), 2U);
    EXPECT_EQ(r.explain[1].note, "not the last punch in the Out window 15:00-18:00");
    EXPECT_EQ(r.explain[3].note, "not the last punch in the Out window 15:00-18:00");
    EXPECT_EQ(r.explain[2].note, "OUT");
}

TEST(Windows, R11_InWindowStartIsInside) {
    const auto r = ComputeDay(Day(WindowSettings(), {Punch(1, Hms(6, 0))}));
    EXPECT_EQ(r.in_time, Hms(6, 0));
}

TEST(Windows, R11_InWindowEndIsInside) {
    const auto r = ComputeDay(Day(WindowSettings(), {Punch(1, Hms(9, 30))}));
    EXPECT_EQ(r.in_time, Hms(9, 30));
}

TEST(Windows, R11_OutWindowStartIsInside) {
    const auto r = ComputeDay(Day(WindowSettings(), {Punch(1, Hms(15, 0))}));
    EXPECT_FALSE(r.in_time);
    EXPECT_EQ(r.out_time, Hms(15, 0));
}

TEST(Windows, R11_OutWindowEndIsInside) {
    const auto r = ComputeDay(Day(WindowSettings(), {Punch(1, Hms(18, 0))}));
    EXPECT_EQ(r.out_time, Hms(18, 0));
}

TEST(Windows, R11_OneSecondOutsideEachEdgeIsOutside) {
    for (const std::int32_t t : {Hms(5, 59, 59), Hms(9, 30, 1), Hms(14, 59, 59), Hms(18, 0, 1)}) {
        const auto r = ComputeDay(Day(WindowSettings(), {Punch(1, t)}));
        EXPECT_FALSE(r.in_time) << core::FormatTimeOfDay(t);
        EXPECT_FALSE(r.out_time) << core::FormatTimeOfDay(t);
        ASSERT_EQ(r.explain.size(), 1U);
        EXPECT_EQ(r.explain[0].rule, "R11");
        EXPECT_EQ(r.explain[0].note, "outside_window");
    }
}

TEST(Windows, R11_OutsideWindowIsIgnored) {
    auto in = Day(WindowSettings(), {Punch(1, Hms(12, 0)), Punch(1, Hms(0, 0)), Punch(1, Hms(23, 59, 59))});
    in.final = true;
    const auto r = ComputeDay(in);
    EXPECT_FALSE(r.in_time);
    EXPECT_FALSE(r.out_time);
    EXPECT_EQ(r.status, DayStatus::kAbsent);  // no IN and no OUT once the day is final
    for (const auto& v : r.explain) {
        EXPECT_EQ(v.rule, "R11");
        EXPECT_EQ(v.note, "outside_window");
        EXPECT_FALSE(v.used_as);
    }
}

TEST(Windows, R11_OutPunchInInWindowIsDirectionMismatch) {
    const auto r = ComputeDay(Day(WindowSettings(), {Out(1, Hms(7, 0)), Punch(2, Hms(7, 30))}));
    EXPECT_EQ(r.in_time, Hms(7, 30));  // the earliest punch whose direction is not OUT
    EXPECT_EQ(r.explain[0].direction, PunchDirection::kOut);
    EXPECT_EQ(r.explain[0].rule, "R11");
    EXPECT_EQ(r.explain[0].note, "direction_mismatch");
    EXPECT_FALSE(r.explain[0].used_as);
}

TEST(Windows, R11_InPunchInOutWindowIsDirectionMismatch) {
    const auto r = ComputeDay(Day(WindowSettings(), {Punch(2, Hms(16, 0)), In(1, Hms(17, 0))}));
    EXPECT_EQ(r.out_time, Hms(16, 0));  // the latest punch whose direction is not IN
    EXPECT_EQ(r.explain[1].note, "direction_mismatch");
    EXPECT_FALSE(r.explain[1].used_as);
}

TEST(Windows, R11_FixedDirectionsInTheirOwnWindowsAreUsed) {
    const auto r = ComputeDay(Day(WindowSettings(), {In(1, Hms(7, 45)), Out(2, Hms(15, 30))}));
    EXPECT_EQ(r.in_time, Hms(7, 45));
    EXPECT_EQ(r.out_time, Hms(15, 30));
    EXPECT_EQ(r.status, DayStatus::kPresent);
}

TEST(Windows, R11_SharedEdgeBelongsToBothWindows) {
    auto s = WindowSettings();
    s.in_window = TimeWindow{Hms(6, 0), Hms(12, 0)};
    s.out_window = TimeWindow{Hms(12, 0), Hms(18, 0)};
    // With an earlier IN, a punch on the shared edge is the OUT.
    const auto both = ComputeDay(Day(s, {Punch(1, Hms(7, 0)), Punch(1, Hms(12, 0))}));
    EXPECT_EQ(both.in_time, Hms(7, 0));
    EXPECT_EQ(both.out_time, Hms(12, 0));
    // Alone, it is the first punch of the In window: IN.
    const auto alone = ComputeDay(Day(s, {Punch(1, Hms(12, 0))}));
    EXPECT_EQ(alone.in_time, Hms(12, 0));
    EXPECT_FALSE(alone.out_time);
    // An out-device punch on the shared edge is an OUT, not a mismatch.
    const auto out_dev = ComputeDay(Day(s, {Out(1, Hms(12, 0))}));
    EXPECT_FALSE(out_dev.in_time);
    EXPECT_EQ(out_dev.out_time, Hms(12, 0));
}

TEST(Windows, R11_NoMinimumGapInWindowsMode) {
    auto s = WindowSettings();
    s.in_window = TimeWindow{Hms(6, 0), Hms(9, 30)};
    s.out_window = TimeWindow{Hms(9, 30), Hms(18, 0)};
    s.min_in_out_gap_minutes = 30;
    const auto r = ComputeDay(Day(s, {Punch(1, Hms(9, 29)), Punch(1, Hms(9, 31))}));
    EXPECT_EQ(r.in_time, Hms(9, 29));
    EXPECT_EQ(r.out_time, Hms(9, 31));
}

TEST(Windows, R11_OnlyAnOutWindowPunchIsPresentWithMissingIn) {
    const auto r = ComputeDay(Day(WindowSettings(), {Punch(1, Hms(16, 0))}));
    EXPECT_FALSE(r.in_time);
    EXPECT_EQ(r.out_time, Hms(16, 0));
    EXPECT_EQ(r.status, DayStatus::kPresent);
    EXPECT_TRUE(HasFlag(r, "missing_in"));
}

TEST(Windows, R11_LateInWindowsMode) {
    const auto r = ComputeDay(Day(WindowSettings(), {Punch(1, Hms(8, 20)), Punch(1, Hms(15, 30))}));
    EXPECT_EQ(r.status, DayStatus::kLate);
    EXPECT_EQ(r.late_minutes, 20);
    EXPECT_EQ(r.status_rule, "R14.4");
}

// Issue 11, item 5: a child who punched at 11:30, after the In window, is absent by the guide's rule (the
// default), but the row names the punch and says why it did not count.
TEST(Windows, R11_APunchOutsideBothWindowsIsShownOnTheRowWithTheFlagOutsideWindow) {
    auto in = Day(WindowSettings(), {Punch(1, Hms(11, 30))});
    in.final = true;
    const auto r = ComputeDay(in);
    EXPECT_EQ(r.status, DayStatus::kAbsent);
    EXPECT_TRUE(HasFlag(r, "outside_window"));
    EXPECT_EQ(r.outside_window_times, std::vector<std::int32_t>{Hms(11, 30)});
    EXPECT_TRUE(r.punched);
    EXPECT_EQ(r.explain[0].note, "outside_window");
    // Before the day is final the row is pending, and says the same.
    in.final = false;
    EXPECT_EQ(ComputeDay(in).status, DayStatus::kPending);
    EXPECT_TRUE(HasFlag(ComputeDay(in), "outside_window"));
}

TEST(Windows, R11_APresentRowAlsoNamesItsPunchesOutsideTheWindows) {
    const auto r =
        ComputeDay(Day(WindowSettings(), {Punch(1, Hms(7, 50)), Punch(1, Hms(12, 10)), Punch(1, Hms(16, 0))}));
    EXPECT_EQ(r.status, DayStatus::kPresent);
    EXPECT_EQ(r.flags, std::vector<std::string>{"outside_window"});
    EXPECT_EQ(r.outside_window_times, std::vector<std::int32_t>{Hms(12, 10)});
}

TEST(Windows, R11_WithLateAfterInWindowAPunchBetweenTheWindowsIsALateArrival) {
    auto s = WindowSettings();
    s.late_after_in_window = true;
    auto in = Day(s, {Punch(1, Hms(11, 31)), Punch(1, Hms(11, 30)), Punch(1, Hms(16, 0)), Punch(1, Hms(19, 0))});
    in.final = true;
    const auto r = ComputeDay(in);
    EXPECT_EQ(r.status, DayStatus::kLate);
    EXPECT_EQ(r.status_rule, "R14.4");
    EXPECT_EQ(r.in_time, Hms(11, 30));
    EXPECT_EQ(r.out_time, Hms(16, 0));
    EXPECT_EQ(r.late_minutes, 210);  // from the 08:00 start
    EXPECT_TRUE(HasFlag(r, "after_in_window"));
    EXPECT_EQ(r.explain[1].used_as, PunchDirection::kIn);
    // The double tap and the evening punch are still outside both windows, and named.
    EXPECT_EQ(r.outside_window_times, (std::vector<std::int32_t>{Hms(11, 31), Hms(19, 0)}));
    EXPECT_TRUE(HasFlag(r, "outside_window"));
}

TEST(Windows, R11_LateAfterInWindowLeavesAnArrivalInTheInWindowAlone) {
    auto s = WindowSettings();
    s.late_after_in_window = true;
    s.school_start_time.reset();
    const auto on_time = ComputeDay(Day(s, {Punch(1, Hms(7, 50)), Punch(1, Hms(11, 30))}));
    EXPECT_EQ(on_time.status, DayStatus::kPresent);
    EXPECT_EQ(on_time.in_time, Hms(7, 50));
    EXPECT_EQ(on_time.outside_window_times, std::vector<std::int32_t>{Hms(11, 30)});
    // Without a start time, lateness counts from the end of the In window.
    const auto late = ComputeDay(Day(s, {Punch(1, Hms(10, 0))}));
    EXPECT_EQ(late.status, DayStatus::kLate);
    EXPECT_EQ(late.late_minutes, 30);
    // An OUT-device punch between the windows is no arrival.
    EXPECT_FALSE(ComputeDay(Day(s, {Out(1, Hms(10, 0))})).in_time);
}

// ---------------------------------------------------------------------------------------------------------------
// R12: fallback mode.

TEST(Fallback, R12_FirstPunchIsInLastIsOut) {
    const auto r =
        ComputeDay(Day(FallbackSettings(), {Punch(1, Hms(12, 0)), Punch(1, Hms(16, 0)), Punch(1, Hms(7, 50))}));
    EXPECT_EQ(r.in_time, Hms(7, 50));
    EXPECT_EQ(r.out_time, Hms(16, 0));
    EXPECT_EQ(UsedAs(r, PunchDirection::kIn), 2U);
    EXPECT_EQ(UsedAs(r, PunchDirection::kOut), 1U);
    EXPECT_EQ(r.explain[0].rule, "R12");
    EXPECT_EQ(r.explain[0].note, "between IN and OUT");
    EXPECT_FALSE(r.explain[0].used_as);
}

TEST(Fallback, R12_OutExactlyAtGapCounts) {
    auto s = FallbackSettings();
    s.min_in_out_gap_minutes = 30;
    const auto r = ComputeDay(Day(s, {Punch(1, Hms(7, 50)), Punch(1, Hms(8, 20))}));
    EXPECT_EQ(r.in_time, Hms(7, 50));
    EXPECT_EQ(r.out_time, Hms(8, 20));
}

TEST(Fallback, R12_OutOneSecondUnderGapDoesNotCount) {
    auto s = FallbackSettings();
    s.min_in_out_gap_minutes = 30;
    const auto r = ComputeDay(Day(s, {Punch(1, Hms(7, 50)), Punch(1, Hms(8, 19, 59))}));
    EXPECT_EQ(r.in_time, Hms(7, 50));
    EXPECT_FALSE(r.out_time);
    EXPECT_EQ(r.explain[1].rule, "R12");
    EXPECT_EQ(r.explain[1].note, "within min_in_out_gap_minutes of IN");
    EXPECT_FALSE(r.explain[1].used_as);
}

TEST(Fallback, R12_DoubleTapAtTheGateIsOneIn) {
    auto s = FallbackSettings();
    s.school_end_time = Hms(16, 0);
    const auto r = ComputeDay(Day(s, {Punch(1, Hms(7, 50)), Punch(1, Hms(7, 51))}));
    EXPECT_EQ(r.in_time, Hms(7, 50));
    EXPECT_FALSE(r.out_time);
    EXPECT_TRUE(HasFlag(r, "missing_out"));
}

TEST(Fallback, R12_GapIsASetting) {
    auto s = FallbackSettings();
    s.min_in_out_gap_minutes = 0;
    const auto r = ComputeDay(Day(s, {Punch(1, Hms(7, 50)), Punch(1, Hms(7, 51))}));
    EXPECT_EQ(r.in_time, Hms(7, 50));
    EXPECT_EQ(r.out_time, Hms(7, 51));
}

TEST(Fallback, R12_LatestPunchOutsideTheGapWinsOverEarlierOnes) {
    const auto r =
        ComputeDay(Day(FallbackSettings(), {Punch(1, Hms(7, 50)), Punch(1, Hms(7, 55)), Punch(1, Hms(9, 0))}));
    EXPECT_EQ(r.out_time, Hms(9, 0));
    EXPECT_EQ(r.explain[1].note, "between IN and OUT");
}

TEST(Fallback, R12_ExplainSaysWhyAPunchBeforeTheInOrAfterTheOutDoesNotCount) {
    // 07:00 on the exit gate before the child came in; 16:30 on the entry gate after they left.
    const auto r = ComputeDay(
        Day(FallbackSettings(), {Out(2, Hms(7, 0)), Punch(1, Hms(7, 50)), Out(2, Hms(16, 0)), In(3, Hms(16, 30))}));
    EXPECT_EQ(r.in_time, Hms(7, 50));
    EXPECT_EQ(r.out_time, Hms(16, 0));
    EXPECT_EQ(r.explain[0].note, "an OUT-device punch before the day's IN");
    EXPECT_EQ(r.explain[3].note, "an IN-device punch after the OUT (only the first IN counts)");
    // With no OUT at all: an early exit-gate punch, and a second entry-gate punch.
    const auto no_out = ComputeDay(Day(FallbackSettings(), {Out(2, Hms(7, 0)), In(1, Hms(7, 50)), In(3, Hms(9, 0))}));
    EXPECT_EQ(no_out.in_time, Hms(7, 50));
    EXPECT_FALSE(no_out.out_time);
    EXPECT_EQ(no_out.explain[0].note, "an OUT-device punch before the day's IN");
    EXPECT_EQ(no_out.explain[2].note, "a later IN-device punch (only the first IN counts)");
}

TEST(Fallback, R12_SinglePunchIsIn) {
    const auto r = ComputeDay(Day(FallbackSettings(), {Punch(1, Hms(7, 50))}));
    EXPECT_EQ(r.in_time, Hms(7, 50));
    EXPECT_FALSE(r.out_time);
    EXPECT_EQ(r.explain[0].used_as, PunchDirection::kIn);
}

TEST(Fallback, R12_SinglePunchOnOutDeviceIsOut) {
    const auto r = ComputeDay(Day(FallbackSettings(), {Out(1, Hms(15, 0))}));
    EXPECT_FALSE(r.in_time);
    EXPECT_EQ(r.out_time, Hms(15, 0));
    EXPECT_EQ(r.explain[0].used_as, PunchDirection::kOut);
    EXPECT_EQ(r.status, DayStatus::kPresent);
    EXPECT_TRUE(HasFlag(r, "missing_in"));
}

TEST(Fallback, R12_SinglePunchOnInDeviceIsIn) {
    const auto r = ComputeDay(Day(FallbackSettings(), {In(1, Hms(15, 0))}));
    EXPECT_EQ(r.in_time, Hms(15, 0));
    EXPECT_FALSE(r.out_time);
}

TEST(Fallback, R12_OutDirectionIsNeverTheIn) {
    const auto r = ComputeDay(Day(FallbackSettings(), {Out(1, Hms(7, 0)), Punch(2, Hms(7, 30)), Punch(2, Hms(16, 0))}));
    EXPECT_EQ(r.in_time, Hms(7, 30));
    EXPECT_EQ(r.out_time, Hms(16, 0));
    EXPECT_FALSE(r.explain[0].used_as);
}

TEST(Fallback, R12_InDirectionIsNeverTheOut) {
    const auto r = ComputeDay(Day(FallbackSettings(), {Punch(2, Hms(7, 30)), In(1, Hms(16, 0))}));
    EXPECT_EQ(r.in_time, Hms(7, 30));
    EXPECT_FALSE(r.out_time);
    EXPECT_FALSE(r.explain[1].used_as);
}

TEST(Fallback, R12_OutPunchBeforeTheInIsNotTheOut) {
    const auto r = ComputeDay(Day(FallbackSettings(), {Out(1, Hms(7, 0)), Punch(2, Hms(7, 30))}));
    EXPECT_EQ(r.in_time, Hms(7, 30));
    EXPECT_FALSE(r.out_time);
}

TEST(Fallback, R12_InAndOutDevices) {
    const auto r = ComputeDay(Day(FallbackSettings(), {Out(2, Hms(15, 45)), In(1, Hms(7, 55))}));
    EXPECT_EQ(r.in_time, Hms(7, 55));
    EXPECT_EQ(r.out_time, Hms(15, 45));
    EXPECT_EQ(r.explain[0].direction, PunchDirection::kOut);
    EXPECT_EQ(r.explain[1].direction, PunchDirection::kIn);
}

// ---------------------------------------------------------------------------------------------------------------
// R13: ties.

TEST(Ties, R13_InTieLowerDeviceWinsInFallback) {
    const auto r = ComputeDay(Day(FallbackSettings(), {Punch(7, Hms(7, 50)), Punch(3, Hms(7, 50))}));
    EXPECT_EQ(UsedAs(r, PunchDirection::kIn), 1U);
    EXPECT_EQ(r.in_time, Hms(7, 50));
}

TEST(Ties, R13_OutTieLowerDeviceWinsInFallback) {
    for (const bool reversed : {false, true}) {
        std::vector<DayPunch> punches = {Punch(1, Hms(7, 50)), Punch(9, Hms(16, 0)), Punch(4, Hms(16, 0))};
        if (reversed) {
            std::swap(punches[1], punches[2]);
        }
        const auto in = Day(FallbackSettings(), punches);
        const auto r = ComputeDay(in);
        const auto out = UsedAs(r, PunchDirection::kOut);
        ASSERT_TRUE(out);
        EXPECT_EQ(in.punches[*out].device_id, 4) << "reversed " << reversed;
    }
}

TEST(Ties, R13_InTieLowerDeviceWinsInWindows) {
    for (const bool reversed : {false, true}) {
        std::vector<DayPunch> punches = {Punch(5, Hms(7, 0)), Punch(2, Hms(7, 0))};
        if (reversed) {
            std::swap(punches[0], punches[1]);
        }
        const auto in = Day(WindowSettings(), punches);
        const auto r = ComputeDay(in);
        const auto used = UsedAs(r, PunchDirection::kIn);
        ASSERT_TRUE(used);
        EXPECT_EQ(in.punches[*used].device_id, 2) << "reversed " << reversed;
    }
}

TEST(Ties, R13_OutTieLowerDeviceWinsInWindows) {
    for (const bool reversed : {false, true}) {
        std::vector<DayPunch> punches = {Punch(1, Hms(7, 0)), Punch(8, Hms(16, 0)), Punch(6, Hms(16, 0))};
        if (reversed) {
            std::swap(punches[1], punches[2]);
        }
        const auto in = Day(WindowSettings(), punches);
        const auto r = ComputeDay(in);
        const auto used = UsedAs(r, PunchDirection::kOut);
        ASSERT_TRUE(used);
        EXPECT_EQ(in.punches[*used].device_id, 6) << "reversed " << reversed;
    }
}

TEST(Ties, R13_TieWithOutDirectionLeavesTheOtherDeviceAsIn) {
    // Device 2 is an out device: its punch cannot be the IN even though it has the lower id.
    const auto in = Day(FallbackSettings(), {Out(2, Hms(7, 50)), Punch(5, Hms(7, 50))});
    const auto r = ComputeDay(in);
    const auto used = UsedAs(r, PunchDirection::kIn);
    ASSERT_TRUE(used);
    EXPECT_EQ(in.punches[*used].device_id, 5);
}

// ---------------------------------------------------------------------------------------------------------------
// R14: status order.

TEST(Status, R14_2_HolidayBeatsEverything) {
    auto in = Day(FallbackSettings(), {Punch(1, Hms(9, 0)), Punch(1, Hms(16, 0))});
    in.holiday = true;
    const auto r = ComputeDay(in);
    EXPECT_EQ(r.status, DayStatus::kHoliday);
    EXPECT_EQ(r.status_rule, "R14.2");
    EXPECT_EQ(r.late_minutes, 0);
    // IN/OUT still shown.
    EXPECT_EQ(r.in_time, Hms(9, 0));
    EXPECT_EQ(r.out_time, Hms(16, 0));
}

TEST(Status, R14_2_HolidayWithoutPunchesIsNeverAbsent) {
    auto in = Day(FallbackSettings(), {});
    in.holiday = true;
    in.final = true;
    EXPECT_EQ(ComputeDay(in).status, DayStatus::kHoliday);
    in.tracked = false;
    EXPECT_EQ(ComputeDay(in).status, DayStatus::kHoliday);
}

TEST(Status, R14_2_WeekendNotInSchoolDaysIsHolidayWithInOutShown) {
    for (const core::Date d : {kSaturday, kSunday}) {
        const auto r = ComputeDay(Day(FallbackSettings(), {Punch(1, Hms(10, 0)), Punch(1, Hms(12, 0))}, d));
        EXPECT_EQ(r.status, DayStatus::kHoliday) << core::FormatDate(d);
        EXPECT_EQ(r.status_rule, "R14.2");
        EXPECT_EQ(r.in_time, Hms(10, 0));
        EXPECT_EQ(r.out_time, Hms(12, 0));
        EXPECT_EQ(r.late_minutes, 0);
    }
}

TEST(Status, R14_2_WeekendWithoutPunchesIsHoliday) {
    auto in = Day(FallbackSettings(), {}, kSunday);
    in.final = true;
    EXPECT_EQ(ComputeDay(in).status, DayStatus::kHoliday);
}

TEST(Status, R14_2_SchoolDaysAreASetting) {
    auto s = FallbackSettings();
    s.school_days = 0b0111110;  // Tuesday to Saturday
    const auto sat = ComputeDay(Day(s, {Punch(1, Hms(8, 30))}, kSaturday));
    EXPECT_EQ(sat.status, DayStatus::kLate);
    EXPECT_EQ(sat.late_minutes, 30);
    const auto mon = ComputeDay(Day(s, {Punch(1, Hms(8, 30))}, kMonday));
    EXPECT_EQ(mon.status, DayStatus::kHoliday);
    const auto thu = ComputeDay(Day(s, {Punch(1, Hms(7, 30))}, kThursday));
    EXPECT_EQ(thu.status, DayStatus::kPresent);
}

TEST(Status, R14_3_NoPunchesIsPendingUntilFinal) {
    auto in = Day(FallbackSettings(), {});
    const auto pending = ComputeDay(in);
    EXPECT_EQ(pending.status, DayStatus::kPending);
    EXPECT_EQ(pending.status_rule, "R14.3");
    EXPECT_TRUE(pending.flags.empty());
    in.final = true;
    const auto absent = ComputeDay(in);
    EXPECT_EQ(absent.status, DayStatus::kAbsent);
    EXPECT_EQ(absent.status_rule, "R14.3");
}

TEST(Status, R14_3_NotTrackedIsNeverAbsent) {
    auto in = Day(FallbackSettings(), {});
    in.tracked = false;
    EXPECT_EQ(ComputeDay(in).status, DayStatus::kNotTracked);
    in.final = true;
    const auto r = ComputeDay(in);
    EXPECT_EQ(r.status, DayStatus::kNotTracked);
    EXPECT_EQ(r.status_rule, "R14.3");
}

TEST(Status, R14_3_OnlyDroppedPunchesCountAsNoPunches) {
    auto in = Day(WindowSettings(), {Punch(1, Hms(12, 0))});
    EXPECT_EQ(ComputeDay(in).status, DayStatus::kPending);
    in.final = true;
    EXPECT_EQ(ComputeDay(in).status, DayStatus::kAbsent);
}

TEST(Status, R14_4_OnTimeExactlyAtStartPlusGrace) {
    auto s = FallbackSettings();
    s.grace_minutes = 10;
    const auto r = ComputeDay(Day(s, {Punch(1, Hms(8, 10, 0))}));
    EXPECT_EQ(r.status, DayStatus::kPresent);
    EXPECT_EQ(r.status_rule, "R14.5");
    EXPECT_EQ(r.late_minutes, 0);
}

TEST(Status, R14_4_LateOneSecondAfterGrace) {
    auto s = FallbackSettings();
    s.grace_minutes = 10;
    const auto r = ComputeDay(Day(s, {Punch(1, Hms(8, 10, 1))}));
    EXPECT_EQ(r.status, DayStatus::kLate);
    EXPECT_EQ(r.status_rule, "R14.4");
    // Minutes from start (not from start + grace) to IN, rounded up: 10 min 1 s -> 11.
    EXPECT_EQ(r.late_minutes, 11);
}

TEST(Status, R14_4_OnTimeExactlyAtStartWithoutGrace) {
    const auto r = ComputeDay(Day(FallbackSettings(), {Punch(1, Hms(8, 0, 0))}));
    EXPECT_EQ(r.status, DayStatus::kPresent);
    EXPECT_EQ(r.late_minutes, 0);
}

TEST(Status, R14_4_LateMinutesRoundedUp) {
    const auto r = ComputeDay(Day(FallbackSettings(), {Punch(1, Hms(8, 0, 30))}));
    EXPECT_EQ(r.status, DayStatus::kLate);
    EXPECT_EQ(r.late_minutes, 1);
    const auto one_second = ComputeDay(Day(FallbackSettings(), {Punch(1, Hms(8, 0, 1))}));
    EXPECT_EQ(one_second.status, DayStatus::kLate);
    EXPECT_EQ(one_second.late_minutes, 1);
}

TEST(Status, R14_4_LateMinutesOnAWholeMinute) {
    const auto r = ComputeDay(Day(FallbackSettings(), {Punch(1, Hms(8, 5, 0))}));
    EXPECT_EQ(r.late_minutes, 5);
    const auto r2 = ComputeDay(Day(FallbackSettings(), {Punch(1, Hms(9, 5, 1))}));
    EXPECT_EQ(r2.late_minutes, 66);
}

TEST(Status, R14_4_LatenessUsesTheInNotTheOut) {
    // The only punch that could be late is an OUT: no IN, so not late.
    const auto r = ComputeDay(Day(FallbackSettings(), {Out(1, Hms(9, 0))}));
    EXPECT_EQ(r.status, DayStatus::kPresent);
    EXPECT_EQ(r.late_minutes, 0);
}

TEST(Status, R14_5_PresentBeforeStart) {
    const auto r = ComputeDay(Day(FallbackSettings(), {Punch(1, Hms(7, 45)), Punch(1, Hms(15, 0))}));
    EXPECT_EQ(r.status, DayStatus::kPresent);
    EXPECT_EQ(r.status_rule, "R14.5");
    EXPECT_EQ(r.late_minutes, 0);
    EXPECT_TRUE(r.flags.empty());
}

TEST(Status, R14_5_OnlyAnOutIsPresentWithMissingIn) {
    const auto r = ComputeDay(Day(FallbackSettings(), {Out(1, Hms(15, 30))}));
    EXPECT_EQ(r.status, DayStatus::kPresent);
    EXPECT_EQ(r.status_rule, "R14.5");
    EXPECT_TRUE(HasFlag(r, "missing_in"));
    EXPECT_FALSE(HasFlag(r, "missing_out"));
}

// ---------------------------------------------------------------------------------------------------------------
// R15: no start time.

TEST(Status, R15_NoStartTimeNobodyIsLate) {
    AttendanceSettings s;
    ASSERT_FALSE(s.school_start_time);
    const auto r = ComputeDay(Day(s, {Punch(1, Hms(11, 0))}));
    EXPECT_EQ(r.status, DayStatus::kPresent);
    EXPECT_EQ(r.status_rule, "R15");
    EXPECT_EQ(r.late_minutes, 0);
    EXPECT_EQ(r.in_time, Hms(11, 0));
}

TEST(Status, R15_NoStartTimeOnlyOutIsPresent) {
    AttendanceSettings s;
    const auto r = ComputeDay(Day(s, {Out(1, Hms(15, 0))}));
    EXPECT_EQ(r.status, DayStatus::kPresent);
    EXPECT_EQ(r.status_rule, "R15");
    EXPECT_TRUE(HasFlag(r, "missing_in"));
}

TEST(Status, R15_NoStartTimeStillPendingOrAbsentWithoutPunches) {
    auto in = Day(AttendanceSettings{}, {});
    EXPECT_EQ(ComputeDay(in).status, DayStatus::kPending);
    in.final = true;
    EXPECT_EQ(ComputeDay(in).status, DayStatus::kAbsent);
}

// ---------------------------------------------------------------------------------------------------------------
// R15a: early leave and missing OUT.

TEST(Flags, R15a_NoEndTimeNoFlags) {
    const auto r = ComputeDay(Day(FallbackSettings(), {Punch(1, Hms(7, 30))}));
    EXPECT_TRUE(r.flags.empty());
    const auto early = ComputeDay(Day(FallbackSettings(), {Punch(1, Hms(7, 30)), Punch(1, Hms(10, 0))}));
    EXPECT_TRUE(early.flags.empty());
}

TEST(Flags, R15a_MissingOut) {
    auto s = FallbackSettings();
    s.school_end_time = Hms(16, 0);
    const auto r = ComputeDay(Day(s, {Punch(1, Hms(7, 30))}));
    EXPECT_EQ(r.status, DayStatus::kPresent);
    EXPECT_EQ(r.flags, std::vector<std::string>{"missing_out"});
}

TEST(Flags, R15a_EarlyLeave) {
    auto s = FallbackSettings();
    s.school_end_time = Hms(16, 0);
    const auto r = ComputeDay(Day(s, {Punch(1, Hms(7, 30)), Punch(1, Hms(15, 30))}));
    EXPECT_EQ(r.status, DayStatus::kPresent);
    EXPECT_EQ(r.flags, std::vector<std::string>{"early_leave"});
}

TEST(Flags, R15a_OutAtEndIsNotEarly) {
    auto s = FallbackSettings();
    s.school_end_time = Hms(16, 0);
    const auto r = ComputeDay(Day(s, {Punch(1, Hms(7, 30)), Punch(1, Hms(16, 0))}));
    EXPECT_TRUE(r.flags.empty());
    const auto before = ComputeDay(Day(s, {Punch(1, Hms(7, 30)), Punch(1, Hms(15, 59, 59))}));
    EXPECT_EQ(before.flags, std::vector<std::string>{"early_leave"});
}

TEST(Flags, R15a_EarlyLeaveGraceBoundary) {
    auto s = FallbackSettings();
    s.school_end_time = Hms(16, 0);
    s.early_leave_grace_minutes = 10;
    const auto at = ComputeDay(Day(s, {Punch(1, Hms(7, 30)), Punch(1, Hms(15, 50, 0))}));
    EXPECT_TRUE(at.flags.empty());
    const auto before = ComputeDay(Day(s, {Punch(1, Hms(7, 30)), Punch(1, Hms(15, 49, 59))}));
    EXPECT_EQ(before.flags, std::vector<std::string>{"early_leave"});
}

TEST(Flags, R15a_FlagsNeverChangeTheStatus) {
    auto s = FallbackSettings();
    s.school_end_time = Hms(16, 0);
    const auto r = ComputeDay(Day(s, {Punch(1, Hms(8, 30)), Punch(1, Hms(12, 0))}));
    EXPECT_EQ(r.status, DayStatus::kLate);
    EXPECT_EQ(r.late_minutes, 30);
    EXPECT_EQ(r.flags, std::vector<std::string>{"early_leave"});
    const auto missing = ComputeDay(Day(s, {Punch(1, Hms(8, 30))}));
    EXPECT_EQ(missing.status, DayStatus::kLate);
    EXPECT_EQ(missing.flags, std::vector<std::string>{"missing_out"});
}

TEST(Flags, R15a_OnlyOutWithEndTimeIsMissingInOnly) {
    auto s = FallbackSettings();
    s.school_end_time = Hms(16, 0);
    const auto r = ComputeDay(Day(s, {Out(1, Hms(16, 5))}));
    EXPECT_EQ(r.flags, std::vector<std::string>{"missing_in"});
}

TEST(Flags, R15a_OnlyOutLeavingEarlyHasBothFlags) {
    auto s = FallbackSettings();
    s.school_end_time = Hms(16, 0);
    const auto r = ComputeDay(Day(s, {Out(1, Hms(14, 0))}));
    EXPECT_TRUE(HasFlag(r, "missing_in"));
    EXPECT_TRUE(HasFlag(r, "early_leave"));
    EXPECT_FALSE(HasFlag(r, "missing_out"));
}

TEST(Flags, R15a_NoFlagsWithoutPunchesOrOnHolidays) {
    auto s = FallbackSettings();
    s.school_end_time = Hms(16, 0);
    auto in = Day(s, {});
    in.final = true;
    EXPECT_TRUE(ComputeDay(in).flags.empty());
    auto holiday = Day(s, {Punch(1, Hms(9, 0))});
    holiday.holiday = true;
    EXPECT_TRUE(ComputeDay(holiday).flags.empty());
}

// ---------------------------------------------------------------------------------------------------------------
// R8: inactive people.

TEST(Inactive, R8_PunchesOfAnInactivePersonAreKeptAndIgnored) {
    auto in = Day(FallbackSettings(), {Punch(1, Hms(7, 30)), Out(2, Hms(16, 0))});
    in.enrolment = Enrolment::kLeft;
    in.final = true;
    const auto r = ComputeDay(in);
    EXPECT_EQ(r.status, DayStatus::kNotTracked);
    EXPECT_EQ(r.status_rule, "R8");
    EXPECT_FALSE(r.in_time);
    EXPECT_FALSE(r.out_time);
    EXPECT_TRUE(r.flags.empty());
    ASSERT_EQ(r.explain.size(), 2U);
    for (std::size_t i = 0; i < r.explain.size(); ++i) {
        EXPECT_EQ(r.explain[i].index, i);
        EXPECT_EQ(r.explain[i].rule, "R8");
        EXPECT_EQ(r.explain[i].direction, PunchDirection::kIgnored);
        EXPECT_FALSE(r.explain[i].used_as);
        EXPECT_FALSE(r.explain[i].note.empty());
    }
}

TEST(Inactive, R8_InactiveWithoutPunchesIsNotAbsent) {
    auto in = Day(FallbackSettings(), {});
    in.enrolment = Enrolment::kLeft;
    in.final = true;
    const auto r = ComputeDay(in);
    EXPECT_EQ(r.status, DayStatus::kNotTracked);
    EXPECT_EQ(r.status_rule, "R8");
}

// Issue 11, item 3: a student added today is not absent for last year; the punches they made before their
// active_from are evidence that they came.
TEST(Inactive, R8_BeforeActiveFromPunchesStillCountButNobodyIsAbsent) {
    auto came = Day(FallbackSettings(), {Punch(1, Hms(8, 20)), Out(2, Hms(16, 0))});
    came.enrolment = Enrolment::kNotYet;
    came.final = true;
    const auto r = ComputeDay(came);
    EXPECT_EQ(r.status, DayStatus::kLate);
    EXPECT_EQ(r.late_minutes, 20);
    EXPECT_EQ(r.explain[0].used_as, PunchDirection::kIn);

    auto stayed_away = Day(FallbackSettings(), {});
    stayed_away.enrolment = Enrolment::kNotYet;
    stayed_away.final = true;
    EXPECT_EQ(ComputeDay(stayed_away).status, DayStatus::kNotTracked);
    EXPECT_EQ(ComputeDay(stayed_away).status_rule, "R8");
}

// ---------------------------------------------------------------------------------------------------------------
// R20: explain; R18: determinism.

TEST(Explain, R20_EveryPunchHasAVerdict) {
    auto s = FallbackSettings();
    s.use_device_punch_state = true;
    const auto in = Day(s,
                        {Punch(1, Hms(12, 0)),
                         In(2, Hms(7, 50)),
                         Punch(1, Hms(10, 0), DeviceDirection::kAuto, 2),
                         Out(3, Hms(16, 0)),
                         Punch(1, Hms(7, 55))});
    const auto r = ComputeDay(in);
    ASSERT_EQ(r.explain.size(), in.punches.size());
    for (std::size_t i = 0; i < r.explain.size(); ++i) {
        EXPECT_EQ(r.explain[i].index, i);
        EXPECT_FALSE(r.explain[i].rule.empty()) << i;
        EXPECT_FALSE(r.explain[i].note.empty()) << i;
    }
    EXPECT_EQ(r.explain[1].used_as, PunchDirection::kIn);
    EXPECT_EQ(r.explain[1].direction, PunchDirection::kIn);
    EXPECT_EQ(r.explain[1].rule, "R12");
    EXPECT_EQ(r.explain[1].note, "IN");
    EXPECT_EQ(r.explain[3].used_as, PunchDirection::kOut);
    EXPECT_EQ(r.explain[3].direction, PunchDirection::kOut);
    EXPECT_EQ(r.explain[3].note, "OUT");
    EXPECT_EQ(r.explain[2].rule, "R10");
    EXPECT_EQ(r.explain[2].note, "break punch state");
    EXPECT_FALSE(r.explain[2].used_as);
    EXPECT_EQ(r.explain[0].note, "between IN and OUT");
    EXPECT_EQ(r.explain[4].note, "between IN and OUT");
    EXPECT_EQ(r.status, DayStatus::kPresent);
}

TEST(Explain, R20_WindowsVerdicts) {
    const auto r = ComputeDay(Day(WindowSettings(),
                                  {Punch(1, Hms(5, 0)),
                                   Punch(1, Hms(7, 0)),
                                   Punch(1, Hms(7, 10)),
                                   Out(2, Hms(8, 0)),
                                   Punch(1, Hms(12, 0)),
                                   Punch(1, Hms(15, 5)),
                                   In(3, Hms(16, 0)),
                                   Punch(1, Hms(17, 0))}));
    ASSERT_EQ(r.explain.size(), 8U);
    const std::vector<std::string> notes = {"outside_window",
                                            "IN",
                                            "not the first punch in the In window 06:00-09:30",
                                            "direction_mismatch",
                                            "outside_window",
                                            "not the last punch in the Out window 15:00-18:00",
                                            "direction_mismatch",
                                            "OUT"};
    for (std::size_t i = 0; i < notes.size(); ++i) {
        EXPECT_EQ(r.explain[i].rule, "R11") << i;
        EXPECT_EQ(r.explain[i].note, notes[i]) << i;
        EXPECT_EQ(r.explain[i].used_as.has_value(), i == 1 || i == 7) << i;
    }
    EXPECT_EQ(r.in_time, Hms(7, 0));
    EXPECT_EQ(r.out_time, Hms(17, 0));
}

TEST(Explain, R18_PunchOrderInTheInputDoesNotMatter) {
    auto s = FallbackSettings();
    s.school_end_time = Hms(16, 0);
    std::vector<DayPunch> punches = {Punch(4, Hms(7, 50)),
                                     Punch(2, Hms(7, 50)),
                                     Punch(1, Hms(12, 0)),
                                     Punch(3, Hms(15, 0)),
                                     Punch(1, Hms(15, 0)),
                                     Out(5, Hms(8, 10))};
    std::sort(punches.begin(), punches.end(), [](const DayPunch& a, const DayPunch& b) {
        return a.device_id != b.device_id ? a.device_id < b.device_id : a.time < b.time;
    });
    std::optional<DayResult> first;
    do {
        const auto in = Day(s, punches);
        const auto r = ComputeDay(in);
        const auto in_idx = UsedAs(r, PunchDirection::kIn);
        const auto out_idx = UsedAs(r, PunchDirection::kOut);
        ASSERT_TRUE(in_idx);
        ASSERT_TRUE(out_idx);
        EXPECT_EQ(in.punches[*in_idx].device_id, 2);
        EXPECT_EQ(in.punches[*out_idx].device_id, 1);
        if (!first) {
            first = r;
            continue;
        }
        EXPECT_EQ(r.status, first->status);
        EXPECT_EQ(r.in_time, first->in_time);
        EXPECT_EQ(r.out_time, first->out_time);
        EXPECT_EQ(r.flags, first->flags);
        EXPECT_EQ(r.status_rule, first->status_rule);
    } while (std::next_permutation(punches.begin(), punches.end(), [](const DayPunch& a, const DayPunch& b) {
        return a.device_id != b.device_id ? a.device_id < b.device_id : a.time < b.time;
    }));
    ASSERT_TRUE(first);
    EXPECT_EQ(first->in_time, Hms(7, 50));
    EXPECT_EQ(first->out_time, Hms(15, 0));
    EXPECT_EQ(first->flags, std::vector<std::string>{"early_leave"});
}

TEST(Explain, R18_SameInputSameResult) {
    const auto in = Day(WindowSettings(), {Punch(1, Hms(8, 3, 7)), Punch(2, Hms(16, 0))});
    const auto a = ComputeDay(in);
    const auto b = ComputeDay(in);
    EXPECT_EQ(a.status, b.status);
    EXPECT_EQ(a.late_minutes, b.late_minutes);
    EXPECT_EQ(a.late_minutes, 4);
    EXPECT_EQ(a.in_time, b.in_time);
    EXPECT_EQ(a.out_time, b.out_time);
    ASSERT_EQ(a.explain.size(), b.explain.size());
    for (std::size_t i = 0; i < a.explain.size(); ++i) {
        EXPECT_EQ(a.explain[i].note, b.explain[i].note);
        EXPECT_EQ(a.explain[i].used_as, b.explain[i].used_as);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Names used on the wire.

TEST(Names, DayStatusNamesRoundTrip) {
    const std::vector<std::pair<DayStatus, std::string>> all = {{DayStatus::kPresent, "present"},
                                                                {DayStatus::kLate, "late"},
                                                                {DayStatus::kAbsent, "absent"},
                                                                {DayStatus::kPending, "pending"},
                                                                {DayStatus::kHoliday, "holiday"},
                                                                {DayStatus::kExcused, "excused"},
                                                                {DayStatus::kNotTracked, "not_tracked"}};
    for (const auto& [status, name] : all) {
        EXPECT_EQ(DayStatusName(status), name);
        EXPECT_EQ(ParseDayStatus(name), status);
    }
    EXPECT_FALSE(ParseDayStatus("Present"));
    EXPECT_FALSE(ParseDayStatus(""));
}

TEST(Names, DirectionNames) {
    EXPECT_EQ(ParseDeviceDirection("in"), DeviceDirection::kIn);
    EXPECT_EQ(ParseDeviceDirection("out"), DeviceDirection::kOut);
    EXPECT_EQ(ParseDeviceDirection("auto"), DeviceDirection::kAuto);
    EXPECT_FALSE(ParseDeviceDirection("IN"));
    EXPECT_FALSE(ParseDeviceDirection("both"));
    for (const auto d : {DeviceDirection::kAuto, DeviceDirection::kIn, DeviceDirection::kOut}) {
        EXPECT_EQ(ParseDeviceDirection(DeviceDirectionName(d)), d);
    }
    EXPECT_EQ(PunchDirectionName(PunchDirection::kIn), "in");
    EXPECT_EQ(PunchDirectionName(PunchDirection::kOut), "out");
    EXPECT_EQ(PunchDirectionName(PunchDirection::kUnknown), "unknown");
    EXPECT_EQ(PunchDirectionName(PunchDirection::kIgnored), "ignored");
}

TEST(ClockSanity, R4_PunchMoreThanFiveMinutesAheadIsSuspect) {
    const auto received = core::AtTime(kThursday, Hms(8, 0));
    EXPECT_FALSE(IsClockSuspect(core::AtTime(kThursday, Hms(8, 5)), received));  // exactly 5 minutes ahead
    EXPECT_TRUE(IsClockSuspect(core::AtTime(kThursday, Hms(8, 5, 1)), received));
    EXPECT_FALSE(IsClockSuspect(core::AtTime(kThursday, Hms(7, 0)), received));  // the past is fine
}

TEST(ClockSanity, R4_PunchBefore2000IsSuspect) {
    const auto received = core::AtTime(kThursday, Hms(8, 0));
    EXPECT_TRUE(IsClockSuspect(core::AtTime(core::DateFromYmd(1999, 12, 31), Hms(23, 59, 59)), received));
    EXPECT_FALSE(IsClockSuspect(core::AtTime(core::DateFromYmd(2000, 1, 1), 0), received));
}

TEST(ClockSanity, R4_APunchFromBefore2000OrOverADayAheadOfEveryClockIsOutsideThePlausibleWindow) {
    // Received at Thursday 08:00 UTC: the latest wall clock anywhere (UTC+14) shows 22:00, so a day ahead of it is
    // Friday 22:00, on the device's own clock whatever its zone.
    const std::int64_t received = core::AtTime(kThursday, Hms(8, 0)).seconds;
    const core::Date friday{kThursday.days + 1};
    EXPECT_TRUE(InPlausibleWindow(core::AtTime(friday, Hms(22, 0)), received));
    EXPECT_FALSE(InPlausibleWindow(core::AtTime(friday, Hms(22, 0, 1)), received));
    EXPECT_TRUE(InPlausibleWindow(core::AtTime(core::DateFromYmd(2000, 1, 1), 0), received)) << "a reset clock";
    EXPECT_FALSE(InPlausibleWindow(core::AtTime(core::DateFromYmd(1999, 12, 31), Hms(23, 59, 59)), received));
    EXPECT_FALSE(InPlausibleWindow(*core::ParseLocalDateTime("0001-01-01 08:00:00"), received));
    EXPECT_FALSE(InPlausibleWindow(*core::ParseLocalDateTime("9999-12-31 08:00:00"), received));
    // Inside the window but ahead of the school's clock: suspect when the day is computed, yet its day is marked.
    EXPECT_TRUE(InPlausibleWindow(core::AtTime(kThursday, Hms(9, 0)), received));
    EXPECT_TRUE(IsClockSuspect(core::AtTime(kThursday, Hms(9, 0)), core::AtTime(kThursday, Hms(8, 0))));
}

TEST(ClockSanity, R4_SuspectPunchIsShownButLeftOutOfComputation) {
    auto early = Punch(1, Hms(7, 30));
    early.clock_suspect = true;
    const auto r = ComputeDay(Day(FallbackSettings(), {early, Punch(1, Hms(8, 20))}));
    EXPECT_EQ(r.in_time, Hms(8, 20));
    EXPECT_EQ(r.status, DayStatus::kLate);
    ASSERT_EQ(r.explain.size(), 2U);
    EXPECT_EQ(r.explain[0].rule, "R4");
    EXPECT_EQ(r.explain[0].direction, PunchDirection::kIgnored);
    EXPECT_FALSE(r.explain[0].used_as.has_value());
    EXPECT_NE(r.explain[0].note.find("clock_suspect"), std::string::npos);
}

}  // namespace
}  // namespace rollcall::domain
