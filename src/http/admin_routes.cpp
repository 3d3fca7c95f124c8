// Admin side, part one (docs/api.md "Admin side"): login, schools, devices, people and their mappings. These run
// on the worker pool; login runs on the single password-hashing thread.

#include "core/text_encoding.hpp"
#include "http/error_mapping.hpp"
#include "http/json_util.hpp"
#include "http/reply.hpp"
#include "http/routes.hpp"
#include "wire/requests.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace rollcall::http {
namespace {

using core::Errc;
using core::MakeError;
using service::Devices;
using service::People;
using service::Services;

Reply Login(const Backend& b, Call& call);
Reply Logout(const Backend& b, Call& call);
Reply Me(const Backend& b, Call& call);
Reply ListSchools(const Backend& b, Call& call);
Reply CreateSchool(const Backend& b, Call& call);
Reply GetSchool(const Backend& b, Call& call);
Reply CreateDevice(const Backend& b, Call& call);
Reply UpdateDevice(const Backend& b, Call& call);
Reply DeleteDevice(const Backend& b, Call& call);
Reply DeviceToken(const Backend& b, Call& call);
Reply RotateDeviceToken(const Backend& b, Call& call);
Reply DeviceUsers(const Backend& b, Call& call);
Reply DeviceLogs(const Backend& b, Call& call);
Reply CreatePerson(const Backend& b, Call& call);
Reply ImportPeople(const Backend& b, Call& call);
Reply UpdatePerson(const Backend& b, Call& call);
Reply CreateMapping(const Backend& b, Call& call);

}  // namespace

std::vector<Route> AdminRoutes() {
    const auto& s = kSchoolPath;
    return {
        {.method = "POST",
         .pattern = "/api/v1/auth/login",
         .auth = RouteAuth::kNone,
         .body = RouteBody::kPreauth,
         .exec = RouteExec::kHasher,
         .handler = Sync(Login)},
        {.method = "POST", .pattern = "/api/v1/auth/logout", .body = RouteBody::kPreauth, .handler = Sync(Logout)},
        {.method = "GET",
         .pattern = "/api/v1/me",
         .body = RouteBody::kPreauth,
         .exec = RouteExec::kInline,
         .handler = Sync(Me)},

        {.method = "GET", .pattern = "/api/v1/schools", .handler = Sync(ListSchools)},
        {.method = "POST", .pattern = "/api/v1/schools", .handler = Sync(CreateSchool)},
        {.method = "GET", .pattern = s, .handler = Sync(GetSchool)},

        {.method = "GET",
         .pattern = s + "/devices",
         .handler = Sync(ListInSchool<&Services::devices, &Devices::ListDevices>)},
        {.method = "POST", .pattern = s + "/devices", .handler = Sync(CreateDevice)},
        {.method = "GET",
         .pattern = s + "/devices/{id}",
         .handler = Sync(GetById<&Services::devices, &Devices::GetDevice>)},
        {.method = "PATCH", .pattern = s + "/devices/{id}", .handler = Sync(UpdateDevice)},
        {.method = "DELETE", .pattern = s + "/devices/{id}", .handler = Sync(DeleteDevice)},
        {.method = "GET", .pattern = s + "/devices/{id}/token", .handler = Sync(DeviceToken)},
        {.method = "POST", .pattern = s + "/devices/{id}/rotate-token", .handler = Sync(RotateDeviceToken)},
        {.method = "GET", .pattern = s + "/devices/{id}/users", .handler = Sync(DeviceUsers)},
        {.method = "GET", .pattern = s + "/devices/{id}/logs", .handler = Sync(DeviceLogs)},

        {.method = "GET",
         .pattern = s + "/people",
         .handler = Sync(ListInSchool<&Services::people, &People::ListPeople>)},
        {.method = "POST", .pattern = s + "/people", .handler = Sync(CreatePerson)},
        {.method = "POST", .pattern = s + "/people/import", .body = RouteBody::kImport, .handler = Sync(ImportPeople)},
        {.method = "GET",
         .pattern = s + "/people/{id}",
         .handler = Sync(GetById<&Services::people, &People::GetPerson>)},
        {.method = "PATCH", .pattern = s + "/people/{id}", .handler = Sync(UpdatePerson)},
        {.method = "DELETE",
         .pattern = s + "/people/{id}",
         .handler = Sync(DeleteById<&Services::people, &People::DeletePerson>)},

        {.method = "GET",
         .pattern = s + "/mappings",
         .handler = Sync(ListInSchool<&Services::people, &People::ListMappings>)},
        {.method = "POST", .pattern = s + "/mappings", .handler = Sync(CreateMapping)},
        {.method = "DELETE",
         .pattern = s + "/mappings/{id}",
         .handler = Sync(DeleteById<&Services::people, &People::DeleteMapping>)},
        {.method = "GET",
         .pattern = s + "/unmapped",
         .handler = Sync(ListInSchool<&Services::people, &People::Unmapped, wire::UnmappedUser>)},
    };
}

namespace {

std::string SessionCookie(const std::string& token, std::int64_t max_age, bool secure) {
    return fmt::format("rollcall_session={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}",
                       token,
                       max_age,
                       secure ? "; Secure" : "");
}

/// Whether a Content-Type names JSON ("application/json", any case, any parameters).
bool IsJson(std::string_view content_type) {
    content_type = content_type.substr(0, content_type.find(';'));
    while (!content_type.empty() && content_type.back() == ' ') {
        content_type.remove_suffix(1);
    }
    return core::AsciiLower(std::string(content_type)) == "application/json";
}

Reply Login(const Backend& b, Call& call) {
    // Login CSRF: another site's page can make a browser post a form (text/plain, or a form encoding) here
    // without asking first, and log the school's browser into the attacker's account. It cannot post JSON.
    if (!IsJson(call.request.Header("content-type").value_or(""))) {
        return MakeError(Errc::kInvalidArgument, "send the login as JSON, with Content-Type: application/json");
    }
    ROLLCALL_TRY(const auto request, wire::DecodeBody<wire::LoginRequest>(call.request.body));
    // The address first: a flood from one place must not get to fill the limiter with one bucket per email it
    // makes up. An account's bucket is keyed as the database compares emails (case-blind), so "Head@" and
    // "head@" share one.
    if (!b.login_limiter.Allow("addr:" + call.request.remote_address) ||
        !b.login_limiter.Allow("email:" + core::AsciiLower(std::string(core::TrimAscii(request.email))))) {
        return MakeError(Errc::kTooManyRequests, "too many login attempts; wait a minute");
    }
    ROLLCALL_TRY(auto login, b.services.accounts.Login(request.email, request.password));
    auto r = Json(json::object{{"token", login.token},
                               {"csrf_token", login.csrf_token},
                               {"expires_at", core::FormatUnixUtc(login.expires_at)},
                               {"role", core::NameOf(login.principal.role)},
                               {"school_id", OptValue(login.principal.school_id)}});
    r.headers.emplace_back("Set-Cookie",
                           SessionCookie(login.token, b.config.session_ttl_seconds, b.config.secure_cookies));
    return r;
}

Reply Logout(const Backend& b, Call& call) {
    if (const auto token = SessionTokenOf(call.request)) {
        (void)b.services.accounts.Logout(*token);
    }
    net::Response r;
    r.status = 204;
    r.headers.emplace_back("Set-Cookie", SessionCookie("", 0, b.config.secure_cookies));
    return r;
}

Reply Me(const Backend& b, Call& call) {
    const auto& p = *call.principal;
    // server_time: the panel takes "today" from the server's clock, never from a PC's that may be wrong.
    return Json(json::object{{"user_id", p.user_id},
                             {"email", p.email},
                             {"role", core::NameOf(p.role)},
                             {"school_id", OptValue(p.school_id)},
                             {"csrf_token", p.csrf_token},
                             {"server_time", core::FormatUnixUtc(b.clock.NowUnix())}});
}

Reply ListSchools(const Backend& b, Call& call) {
    return RenderedList(b.services.accounts.ListSchools(*call.principal));
}

Reply CreateSchool(const Backend& b, Call& call) {
    ROLLCALL_CHECK(call.principal->RequireSuperAdmin());
    ROLLCALL_TRY(const auto request, wire::DecodeBody<wire::SchoolRequest>(call.request.body));
    return Rendered(b.services.accounts.CreateSchool(*call.principal, request.name, request.timezone), 201);
}

Reply GetSchool(const Backend& b, Call& call) {
    return Rendered(b.services.accounts.GetSchool(call.school_id));
}

Reply CreateDevice(const Backend& b, Call& call) {
    ROLLCALL_TRY(auto patch, wire::DecodeBody<service::DevicePatch>(call.request.body));
    ROLLCALL_TRY(auto created, b.services.devices.CreateDevice(*call.principal, call.school_id, patch));
    b.events.DeviceChanged(call.school_id, created.device.id, "created");
    auto obj = json::value_from(created.device);
    obj.as_object()["api_token"] = created.api_token;
    return Json(201, obj);
}

Reply UpdateDevice(const Backend& b, Call& call) {
    ROLLCALL_TRY(auto id, call.Id(1));
    ROLLCALL_TRY(auto patch, wire::DecodeBody<service::DevicePatch>(call.request.body));
    ROLLCALL_TRY(auto device, b.services.devices.UpdateDevice(*call.principal, call.school_id, id, patch));
    b.events.DeviceChanged(call.school_id, id, "updated");  // activation, deactivation, a new name or mode
    return Json(json::value_from(device));
}

Reply DeleteDevice(const Backend& b, Call& call) {
    ROLLCALL_TRY(auto id, call.Id(1));
    ROLLCALL_CHECK(b.services.devices.DeleteDevice(*call.principal, call.school_id, id));
    b.events.DeviceChanged(call.school_id, id, "deleted");
    return NoContent({});
}

Reply ApiToken(const core::Result<std::string>& token) {
    if (!token) {
        return token.error();
    }
    return Json(json::object{{"api_token", *token}});
}

Reply DeviceToken(const Backend& b, Call& call) {
    ROLLCALL_TRY(auto id, call.Id(1));
    return ApiToken(b.services.devices.DeviceToken(call.school_id, id));
}

Reply RotateDeviceToken(const Backend& b, Call& call) {
    ROLLCALL_TRY(auto id, call.Id(1));
    return ApiToken(b.services.devices.RotateDeviceToken(*call.principal, call.school_id, id));
}

Reply DeviceUsers(const Backend& b, Call& call) {
    ROLLCALL_TRY(auto id, call.Id(1));
    ROLLCALL_TRY(const auto users, b.services.devices.DeviceUsers(call.school_id, id));
    // When the names were read: the terminal's table as its agent last uploaded it (null before the first).
    ROLLCALL_TRY(const auto read_at, b.services.terminal_users.TableReadAt(call.school_id, id));
    return Json(json::object{{"items", json::value_from(users)}, {"terminal_read_at", wire::OptUtcValue(read_at)}});
}

Reply DeviceLogs(const Backend& b, Call& call) {
    ROLLCALL_TRY(auto id, call.Id(1));
    std::int64_t limit = 100;
    if (const auto text = call.Query("limit")) {
        limit = std::clamp<std::int64_t>(std::atoll(text->c_str()), 1, 1000);
    }
    return RenderedList(b.services.devices.DevicePunches(call.school_id, id, limit));
}

Reply CreatePerson(const Backend& b, Call& call) {
    ROLLCALL_TRY(auto patch, wire::DecodeBody<service::PersonPatch>(call.request.body));
    if (!patch.kind) {
        patch.kind = domain::PersonKind::kStudent;
    }
    return Rendered(b.services.people.CreatePerson(*call.principal, call.school_id, patch), 201);
}

Reply ImportPeople(const Backend& b, Call& call) {
    const auto dry = call.Query("dry_run");
    if (dry && *dry != "true" && *dry != "false") {
        return MakeError(Errc::kInvalidArgument, "dry_run: expected true or false");
    }
    const bool dry_run = dry && *dry == "true";
    ROLLCALL_TRY(auto report,
                 b.services.people.ImportPeopleCsv(*call.principal, call.school_id, call.request.body, dry_run));
    json::array errors;
    for (const auto& e : report.errors) {
        errors.push_back(json::object{{"line", e.line}, {"reason", e.reason}});
    }
    json::array people;
    for (const auto& r : report.rows) {
        auto person = json::value_from(r.person).as_object();
        person["line"] = r.line;
        person["user_id"] = r.user_id;
        people.push_back(std::move(person));
    }
    return Json(json::object{{"encoding", service::EncodingName(report.encoding)},
                             {"dry_run", dry_run},
                             {"created", report.created},
                             {"mapped", report.mapped},
                             {"errors", std::move(errors)},
                             {"people", std::move(people)}});
}

Reply UpdatePerson(const Backend& b, Call& call) {
    ROLLCALL_TRY(auto id, call.Id(1));
    ROLLCALL_TRY(auto patch, wire::DecodeBody<service::PersonPatch>(call.request.body));
    return Rendered(b.services.people.UpdatePerson(*call.principal, call.school_id, id, patch));
}

Reply CreateMapping(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto r, wire::DecodeBody<wire::MappingRequest>(call.request.body));
    return Rendered(
        b.services.people.CreateMapping(*call.principal, call.school_id, r.user_id, r.person_id, r.device_id), 201);
}

}  // namespace
}  // namespace rollcall::http
