// Admin side: login and everything under /api/v1/schools/{school_id}/ (docs/api.md "Admin side"). These run on the
// worker pool; login runs on the single password-hashing thread.

#include "http/api.hpp"
#include "http/error_mapping.hpp"
#include "http/json_util.hpp"
#include "http/render.hpp"
#include "service/settings_codec.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace rollcall::http {
namespace {

using core::Errc;
using core::MakeError;
using Reply = core::Result<net::Response>;

template <class T>
Reply Rendered(const core::Result<T>& r, json::object (*render)(const T&), int status = 200) {
    if (!r) {
        return r.error();
    }
    return Json(status, render(*r));
}

template <class T>
Reply RenderedList(const core::Result<std::vector<T>>& r, json::object (*render)(const T&)) {
    if (!r) {
        return r.error();
    }
    json::array items;
    for (const auto& x : *r) {
        items.push_back(render(x));
    }
    return Json(json::object{{"items", std::move(items)}});
}

std::optional<std::string> QueryParam(const Call& call, const std::string& name) {
    const auto it = call.query.find(name);
    return it != call.query.end() ? std::optional<std::string>(it->second) : std::nullopt;
}

/// R21: ?kind=staff or ?group=5A names the settings scope; neither is the school's own.
core::Result<std::string> ScopeParam(const Call& call) {
    return service::SettingsScope(QueryParam(call, "kind"), QueryParam(call, "group"));
}

Reply NoContent(const core::Status& s) {
    if (!s) {
        return s.error();
    }
    net::Response r;
    r.status = 204;
    return r;
}

core::Result<service::DevicePatch> DevicePatchFrom(const json::object& o) {
    service::DevicePatch p;
    for (const auto& [field, target] : {std::pair{"name", &p.name},
                                        {"sync_mode", &p.sync_mode},
                                        {"direction", &p.direction},
                                        {"status", &p.status},
                                        {"ip", &p.ip},
                                        {"serial", &p.serial},
                                        {"comm_key", &p.comm_key},
                                        {"timezone", &p.timezone}}) {
        auto v = OptString(o, field);
        if (!v) {
            return v.error();
        }
        *target = *v;
    }
    auto port = OptInt(o, "port");
    if (!port) {
        return port.error();
    }
    if (*port && (**port < 1 || **port > 65535)) {
        return MakeError(Errc::kInvalidArgument, "port: must be between 1 and 65535");
    }
    p.port = *port;
    return p;
}

core::Result<service::PersonPatch> PersonPatchFrom(const json::object& o) {
    service::PersonPatch p;
    for (const auto& [field, target] :
         {std::pair{"name", &p.name}, {"kind", &p.kind}, {"external_id", &p.external_id}, {"group", &p.group}}) {
        auto v = OptString(o, field);
        if (!v) {
            return v.error();
        }
        *target = *v;
    }
    auto from = OptNullableDate(o, "active_from");
    auto to = OptNullableDate(o, "active_to");
    if (!from) {
        return from.error();
    }
    if (!to) {
        return to.error();
    }
    p.active_from = *from;
    p.active_to = *to;
    return p;
}

/// A date in the path (/attendance/{date}/finalize) or the body; the error names the field.
core::Result<core::Date> DateField(const std::string& text, std::string_view field) {
    const auto d = core::ParseDate(text);
    if (!d) {
        return MakeError(Errc::kInvalidArgument, std::string(field) + ": expected YYYY-MM-DD");
    }
    return *d;
}

/// A device wall-clock time (R4); `message` is the whole error, as the field's expectations differ.
core::Result<core::LocalDateTime> DeviceTimeField(const std::string& text, std::string message) {
    const auto t = core::ParseLocalDateTime(text);
    if (!t) {
        return MakeError(Errc::kInvalidArgument, std::move(message));
    }
    return *t;
}

/// A time of day that may be absent or empty (no time given).
core::Result<std::optional<std::int32_t>> OptTimeField(const std::optional<std::string>& text, std::string_view field) {
    if (!text || text->empty()) {
        return std::optional<std::int32_t>();
    }
    const auto t = core::ParseTimeOfDay(*text);
    if (!t) {
        return MakeError(Errc::kInvalidArgument, std::string(field) + ": expected HH:MM or HH:MM:SS");
    }
    return std::optional<std::int32_t>(*t);
}

/// R19: an override sets one of the statuses a day can be decided as.
core::Result<domain::DayStatus> OverrideStatus(const std::string& text) {
    using domain::DayStatus;
    const auto status = domain::ParseDayStatus(text);
    if (!status || (*status != DayStatus::kPresent && *status != DayStatus::kLate && *status != DayStatus::kAbsent &&
                    *status != DayStatus::kExcused)) {
        return MakeError(Errc::kInvalidArgument, "status: must be present, late, absent or excused");
    }
    return *status;
}

std::string SessionCookie(const std::string& token, std::int64_t max_age, bool secure) {
    return fmt::format("rollcall_session={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}",
                       token,
                       max_age,
                       secure ? "; Secure" : "");
}

}  // namespace

void Api::AddAdminRoutes() {
    const std::string s = "/api/v1/schools/{school_id}";

    AddRoute({"POST",
              "/api/v1/auth/login",
              RouteAuth::kNone,
              RouteBody::kPreauth,
              RouteExec::kHasher,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto body, ParseObject(call.request.body));
                  ROLLCALL_TRY(auto email, RequiredString(body, "email"));
                  ROLLCALL_TRY(auto password, RequiredString(body, "password"));
                  if (!login_limiter_.Allow("email:" + email) ||
                      !login_limiter_.Allow("addr:" + call.request.remote_address)) {
                      return MakeError(Errc::kTooManyRequests, "too many login attempts; wait a minute");
                  }
                  ROLLCALL_TRY(auto login, services_.accounts.Login(email, password));
                  auto r = Json(json::object{{"token", login.token},
                                             {"csrf_token", login.csrf_token},
                                             {"expires_at", core::FormatUnixUtc(login.expires_at)},
                                             {"role", login.principal.role},
                                             {"school_id", OptValue(login.principal.school_id)}});
                  r.headers.emplace_back(
                      "Set-Cookie", SessionCookie(login.token, config_.session_ttl_seconds, config_.secure_cookies));
                  return r;
              })});
    AddRoute({"POST",
              "/api/v1/auth/logout",
              RouteAuth::kAdmin,
              RouteBody::kPreauth,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  if (const auto token = SessionTokenOf(call.request)) {
                      (void)services_.accounts.Logout(*token);
                  }
                  net::Response r;
                  r.status = 204;
                  r.headers.emplace_back("Set-Cookie", SessionCookie("", 0, config_.secure_cookies));
                  return r;
              })});
    AddRoute(
        {"GET", "/api/v1/me", RouteAuth::kAdmin, RouteBody::kPreauth, RouteExec::kInline, Sync([](Call& call) -> Reply {
             const auto& p = *call.principal;
             return Json(json::object{{"user_id", p.user_id},
                                      {"email", p.email},
                                      {"role", p.role},
                                      {"school_id", OptValue(p.school_id)},
                                      {"csrf_token", p.csrf_token}});
         })});

    // Schools.
    AddRoute(
        {"GET", "/api/v1/schools", RouteAuth::kAdmin, RouteBody::kApi, RouteExec::kWorker, Sync([this](Call& call) {
             return RenderedList(services_.accounts.ListSchools(*call.principal), RenderSchool);
         })});
    AddRoute({"POST",
              "/api/v1/schools",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_CHECK(call.principal->RequireSuperAdmin());
                  ROLLCALL_TRY(auto body, ParseObject(call.request.body));
                  ROLLCALL_TRY(auto name, RequiredString(body, "name"));
                  ROLLCALL_TRY(auto tz, RequiredString(body, "timezone"));
                  return Rendered(services_.accounts.CreateSchool(*call.principal, name, tz), RenderSchool, 201);
              })});
    AddRoute({"GET", s, RouteAuth::kAdmin, RouteBody::kApi, RouteExec::kWorker, Sync([this](Call& call) {
                  return Rendered(services_.accounts.GetSchool(call.school_id), RenderSchool);
              })});

    // Devices.
    // A device in agent mode shows what the agent last reported about it (agent_status).
    auto device_json = [](const service::DeviceView& d) {
        auto obj = RenderDevice(d.device);
        obj["agent_status"] = d.agent_status ? json::value(RenderDeviceStatus(*d.agent_status)) : json::value(nullptr);
        return obj;
    };
    AddRoute({"GET",
              s + "/devices",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this, device_json](Call& call) -> Reply {
                  ROLLCALL_TRY(const auto devices, services_.devices.ListDevices(call.school_id));
                  json::array items;
                  for (const auto& d : devices) {
                      items.push_back(device_json(d));
                  }
                  return Json(json::object{{"items", std::move(items)}});
              })});
    AddRoute({"POST",
              s + "/devices",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto body, ParseObject(call.request.body));
                  ROLLCALL_TRY(auto patch, DevicePatchFrom(body));
                  ROLLCALL_TRY(auto created, services_.devices.CreateDevice(*call.principal, call.school_id, patch));
                  auto obj = RenderDevice(created.device);
                  obj["api_token"] = created.api_token;
                  return Json(201, obj);
              })});
    AddRoute({"GET",
              s + "/devices/{id}",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this, device_json](Call& call) -> Reply {
                  ROLLCALL_TRY(const auto id, call.Id(1));
                  ROLLCALL_TRY(const auto device, services_.devices.GetDevice(call.school_id, id));
                  return Json(device_json(device));
              })});
    AddRoute({"PATCH",
              s + "/devices/{id}",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto id, call.Id(1));
                  ROLLCALL_TRY(auto body, ParseObject(call.request.body));
                  ROLLCALL_TRY(auto patch, DevicePatchFrom(body));
                  return Rendered(services_.devices.UpdateDevice(*call.principal, call.school_id, id, patch),
                                  RenderDevice);
              })});
    AddRoute({"DELETE",
              s + "/devices/{id}",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto id, call.Id(1));
                  return NoContent(services_.devices.DeleteDevice(*call.principal, call.school_id, id));
              })});
    AddRoute({"GET",
              s + "/devices/{id}/token",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto id, call.Id(1));
                  ROLLCALL_TRY(auto token, services_.devices.DeviceToken(call.school_id, id));
                  return Json(json::object{{"api_token", token}});
              })});
    AddRoute({"POST",
              s + "/devices/{id}/rotate-token",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto id, call.Id(1));
                  ROLLCALL_TRY(auto token, services_.devices.RotateDeviceToken(*call.principal, call.school_id, id));
                  return Json(json::object{{"api_token", token}});
              })});
    AddRoute({"GET",
              s + "/devices/{id}/users",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto id, call.Id(1));
                  return RenderedList(services_.devices.DeviceUsers(call.school_id, id), RenderDeviceUser);
              })});
    AddRoute({"GET",
              s + "/devices/{id}/logs",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto id, call.Id(1));
                  std::int64_t limit = 100;
                  if (auto it = call.query.find("limit"); it != call.query.end()) {
                      limit = std::clamp<std::int64_t>(std::atoll(it->second.c_str()), 1, 1000);
                  }
                  return RenderedList(services_.devices.DevicePunches(call.school_id, id, limit), RenderPunch);
              })});

    // People.
    AddRoute({"GET", s + "/people", RouteAuth::kAdmin, RouteBody::kApi, RouteExec::kWorker, Sync([this](Call& call) {
                  return RenderedList(services_.people.ListPeople(call.school_id), RenderPerson);
              })});
    AddRoute({"POST",
              s + "/people",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto body, ParseObject(call.request.body));
                  ROLLCALL_TRY(auto patch, PersonPatchFrom(body));
                  if (!patch.kind) {
                      patch.kind = "student";
                  }
                  return Rendered(
                      services_.people.CreatePerson(*call.principal, call.school_id, patch), RenderPerson, 201);
              })});
    AddRoute({"POST",
              s + "/people/import",
              RouteAuth::kAdmin,
              RouteBody::kImport,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto report,
                               services_.people.ImportPeopleCsv(*call.principal, call.school_id, call.request.body));
                  json::array errors;
                  for (const auto& e : report.errors) {
                      errors.push_back(json::object{{"line", e.line}, {"reason", e.reason}});
                  }
                  return Json(json::object{{"created", report.created}, {"errors", std::move(errors)}});
              })});
    AddRoute({"GET",
              s + "/people/{id}",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto id, call.Id(1));
                  return Rendered(services_.people.GetPerson(call.school_id, id), RenderPerson);
              })});
    AddRoute({"PATCH",
              s + "/people/{id}",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto id, call.Id(1));
                  ROLLCALL_TRY(auto body, ParseObject(call.request.body));
                  ROLLCALL_TRY(auto patch, PersonPatchFrom(body));
                  return Rendered(services_.people.UpdatePerson(*call.principal, call.school_id, id, patch),
                                  RenderPerson);
              })});
    AddRoute({"DELETE",
              s + "/people/{id}",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto id, call.Id(1));
                  return NoContent(services_.people.DeletePerson(*call.principal, call.school_id, id));
              })});

    // Mappings and the unmapped inbox.
    AddRoute({"GET", s + "/mappings", RouteAuth::kAdmin, RouteBody::kApi, RouteExec::kWorker, Sync([this](Call& call) {
                  return RenderedList(services_.people.ListMappings(call.school_id), RenderMapping);
              })});
    AddRoute({"POST",
              s + "/mappings",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto body, ParseObject(call.request.body));
                  // user_id may come as a number, as devices send it.
                  std::string user_id;
                  if (const auto* v = body.if_contains("user_id"); v != nullptr && v->is_int64()) {
                      user_id = std::to_string(v->as_int64());
                  } else {
                      ROLLCALL_TRY(auto u, RequiredString(body, "user_id"));
                      user_id = u;
                  }
                  ROLLCALL_TRY(auto person, RequiredInt(body, "person_id"));
                  ROLLCALL_TRY(auto device, OptInt(body, "device_id"));
                  return Rendered(
                      services_.people.CreateMapping(*call.principal, call.school_id, user_id, person, device),
                      RenderMapping,
                      201);
              })});
    AddRoute({"DELETE",
              s + "/mappings/{id}",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto id, call.Id(1));
                  return NoContent(services_.people.DeleteMapping(*call.principal, call.school_id, id));
              })});
    AddRoute({"GET",
              s + "/unmapped",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto users, services_.people.Unmapped(call.school_id));
                  json::array items;
                  for (const auto& u : users) {
                      items.push_back(json::object{{"device_id", u.device_id},
                                                   {"user_id", u.user_id},
                                                   {"punches", u.punches},
                                                   {"first_seen", core::FormatLocalDateTime(u.first_seen)},
                                                   {"last_seen", core::FormatLocalDateTime(u.last_seen)}});
                  }
                  return Json(json::object{{"items", std::move(items)}});
              })});

    // Settings and calendar.
    auto settings_reply = [](const domain::AttendanceSettings& st, const std::string& scope) -> Reply {
        json::value v = json::parse(service::SettingsToJson(st));
        v.as_object()["scope"] = scope.empty() ? "school" : scope;
        json::array warnings;
        if (!st.school_start_time) {
            warnings.emplace_back("no school start time is set: nobody will be marked late (R15)");
        }
        v.as_object()["warnings"] = std::move(warnings);
        v.as_object()["mode"] = st.windows_mode() ? "windows" : "fallback";
        return Json(v);
    };
    AddRoute({"GET",
              s + "/settings/attendance",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this, settings_reply](Call& call) -> Reply {
                  ROLLCALL_TRY(auto today, services_.calendar.SchoolToday(call.school_id));
                  core::Date date = today;
                  if (call.query.contains("date")) {
                      ROLLCALL_TRY(date, call.DateQuery("date"));
                  }
                  ROLLCALL_TRY(auto scope, ScopeParam(call));
                  ROLLCALL_TRY(auto st, services_.calendar.SettingsOn(call.school_id, date, scope));
                  return settings_reply(st, scope);
              })});
    AddRoute({"PUT",
              s + "/settings/attendance",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this, settings_reply](Call& call) -> Reply {
                  ROLLCALL_TRY(auto scope, ScopeParam(call));
                  ROLLCALL_TRY(
                      auto st,
                      services_.calendar.PutSettings(*call.principal, call.school_id, call.request.body, scope));
                  return settings_reply(st, scope);
              })});
    AddRoute({"GET", s + "/holidays", RouteAuth::kAdmin, RouteBody::kApi, RouteExec::kWorker, Sync([this](Call& call) {
                  return RenderedList(services_.calendar.ListHolidays(call.school_id), RenderHoliday);
              })});
    AddRoute({"POST",
              s + "/holidays",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto body, ParseObject(call.request.body));
                  ROLLCALL_TRY(auto date_text, RequiredString(body, "date"));
                  ROLLCALL_TRY(auto date, DateField(date_text, "date"));
                  ROLLCALL_TRY(auto name, RequiredString(body, "name"));
                  return Rendered(services_.calendar.CreateHoliday(*call.principal, call.school_id, date, name),
                                  RenderHoliday,
                                  201);
              })});
    AddRoute({"DELETE",
              s + "/holidays/{id}",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto id, call.Id(1));
                  return NoContent(services_.calendar.DeleteHoliday(*call.principal, call.school_id, id));
              })});

    // Clock corrections (R4).
    AddRoute({"GET",
              s + "/clock-corrections",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  return RenderedList(services_.attendance.ListClockCorrections(call.school_id), RenderClockCorrection);
              })});
    AddRoute({"POST",
              s + "/clock-corrections",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto body, ParseObject(call.request.body));
                  service::ClockCorrectionInput input;
                  ROLLCALL_TRY(input.device_id, RequiredInt(body, "device_id"));
                  ROLLCALL_TRY(const auto from, RequiredString(body, "from"));
                  ROLLCALL_TRY(const auto to, RequiredString(body, "to"));
                  ROLLCALL_TRY(input.from,
                               DeviceTimeField(from, "from: expected YYYY-MM-DD HH:MM:SS (the device's clock)"));
                  ROLLCALL_TRY(input.to, DeviceTimeField(to, "to: expected YYYY-MM-DD HH:MM:SS, not before from"));
                  ROLLCALL_TRY(input.offset_seconds, RequiredInt(body, "offset_seconds"));
                  ROLLCALL_TRY(input.reason, RequiredString(body, "reason"));
                  return Rendered(services_.attendance.AddClockCorrection(*call.principal, call.school_id, input),
                                  RenderClockCorrection,
                                  201);
              })});
    AddRoute({"DELETE",
              s + "/clock-corrections/{id}",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto id, call.Id(1));
                  return NoContent(services_.attendance.RemoveClockCorrection(*call.principal, call.school_id, id));
              })});

    // Overrides and the audit trail (R19).
    AddRoute({"POST",
              s + "/overrides",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto body, ParseObject(call.request.body));
                  service::OverrideInput input;
                  ROLLCALL_TRY(input.person_id, RequiredInt(body, "person_id"));
                  ROLLCALL_TRY(const auto date, RequiredString(body, "date"));
                  ROLLCALL_TRY(const auto status, RequiredString(body, "status"));
                  ROLLCALL_TRY(const auto in_time, OptString(body, "in_time"));
                  ROLLCALL_TRY(const auto out_time, OptString(body, "out_time"));
                  ROLLCALL_TRY(input.status, OverrideStatus(status));
                  ROLLCALL_TRY(input.date, DateField(date, "date"));
                  ROLLCALL_TRY(input.in_time, OptTimeField(in_time, "in_time"));
                  ROLLCALL_TRY(input.out_time, OptTimeField(out_time, "out_time"));
                  ROLLCALL_TRY(input.reason, RequiredString(body, "reason"));
                  return Rendered(
                      services_.attendance.SetOverride(*call.principal, call.school_id, input), RenderOverride, 201);
              })});
    AddRoute({"GET",
              s + "/overrides",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto date, call.DateQuery("date"));
                  return RenderedList(services_.attendance.ListOverrides(call.school_id, date), RenderOverride);
              })});
    AddRoute({"DELETE",
              s + "/overrides/{id}",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto id, call.Id(1));
                  return NoContent(services_.attendance.ClearOverride(*call.principal, call.school_id, id));
              })});
    AddRoute(
        {"GET", s + "/audit", RouteAuth::kAdmin, RouteBody::kApi, RouteExec::kWorker, Sync([this](Call& call) -> Reply {
             return RenderedList(services_.attendance.ListAudit(call.school_id, 500), RenderAudit);
         })});

    // The register.
    AddRoute({"GET",
              s + "/attendance",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto date, call.DateQuery("date"));
                  ROLLCALL_TRY(auto reg, services_.attendance.RegisterFor(call.school_id, date));
                  // ?group=5A and ?kind=staff narrow the rows (and so the counts) to one class or kind.
                  const auto group = QueryParam(call, "group");
                  const auto kind = QueryParam(call, "kind");
                  std::erase_if(reg.rows, [&](const service::RegisterRow& r) {
                      return (group && r.person.group != *group) || (kind && r.person.kind != *kind);
                  });
                  return Json(RenderRegister(reg));
              })});
    AddRoute({"POST",
              s + "/attendance/{date}/finalize",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto date, DateField(call.params[1], "date"));
                  ROLLCALL_CHECK(services_.attendance.FinalizeDay(*call.principal, call.school_id, date));
                  return Rendered(services_.attendance.RegisterFor(call.school_id, date), RenderRegister);
              })});
    AddRoute({"GET",
              s + "/attendance/{person_id}/{date}/explain",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> Reply {
                  ROLLCALL_TRY(auto person, call.Id(1));
                  ROLLCALL_TRY(auto date, DateField(call.params[2], "date"));
                  return Rendered(services_.attendance.Explain(call.school_id, person, date), RenderExplanation);
              })});
}

}  // namespace rollcall::http
