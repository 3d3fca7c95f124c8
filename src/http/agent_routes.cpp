// Agent side (docs/api.md "Agent side"): the agent of a school asks which devices to read, uploads what it
// read and reports each device's health. Authorization: Bearer <agent token>; a device of another school
// is 404. Also the admin routes that create and revoke agent tokens.

#include "http/error_mapping.hpp"
#include "http/json_util.hpp"
#include "http/push_body.hpp"
#include "http/reply.hpp"
#include "http/routes.hpp"
#include "service/time_zone.hpp"
#include "wire/agent_api.hpp"

namespace rollcall::http {
namespace {

Reply ListDevices(const Backend& b, Call& call);
void UploadLogs(const Backend& b, Call& call, net::Responder respond);
Reply ReportStatus(const Backend& b, Call& call);
Reply CreateToken(const Backend& b, Call& call);

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
         .handler = Sync(ListInSchool<&Services::agents, &Agents::ListAgentTokens>)},
        {.method = "DELETE",
         .pattern = kSchoolPath + "/agent-tokens/{id}",
         .handler = Sync(DeleteById<&Services::agents, &Agents::RevokeAgentToken>)},
    };
}

namespace {

Reply ListDevices(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto devices, b.services.agents.AgentDevices(call.school_id));
    ROLLCALL_TRY(const auto school, b.services.accounts.GetSchool(call.school_id));
    const auto now = b.clock.NowUnix();
    wire::AgentDeviceList list{.items = {}, .server_time = now};
    for (const auto& d : devices) {
        ROLLCALL_TRY(const auto local, service::ToLocal(d.timezone.empty() ? school.timezone : d.timezone, now));
        list.items.push_back(wire::AgentDevice{.id = d.id,
                                               .name = d.name,
                                               .ip = d.ip,
                                               .port = d.port,
                                               .comm_key = d.comm_key,
                                               .serial = d.serial,
                                               .direction = std::string(core::NameOf(d.direction)),
                                               .timezone = d.timezone,
                                               .local_time = local});
    }
    return Json(json::value_from(list));
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
    auto upload = wire::DecodeBody<wire::AgentUpload>(call.request.body, b.config.max_records);
    if (!upload) {
        return fail(upload.error());
    }
    // The device was alive when the agent read it, not when the upload arrives: an upload of an old spool must not
    // make a dead device look alive (R16). Without read_at, no claim.
    const std::int64_t seen_at = upload->read_at ? std::min(*upload->read_at, b.clock.NowUnix()) : 0;
    SubmitBatch(b, *device, std::move(upload->batch), domain::PunchSource::kAgent, std::move(respond), seen_at);
}

Reply ReportStatus(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto id, call.Id(0));
    ROLLCALL_TRY(auto report, wire::DecodeBody<wire::DeviceStatusReport>(call.request.body));
    storage::DeviceStatus status{.device_id = id,
                                 .reachable = report.reachable,
                                 .serial = report.serial.value_or(""),
                                 .firmware = report.firmware.value_or(""),
                                 .users = report.users,
                                 .records = report.records,
                                 .user_capacity = report.user_capacity,
                                 .record_capacity = report.record_capacity,
                                 .device_time = report.device_time,
                                 .clock_drift_seconds = std::nullopt,
                                 .read_through = report.read_through,
                                 .last_error = report.last_error.value_or("").substr(0, 1000)};
    ROLLCALL_TRY(const auto saved, b.services.agents.SaveAgentStatus(call.school_id, status));
    b.events.DeviceChanged(call.school_id, id, "agent_status");
    return Json(json::value_from(saved));
}

Reply CreateToken(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto created, b.services.agents.CreateAgentToken(*call.principal, call.school_id));
    return Json(201, json::object{{"id", created.first}, {"token", created.second}});
}

}  // namespace
}  // namespace rollcall::http
