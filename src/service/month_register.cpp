// The monthly register: every register of the month computed once (what the days share read once, the punches in
// one read, ADR 0001), each row turned into the letter of its cell as it is computed, so the month never holds more
// than a day of rows.

#include "service/month_register.hpp"

#include "service/reports.hpp"
#include "service/spreadsheet_cells.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

namespace rollcall::service {

const std::array<MarkMeaning, 8> kMonthLegend{{
    {MonthMark::kPresent, "present"},
    {MonthMark::kLate, "late"},
    {MonthMark::kAbsent, "absent"},
    {MonthMark::kExcused, "excused"},
    {MonthMark::kHoliday, "holiday (the school's holiday list)"},
    {MonthMark::kWeekend, "not a school day (weekend)"},
    {MonthMark::kPending, "pending: not decided yet (R16)"},
    {MonthMark::kNotTracked, "not tracked: no device mapping"},
}};

namespace {

using domain::DayStatus;

/// R8: whether D is within the person's active dates.
bool Active(const storage::Person& p, core::Date d) {
    return (!p.active_from || *p.active_from <= d) && (!p.active_to || d <= *p.active_to);
}

std::string Letter(MonthMark mark) {
    return std::string(core::NameOf(mark));
}

}  // namespace

MonthMark MarkOf(const Register& reg, const RegisterRow& row, core::Date today) {
    if (!Active(row.person, reg.date)) {
        return MonthMark::kBlank;
    }
    const bool reached = reg.date <= today;
    switch (ShowRow(row).status) {
        case DayStatus::kPresent:
            return MonthMark::kPresent;
        case DayStatus::kLate:
            return MonthMark::kLate;
        case DayStatus::kAbsent:
            return MonthMark::kAbsent;
        case DayStatus::kExcused:
            return MonthMark::kExcused;
        case DayStatus::kHoliday:
            return reg.holiday ? MonthMark::kHoliday : MonthMark::kWeekend;
        case DayStatus::kPending:
            return reached ? MonthMark::kPending : MonthMark::kBlank;
        case DayStatus::kNotTracked:
            return reached ? MonthMark::kNotTracked : MonthMark::kBlank;
    }
    return MonthMark::kBlank;
}

std::string MonthRegister::MonthText() const {
    return fmt::format("{:04}-{:02}", year, month);
}

std::string MonthRegister::MonthTitle() const {
    static constexpr std::array<std::string_view, 12> kNames = {"January",
                                                                "February",
                                                                "March",
                                                                "April",
                                                                "May",
                                                                "June",
                                                                "July",
                                                                "August",
                                                                "September",
                                                                "October",
                                                                "November",
                                                                "December"};
    return fmt::format("{} {}", kNames.at(month - 1), year);
}

std::string GroupLabel(const MonthGroup& group) {
    const bool staff = group.kind == domain::PersonKind::kStaff;
    if (group.group.empty()) {
        return staff ? "Staff" : "Students without a group";
    }
    return staff ? group.group + " (staff)" : group.group;
}

std::string_view WeekdayAbbreviation(core::Date date) {
    static constexpr std::array<std::string_view, 7> kDays = {"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"};
    return kDays.at(static_cast<std::size_t>(core::Weekday(date)));
}

core::Result<MonthRegister> Reports::MonthlyRegister(std::int64_t school_id,
                                                     int year,
                                                     unsigned month,
                                                     const MonthFilter& filter) {
    if (start_hook_) {
        start_hook_(school_id);
    }
    ROLLCALL_TRY(const auto school, accounts_.GetSchool(school_id));
    ROLLCALL_TRY(const auto today, calendar_.SchoolToday(school_id));
    ROLLCALL_TRY(const auto holidays, calendar_.ListHolidays(school_id));
    std::map<core::Date, std::string> holiday_names;
    for (const auto& h : holidays) {
        holiday_names.emplace(h.date, h.name);
    }
    MonthRegister out;
    out.school = school.name;
    out.year = year;
    out.month = month;
    out.today = today;
    out.filter = filter;
    const auto first = core::DateFromYmd(year, month, 1);
    const auto next = month == 12 ? core::DateFromYmd(year + 1, 1, 1) : core::DateFromYmd(year, month + 1, 1);
    const core::Date last{next.days - 1};
    const auto days = static_cast<std::size_t>(next.days - first.days);
    out.day_totals.resize(days);

    // Where each register row goes: every day's register lists the same people in the same order (kind, group,
    // name), so the first day decides the groups and each row's place once.
    struct Place {
        std::size_t group = 0;
        std::size_t person = 0;
    };
    std::vector<std::optional<Place>> places;
    std::int32_t school_days_without_start = 0;
    std::int32_t school_days = 0;
    ROLLCALL_CHECK(attendance_.ForEachRegister(school_id, first, last, [&](Register& reg) -> core::Status {
        if (places.empty() && !reg.rows.empty()) {
            bool group_exists = false;
            places.resize(reg.rows.size());
            for (std::size_t i = 0; i < reg.rows.size(); ++i) {
                const auto& p = reg.rows[i].person;
                group_exists = group_exists || (filter.group && p.group == *filter.group);
                if ((filter.group && p.group != *filter.group) || (filter.kind && p.kind != *filter.kind)) {
                    continue;
                }
                if (out.groups.empty() || out.groups.back().kind != p.kind || out.groups.back().group != p.group) {
                    out.groups.push_back(MonthGroup{p.kind, p.group, {}, std::vector<StatusCounts>(days)});
                }
                auto& g = out.groups.back();
                places[i] = Place{out.groups.size() - 1, g.people.size()};
                g.people.push_back(MonthPerson{p, std::vector<MonthMark>(days, MonthMark::kBlank), {}, {}});
            }
            if (filter.group && !group_exists) {
                return core::MakeError(core::Errc::kNotFound, "group: nobody of this school is in " + *filter.group);
            }
        }
        const auto k = static_cast<std::size_t>(reg.date.days - first.days);
        MonthDay day{reg.date, reg.school_day, std::nullopt};
        if (const auto h = holiday_names.find(reg.date); reg.holiday && h != holiday_names.end()) {
            day.holiday = h->second;
        }
        out.days.push_back(std::move(day));
        school_days += reg.school_day ? 1 : 0;
        school_days_without_start += reg.school_day && !reg.start_time_set ? 1 : 0;
        for (std::size_t i = 0; i < reg.rows.size() && i < places.size(); ++i) {
            if (!places[i]) {
                continue;
            }
            const auto& row = reg.rows[i];
            const auto mark = MarkOf(reg, row, today);
            if (mark == MonthMark::kBlank) {
                continue;  // nothing to show, nothing to count
            }
            auto& group = out.groups[places[i]->group];
            auto& person = group.people[places[i]->person];
            person.cells[k] = mark;
            if (row.override_row) {
                person.overridden.push_back(k);
            }
            const auto status = ShowRow(row).status;
            person.totals.Add(status);
            group.day_totals[k].Add(status);
            out.day_totals[k].Add(status);
        }
        return {};
    }));
    if (filter.group && places.empty()) {
        return core::MakeError(core::Errc::kNotFound, "group: nobody of this school is in " + *filter.group);
    }
    // R15: an L-less month must not read as "nobody was late" when nobody could be.
    if (school_days > 0 && school_days_without_start == school_days) {
        out.warnings.emplace_back("no school start time is set: nobody is marked late (R15)");
    } else if (school_days_without_start > 0) {
        out.warnings.push_back(
            fmt::format("no school start time is set on {} of the {} school days: nobody is marked late on those "
                        "days (R15)",
                        school_days_without_start,
                        school_days));
    }
    return out;
}

namespace {

std::string Percent(const StatusCounts& c) {
    const auto p = c.AttendancePercent();
    return p ? fmt::format("{:.1f}", *p) : std::string();
}

}  // namespace

std::string MonthToCsv(const MonthRegister& month) {
    std::string out;
    AppendCsvLine(out, {"Monthly register", month.school});
    AppendCsvLine(out, {"Month", month.MonthTitle()});
    AppendCsvLine(out, {"Group", month.filter.group ? *month.filter.group : std::string("All groups")});
    if (month.filter.kind) {
        AppendCsvLine(out, {"Kind", std::string(core::NameOf(*month.filter.kind))});
    }
    for (const auto& warning : month.warnings) {
        AppendCsvLine(out, {"Warning", warning});
    }
    const auto days = month.days.size();
    // Name, ID, the days, then the totals: columns 2 .. 2 + days - 1 are letters, the rest of a person's are counts.
    std::set<std::size_t> count_columns;
    for (std::size_t c = 2 + days; c < 2 + days + 8; ++c) {
        count_columns.insert(c);
    }
    std::set<std::size_t> day_columns;
    for (std::size_t c = 2; c < 2 + days; ++c) {
        day_columns.insert(c);
    }
    for (const auto& group : month.groups) {
        out += "\r\n";
        AppendCsvLine(out, {"Group", GroupLabel(group)});
        std::vector<std::string> header{"Name", "External ID"};
        std::vector<std::string> weekdays{"", ""};
        for (const auto& d : month.days) {
            unsigned dd = 0;
            unsigned mm = 0;
            int yy = 0;
            core::YmdFromDate(d.date, yy, mm, dd);
            header.push_back(std::to_string(dd));
            weekdays.emplace_back(WeekdayAbbreviation(d.date));
        }
        for (const auto* t :
             {"Present", "Late", "Absent", "Excused", "Pending", "Days present", "School days", "Attendance %"}) {
            header.emplace_back(t);
        }
        AppendCsvLine(out, header);
        AppendCsvLine(out, weekdays);
        for (const auto& person : group.people) {
            std::vector<std::string> line{person.person.name, person.person.external_id};
            for (std::size_t k = 0; k < days; ++k) {
                auto cell = Letter(person.cells[k]);
                if (std::find(person.overridden.begin(), person.overridden.end(), k) != person.overridden.end()) {
                    cell += kOverriddenMark;
                }
                line.push_back(std::move(cell));
            }
            const auto& t = person.totals;
            for (const auto s : {DayStatus::kPresent,
                                 DayStatus::kLate,
                                 DayStatus::kAbsent,
                                 DayStatus::kExcused,
                                 DayStatus::kPending}) {
                line.push_back(std::to_string(t.Of(s)));
            }
            line.push_back(std::to_string(t.Attended()));
            line.push_back(std::to_string(t.SchoolDays()));
            line.push_back(Percent(t));
            AppendCsvLine(out, line, count_columns);
        }
        for (const auto& [label, status] : {std::pair{"Present", DayStatus::kPresent},
                                            std::pair{"Late", DayStatus::kLate},
                                            std::pair{"Absent", DayStatus::kAbsent}}) {
            std::vector<std::string> line{label, ""};
            for (std::size_t k = 0; k < days; ++k) {
                line.push_back(std::to_string(group.day_totals[k].Of(status)));
            }
            AppendCsvLine(out, line, day_columns);
        }
    }
    out += "\r\n";
    for (const auto& entry : kMonthLegend) {
        AppendCsvLine(out, {"Legend", Letter(entry.mark), std::string(entry.meaning)});
    }
    AppendCsvLine(out, {"Legend", "", std::string(kBlankMeaning)});
    AppendCsvLine(out, {"Legend", std::string(kOverriddenMark), std::string(kOverriddenMeaning)});
    return out;
}

}  // namespace rollcall::service
