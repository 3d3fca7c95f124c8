#include "core/civil_time.hpp"

#include <gtest/gtest.h>

namespace rollcall::core {
namespace {

TEST(CivilTime, ParsesAndFormatsDeviceTimestamps) {
    const auto t = ParseLocalDateTime("2026-03-12 08:05:09");
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(FormatLocalDateTime(*t), "2026-03-12 08:05:09");
    EXPECT_EQ(FormatDate(t->date()), "2026-03-12");
    EXPECT_EQ(t->time_of_day(), 8 * 3600 + 5 * 60 + 9);
    EXPECT_EQ(ParseLocalDateTime("2026-03-12T08:05:09"), t);
    EXPECT_EQ(FormatLocalDateTime(*ParseLocalDateTime("2026-03-12 08:05")), "2026-03-12 08:05:00");
}

TEST(CivilTime, RejectsImpossibleDates) {
    EXPECT_FALSE(ParseDate("2026-02-29"));
    EXPECT_TRUE(ParseDate("2024-02-29"));
    EXPECT_FALSE(ParseDate("2026-13-01"));
    EXPECT_FALSE(ParseDate("2026-1-01"));
    EXPECT_FALSE(ParseLocalDateTime("2026-03-12 24:00:00"));
    EXPECT_FALSE(ParseLocalDateTime("2026-03-12 08:60:00"));
    EXPECT_FALSE(ParseLocalDateTime("12/03/2026 08:00:00"));
    EXPECT_FALSE(ParseLocalDateTime(""));
}

TEST(CivilTime, WeekdayIsMondayZero) {
    EXPECT_EQ(Weekday(*ParseDate("2026-03-09")), 0);  // Monday
    EXPECT_EQ(Weekday(*ParseDate("2026-03-12")), 3);  // Thursday
    EXPECT_EQ(Weekday(*ParseDate("2026-03-15")), 6);  // Sunday
    EXPECT_EQ(Weekday(*ParseDate("1969-12-31")), 2);  // before the epoch
}

TEST(CivilTime, RoundTripsEveryDayOfFourCenturies) {
    for (std::int32_t d = -146097; d < 146097; d += 7) {
        int y = 0;
        unsigned m = 0;
        unsigned day = 0;
        YmdFromDate(Date{d}, y, m, day);
        ASSERT_EQ(DateFromYmd(y, m, day).days, d);
    }
}

TEST(CivilTime, FormatsUnixAsUtc) {
    EXPECT_EQ(FormatUnixUtc(1773309600), "2026-03-12T10:00:00Z");
}

}  // namespace
}  // namespace rollcall::core
