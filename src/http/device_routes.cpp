// Device side: POST /api/v1/biometric/push-log (docs/api.md "Device side"). Runs inline on the io thread up to the
// hand-off to the writer; the answer goes out when the group commit holding its rows is durable.

#include "http/error_mapping.hpp"
#include "http/json_util.hpp"
#include "http/push_body.hpp"
#include "http/routes.hpp"

namespace rollcall::http {
namespace {

using core::Errc;
using core::MakeError;

void PushLog(const Backend& b, Call& call, net::Responder respond);

}  // namespace

std::vector<Route> DeviceRoutes() {
    return {
        {.method = "POST",
         .pattern = "/api/v1/biometric/push-log",
         .auth = RouteAuth::kDevice,
         .body = RouteBody::kPush,
         .exec = RouteExec::kInline,
         .handler = PushLog},
    };
}

namespace {

void PushLog(const Backend& b, Call& call, net::Responder respond) {
    // Admission authenticated the device and handed it over; without it (inactive or wrong mode) authenticate
    // again for the 403 that says which.
    core::Result<storage::Device> device = MakeError(Errc::kUnauthorized, "");
    if (const auto* admitted = call.request.context.Get<storage::Device>()) {
        device = *admitted;
    } else {
        const auto auth = call.request.Header("authorization").value_or("");
        device = b.services.devices.AuthenticatePushDevice(
            std::string(auth.starts_with("Bearer ") ? auth.substr(7) : std::string_view()),
            call.request.remote_address);
    }
    if (!device) {
        respond(ErrorResponse(device.error()));
        return;
    }
    if (!b.push_limiter.Allow(std::to_string(device->id))) {
        const std::string message = "too many requests from this device; slow down";
        b.services.devices.NoteRateLimited(*device, call.request.remote_address, message);
        respond(ErrorResponse(MakeError(Errc::kTooManyRequests, message)));
        return;
    }
    auto batch = wire::DecodeBody<wire::PunchBatch>(call.request.body, b.config.max_records);
    if (!batch) {
        respond(ErrorResponse(batch.error()));
        return;
    }
    SubmitBatch(b, *device, std::move(*batch), domain::PunchSource::kPush, std::move(respond), -1);
}

}  // namespace

void SubmitBatch(const Backend& b,
                 const storage::Device& device,
                 wire::PunchBatch batch,
                 domain::PunchSource source,
                 net::Responder respond,
                 std::int64_t seen_at) {
    std::vector<domain::RawRecord> records;
    records.reserve(batch.logs.size());
    for (auto& r : batch.logs) {
        records.push_back(domain::RawRecord{std::move(r.user_id), std::move(r.timestamp), r.status, r.verify});
    }
    std::vector<service::RejectedRecord> rejects;
    rejects.reserve(batch.rejects.size());
    for (auto& r : batch.rejects) {
        rejects.push_back(service::RejectedRecord{r.index, std::move(r.reason)});
    }
    b.services.ingest.Submit(
        device,
        std::move(records),
        std::move(rejects),
        source,
        [respond = std::move(respond)](core::Result<service::IngestReport> report) {
            if (!report) {
                respond(ErrorResponse(report.error()));
                return;
            }
            wire::IngestReport answer{report->received, report->inserted, report->duplicates, {}};
            for (auto& r : report->rejected) {
                answer.rejected.push_back(wire::RecordReject{r.index, std::move(r.reason)});
            }
            respond(Json(json::value_from(answer)));
        },
        seen_at);
}

}  // namespace rollcall::http
