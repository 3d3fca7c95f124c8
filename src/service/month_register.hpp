#pragma once

// The monthly register (docs/api.md "Reports"): the grid schools keep on paper, people down the side grouped by
// group, the days of the month across, a letter in each cell, totals per person and per day. Read from the same
// registers the API serves, so a cell can never disagree with the register of its day.

#include "core/civil_time.hpp"
#include "core/enum_names.hpp"
#include "core/result.hpp"
#include "domain/person.hpp"
#include "service/attendance.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rollcall::service {

/// What a cell of the month shows: the status of the person's day as the register shows it (R19: an override's),
/// or blank where there is nothing to show yet or any more.
enum class MonthMark { kBlank, kPresent, kLate, kAbsent, kExcused, kHoliday, kWeekend, kPending, kNotTracked };
/// The letters, the one name table of MonthMark.
inline constexpr std::array<std::pair<MonthMark, std::string_view>, 9> kMonthMarkNames{{
    {MonthMark::kBlank, ""},
    {MonthMark::kPresent, "P"},
    {MonthMark::kLate, "L"},
    {MonthMark::kAbsent, "A"},
    {MonthMark::kExcused, "E"},
    {MonthMark::kHoliday, "H"},
    {MonthMark::kWeekend, "W"},
    {MonthMark::kPending, "?"},
    {MonthMark::kNotTracked, "N"},
}};
constexpr const auto& EnumNameTable(MonthMark) {
    return kMonthMarkNames;
}

/// What each letter means, in the order the legend lists them (every letter but the blank).
struct MarkMeaning {
    MonthMark mark;
    std::string_view meaning;
};
extern const std::array<MarkMeaning, 8> kMonthLegend;
/// What the blank cell means, and the mark of a cell an override decides, for the legends.
inline constexpr std::string_view kBlankMeaning = "a day not reached yet, or outside the person's active dates";
inline constexpr std::string_view kOverriddenMark = "*";
inline constexpr std::string_view kOverriddenMeaning = "set by an admin (an override, R19)";

/// The cell of one person on one day: the register's row as the school sees it (R19), on a day of `today`'s school.
/// Blank before the person's active_from and after their active_to (R8), and on a day after `today` unless something
/// is known of it already (a holiday, a weekend, an override). H for a day of the school's holiday list, W for a day
/// that is none of the person's school days (R14.2); ? while a school day is pending (R16); N for someone with no
/// mapping, whom nothing can record (R14.3).
MonthMark MarkOf(const Register& reg, const RegisterRow& row, core::Date today);

/// The column of one day.
struct MonthDay {
    core::Date date;
    bool school_day = false;             ///< a school day by the school's own settings, and no holiday
    std::optional<std::string> holiday;  ///< the holiday's name when the day is in the school's list
};

/// One person's line: a mark per day of the month and their totals (their non-blank cells only).
struct MonthPerson {
    storage::Person person;
    std::vector<MonthMark> cells;
    std::vector<std::size_t> overridden;  ///< the indexes of the cells an override decides (R19)
    StatusCounts totals;
};

/// The people of one group of one kind, by name, with their totals per day.
struct MonthGroup {
    domain::PersonKind kind = domain::PersonKind::kStudent;
    std::string group;
    std::vector<MonthPerson> people;
    std::vector<StatusCounts> day_totals;  ///< per day: the group's non-blank cells by status
};

/// Which people the month shows: one group, one kind, or both; the whole school when neither.
struct MonthFilter {
    std::optional<std::string> group;
    std::optional<domain::PersonKind> kind;
};

struct MonthRegister {
    std::string school;
    int year = 0;
    unsigned month = 0;
    core::Date today;  ///< the school's today when it was read: later days are blank but for what is known of them
    MonthFilter filter;
    std::vector<MonthDay> days;
    std::vector<MonthGroup> groups;        ///< by kind (staff before students, as the register), then group
    std::vector<StatusCounts> day_totals;  ///< per day, every group shown
    std::vector<std::string> warnings;     ///< R15: school days without a start time, on which nobody is late

    /// "2026-03".
    std::string MonthText() const;
    /// "March 2026".
    std::string MonthTitle() const;
};

/// A group as the month's headings name it: "5A", "Science (staff)", "Staff", "Students without a group".
std::string GroupLabel(const MonthGroup& group);
/// "Mo" ... "Su", the day's column heading under its number.
std::string_view WeekdayAbbreviation(core::Date date);

/// The month as CSV: the school, the month, the group and the warnings, then per group a header of the days, a
/// line per person (overridden cells carry '*') with their totals, and the day totals; the legend at the end.
std::string MonthToCsv(const MonthRegister& month);
/// The month as a workbook laid out for printing: a worksheet per group headed by the school, the group and the
/// month, landscape, one page wide, the heading rows repeated on every page, narrow day columns, non-school days
/// shaded, overridden cells marked, the day totals and a legend. Names and identifiers are text.
core::Result<std::string> MonthToXlsx(const MonthRegister& month);

}  // namespace rollcall::service
