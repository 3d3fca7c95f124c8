#include "core/civil_time.hpp"

#include <cstdio>

namespace rollcall::core {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days: exact for the whole proleptic Gregorian range.
std::int32_t DaysFromCivil(int y, unsigned m, unsigned d) {
    y -= m <= 2 ? 1 : 0;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int>(doe) - 719468;
}

bool IsLeap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned DaysInMonth(int y, unsigned m) {
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

bool ParseDigits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) {
        return false;
    }
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

Date LocalDateTime::date() const {
    return Date{static_cast<std::int32_t>(FloorDiv(seconds, 86400))};
}

std::int32_t LocalDateTime::time_of_day() const {
    return static_cast<std::int32_t>(seconds - FloorDiv(seconds, 86400) * 86400);
}

Date DateFromYmd(int year, unsigned month, unsigned day) {
    return Date{DaysFromCivil(year, month, day)};
}

void YmdFromDate(Date date, int& year, unsigned& month, unsigned& day) {
    const int z = date.days + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    day = doy - (153 * mp + 2) / 5 + 1;
    month = mp < 10 ? mp + 3 : mp - 9;
    year = static_cast<int>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
}

int Weekday(Date date) {
    // 1970-01-01 was a Thursday (3 with Monday = 0).
    const int w = static_cast<int>((std::int64_t{date.days} + 3) % 7);
    return w < 0 ? w + 7 : w;
}

std::optional<Date> ParseDate(std::string_view text) {
    int y = 0;
    int m = 0;
    int d = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ParseDigits(text, 0, 4, y) ||
        !ParseDigits(text, 5, 2, m) || !ParseDigits(text, 8, 2, d)) {
        return std::nullopt;
    }
    if (m < 1 || m > 12 || d < 1 || static_cast<unsigned>(d) > DaysInMonth(y, static_cast<unsigned>(m))) {
        return std::nullopt;
    }
    return DateFromYmd(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

std::optional<std::int32_t> ParseTimeOfDay(std::string_view text) {
    int h = 0;
    int mi = 0;
    int s = 0;
    if (text.size() != 5 && text.size() != 8) {
        return std::nullopt;
    }
    if (text[2] != ':' || !ParseDigits(text, 0, 2, h) || !ParseDigits(text, 3, 2, mi)) {
        return std::nullopt;
    }
    if (text.size() == 8 && (text[5] != ':' || !ParseDigits(text, 6, 2, s))) {
        return std::nullopt;
    }
    if (h > 23 || mi > 59 || s > 59) {
        return std::nullopt;
    }
    return h * 3600 + mi * 60 + s;
}

std::optional<LocalDateTime> ParseLocalDateTime(std::string_view text) {
    if (text.size() < 16 || (text[10] != ' ' && text[10] != 'T')) {
        return std::nullopt;
    }
    const auto date = ParseDate(text.substr(0, 10));
    const auto tod = ParseTimeOfDay(text.substr(11));
    if (!date || !tod) {
        return std::nullopt;
    }
    return AtTime(*date, *tod);
}

std::string FormatDate(Date date) {
    int y = 0;
    unsigned m = 0;
    unsigned d = 0;
    YmdFromDate(date, y, m, d);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
    return buf;
}

std::string FormatTimeOfDay(std::int32_t seconds) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    return buf;
}

std::string FormatHourMinute(std::int32_t seconds) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", seconds / 3600, seconds / 60 % 60);
    return buf;
}

std::string FormatLocalDateTime(LocalDateTime t) {
    return FormatDate(t.date()) + " " + FormatTimeOfDay(t.time_of_day());
}

std::string FormatUnixUtc(std::int64_t unix_seconds) {
    const LocalDateTime t{unix_seconds};
    return FormatDate(t.date()) + "T" + FormatTimeOfDay(t.time_of_day()) + "Z";
}

}  // namespace rollcall::core
