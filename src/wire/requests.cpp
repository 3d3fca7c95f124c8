#include "wire/requests.hpp"

#include <utility>

namespace rollcall::wire {
namespace {

core::Result<const json::object*> BodyObject(const json::value& v) {
    if (!v.is_object()) {
        return Invalid("body must be a JSON object");
    }
    return &v.as_object();
}

/// A device wall-clock time (R4); `message` is the whole error, as the field's expectations differ.
core::Result<core::LocalDateTime> DeviceTime(const std::string& text, std::string message) {
    const auto t = core::ParseLocalDateTime(text);
    if (!t) {
        return Invalid(std::move(message));
    }
    return *t;
}

/// R19: an override sets one of the statuses a day can be decided as.
core::Result<domain::DayStatus> OverrideStatus(const std::string& text) {
    using domain::DayStatus;
    const auto status = core::ParseEnum<DayStatus>(text);
    if (!status || (*status != DayStatus::kPresent && *status != DayStatus::kLate && *status != DayStatus::kAbsent &&
                    *status != DayStatus::kExcused)) {
        return Invalid("status: must be present, late, absent or excused");
    }
    return *status;
}

/// "events": absent or null is every kind; otherwise an array of names.
core::Result<std::vector<std::string>> EventList(const json::object& o) {
    std::vector<std::string> out;
    const auto* events = o.if_contains("events");
    if (events == nullptr || events->is_null()) {
        return out;
    }
    const auto bad = [] { return Invalid("events: expected an array of event names"); };
    if (!events->is_array()) {
        return bad();
    }
    for (const auto& e : events->as_array()) {
        if (!e.is_string()) {
            return bad();
        }
        out.emplace_back(e.as_string());
    }
    return out;
}

}  // namespace

core::Result<LoginRequest> tag_invoke(DecodeTag<LoginRequest>, const json::value& v) {
    ROLLCALL_TRY(const auto* o, BodyObject(v));
    LoginRequest r;
    ROLLCALL_TRY(r.email, RequiredString(*o, "email"));
    ROLLCALL_TRY(r.password, RequiredString(*o, "password"));
    return r;
}

core::Result<SchoolRequest> tag_invoke(DecodeTag<SchoolRequest>, const json::value& v) {
    ROLLCALL_TRY(const auto* o, BodyObject(v));
    SchoolRequest r;
    ROLLCALL_TRY(r.name, RequiredString(*o, "name"));
    ROLLCALL_TRY(r.timezone, RequiredString(*o, "timezone"));
    return r;
}

core::Result<HolidayRequest> tag_invoke(DecodeTag<HolidayRequest>, const json::value& v) {
    ROLLCALL_TRY(const auto* o, BodyObject(v));
    HolidayRequest r;
    ROLLCALL_TRY(r.date, RequiredDate(*o, "date"));
    ROLLCALL_TRY(r.name, RequiredString(*o, "name"));
    return r;
}

core::Result<MappingRequest> tag_invoke(DecodeTag<MappingRequest>, const json::value& v) {
    ROLLCALL_TRY(const auto* o, BodyObject(v));
    MappingRequest r;
    if (const auto* id = o->if_contains("user_id"); id != nullptr && id->is_int64()) {
        r.user_id = std::to_string(id->as_int64());
    } else {
        ROLLCALL_TRY(r.user_id, RequiredString(*o, "user_id"));
    }
    ROLLCALL_TRY(r.person_id, RequiredInt(*o, "person_id"));
    ROLLCALL_TRY(r.device_id, OptInt(*o, "device_id"));
    return r;
}

core::Result<WebhookRequest> tag_invoke(DecodeTag<WebhookRequest>, const json::value& v) {
    ROLLCALL_TRY(const auto* o, BodyObject(v));
    WebhookRequest r;
    ROLLCALL_TRY(r.url, RequiredString(*o, "url"));
    ROLLCALL_TRY(r.events, EventList(*o));
    return r;
}

core::Result<RangeRequest> tag_invoke(DecodeTag<RangeRequest>, const json::value& v) {
    ROLLCALL_TRY(const auto* o, BodyObject(v));
    RangeRequest r;
    ROLLCALL_TRY(r.from, RequiredDate(*o, "from"));
    ROLLCALL_TRY(r.to, RequiredDate(*o, "to"));
    return r;
}

core::Result<service::DevicePatch> tag_invoke(DecodeTag<service::DevicePatch>, const json::value& v) {
    ROLLCALL_TRY(const auto* o, BodyObject(v));
    service::DevicePatch p;
    for (const auto& [field, target] : {std::pair{"name", &p.name},
                                        {"ip", &p.ip},
                                        {"serial", &p.serial},
                                        {"comm_key", &p.comm_key},
                                        {"timezone", &p.timezone}}) {
        ROLLCALL_TRY(*target, OptString(*o, field));
    }
    ROLLCALL_TRY(p.sync_mode, OptName<domain::SyncMode>(*o, "sync_mode"));
    ROLLCALL_TRY(p.direction, OptName<domain::DeviceDirection>(*o, "direction"));
    ROLLCALL_TRY(p.status, OptName<domain::ActiveStatus>(*o, "status"));
    ROLLCALL_TRY(p.port, OptInt(*o, "port"));
    if (p.port && (*p.port < 1 || *p.port > 65535)) {
        return Invalid("port: must be between 1 and 65535");
    }
    return p;
}

core::Result<service::PersonPatch> tag_invoke(DecodeTag<service::PersonPatch>, const json::value& v) {
    ROLLCALL_TRY(const auto* o, BodyObject(v));
    service::PersonPatch p;
    for (const auto& [field, target] :
         {std::pair{"name", &p.name}, {"external_id", &p.external_id}, {"group", &p.group}}) {
        ROLLCALL_TRY(*target, OptString(*o, field));
    }
    ROLLCALL_TRY(p.kind, OptName<domain::PersonKind>(*o, "kind"));
    ROLLCALL_TRY(p.active_from, OptNullableDate(*o, "active_from"));
    ROLLCALL_TRY(p.active_to, OptNullableDate(*o, "active_to"));
    return p;
}

core::Result<service::OverrideInput> tag_invoke(DecodeTag<service::OverrideInput>, const json::value& v) {
    ROLLCALL_TRY(const auto* o, BodyObject(v));
    service::OverrideInput input;
    ROLLCALL_TRY(input.person_id, RequiredInt(*o, "person_id"));
    // Every field is read before any is judged, so the first field missing is named before a malformed one.
    ROLLCALL_TRY(const auto date, RequiredString(*o, "date"));
    ROLLCALL_TRY(const auto status, RequiredString(*o, "status"));
    ROLLCALL_CHECK(OptString(*o, "in_time"));
    ROLLCALL_CHECK(OptString(*o, "out_time"));
    ROLLCALL_TRY(input.status, OverrideStatus(status));
    ROLLCALL_TRY(input.date, DateText(date, "date"));
    ROLLCALL_TRY(input.in_time, OptTimeOfDay(*o, "in_time"));
    ROLLCALL_TRY(input.out_time, OptTimeOfDay(*o, "out_time"));
    ROLLCALL_TRY(input.reason, RequiredString(*o, "reason"));
    return input;
}

core::Result<service::ClockCorrectionInput> tag_invoke(DecodeTag<service::ClockCorrectionInput>, const json::value& v) {
    ROLLCALL_TRY(const auto* o, BodyObject(v));
    service::ClockCorrectionInput input;
    ROLLCALL_TRY(input.device_id, RequiredInt(*o, "device_id"));
    ROLLCALL_TRY(const auto from, RequiredString(*o, "from"));
    ROLLCALL_TRY(const auto to, RequiredString(*o, "to"));
    ROLLCALL_TRY(input.from, DeviceTime(from, "from: expected YYYY-MM-DD HH:MM:SS (the device's clock)"));
    ROLLCALL_TRY(input.to, DeviceTime(to, "to: expected YYYY-MM-DD HH:MM:SS, not before from"));
    ROLLCALL_TRY(input.offset_seconds, RequiredInt(*o, "offset_seconds"));
    ROLLCALL_TRY(input.reason, RequiredString(*o, "reason"));
    return input;
}

}  // namespace rollcall::wire
