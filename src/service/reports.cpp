// Reports are read from the same registers the API serves, day by day, so a report can never disagree
// with the register of one of its days.

#include "service/reports.hpp"

#include "service/spreadsheet_cells.hpp"

#include <map>

#include <fmt/format.h>

namespace rollcall::service {
namespace {

using core::FormatDate;
using domain::DayStatus;

std::string Period(core::Date from, core::Date to) {
    return FormatDate(from) + " to " + FormatDate(to);
}

std::string Time(const std::optional<std::int32_t>& t) {
    return t ? core::FormatTimeOfDay(*t) : std::string();
}

/// The status a row shows: the override's when there is one (R19).
DayStatus Shown(const RegisterRow& row) {
    return ShowRow(row).status;
}

std::string Kind(const storage::Person& person) {
    return std::string(core::NameOf(person.kind));
}

}  // namespace

Reports::Reports(Accounts& accounts, People& people, Attendance& attendance, Devices& devices, Calendar& calendar)
    : accounts_(accounts), people_(people), attendance_(attendance), devices_(devices), calendar_(calendar) {}

void Reports::SetStartHookForTests(std::function<void(std::int64_t school_id)> hook) {
    start_hook_ = std::move(hook);
}

template <class Fn>
core::Status Reports::ForEachDay(std::int64_t school_id, core::Date from, core::Date to, Fn&& fn) {
    return attendance_.ForEachRegister(school_id, from, to, [&](Register& reg) -> core::Status {
        fn(reg);
        return {};
    });
}

core::Result<ReportTable> Reports::Start(std::int64_t school_id,
                                         std::string title,
                                         std::string period,
                                         std::vector<std::string> columns,
                                         std::set<std::size_t> number_columns) {
    if (start_hook_) {
        start_hook_(school_id);
    }
    ROLLCALL_TRY(auto school, accounts_.GetSchool(school_id));
    return ReportTable{
        std::move(title), school.name, std::move(period), std::move(columns), {}, {}, std::move(number_columns)};
}

core::Result<ReportTable> Reports::LateReport(std::int64_t school_id, core::Date from, core::Date to) {
    ROLLCALL_TRY(auto table,
                 Start(school_id,
                       "Late-comers",
                       Period(from, to),
                       {"Date", "Name", "Kind", "Group", "In time", "Minutes late"},
                       {5}));
    std::int32_t days_without_start = 0;
    ROLLCALL_CHECK(ForEachDay(school_id, from, to, [&](const Register& reg) {
        days_without_start += reg.start_time_set ? 0 : 1;
        for (const auto& row : reg.rows) {
            if (Shown(row) == DayStatus::kLate) {
                table.rows.push_back({FormatDate(reg.date),
                                      row.person.name,
                                      Kind(row.person),
                                      row.person.group,
                                      Time(row.result.in_time),
                                      std::to_string(row.result.late_minutes)});
            }
        }
    }));
    // R15: an empty report must not read as "nobody was late" when nobody could be.
    const std::int32_t days = to.days - from.days + 1;
    if (days_without_start == days) {
        table.warnings.emplace_back("no school start time is set: nobody is marked late (R15)");
    } else if (days_without_start > 0) {
        table.warnings.push_back(
            fmt::format("no school start time is set on {} of the {} days: nobody is marked late on those days (R15)",
                        days_without_start,
                        days));
    }
    return table;
}

core::Result<ReportTable> Reports::AbsentReport(std::int64_t school_id, core::Date from, core::Date to) {
    ROLLCALL_TRY(auto table,
                 Start(school_id, "Absentees", Period(from, to), {"Date", "Name", "Kind", "Group", "Reason"}));
    ROLLCALL_CHECK(ForEachDay(school_id, from, to, [&](const Register& reg) {
        for (const auto& row : reg.rows) {
            if (Shown(row) == DayStatus::kAbsent) {
                table.rows.push_back({FormatDate(reg.date),
                                      row.person.name,
                                      Kind(row.person),
                                      row.person.group,
                                      row.override_row ? row.override_row->reason : std::string("no punch")});
            }
        }
    }));
    return table;
}

core::Result<ReportTable> Reports::SummaryReport(std::int64_t school_id, core::Date from, core::Date to) {
    ROLLCALL_TRY(
        auto table,
        Start(
            school_id,
            "Attendance summary",
            Period(from, to),
            {"Name", "Kind", "Group", "School days", "Present", "Late", "Absent", "Excused", "Pending", "Attendance %"},
            {3, 4, 5, 6, 7, 8, 9}));
    struct Counts {
        const storage::Person* person = nullptr;
        std::map<DayStatus, int> by_status;
    };
    std::map<std::int64_t, Counts> counts;
    std::vector<Register> registers;
    ROLLCALL_CHECK(ForEachDay(school_id, from, to, [&](Register reg) { registers.push_back(std::move(reg)); }));
    std::vector<std::int64_t> order;
    for (const auto& reg : registers) {
        for (const auto& row : reg.rows) {
            // R8: a day before someone joined or after they left is none of their school days.
            const auto& p = row.person;
            const bool active =
                (!p.active_from || *p.active_from <= reg.date) && (!p.active_to || reg.date <= *p.active_to);
            auto [it, fresh] = counts.try_emplace(row.person.id);
            if (fresh) {
                order.push_back(row.person.id);
            }
            it->second.person = &row.person;
            if (active) {
                ++it->second.by_status[Shown(row)];
            }
        }
    }
    for (const auto id : order) {
        const auto& c = counts[id];
        auto n = [&](DayStatus s) {
            const auto it = c.by_status.find(s);
            return it != c.by_status.end() ? it->second : 0;
        };
        // School days are the days the register could mark: holidays and untracked days do not count.
        const int school_days = n(DayStatus::kPresent) + n(DayStatus::kLate) + n(DayStatus::kAbsent) +
                                n(DayStatus::kExcused) + n(DayStatus::kPending);
        const int attended = n(DayStatus::kPresent) + n(DayStatus::kLate);
        const int decided = school_days - n(DayStatus::kPending) - n(DayStatus::kExcused);
        table.rows.push_back({c.person->name,
                              Kind(*c.person),
                              c.person->group,
                              std::to_string(school_days),
                              std::to_string(n(DayStatus::kPresent)),
                              std::to_string(n(DayStatus::kLate)),
                              std::to_string(n(DayStatus::kAbsent)),
                              std::to_string(n(DayStatus::kExcused)),
                              std::to_string(n(DayStatus::kPending)),
                              decided > 0 ? fmt::format("{:.1f}", 100.0 * attended / decided) : std::string()});
    }
    return table;
}

core::Result<ReportTable> Reports::IgnoredPunchesReport(std::int64_t school_id, core::Date from, core::Date to) {
    ROLLCALL_TRY(auto table,
                 Start(school_id,
                       "Punches that counted for nothing",
                       Period(from, to),
                       {"Date", "Time", "Device", "User ID", "Name", "Rule", "Why"}));
    ROLLCALL_TRY(const auto devices, devices_.ListDevices(school_id));
    std::map<std::int64_t, std::string> names;
    for (const auto& d : devices) {
        names.emplace(d.device.id, d.device.name);
    }
    const auto device_name = [&](std::int64_t id) {
        const auto it = names.find(id);
        return it != names.end() ? it->second : std::to_string(id);
    };
    // Each row carries its punches and the verdict on each (R20): one register per day, no re-reading.
    ROLLCALL_CHECK(ForEachDay(school_id, from, to, [&](const Register& reg) {
        for (const auto& row : reg.rows) {
            for (std::size_t i = 0; i < row.punches.size(); ++i) {
                const auto& v = row.result.explain[i];
                const bool dropped = v.rule == "R4" || v.rule == "R8" || v.rule == "R10" ||
                                     v.note == "outside_window" || v.note == "direction_mismatch";
                if (dropped) {
                    table.rows.push_back({FormatDate(reg.date),
                                          core::FormatTimeOfDay(row.punches[i].timestamp.time_of_day()),
                                          device_name(row.punches[i].device_id),
                                          row.punches[i].user_id,
                                          row.person.name,
                                          v.rule,
                                          v.note});
                }
            }
        }
    }));
    // Punches of users nobody is mapped to (R7), those of the period only.
    ROLLCALL_TRY(const auto unmapped, attendance_.UnmappedBetween(school_id, from, to));
    for (const auto& u : unmapped) {
        if (!u.first_seen || !u.last_seen) {
            continue;  // never: these users are found through their punches of the period
        }
        const auto first = u.first_seen->date();
        const auto last = u.last_seen->date();
        table.rows.push_back({first == last ? FormatDate(first) : FormatDate(first) + " to " + FormatDate(last),
                              "",
                              device_name(u.device_id),
                              u.user_id,
                              "",
                              "R7",
                              fmt::format("unmapped user ({} punches)", u.punches)});
    }
    return table;
}

core::Result<ReportTable> Reports::UnmappedPeopleReport(std::int64_t school_id) {
    ROLLCALL_TRY(auto table,
                 Start(school_id, "People without a device mapping", "", {"Name", "Kind", "Group", "External ID"}));
    ROLLCALL_TRY(const auto people, people_.PeopleWithoutMapping(school_id));
    for (const auto& p : people) {
        table.rows.push_back({p.name, Kind(p), p.group, p.external_id});
    }
    return table;
}

core::Result<std::vector<TrendDay>> Reports::Trend(std::int64_t school_id, core::Date from, core::Date to) {
    if (start_hook_) {
        start_hook_(school_id);
    }
    std::vector<TrendDay> out;
    ROLLCALL_CHECK(ForEachDay(school_id, from, to, [&](const Register& reg) {
        TrendDay day{reg.date, reg.school_day, reg.holiday, reg.final, {}};
        for (const auto& row : reg.rows) {
            day.counts.Add(Shown(row));
        }
        out.push_back(day);
    }));
    return out;
}

std::string ToCsv(const ReportTable& table) {
    std::string out;
    AppendCsvLine(out, {table.title, table.school});
    if (!table.period.empty()) {
        AppendCsvLine(out, {"Period", table.period});
    }
    for (const auto& warning : table.warnings) {
        AppendCsvLine(out, {"Warning", warning});
    }
    out += "\r\n";
    AppendCsvLine(out, table.columns);
    for (const auto& row : table.rows) {
        AppendCsvLine(out, row, table.number_columns);
    }
    return out;
}

}  // namespace rollcall::service
