#pragma once

#include "service/accounts.hpp"
#include "service/attendance.hpp"
#include "service/calendar.hpp"
#include "service/devices.hpp"
#include "service/month_register.hpp"
#include "service/people.hpp"

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace rollcall::service {

/// A report as a table: what the JSON, CSV and XLSX renderings share.
struct ReportTable {
    std::string title;   ///< "Late-comers"
    std::string school;  ///< the school's name
    std::string period;  ///< "2026-03-01 to 2026-03-31"
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> warnings;  ///< what makes the rows incomplete, in every format (R15)
    /// The columns of numbers the server computed (counts, minutes, percentages), by index: the CSV writes them as
    /// they are and the XLSX as numbers. Every other cell is text, whatever it looks like: a user id "0017" or
    /// "1e5", a name "=cmd" (spreadsheet_cells.hpp).
    std::set<std::size_t> number_columns = {};
};

/// One day of the trend (docs/api.md "Register"): the register's counts as GET attendance gives them.
struct TrendDay {
    core::Date date;
    bool school_day = false;  ///< by the school's own settings, and no holiday
    bool holiday = false;     ///< in the school's holiday list
    bool final = false;       ///< the register's own finality (R16): a day not final may still change
    StatusCounts counts;      ///< every row of the register by the status it shows (R19)
};

/// The school's reports (docs/api.md "Reports"), read from the registers the API serves.
class Reports {
public:
    Reports(Accounts& accounts, People& people, Attendance& attendance, Devices& devices, Calendar& calendar);

    /// Late arrivals (R14.4) on each school day of [from, to]; warns when days of it have no start time (R15).
    core::Result<ReportTable> LateReport(std::int64_t school_id, core::Date from, core::Date to);
    /// Final absences (R14.3, R16) on each day of [from, to].
    core::Result<ReportTable> AbsentReport(std::int64_t school_id, core::Date from, core::Date to);
    /// Per person over [from, to], counting only the days within their active dates (R8): days present, late,
    /// absent, excused, pending, and attendance %.
    core::Result<ReportTable> SummaryReport(std::int64_t school_id, core::Date from, core::Date to);
    /// Punches of [from, to] that counted for nothing: outside the windows, clock suspect, break states,
    /// direction mismatches (R20 notes), and punches of unmapped users in the period (R7); devices by name.
    core::Result<ReportTable> IgnoredPunchesReport(std::int64_t school_id, core::Date from, core::Date to);
    /// People with no mapping at all: they will never have a register entry other than not_tracked.
    core::Result<ReportTable> UnmappedPeopleReport(std::int64_t school_id);
    /// The monthly register of `month` (1-12) of `year` for the people `filter` names (month_register.hpp), from
    /// the month's registers read once. NotFound when the filter names a group nobody of the school is in.
    core::Result<MonthRegister> MonthlyRegister(std::int64_t school_id,
                                                int year,
                                                unsigned month,
                                                const MonthFilter& filter);
    /// The register's counts of each day of [from, to], for the Today screen's chart: computed on read as the
    /// register is (ADR 0001), the days' shared data and punches read once.
    core::Result<std::vector<TrendDay>> Trend(std::int64_t school_id, core::Date from, core::Date to);

    /// For tests only (unset in the server): called on the report's thread as each report starts, with its school.
    /// A test holds a report there on a latch to see what the rest of the server does while reports are running,
    /// which no real dataset can do deterministically. Set it before requests come.
    void SetStartHookForTests(std::function<void(std::int64_t school_id)> hook);

private:
    template <class Fn>
    core::Status ForEachDay(std::int64_t school_id, core::Date from, core::Date to, Fn&& fn);
    core::Result<ReportTable> Start(std::int64_t school_id,
                                    std::string title,
                                    std::string period,
                                    std::vector<std::string> columns,
                                    std::set<std::size_t> number_columns = {});

    Accounts& accounts_;
    People& people_;
    Attendance& attendance_;
    Devices& devices_;
    Calendar& calendar_;
    std::function<void(std::int64_t)> start_hook_;
};

/// RFC 4180 CSV: the school, the period and each warning first, a blank line, then the header and the rows. Text
/// cells that a spreadsheet would run as a formula are neutralized (NeutralizeFormula).
std::string ToCsv(const ReportTable& table);
/// The same layout as an Excel workbook (one sheet, header in bold, the number columns as numbers, every other cell
/// as text).
core::Result<std::string> ToXlsx(const ReportTable& table);

}  // namespace rollcall::service
