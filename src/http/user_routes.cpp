// Admin side, users and schools (docs/api.md "Users"): who may log in, their passwords, a school's name and
// status, and the server's own audit trail. Every call that hashes a password runs on the password-hashing thread, like
// login.

#include "http/error_mapping.hpp"
#include "http/json_util.hpp"
#include "http/reply.hpp"
#include "http/routes.hpp"
#include "wire/records.hpp"
#include "wire/requests.hpp"

namespace rollcall::http {
namespace {

Reply ListUsers(const Backend& b, Call& call);
Reply ServerAudit(const Backend& b, Call& call);
Reply CreateUser(const Backend& b, Call& call);
Reply GetUser(const Backend& b, Call& call);
Reply UpdateUser(const Backend& b, Call& call);
Reply ResetPassword(const Backend& b, Call& call);
Reply ChangeOwnPassword(const Backend& b, Call& call);
Reply UpdateSchool(const Backend& b, Call& call);

}  // namespace

std::vector<Route> UserRoutes() {
    return {
        {.method = "GET", .pattern = "/api/v1/users", .handler = Sync(ListUsers)},
        {.method = "POST", .pattern = "/api/v1/users", .exec = RouteExec::kHasher, .handler = Sync(CreateUser)},
        {.method = "GET", .pattern = "/api/v1/users/{id}", .handler = Sync(GetUser)},
        {.method = "PATCH", .pattern = "/api/v1/users/{id}", .handler = Sync(UpdateUser)},
        {.method = "POST",
         .pattern = "/api/v1/users/{id}/password",
         .exec = RouteExec::kHasher,
         .handler = Sync(ResetPassword)},
        {.method = "POST",
         .pattern = "/api/v1/me/password",
         .exec = RouteExec::kHasher,
         .handler = Sync(ChangeOwnPassword)},
        {.method = "PATCH", .pattern = kSchoolPath, .handler = Sync(UpdateSchool)},
        {.method = "GET", .pattern = "/api/v1/audit", .handler = Sync(ServerAudit)},
    };
}

namespace {

Reply ListUsers(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto school, call.NumberQuery("school_id"));
    return RenderedList(b.services.accounts.ListUsers(*call.principal, school));
}

Reply ServerAudit(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto query, AuditQueryOf(call));
    return RenderedList(b.services.accounts.ServerAudit(*call.principal, query));
}

Reply CreateUser(const Backend& b, Call& call) {
    ROLLCALL_TRY(auto input, wire::DecodeBody<service::UserInput>(call.request.body));
    return Rendered(b.services.accounts.CreateUser(*call.principal, std::move(input)), 201);
}

Reply GetUser(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto id, call.Id(0));
    return Rendered(b.services.accounts.GetUser(*call.principal, id));
}

Reply UpdateUser(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto id, call.Id(0));
    ROLLCALL_TRY(const auto request, wire::DecodeBody<wire::UserStatusRequest>(call.request.body));
    return Rendered(b.services.accounts.SetUserStatus(*call.principal, id, request.status));
}

Reply ResetPassword(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto id, call.Id(0));
    ROLLCALL_TRY(const auto request, wire::DecodeBody<wire::PasswordRequest>(call.request.body));
    return NoContent(b.services.accounts.ResetPassword(*call.principal, id, request.password));
}

Reply ChangeOwnPassword(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto request, wire::DecodeBody<wire::ChangePasswordRequest>(call.request.body));
    // The current password is checked like a login's, so a session left open on a shared computer cannot be
    // used to guess it faster than a login could.
    if (!b.login_limiter.Allow("user:" + std::to_string(call.principal->user_id)) ||
        !b.login_limiter.Allow("addr:" + call.request.remote_address)) {
        return core::MakeError(core::Errc::kTooManyRequests, "too many password attempts; wait a minute");
    }
    return NoContent(
        b.services.accounts.ChangeOwnPassword(*call.principal, request.current_password, request.new_password));
}

Reply UpdateSchool(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto patch, wire::DecodeBody<service::SchoolPatch>(call.request.body));
    return Rendered(b.services.accounts.UpdateSchool(*call.principal, call.school_id, patch));
}

}  // namespace
}  // namespace rollcall::http
