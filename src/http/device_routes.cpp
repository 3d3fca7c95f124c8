// Device side: POST /api/v1/biometric/push-log (docs/api.md "Device side"). Runs inline on the io thread up to the
// hand-off to the writer; the answer goes out when the group commit holding its rows is durable.

#include "http/error_mapping.hpp"
#include "http/json_util.hpp"
#include "http/push_body.hpp"
#include "http/routes.hpp"

#include <charconv>

namespace rollcall::http {
namespace {

using core::Errc;
using core::MakeError;

void PushLog(const Backend& b, Call& call, net::Responder respond);

/// Decodes one element of `logs` into a raw record; a wrong JSON type is that record's reject reason.
core::Result<domain::RawRecord> DecodeRecord(const json::value& v) {
    if (!v.is_object()) {
        return MakeError(Errc::kInvalidArgument, "record is not an object");
    }
    const auto& o = v.as_object();
    domain::RawRecord r;
    if (const auto* uid = o.if_contains("user_id"); uid != nullptr && !uid->is_null()) {
        if (uid->is_string()) {
            r.user_id = std::string(uid->as_string());
        } else if (uid->is_int64()) {
            r.user_id = std::to_string(uid->as_int64());
        } else if (uid->is_uint64()) {
            r.user_id = std::to_string(uid->as_uint64());
        } else {
            return MakeError(Errc::kInvalidArgument, "user_id must be a string or an integer");
        }
    }
    if (const auto* ts = o.if_contains("timestamp"); ts != nullptr && !ts->is_null()) {
        if (!ts->is_string()) {
            return MakeError(Errc::kInvalidArgument, "timestamp must be a string \"YYYY-MM-DD HH:MM:SS\"");
        }
        r.timestamp = std::string(ts->as_string());
    }
    for (const auto& [field, target] : {std::pair{"status", &r.status}, std::pair{"verify", &r.verify}}) {
        const auto* f = o.if_contains(field);
        if (f == nullptr || f->is_null()) {
            continue;
        }
        if (f->is_int64()) {
            *target = f->as_int64();
        } else if (f->is_uint64()) {
            *target = f->as_uint64() > 255 ? 256 : static_cast<std::int64_t>(f->as_uint64());
        } else if (f->is_string()) {
            // Some firmwares quote small numbers.
            const auto& s = f->as_string();
            std::int64_t n = 0;
            const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
            if (ec != std::errc() || ptr != s.data() + s.size()) {
                return MakeError(Errc::kInvalidArgument, std::string(field) + " must be an integer");
            }
            *target = n;
        } else {
            return MakeError(Errc::kInvalidArgument, std::string(field) + " must be an integer");
        }
    }
    return r;
}

}  // namespace

core::Result<PushLogs> DecodePushLogs(std::string_view body, std::size_t max_records) {
    ROLLCALL_TRY(auto object, ParseObject(body));
    const auto* logs = object.if_contains("logs");
    if (logs == nullptr || !logs->is_array()) {
        return MakeError(Errc::kInvalidArgument, "body must have a \"logs\" array");
    }
    const auto& array = logs->as_array();
    if (array.size() > max_records) {
        return MakeError(Errc::kPayloadTooLarge,
                         "too many records in one push (max " + std::to_string(max_records) + ")");
    }
    PushLogs out;
    out.records.resize(array.size());
    for (std::size_t i = 0; i < array.size(); ++i) {
        auto r = DecodeRecord(array[i]);
        if (r) {
            out.records[i] = std::move(*r);
        } else {
            out.rejects.push_back({i, r.error().message});
        }
    }
    out.body = std::move(object);
    return out;
}

json::object ReportJson(const service::IngestReport& report) {
    json::array rejected;
    for (const auto& r : report.rejected) {
        rejected.push_back(json::object{{"index", r.index}, {"reason", r.reason}});
    }
    return json::object{{"received", report.received},
                        {"inserted", report.inserted},
                        {"duplicates", report.duplicates},
                        {"rejected", std::move(rejected)}};
}

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
            std::string(auth.starts_with("Bearer ") ? auth.substr(7) : std::string_view()));
    }
    if (!device) {
        respond(ErrorResponse(device.error()));
        return;
    }
    if (!b.push_limiter.Allow(std::to_string(device->id))) {
        respond(ErrorResponse(MakeError(Errc::kTooManyRequests, "too many requests from this device; slow down")));
        return;
    }
    auto logs = DecodePushLogs(call.request.body, b.config.max_records);
    if (!logs) {
        respond(ErrorResponse(logs.error()));
        return;
    }
    b.services.ingest.Submit(*device,
                             std::move(logs->records),
                             std::move(logs->rejects),
                             domain::PunchSource::kPush,
                             [respond](core::Result<service::IngestReport> report) {
                                 respond(report ? Json(ReportJson(*report)) : ErrorResponse(report.error()));
                             });
}

}  // namespace
}  // namespace rollcall::http
