// Agent side (docs/api.md "Agent side"): the agent of a school asks which devices to read, uploads what it
// read and reports each device's health. Authorization: Bearer <agent token>; a device of another school
// is 404. Also the admin routes that create and revoke agent tokens.

#include "http/error_mapping.hpp"
#include "http/json_util.hpp"
#include "http/push_body.hpp"
#include "http/render.hpp"
#include "http/reply.hpp"
#include "http/routes.hpp"
#include "service/time_zone.hpp"

namespace rollcall::http {
namespace {

using core::Errc;
using core::MakeError;

Reply ListDevices(const Backend& b, Call& call);
void UploadLogs(const Backend& b, Call& call, net::Responder respond);
Reply ReportStatus(const Backend& b, Call& call);
Reply CreateToken(const Backend& b, Call& call);

/// "YYYY-MM-DDTHH:MM:SSZ" as Unix seconds.
core::Result<std::int64_t> ParseUtc(const json::value& v, std::string_view field) {
    auto bad = MakeError(Errc::kInvalidArgument, std::string(field) + ": expected YYYY-MM-DDTHH:MM:SSZ (UTC)");
    if (!v.is_string()) {
        return bad;
    }
    std::string text(v.as_string());
    if (text.empty() || text.back() != 'Z') {
        return bad;
    }
    text.pop_back();
    const auto t = core::ParseLocalDateTime(text);
    if (!t) {
        return bad;
    }
    return t->seconds;
}

core::Result<std::optional<std::int64_t>> OptCount(const json::object& o, std::string_view field) {
    ROLLCALL_TRY(auto n, OptInt(o, field));
    if (n && *n < 0) {
        return MakeError(Errc::kInvalidArgument, std::string(field) + ": must not be negative");
    }
    return n;
}

core::Result<storage::DeviceStatus> DecodeStatus(const json::object& o) {
    storage::DeviceStatus st;
    const auto* reachable = o.if_contains("reachable");
    if (reachable == nullptr || !reachable->is_bool()) {
        return MakeError(Errc::kInvalidArgument, "reachable: required, true or false");
    }
    st.reachable = reachable->as_bool();
    ROLLCALL_TRY(auto serial, OptString(o, "serial"));
    ROLLCALL_TRY(auto firmware, OptString(o, "firmware"));
    ROLLCALL_TRY(auto last_error, OptString(o, "last_error"));
    for (const auto& [field, value] : {std::pair{"serial", &serial}, std::pair{"firmware", &firmware}}) {
        if (*value && (*value)->size() > 200) {
            return MakeError(Errc::kInvalidArgument, std::string(field) + ": at most 200 characters");
        }
    }
    st.serial = serial.value_or("");
    st.firmware = firmware.value_or("");
    st.last_error = last_error.value_or("").substr(0, 1000);
    ROLLCALL_TRY(st.users, OptCount(o, "users"));
    ROLLCALL_TRY(st.records, OptCount(o, "records"));
    ROLLCALL_TRY(st.user_capacity, OptCount(o, "user_capacity"));
    ROLLCALL_TRY(st.record_capacity, OptCount(o, "record_capacity"));
    ROLLCALL_TRY(auto device_time, OptString(o, "device_time"));
    if (device_time) {
        const auto t = core::ParseLocalDateTime(*device_time);
        if (!t) {
            return MakeError(Errc::kInvalidArgument, "device_time: expected YYYY-MM-DD HH:MM:SS (the device's clock)");
        }
        st.device_time = *t;
    }
    if (const auto* rt = o.if_contains("read_through"); rt != nullptr && !rt->is_null()) {
        ROLLCALL_TRY(st.read_through, ParseUtc(*rt, "read_through"));
    }
    return st;
}

json::object RenderAgentDevice(const storage::Device& d, const std::string& local_time) {
    return json::object{{"id", d.id},
                        {"name", d.name},
                        {"ip", d.ip},
                        {"port", d.port},
                        {"comm_key", d.comm_key},
                        {"serial", d.serial},
                        {"direction", d.direction},
                        {"timezone", d.timezone},
                        // The wall-clock time the device should show now (its zone, else the school's, R5): the
                        // agent sets a drifting clock to it without a time zone database of its own.
                        {"local_time", local_time}};
}

}  // namespace

std::vector<Route> AgentRoutes() {
    using service::Agents;
    using service::Services;
    return {
        {.method = "GET", .pattern = "/api/v1/agent/devices", .auth = RouteAuth::kAgent, .handler = Sync(ListDevices)},
        {.method = "POST",
         .pattern = "/api/v1/agent/devices/{id}/logs",
         .auth = RouteAuth::kAgent,
         .body = RouteBody::kPush,
         .handler = UploadLogs},
        {.method = "POST",
         .pattern = "/api/v1/agent/devices/{id}/status",
         .auth = RouteAuth::kAgent,
         .handler = Sync(ReportStatus)},

        // Admin: agent tokens of a school.
        {.method = "POST", .pattern = kSchoolPath + "/agent-tokens", .handler = Sync(CreateToken)},
        {.method = "GET",
         .pattern = kSchoolPath + "/agent-tokens",
         .handler = Sync(ListInSchool<&Services::agents, &Agents::ListAgentTokens, RenderAgentToken>)},
        {.method = "DELETE",
         .pattern = kSchoolPath + "/agent-tokens/{id}",
         .handler = Sync(DeleteById<&Services::agents, &Agents::RevokeAgentToken>)},
    };
}

namespace {

Reply ListDevices(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto devices, b.services.agents.AgentDevices(call.school_id));
    ROLLCALL_TRY(const auto school, b.services.accounts.GetSchool(call.school_id));
    json::array items;
    for (const auto& d : devices) {
        ROLLCALL_TRY(const auto local,
                     service::ToLocal(d.timezone.empty() ? school.timezone : d.timezone, b.clock.NowUnix()));
        items.push_back(RenderAgentDevice(d, core::FormatLocalDateTime(local)));
    }
    // The server's time lets the agent judge its own PC clock before it sets a device clock.
    return Json(json::object{{"items", std::move(items)}, {"server_time", core::FormatUnixUtc(b.clock.NowUnix())}});
}

void UploadLogs(const Backend& b, Call& call, net::Responder respond) {
    auto fail = [&](const core::Error& e) { respond(ErrorResponse(e)); };
    auto id = call.Id(0);
    if (!id) {
        return fail(id.error());
    }
    auto device = b.services.agents.AgentDevice(call.school_id, *id);
    if (!device) {
        return fail(device.error());
    }
    auto logs = DecodePushLogs(call.request.body, b.config.max_records);
    if (!logs) {
        return fail(logs.error());
    }
    // The device was alive when the agent read it, not when the upload arrives: an upload of an old spool must not
    // make a dead device look alive (R16). Without read_at, no claim.
    std::int64_t seen_at = 0;
    if (const auto* read_at = logs->body.if_contains("read_at"); read_at && !read_at->is_null()) {
        auto t = ParseUtc(*read_at, "read_at");
        if (!t) {
            return fail(t.error());
        }
        seen_at = std::min(*t, b.clock.NowUnix());
    }
    b.services.ingest.Submit(
        *device,
        std::move(logs->records),
        std::move(logs->rejects),
        domain::PunchSource::kAgent,
        [respond](core::Result<service::IngestReport> report) {
            respond(report ? Json(ReportJson(*report)) : ErrorResponse(report.error()));
        },
        seen_at);
}

Reply ReportStatus(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto id, call.Id(0));
    ROLLCALL_TRY(const auto body, ParseObject(call.request.body));
    ROLLCALL_TRY(auto status, DecodeStatus(body));
    status.device_id = id;
    ROLLCALL_TRY(const auto saved, b.services.agents.SaveAgentStatus(call.school_id, status));
    return Json(RenderDeviceStatus(saved));
}

Reply CreateToken(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto created, b.services.agents.CreateAgentToken(*call.principal, call.school_id));
    return Json(201, json::object{{"id", created.first}, {"token", created.second}});
}

}  // namespace
}  // namespace rollcall::http
