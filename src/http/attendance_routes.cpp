// Admin side, part two (docs/api.md "Admin side"): the attendance settings, holidays, clock corrections (R4),
// overrides and the audit trail (R19), and the register with its explanation and finalization.

#include "http/json_util.hpp"
#include "http/reply.hpp"
#include "http/routes.hpp"
#include "wire/register_views.hpp"
#include "wire/requests.hpp"
#include "wire/settings.hpp"

#include <charconv>

namespace rollcall::http {
namespace {

using service::Attendance;
using service::Calendar;
using service::Services;

Reply GetSettings(const Backend& b, Call& call);
Reply PutSettings(const Backend& b, Call& call);
Reply DeleteSettings(const Backend& b, Call& call);
Reply PreviewSettings(const Backend& b, Call& call);
Reply CreateHoliday(const Backend& b, Call& call);
Reply AddClockCorrection(const Backend& b, Call& call);
Reply SetOverride(const Backend& b, Call& call);
Reply ListOverrides(const Backend& b, Call& call);
Reply ListAudit(const Backend& b, Call& call);
Reply GetRegister(const Backend& b, Call& call);
Reply FinalizeDay(const Backend& b, Call& call);
Reply Explain(const Backend& b, Call& call);

}  // namespace

core::Result<service::AuditQuery> AuditQueryOf(const Call& call) {
    service::AuditQuery query;
    query.entity = call.Query("entity");
    ROLLCALL_TRY(query.person_id, call.NumberQuery("person_id"));
    ROLLCALL_TRY(query.from, call.OptionalDateQuery("from"));
    ROLLCALL_TRY(query.to, call.OptionalDateQuery("to"));
    ROLLCALL_TRY(const auto limit, call.NumberQuery("limit"));
    query.limit = limit.value_or(query.limit);
    return query;
}

std::vector<Route> AttendanceRoutes() {
    const auto& s = kSchoolPath;
    return {
        {.method = "GET", .pattern = s + "/settings/attendance", .handler = Sync(GetSettings)},
        {.method = "PUT", .pattern = s + "/settings/attendance", .handler = Sync(PutSettings)},
        {.method = "DELETE", .pattern = s + "/settings/attendance", .handler = Sync(DeleteSettings)},
        {.method = "POST", .pattern = s + "/settings/attendance/preview", .handler = Sync(PreviewSettings)},
        {.method = "GET",
         .pattern = s + "/holidays",
         .handler = Sync(ListInSchool<&Services::calendar, &Calendar::ListHolidays>)},
        {.method = "POST", .pattern = s + "/holidays", .handler = Sync(CreateHoliday)},
        {.method = "DELETE",
         .pattern = s + "/holidays/{id}",
         .handler = Sync(DeleteById<&Services::calendar, &Calendar::DeleteHoliday>)},

        {.method = "GET",
         .pattern = s + "/clock-corrections",
         .handler = Sync(ListInSchool<&Services::attendance, &Attendance::ListClockCorrections>)},
        {.method = "POST", .pattern = s + "/clock-corrections", .handler = Sync(AddClockCorrection)},
        {.method = "DELETE",
         .pattern = s + "/clock-corrections/{id}",
         .handler = Sync(DeleteById<&Services::attendance, &Attendance::RemoveClockCorrection>)},

        {.method = "POST", .pattern = s + "/overrides", .handler = Sync(SetOverride)},
        {.method = "GET", .pattern = s + "/overrides", .handler = Sync(ListOverrides)},
        {.method = "DELETE",
         .pattern = s + "/overrides/{id}",
         .handler = Sync(DeleteById<&Services::attendance, &Attendance::ClearOverride>)},
        {.method = "GET", .pattern = s + "/audit", .handler = Sync(ListAudit)},

        {.method = "GET", .pattern = s + "/attendance", .handler = Sync(GetRegister)},
        {.method = "POST", .pattern = s + "/attendance/{date}/finalize", .handler = Sync(FinalizeDay)},
        {.method = "GET", .pattern = s + "/attendance/{person_id}/{date}/explain", .handler = Sync(Explain)},
    };
}

namespace {

/// R21: ?kind=staff or ?group=5A names the settings scope; neither is the school's own.
core::Result<std::string> ScopeParam(const Call& call) {
    return service::SettingsScope(call.Query("kind"), call.Query("group"));
}

/// A scope as the settings answer names it: "school" for the school's own ("").
std::string ScopeName(const std::string& scope) {
    return scope.empty() ? std::string("school") : scope;
}

/// The settings answer (docs/api.md "Settings"): the values, the scope they really come from, the scope asked
/// for and every scope with settings of its own (R21).
Reply SettingsReply(const service::ScopedSettings& scoped) {
    const auto& st = scoped.settings;
    json::value v = json::parse(wire::SettingsToJson(st));
    auto& o = v.as_object();
    o["scope"] = ScopeName(scoped.source);
    o["requested_scope"] = ScopeName(scoped.requested);
    json::array own;
    for (const auto& scope : scoped.own_scopes) {
        own.emplace_back(ScopeName(scope));
    }
    o["scopes"] = std::move(own);
    json::array warnings;
    if (!st.school_start_time) {
        warnings.emplace_back("no school start time is set: nobody will be marked late (R15)");
    }
    if (scoped.source != scoped.requested) {
        const bool defaults = scoped.source == service::kDefaultsScope;
        warnings.emplace_back(
            ScopeName(scoped.requested) + " has no settings of its own in force: " +
            (defaults ? std::string("these are the defaults") : "these are the " + ScopeName(scoped.source) + "'s") +
            " (R21)");
    }
    o["warnings"] = std::move(warnings);
    o["mode"] = st.windows_mode() ? "windows" : "fallback";
    return Json(v);
}

Reply GetSettings(const Backend& b, Call& call) {
    ROLLCALL_TRY(auto date, b.services.calendar.SchoolToday(call.school_id));
    if (call.query.contains("date")) {
        ROLLCALL_TRY(date, call.DateQuery("date"));
    }
    ROLLCALL_TRY(auto scope, ScopeParam(call));
    ROLLCALL_TRY(auto scoped, b.services.calendar.ScopedSettingsOn(call.school_id, date, scope));
    return SettingsReply(scoped);
}

Reply PutSettings(const Backend& b, Call& call) {
    ROLLCALL_TRY(auto scope, ScopeParam(call));
    ROLLCALL_TRY(const auto today, b.services.calendar.SchoolToday(call.school_id));
    ROLLCALL_TRY(auto settings, wire::ParseSettingsJson(call.request.body, today));
    ROLLCALL_TRY(auto st, b.services.calendar.PutSettings(*call.principal, call.school_id, settings, scope));
    ROLLCALL_TRY(auto own, b.services.calendar.OwnScopes(call.school_id));
    return SettingsReply(service::ScopedSettings{st, scope, scope, std::move(own)});
}

/// The settings a PUT would store, checked as the PUT checks them (the same 400s), and the register of ?date= (the
/// school's yesterday by default) under them beside the register as it is; nothing is stored, marked or audited.
Reply PreviewSettings(const Backend& b, Call& call) {
    ROLLCALL_TRY(auto scope, ScopeParam(call));
    ROLLCALL_TRY(const auto today, b.services.calendar.SchoolToday(call.school_id));
    ROLLCALL_TRY(auto settings, wire::ParseSettingsJson(call.request.body, today));
    ROLLCALL_CHECK(b.services.calendar.CheckSettings(call.school_id, settings));
    ROLLCALL_TRY(const auto date, call.OptionalDateQuery("date"));
    return Rendered(b.services.attendance.PreviewSettings(
        call.school_id, date.value_or(core::Date{today.days - 1}), scope, settings));
}

/// R21: a kind's or a group's own settings deleted, so its people inherit again.
Reply DeleteSettings(const Backend& b, Call& call) {
    ROLLCALL_TRY(auto scope, ScopeParam(call));
    return NoContent(b.services.calendar.DeleteScopeSettings(*call.principal, call.school_id, scope));
}

Reply CreateHoliday(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto r, wire::DecodeBody<wire::HolidayRequest>(call.request.body));
    return Rendered(b.services.calendar.CreateHoliday(*call.principal, call.school_id, r.date, r.name), 201);
}

Reply AddClockCorrection(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto input, wire::DecodeBody<service::ClockCorrectionInput>(call.request.body));
    return Rendered(b.services.attendance.AddClockCorrection(*call.principal, call.school_id, input), 201);
}

Reply SetOverride(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto input, wire::DecodeBody<service::OverrideInput>(call.request.body));
    return Rendered(b.services.attendance.SetOverride(*call.principal, call.school_id, input), 201);
}

Reply ListOverrides(const Backend& b, Call& call) {
    ROLLCALL_TRY(auto date, call.DateQuery("date"));
    return RenderedList(b.services.attendance.ListOverrides(call.school_id, date));
}

/// R19: the trail, narrowed by ?entity=, ?person_id=, ?from= and ?to= (days in the school's zone) and ?limit=.
Reply ListAudit(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto query, AuditQueryOf(call));
    return RenderedList(b.services.attendance.ListAudit(call.school_id, query));
}

Reply GetRegister(const Backend& b, Call& call) {
    ROLLCALL_TRY(auto date, call.DateQuery("date"));
    ROLLCALL_TRY(auto reg, b.services.attendance.RegisterFor(call.school_id, date));
    // ?group=5A and ?kind=staff narrow the rows (and so the counts) to one class or kind.
    const auto group = call.Query("group");
    const auto kind = call.Query("kind");
    std::erase_if(reg.rows, [&](const service::RegisterRow& r) {
        return (group && r.person.group != *group) || (kind && core::NameOf(r.person.kind) != *kind);
    });
    return Json(json::value_from(reg));
}

Reply FinalizeDay(const Backend& b, Call& call) {
    ROLLCALL_TRY(auto date, wire::DateText(call.params[1], "date"));
    ROLLCALL_CHECK(b.services.attendance.FinalizeDay(*call.principal, call.school_id, date));
    return Rendered(b.services.attendance.RegisterFor(call.school_id, date));
}

Reply Explain(const Backend& b, Call& call) {
    ROLLCALL_TRY(auto person, call.Id(1));
    ROLLCALL_TRY(auto date, wire::DateText(call.params[2], "date"));
    return Rendered(b.services.attendance.Explain(call.school_id, person, date));
}

}  // namespace
}  // namespace rollcall::http
