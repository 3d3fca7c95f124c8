// GET /api/v1/schools/{school_id}/reports/{name}?from=&to=&format=json|csv

#include "http/api.hpp"
#include "http/error_mapping.hpp"
#include "http/json_util.hpp"
#include "service/reports.hpp"

#include <fmt/format.h>

namespace rollcall::http {
namespace {

using core::Errc;
using core::MakeError;

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
    return Json(json::object{{"title", table.title},
                             {"school", table.school},
                             {"period", table.period},
                             {"columns", std::move(columns)},
                             {"rows", std::move(rows)}});
}

}  // namespace

void Api::AddReportRoutes() {
    using Report = core::Result<service::ReportTable> (service::Reports::*)(std::int64_t, core::Date, core::Date);
    const std::pair<const char*, Report> ranged[] = {{"late", &service::Reports::LateReport},
                                                     {"absent", &service::Reports::AbsentReport},
                                                     {"summary", &service::Reports::SummaryReport},
                                                     {"ignored-punches", &service::Reports::IgnoredPunchesReport}};
    for (const auto& [name, report] : ranged) {
        AddRoute({"GET",
                  std::string("/api/v1/schools/{school_id}/reports/") + name,
                  RouteAuth::kAdmin,
                  RouteBody::kApi,
                  RouteExec::kWorker,
                  [this, name = std::string(name), report = report](Call& call, net::Responder respond) {
                      auto from = call.DateQuery("from");
                      auto to = call.DateQuery("to");
                      if (!from || !to) {
                          respond(ErrorResponse(!from ? from.error() : to.error()));
                          return;
                      }
                      if (to->days < from->days || to->days - from->days + 1 > config_.report_max_days) {
                          respond(ErrorResponse(MakeError(
                              Errc::kInvalidArgument,
                              fmt::format("to: must be on or after from, at most {} days", config_.report_max_days))));
                          return;
                      }
                      auto table = (services_.reports.*report)(call.school_id, *from, *to);
                      respond(table ? Render(*table, call, name) : ErrorResponse(table.error()));
                  }});
    }
    AddRoute({"GET",
              "/api/v1/schools/{school_id}/reports/unmapped-people",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              [this](Call& call, net::Responder respond) {
                  auto table = services_.reports.UnmappedPeopleReport(call.school_id);
                  respond(table ? Render(*table, call, "unmapped-people") : ErrorResponse(table.error()));
              }});
}

}  // namespace rollcall::http
