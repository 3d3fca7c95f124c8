#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rollcall::core {

/// A calendar date as days since 1970-01-01 (proleptic Gregorian). No time zone: a date is always some
/// school's local date.
struct Date {
    std::int32_t days = 0;
    // clang-tidy 14 reports the `<=> 0` of a defaulted comparison as a literal null pointer.
    friend auto operator<=>(const Date&, const Date&) = default;  // NOLINT(modernize-use-nullptr)
};

/// A wall-clock date and time with no zone, as seconds since 1970-01-01 00:00:00 of the same wall clock.
/// Devices send these; a school's zone turns them into instants when that is needed (R5).
struct LocalDateTime {
    std::int64_t seconds = 0;
    friend auto operator<=>(const LocalDateTime&, const LocalDateTime&) = default;  // NOLINT(modernize-use-nullptr)

    Date date() const;
    /// Seconds since local midnight, 0..86399.
    std::int32_t time_of_day() const;
};

Date DateFromYmd(int year, unsigned month, unsigned day);
void YmdFromDate(Date date, int& year, unsigned& month, unsigned& day);
/// 0 = Monday ... 6 = Sunday.
int Weekday(Date date);

/// "YYYY-MM-DD", strictly (valid calendar date).
std::optional<Date> ParseDate(std::string_view text);
/// "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SS", strictly; seconds may be omitted ("HH:MM").
std::optional<LocalDateTime> ParseLocalDateTime(std::string_view text);
/// "HH:MM" or "HH:MM:SS" → seconds since midnight.
std::optional<std::int32_t> ParseTimeOfDay(std::string_view text);

std::string FormatDate(Date date);
std::string FormatLocalDateTime(LocalDateTime t);
/// "HH:MM:SS".
std::string FormatTimeOfDay(std::int32_t seconds);
/// "HH:MM".
std::string FormatHourMinute(std::int32_t seconds);
/// "YYYY-MM-DDTHH:MM:SSZ".
std::string FormatUnixUtc(std::int64_t unix_seconds);

inline LocalDateTime AtTime(Date d, std::int32_t seconds_of_day) {
    return LocalDateTime{std::int64_t{d.days} * 86400 + seconds_of_day};
}

}  // namespace rollcall::core
