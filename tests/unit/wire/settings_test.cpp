#include "wire/settings.hpp"

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace rollcall::wire {
namespace {

namespace json = boost::json;
using domain::AttendanceSettings;
using domain::TimeWindow;

constexpr std::int32_t Hm(int h, int m, int s = 0) {
    return h * 3600 + m * 60 + s;
}

const core::Date kToday = core::DateFromYmd(2026, 3, 12);

constexpr std::string_view kProductExample =
    R"({"effective_from": "2026-01-06", "school_start_time": "08:00", "grace_minutes": 10,
        "school_end_time": "16:00", "in_window": {"start": "06:00", "end": "09:30"},
        "out_window": {"start": "15:00", "end": "18:00"}, "min_in_out_gap_minutes": 30,
        "absent_after_minutes": 120, "school_days": ["mon","tue","wed","thu","fri"],
        "use_device_punch_state": false})";

/// Parses `text` and expects a refusal whose message starts with "<field>:".
void ExpectRefused(std::string_view text, std::string_view field) {
    const auto r = ParseSettingsJson(text, kToday);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, core::Errc::kInvalidArgument);
    EXPECT_EQ(r.error().message.rfind(std::string(field) + ":", 0), 0U)
        << "expected the field " << field << " to be named, got: " << r.error().message;
}

AttendanceSettings MustParse(std::string_view text) {
    auto r = ParseSettingsJson(text, kToday);
    EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : AttendanceSettings{};
}

TEST(SettingsCodec, ParsesTheProductExample) {
    const auto s = MustParse(kProductExample);
    EXPECT_EQ(s.effective_from, core::DateFromYmd(2026, 1, 6));
    EXPECT_EQ(s.school_start_time, Hm(8, 0));
    EXPECT_EQ(s.grace_minutes, 10);
    EXPECT_EQ(s.school_end_time, Hm(16, 0));
    EXPECT_EQ(s.in_window, (TimeWindow{Hm(6, 0), Hm(9, 30)}));
    EXPECT_EQ(s.out_window, (TimeWindow{Hm(15, 0), Hm(18, 0)}));
    EXPECT_EQ(s.min_in_out_gap_minutes, 30);
    EXPECT_EQ(s.absent_after_minutes, 120);
    EXPECT_EQ(s.school_days, 0b0011111);
    EXPECT_FALSE(s.use_device_punch_state);
    EXPECT_TRUE(s.windows_mode());
}

TEST(SettingsCodec, EmptyObjectGivesTheDefaults) {
    const auto s = MustParse("{}");
    AttendanceSettings expected;
    expected.effective_from = kToday;
    EXPECT_EQ(s, expected);
    EXPECT_FALSE(s.windows_mode());
}

TEST(SettingsCodec, R18_EffectiveFromDefaultsToTheGivenDate) {
    EXPECT_EQ(MustParse("{}").effective_from, kToday);
    EXPECT_EQ(MustParse(R"({"effective_from": null})").effective_from, kToday);
    EXPECT_EQ(MustParse(R"({"effective_from": "2025-09-01"})").effective_from, core::DateFromYmd(2025, 9, 1));
    const auto other = ParseSettingsJson("{}", core::DateFromYmd(2030, 1, 1));
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(other->effective_from, core::DateFromYmd(2030, 1, 1));
}

TEST(SettingsCodec, BadEffectiveFromIsNamed) {
    ExpectRefused(R"({"effective_from": "2026-02-30"})", "effective_from");
    ExpectRefused(R"({"effective_from": "06/01/2026"})", "effective_from");
    ExpectRefused(R"({"effective_from": 20260106})", "effective_from");
    ExpectRefused(R"({"effective_from": true})", "effective_from");
}

TEST(SettingsCodec, RoundTripWithWindows) {
    AttendanceSettings s;
    s.effective_from = core::DateFromYmd(2026, 1, 6);
    s.school_start_time = Hm(7, 45);
    s.grace_minutes = 5;
    s.school_end_time = Hm(15, 30);
    s.early_leave_grace_minutes = 15;
    s.in_window = TimeWindow{Hm(6, 0), Hm(9, 30)};
    s.out_window = TimeWindow{Hm(9, 30), Hm(18, 0)};
    s.min_in_out_gap_minutes = 45;
    s.absent_after_minutes = 90;
    s.school_days = 0b1100001;  // mon, sat, sun
    s.use_device_punch_state = true;
    const auto text = SettingsToJson(s);
    const auto back = ParseSettingsJson(text, kToday);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, s) << text;
}

TEST(SettingsCodec, RoundTripInFallbackMode) {
    AttendanceSettings s;
    s.effective_from = core::DateFromYmd(2027, 12, 31);
    const auto text = SettingsToJson(s);
    const auto back = ParseSettingsJson(text, kToday);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, s) << text;
}

TEST(SettingsCodec, RoundTripOfTheProductExampleIsStable) {
    const auto s = MustParse(kProductExample);
    const auto text = SettingsToJson(s);
    EXPECT_EQ(MustParse(text), s);
    EXPECT_EQ(SettingsToJson(MustParse(text)), text);
}

TEST(SettingsCodec, RoundTripKeepsSecondsOfTimes) {
    // "HH:MM:SS" is accepted; writing it back must not lose the seconds, or a stored version can become a
    // different (even an invalid) one when it is read back.
    const auto s = MustParse(R"({"school_start_time": "08:00:30", "school_end_time": "08:00:45",
                                 "in_window": {"start": "06:00:10", "end": "06:00:20"},
                                 "out_window": {"start": "06:00:20", "end": "06:00:50"}})");
    EXPECT_EQ(s.school_start_time, Hm(8, 0, 30));
    EXPECT_EQ(s.in_window, (TimeWindow{Hm(6, 0, 10), Hm(6, 0, 20)}));
    const auto text = SettingsToJson(s);
    const auto back = ParseSettingsJson(text, kToday);
    ASSERT_TRUE(back.ok()) << text << ": " << back.error().message;
    EXPECT_EQ(*back, s) << text;
}

TEST(SettingsCodec, WritesTheProductShape) {
    AttendanceSettings s;
    s.effective_from = core::DateFromYmd(2026, 1, 6);
    s.school_start_time = Hm(8, 0);
    s.in_window = TimeWindow{Hm(6, 0), Hm(9, 30)};
    s.out_window = TimeWindow{Hm(15, 0), Hm(18, 0)};
    const auto v = json::parse(SettingsToJson(s));
    const auto& o = v.as_object();
    EXPECT_EQ(o.at("effective_from").as_string(), "2026-01-06");
    EXPECT_EQ(o.at("school_start_time").as_string(), "08:00");
    EXPECT_TRUE(o.at("school_end_time").is_null());
    EXPECT_EQ(o.at("grace_minutes").as_int64(), 0);
    EXPECT_EQ(o.at("early_leave_grace_minutes").as_int64(), 0);
    EXPECT_EQ(o.at("in_window").at("start").as_string(), "06:00");
    EXPECT_EQ(o.at("in_window").at("end").as_string(), "09:30");
    EXPECT_EQ(o.at("out_window").at("start").as_string(), "15:00");
    EXPECT_EQ(o.at("out_window").at("end").as_string(), "18:00");
    EXPECT_EQ(o.at("min_in_out_gap_minutes").as_int64(), 30);
    EXPECT_EQ(o.at("absent_after_minutes").as_int64(), 120);
    EXPECT_EQ(o.at("school_days").as_array(), (json::array{"mon", "tue", "wed", "thu", "fri"}));
    EXPECT_EQ(o.at("use_device_punch_state").as_bool(), false);
    EXPECT_EQ(o.at("late_after_in_window").as_bool(), false);
    EXPECT_EQ(o.size(), 12U);
}

TEST(SettingsCodec, WritesNullWindowsInFallbackMode) {
    const auto v = json::parse(SettingsToJson(AttendanceSettings{}));
    EXPECT_TRUE(v.at("in_window").is_null());
    EXPECT_TRUE(v.at("out_window").is_null());
    EXPECT_TRUE(v.at("school_start_time").is_null());
}

TEST(SettingsCodec, AcceptsItsOwnReplyBack) {
    // The GET reply adds "warnings", "mode" and the scopes; sending it back unchanged must work.
    auto v = json::parse(std::string(kProductExample));
    v.as_object()["warnings"] = json::array{};
    v.as_object()["mode"] = "windows";
    v.as_object()["scope"] = "school";
    v.as_object()["requested_scope"] = "group:5B";
    v.as_object()["scopes"] = json::array{"school"};
    const auto s = MustParse(json::serialize(v));
    EXPECT_EQ(s, MustParse(kProductExample));
}

TEST(SettingsCodec, UnknownFieldIsNamed) {
    ExpectRefused(R"({"start": "08:00"})", "start");
    ExpectRefused(R"({"school_start_time": "08:00", "grace": 10})", "grace");
    ExpectRefused(R"({"School_Start_Time": "08:00"})", "School_Start_Time");
}

TEST(SettingsCodec, UnknownWindowFieldIsNamed) {
    ExpectRefused(R"({"in_window": {"start": "06:00", "end": "09:30", "from": "06:00"},
                      "out_window": {"start": "15:00", "end": "18:00"}})",
                  "in_window.from");
    ExpectRefused(R"({"in_window": {"start": "06:00", "end": "09:30"},
                      "out_window": {"begin": "15:00", "end": "18:00"}})",
                  "out_window.begin");
}

TEST(SettingsCodec, WrongTypesAreNamed) {
    ExpectRefused(R"({"school_start_time": 800})", "school_start_time");
    ExpectRefused(R"({"school_start_time": "8am"})", "school_start_time");
    ExpectRefused(R"({"school_start_time": "24:00"})", "school_start_time");
    ExpectRefused(R"({"school_end_time": ["16:00"]})", "school_end_time");
    ExpectRefused(R"({"grace_minutes": "10"})", "grace_minutes");
    ExpectRefused(R"({"grace_minutes": 10.5})", "grace_minutes");
    ExpectRefused(R"({"grace_minutes": null})", "grace_minutes");
    ExpectRefused(R"({"early_leave_grace_minutes": true})", "early_leave_grace_minutes");
    ExpectRefused(R"({"min_in_out_gap_minutes": "30"})", "min_in_out_gap_minutes");
    ExpectRefused(R"({"absent_after_minutes": {}})", "absent_after_minutes");
    ExpectRefused(R"({"use_device_punch_state": "yes"})", "use_device_punch_state");
    ExpectRefused(R"({"late_after_in_window": 1})", "late_after_in_window");
    ExpectRefused(R"({"use_device_punch_state": 1})", "use_device_punch_state");
    ExpectRefused(R"({"school_days": "mon"})", "school_days");
    ExpectRefused(R"({"in_window": "06:00-09:30", "out_window": null})", "in_window");
    ExpectRefused(R"({"in_window": null, "out_window": ["15:00", "18:00"]})", "out_window");
}

TEST(SettingsCodec, MinutesOutOfRangeAreNamed) {
    ExpectRefused(R"({"grace_minutes": -1})", "grace_minutes");
    ExpectRefused(R"({"grace_minutes": 1441})", "grace_minutes");
    ExpectRefused(R"({"absent_after_minutes": 18446744073709551615})", "absent_after_minutes");
    EXPECT_EQ(MustParse(R"({"grace_minutes": 1440})").grace_minutes, 1440);
    EXPECT_EQ(MustParse(R"({"grace_minutes": 0})").grace_minutes, 0);
}

TEST(SettingsCodec, NotAnObjectIsRefused) {
    for (const std::string_view text : {"", "null", "[]", "\"settings\"", "{", "{} {}", "not json"}) {
        ExpectRefused(text, "body");
    }
}

TEST(SettingsCodec, R11_NullWindowsMeanFallbackMode) {
    const auto s = MustParse(R"({"in_window": null, "out_window": null})");
    EXPECT_FALSE(s.in_window);
    EXPECT_FALSE(s.out_window);
    EXPECT_FALSE(s.windows_mode());
}

TEST(SettingsCodec, R11_WindowsAreParsed) {
    const auto s = MustParse(R"({"in_window": {"start": "06:15", "end": "09:00"},
                                 "out_window": {"start": "09:00", "end": "23:59"}})");
    EXPECT_EQ(s.in_window, (TimeWindow{Hm(6, 15), Hm(9, 0)}));
    EXPECT_EQ(s.out_window, (TimeWindow{Hm(9, 0), Hm(23, 59)}));
}

TEST(SettingsCodec, R11_OnlyOneWindowIsRefused) {
    ExpectRefused(R"({"in_window": {"start": "06:00", "end": "09:30"}})", "out_window");
    ExpectRefused(R"({"in_window": {"start": "06:00", "end": "09:30"}, "out_window": null})", "out_window");
    ExpectRefused(R"({"out_window": {"start": "15:00", "end": "18:00"}})", "in_window");
}

TEST(SettingsCodec, R11_WindowEdgesAreRequired) {
    ExpectRefused(R"({"in_window": {"end": "09:30"}, "out_window": {"start": "15:00", "end": "18:00"}})",
                  "in_window.start");
    ExpectRefused(R"({"in_window": {"start": "06:00", "end": null}, "out_window": {"start": "15:00", "end": "18:00"}})",
                  "in_window.end");
    ExpectRefused(
        R"({"in_window": {"start": "6am", "end": "09:30"}, "out_window": {"start": "15:00", "end": "18:00"}})",
        "in_window.start");
    ExpectRefused(R"({"in_window": {"start": "06:00", "end": "09:30"}, "out_window": {"start": 15, "end": "18:00"}})",
                  "out_window.start");
    ExpectRefused(R"({"in_window": {"start": "06:00", "end": "09:30"}, "out_window": {}})", "out_window.start");
}

TEST(SettingsCodec, R11_WindowOrderIsChecked) {
    ExpectRefused(
        R"({"in_window": {"start": "09:30", "end": "06:00"}, "out_window": {"start": "15:00", "end": "18:00"}})",
        "in_window");
    ExpectRefused(
        R"({"in_window": {"start": "06:00", "end": "09:30"}, "out_window": {"start": "09:00", "end": "18:00"}})",
        "out_window");
    ExpectRefused(
        R"({"in_window": {"start": "06:00", "end": "09:30"}, "out_window": {"start": "18:00", "end": "15:00"}})",
        "out_window");
}

TEST(SettingsCodec, R14_SchoolDaysAreParsed) {
    EXPECT_EQ(MustParse(R"({"school_days": ["sat", "sun"]})").school_days, 0b1100000);
    EXPECT_EQ(MustParse(R"({"school_days": ["mon"]})").school_days, 0b0000001);
    EXPECT_EQ(MustParse(R"({"school_days": ["fri", "mon", "wed"]})").school_days, 0b0010101);
    EXPECT_EQ(MustParse(R"({"school_days": ["mon", "mon", "tue"]})").school_days, 0b0000011);
    EXPECT_EQ(MustParse(R"({"school_days": ["mon","tue","wed","thu","fri","sat","sun"]})").school_days, 0b1111111);
    const auto s = MustParse(R"({"school_days": ["tue", "sat"]})");
    EXPECT_TRUE(s.IsSchoolWeekday(core::DateFromYmd(2026, 3, 14)));   // Saturday
    EXPECT_TRUE(s.IsSchoolWeekday(core::DateFromYmd(2026, 3, 10)));   // Tuesday
    EXPECT_FALSE(s.IsSchoolWeekday(core::DateFromYmd(2026, 3, 9)));   // Monday
    EXPECT_FALSE(s.IsSchoolWeekday(core::DateFromYmd(2026, 3, 15)));  // Sunday
}

TEST(SettingsCodec, R14_BadSchoolDaysAreNamed) {
    ExpectRefused(R"({"school_days": []})", "school_days");
    ExpectRefused(R"({"school_days": ["monday"]})", "school_days");
    ExpectRefused(R"({"school_days": ["Mon"]})", "school_days");
    ExpectRefused(R"({"school_days": [1, 2]})", "school_days");
    ExpectRefused(R"({"school_days": ["mon", null]})", "school_days");
    ExpectRefused(R"({"school_days": null})", "school_days");
}

TEST(SettingsCodec, InvalidSettingsAreRefusedWithTheField) {
    ExpectRefused(R"({"school_start_time": "08:00", "school_end_time": "08:00"})", "school_end_time");
    ExpectRefused(R"({"school_start_time": "08:00", "school_end_time": "07:00"})", "school_end_time");
    EXPECT_EQ(MustParse(R"({"school_start_time": null, "school_end_time": "07:00"})").school_end_time, Hm(7, 0));
}

TEST(SettingsCodec, R10_DevicePunchStateIsParsed) {
    EXPECT_TRUE(MustParse(R"({"use_device_punch_state": true})").use_device_punch_state);
    EXPECT_FALSE(MustParse(R"({"use_device_punch_state": false})").use_device_punch_state);
}

}  // namespace
}  // namespace rollcall::wire
