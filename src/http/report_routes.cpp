// GET /api/v1/schools/{school_id}/reports/{name}?from=&to=&format=json|csv|xlsx, the monthly register
// (reports/monthly-register?month=YYYY-MM) and the daily counts of the Today screen's chart (attendance/trend).

#include "http/error_mapping.hpp"
#include "http/json_util.hpp"
#include "http/reply.hpp"
#include "http/routes.hpp"
#include "service/reports.hpp"
#include "wire/register_views.hpp"

#include <fmt/format.h>

namespace rollcall::http {
namespace {

using core::Errc;
using core::MakeError;

using RangedReport = core::Result<service::ReportTable> (service::Reports::*)(std::int64_t, core::Date, core::Date);

/// A report over ?from=&to=, at most `report_max_days` long.
Handler Ranged(std::string name, RangedReport report);
void UnmappedPeople(const Backend& b, Call& call, const net::Responder& respond);
Reply MonthlyRegister(const Backend& b, Call& call);
Reply Trend(const Backend& b, Call& call);

}  // namespace

std::vector<Route> ReportRoutes() {
    using service::Reports;
    // A report reads every register of its period: it runs on the report pool, within its school's share, so
    // that one school's reports never slow down the admin API of another (docs/api.md "Reports").
    const auto report = [](const std::string& name, Handler handler) {
        return Route{.method = "GET",
                     .pattern = kSchoolPath + "/reports/" + name,
                     .exec = RouteExec::kReport,
                     .handler = std::move(handler)};
    };
    return {
        report("late", Ranged("late", &Reports::LateReport)),
        report("absent", Ranged("absent", &Reports::AbsentReport)),
        report("summary", Ranged("summary", &Reports::SummaryReport)),
        report("ignored-punches", Ranged("ignored-punches", &Reports::IgnoredPunchesReport)),
        report("unmapped-people", UnmappedPeople),
        report("monthly-register", Sync(MonthlyRegister)),
        // The Today screen's chart reads a register per day of its period: a report's work, on the report pool.
        {.method = "GET",
         .pattern = kSchoolPath + "/attendance/trend",
         .exec = RouteExec::kReport,
         .handler = Sync(Trend)},
    };
}

namespace {

std::string Slug(const std::string& text) {
    std::string out;
    for (const char c : text) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        out += keep ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : '-';
    }
    return out;
}

net::Response Render(const service::ReportTable& table, const Call& call, const std::string& name) {
    const auto format = call.query.contains("format") ? call.query.at("format") : std::string("json");
    if (format == "csv" || format == "xlsx") {
        net::Response r;
        const auto from = call.query.contains("from") ? "_" + call.query.at("from") : std::string();
        const auto to = call.query.contains("to") ? "_" + call.query.at("to") : std::string();
        r.headers.emplace_back(
            "Content-Disposition",
            fmt::format("attachment; filename=\"{}_{}{}{}.{}\"", Slug(table.school), name, from, to, format));
        if (format == "csv") {
            r.content_type = "text/csv; charset=utf-8";
            r.body = service::ToCsv(table);
            return r;
        }
        auto xlsx = service::ToXlsx(table);
        if (!xlsx) {
            return ErrorResponse(xlsx.error());
        }
        r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        r.body = std::move(*xlsx);
        return r;
    }
    if (format != "json") {
        return ErrorResponse(MakeError(Errc::kInvalidArgument, "format: json, csv or xlsx"));
    }
    json::array rows;
    for (const auto& row : table.rows) {
        json::array cells;
        for (const auto& cell : row) {
            cells.emplace_back(cell);
        }
        rows.push_back(std::move(cells));
    }
    json::array columns;
    for (const auto& c : table.columns) {
        columns.emplace_back(c);
    }
    json::array warnings;
    for (const auto& w : table.warnings) {
        warnings.emplace_back(w);
    }
    return Json(json::object{{"title", table.title},
                             {"school", table.school},
                             {"period", table.period},
                             {"warnings", std::move(warnings)},
                             {"columns", std::move(columns)},
                             {"rows", std::move(rows)}});
}

Handler Ranged(std::string name, RangedReport report) {
    return [name = std::move(name), report](const Backend& b, Call& call, const net::Responder& respond) {
        auto from = call.DateQuery("from");
        auto to = call.DateQuery("to");
        if (!from || !to) {
            respond(ErrorResponse(!from ? from.error() : to.error()));
            return;
        }
        if (to->days < from->days || to->days - from->days + 1 > b.config.report_max_days) {
            respond(ErrorResponse(
                MakeError(Errc::kInvalidArgument,
                          fmt::format("to: must be on or after from, at most {} days", b.config.report_max_days))));
            return;
        }
        auto table = (b.services.reports.*report)(call.school_id, *from, *to);
        respond(table ? Render(*table, call, name) : ErrorResponse(table.error()));
    };
}

void UnmappedPeople(const Backend& b, Call& call, const net::Responder& respond) {
    auto table = b.services.reports.UnmappedPeopleReport(call.school_id);
    respond(table ? Render(*table, call, "unmapped-people") : ErrorResponse(table.error()));
}

/// ?format= of a report that downloads: json (the default), csv or xlsx.
core::Result<std::string> FormatOf(const Call& call) {
    auto format = call.Query("format").value_or("json");
    if (format != "json" && format != "csv" && format != "xlsx") {
        return MakeError(Errc::kInvalidArgument, "format: json, csv or xlsx");
    }
    return format;
}

/// ?month=YYYY-MM.
core::Result<std::pair<int, unsigned>> MonthOf(const Call& call) {
    const auto text = call.Query("month");
    const auto first = text && text->size() == 7 ? core::ParseDate(*text + "-01") : std::nullopt;
    if (!first) {
        return MakeError(Errc::kInvalidArgument, "month: expected YYYY-MM");
    }
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    core::YmdFromDate(*first, year, month, day);
    return std::pair{year, month};
}

/// GET .../reports/monthly-register?month=YYYY-MM[&group=][&kind=][&format=]: the month's grid (docs/api.md
/// "Reports"); a group nobody of the school is in is 404.
Reply MonthlyRegister(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto month, MonthOf(call));
    ROLLCALL_TRY(const auto format, FormatOf(call));
    service::MonthFilter filter;
    filter.group = call.Query("group");
    if (const auto kind = call.Query("kind")) {
        ROLLCALL_TRY(filter.kind, core::ParseField<domain::PersonKind>("kind", *kind));
    }
    ROLLCALL_TRY(const auto grid,
                 b.services.reports.MonthlyRegister(call.school_id, month.first, month.second, filter));
    if (format == "json") {
        return Json(json::value_from(grid));
    }
    net::Response r;
    const auto group = filter.group ? "_" + Slug(*filter.group) : std::string();
    const auto kind = filter.kind ? "_" + std::string(core::NameOf(*filter.kind)) : std::string();
    r.headers.emplace_back("Content-Disposition",
                           fmt::format("attachment; filename=\"{}_monthly-register_{}{}{}.{}\"",
                                       Slug(grid.school),
                                       grid.MonthText(),
                                       group,
                                       kind,
                                       format));
    if (format == "csv") {
        r.content_type = "text/csv; charset=utf-8";
        r.body = service::MonthToCsv(grid);
        return r;
    }
    ROLLCALL_TRY(r.body, service::MonthToXlsx(grid));
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    return r;
}

/// How many days the trend covers when ?from= is not given: the Today screen's 30-day chart.
constexpr std::int32_t kTrendDefaultDays = 30;

/// GET .../attendance/trend?from=&to=: each day's register counts (docs/api.md "Register"); `to` defaults to the
/// school's today and `from` to 29 days before `to`; at most reports.max_days days.
Reply Trend(const Backend& b, Call& call) {
    ROLLCALL_TRY(auto to, call.OptionalDateQuery("to"));
    ROLLCALL_TRY(auto from, call.OptionalDateQuery("from"));
    if (!to) {
        ROLLCALL_TRY(to, b.services.calendar.SchoolToday(call.school_id));
    }
    if (!from) {
        from = core::Date{to->days - (kTrendDefaultDays - 1)};
    }
    if (to->days < from->days || to->days - from->days + 1 > b.config.report_max_days) {
        return MakeError(
            Errc::kInvalidArgument,
            fmt::format("to: must be on or after from, at most {} days (reports.max_days)", b.config.report_max_days));
    }
    return RenderedList(b.services.reports.Trend(call.school_id, *from, *to));
}

}  // namespace
}  // namespace rollcall::http
