// Terminals' user tables (docs/api.md "Terminal users"): the agent uploads each terminal's users; the admin sees
// their names on the device's users, gets the person each unmapped name is closest to, accepts those suggestions,
// and makes people of a terminal's users.

#include "http/error_mapping.hpp"
#include "http/json_util.hpp"
#include "http/reply.hpp"
#include "http/routes.hpp"
#include "wire/agent_api.hpp"
#include "wire/terminal_users.hpp"

#include <algorithm>

namespace rollcall::http {
namespace {

Reply UploadTerminalUsers(const Backend& b, Call& call);
Reply Suggestions(const Backend& b, Call& call);
Reply AcceptSuggestions(const Backend& b, Call& call);
Reply CreatePeople(const Backend& b, Call& call);

}  // namespace

std::vector<Route> TerminalUserRoutes() {
    const auto& s = kSchoolPath;
    return {
        // Agent: a terminal's whole user table, up to agent.max_terminal_users users within the import body limit.
        {.method = "PUT",
         .pattern = "/api/v1/agent/devices/{id}/users",
         .auth = RouteAuth::kAgent,
         .body = RouteBody::kImport,
         .handler = Sync(UploadTerminalUsers)},

        // Admin.
        {.method = "GET", .pattern = s + "/mapping-suggestions", .handler = Sync(Suggestions)},
        {.method = "POST", .pattern = s + "/mapping-suggestions/accept", .handler = Sync(AcceptSuggestions)},
        {.method = "POST", .pattern = s + "/devices/{id}/users/create-people", .handler = Sync(CreatePeople)},
    };
}

namespace {

Reply UploadTerminalUsers(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto id, call.Id(0));
    ROLLCALL_TRY(const auto device, b.services.agents.AgentDevice(call.school_id, id));
    ROLLCALL_TRY(auto upload,
                 wire::DecodeBody<wire::TerminalUserUpload>(call.request.body, b.config.max_terminal_users));
    std::vector<service::IndexedTerminalUser> users;
    users.reserve(upload.items.size());
    std::size_t next_reject = 0;
    for (std::size_t i = 0; i < upload.items.size(); ++i) {
        if (next_reject < upload.rejects.size() && upload.rejects[next_reject].index == i) {
            ++next_reject;  // not readable as a user: refused already
            continue;
        }
        auto& item = upload.items[i];
        users.push_back(
            {i,
             storage::TerminalUser{
                 std::move(item.user_id), std::move(item.name), item.card, static_cast<std::int32_t>(item.privilege)}});
    }
    ROLLCALL_TRY(const auto saved,
                 b.services.terminal_users.SaveTable(call.school_id, device.id, std::move(users), upload.read_at));
    wire::TerminalUserReport report{upload.items.size(), saved.stored, std::move(upload.rejects)};
    for (const auto& [index, reason] : saved.rejected) {
        report.rejected.push_back({index, reason});
    }
    std::sort(
        report.rejected.begin(), report.rejected.end(), [](const auto& x, const auto& y) { return x.index < y.index; });
    return Json(json::value_from(report));
}

Reply Suggestions(const Backend& b, Call& call) {
    return RenderedList(b.services.terminal_users.Suggestions(call.school_id));
}

Reply AcceptSuggestions(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto request, wire::DecodeBody<wire::AcceptSuggestionsRequest>(call.request.body));
    if (request.min_similarity) {
        return Rendered(
            b.services.terminal_users.AcceptAbove(*call.principal, call.school_id, *request.min_similarity));
    }
    return Rendered(b.services.terminal_users.Accept(*call.principal, call.school_id, request.items));
}

Reply CreatePeople(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto id, call.Id(1));
    ROLLCALL_TRY(const auto input, wire::DecodeBody<service::TerminalPeopleInput>(call.request.body));
    return Rendered(b.services.people.CreateFromTerminalUsers(
        *call.principal, call.school_id, id, input, b.config.max_terminal_users));
}

}  // namespace
}  // namespace rollcall::http
