#include "wire/register_views.hpp"

#include <cmath>

namespace rollcall::service {
namespace {

namespace json = boost::json;
using domain::DayStatus;
using wire::TextOf;

/// The counts a day column totals: the statuses a cell of a school day can show.
json::object DayTotals(const StatusCounts& c) {
    return json::object{{"present", c.Of(DayStatus::kPresent)},
                        {"late", c.Of(DayStatus::kLate)},
                        {"absent", c.Of(DayStatus::kAbsent)},
                        {"excused", c.Of(DayStatus::kExcused)},
                        {"pending", c.Of(DayStatus::kPending)}};
}

/// A person's month: the day totals' counts, days present (late ones included), school days and attendance %.
json::object PersonTotals(const StatusCounts& c) {
    auto out = DayTotals(c);
    out["days_present"] = c.Attended();
    out["school_days"] = c.SchoolDays();
    const auto percent = c.AttendancePercent();
    out["attendance_percent"] = percent ? json::value(std::round(*percent * 10) / 10) : json::value(nullptr);
    return out;
}

json::array DayTotalsList(const std::vector<StatusCounts>& days) {
    json::array out;
    out.reserve(days.size());
    for (const auto& d : days) {
        out.push_back(DayTotals(d));
    }
    return out;
}

/// The scope as the settings answer names it: "school" for the school's own.
std::string ScopeName(const std::string& scope) {
    return scope.empty() ? std::string("school") : scope;
}

}  // namespace

void tag_invoke(json::value_from_tag, json::value& out, const StatusCounts& c) {
    json::object o;
    for (const auto& [status, name] : domain::kDayStatusNames) {
        o[name] = c.Of(status);
    }
    out = std::move(o);
}

void tag_invoke(json::value_from_tag, json::value& out, const MonthRegister& m) {
    json::array days;
    for (const auto& d : m.days) {
        days.push_back(json::object{{"date", core::FormatDate(d.date)},
                                    {"weekday", core::Weekday(d.date) + 1},
                                    {"school_day", d.school_day},
                                    {"holiday", wire::OptValue(d.holiday)}});
    }
    json::array groups;
    for (const auto& g : m.groups) {
        json::array people;
        for (const auto& p : g.people) {
            json::array cells;
            cells.reserve(p.cells.size());
            for (const auto mark : p.cells) {
                cells.emplace_back(core::NameOf(mark));
            }
            people.push_back(json::object{{"person_id", p.person.id},
                                          {"name", p.person.name},
                                          {"external_id", p.person.external_id},
                                          {"active_from", wire::OptDateValue(p.person.active_from)},
                                          {"active_to", wire::OptDateValue(p.person.active_to)},
                                          {"cells", std::move(cells)},
                                          {"overridden", json::value_from(p.overridden)},
                                          {"totals", PersonTotals(p.totals)}});
        }
        groups.push_back(json::object{{"kind", TextOf(g.kind)},
                                      {"group", g.group},
                                      {"label", GroupLabel(g)},
                                      {"people", std::move(people)},
                                      {"day_totals", DayTotalsList(g.day_totals)}});
    }
    json::array legend;
    for (const auto& entry : kMonthLegend) {
        legend.push_back(json::object{{"letter", core::NameOf(entry.mark)}, {"meaning", entry.meaning}});
    }
    legend.push_back(json::object{{"letter", ""}, {"meaning", kBlankMeaning}});
    out = {{"school", m.school},
           {"month", m.MonthText()},
           {"title", m.MonthTitle()},
           {"today", core::FormatDate(m.today)},
           {"group", wire::OptValue(m.filter.group)},
           {"kind", m.filter.kind ? json::value(TextOf(*m.filter.kind)) : json::value(nullptr)},
           {"days", std::move(days)},
           {"groups", std::move(groups)},
           {"day_totals", DayTotalsList(m.day_totals)},
           {"warnings", json::value_from(m.warnings)},
           {"legend", std::move(legend)}};
}

void tag_invoke(json::value_from_tag, json::value& out, const TrendDay& d) {
    json::object o{
        {"date", core::FormatDate(d.date)}, {"school_day", d.school_day}, {"holiday", d.holiday}, {"final", d.final}};
    for (const auto& [key, value] : DayTotals(d.counts)) {
        o.emplace(key, value);
    }
    out = std::move(o);
}

void tag_invoke(json::value_from_tag, json::value& out, const SettingsPreview& p) {
    json::array changes;
    for (const auto& c : p.changes) {
        changes.push_back(json::object{{"person_id", c.person.id},
                                       {"name", c.person.name},
                                       {"kind", TextOf(c.person.kind)},
                                       {"group", c.person.group},
                                       {"current", TextOf(c.now)},
                                       {"proposed", TextOf(c.proposed)},
                                       {"in_time", wire::OptTimeValue(c.in_time)},
                                       {"late_minutes", c.late_minutes}});
    }
    out = {{"date", core::FormatDate(p.date)},
           {"scope", ScopeName(p.scope)},
           {"current", json::value_from(p.current)},
           {"proposed", json::value_from(p.proposed)},
           {"changed", p.changed},
           {"changes", std::move(changes)},
           {"changes_shown", p.changes.size()}};
}

}  // namespace rollcall::service
