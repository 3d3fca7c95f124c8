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
core::Result<std::vector<std::string>> EventList(const json::object& o, std::string_view field) {
    std::vector<std::string> out;
    const auto* events = o.if_contains(field);
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

/// A device's user id: text, or a number read as its decimal text, as devices send ids.
core::Result<std::string> UserIdText(const json::object& o, std::string_view field) {
    if (const auto* id = o.if_contains(field); id != nullptr && id->is_int64()) {
        return std::to_string(id->as_int64());
    }
    return RequiredString(o, field);
}

core::Result<std::optional<std::int64_t>> OptPort(const json::object& o, std::string_view field) {
    ROLLCALL_TRY(const auto port, OptInt(o, field));
    if (port && (*port < 1 || *port > 65535)) {
        return Invalid(std::string(field) + ": must be between 1 and 65535");
    }
    return port;
}

/// A user's role; absent is a school admin, the role most users are given.
core::Result<domain::Role> RoleOrSchoolAdmin(const json::object& o, std::string_view field) {
    ROLLCALL_TRY(const auto role, OptName<domain::Role>(o, field));
    return role.value_or(domain::Role::kSchoolAdmin);
}

core::Result<domain::ActiveStatus> RequiredStatus(const json::object& o, std::string_view field) {
    ROLLCALL_TRY(const auto status, OptName<domain::ActiveStatus>(o, field));
    if (!status) {
        return Invalid(std::string(field) + ": required (active or inactive)");
    }
    return *status;
}

}  // namespace

core::Result<UserStatusRequest> tag_invoke(DecodeTag<UserStatusRequest>, const json::value& v) {
    return DecodeFields(v, Field{"status", &UserStatusRequest::status, RequiredStatus});
}

core::Result<PasswordRequest> tag_invoke(DecodeTag<PasswordRequest>, const json::value& v) {
    return DecodeFields(v, Field{"password", &PasswordRequest::password, RequiredString});
}

core::Result<ChangePasswordRequest> tag_invoke(DecodeTag<ChangePasswordRequest>, const json::value& v) {
    return DecodeFields(v,
                        Field{"current_password", &ChangePasswordRequest::current_password, RequiredString},
                        Field{"new_password", &ChangePasswordRequest::new_password, RequiredString});
}

core::Result<service::UserInput> tag_invoke(DecodeTag<service::UserInput>, const json::value& v) {
    using service::UserInput;
    return DecodeFields(v,
                        Field{"email", &UserInput::email, RequiredString},
                        Field{"password", &UserInput::password, RequiredString},
                        Field{"role", &UserInput::role, RoleOrSchoolAdmin},
                        Field{"school_id", &UserInput::school_id, OptInt});
}

core::Result<service::SchoolPatch> tag_invoke(DecodeTag<service::SchoolPatch>, const json::value& v) {
    using service::SchoolPatch;
    return DecodeFields(v,
                        Field{"name", &SchoolPatch::name, OptString},
                        Field{"timezone", &SchoolPatch::timezone, OptString},
                        Field{"status", &SchoolPatch::status, &OptName<domain::ActiveStatus>});
}

core::Result<LoginRequest> tag_invoke(DecodeTag<LoginRequest>, const json::value& v) {
    return DecodeFields(v,
                        Field{"email", &LoginRequest::email, RequiredString},
                        Field{"password", &LoginRequest::password, RequiredString});
}

core::Result<SchoolRequest> tag_invoke(DecodeTag<SchoolRequest>, const json::value& v) {
    return DecodeFields(v,
                        Field{"name", &SchoolRequest::name, RequiredString},
                        Field{"timezone", &SchoolRequest::timezone, RequiredString});
}

core::Result<HolidayRequest> tag_invoke(DecodeTag<HolidayRequest>, const json::value& v) {
    return DecodeFields(
        v, Field{"date", &HolidayRequest::date, RequiredDate}, Field{"name", &HolidayRequest::name, RequiredString});
}

core::Result<MappingRequest> tag_invoke(DecodeTag<MappingRequest>, const json::value& v) {
    return DecodeFields(v,
                        Field{"user_id", &MappingRequest::user_id, UserIdText},
                        Field{"person_id", &MappingRequest::person_id, RequiredInt},
                        Field{"device_id", &MappingRequest::device_id, OptInt});
}

core::Result<WebhookRequest> tag_invoke(DecodeTag<WebhookRequest>, const json::value& v) {
    return DecodeFields(
        v, Field{"url", &WebhookRequest::url, RequiredString}, Field{"events", &WebhookRequest::events, EventList});
}

core::Result<RangeRequest> tag_invoke(DecodeTag<RangeRequest>, const json::value& v) {
    return DecodeFields(
        v, Field{"from", &RangeRequest::from, RequiredDate}, Field{"to", &RangeRequest::to, RequiredDate});
}

core::Result<service::DevicePatch> tag_invoke(DecodeTag<service::DevicePatch>, const json::value& v) {
    using service::DevicePatch;
    return DecodeFields(v,
                        Field{"name", &DevicePatch::name, OptString},
                        Field{"ip", &DevicePatch::ip, OptString},
                        Field{"serial", &DevicePatch::serial, OptString},
                        Field{"comm_key", &DevicePatch::comm_key, OptString},
                        Field{"timezone", &DevicePatch::timezone, OptString},
                        Field{"sync_mode", &DevicePatch::sync_mode, &OptName<domain::SyncMode>},
                        Field{"direction", &DevicePatch::direction, &OptName<domain::DeviceDirection>},
                        Field{"status", &DevicePatch::status, &OptName<domain::ActiveStatus>},
                        Field{"port", &DevicePatch::port, OptPort});
}

core::Result<service::PersonPatch> tag_invoke(DecodeTag<service::PersonPatch>, const json::value& v) {
    using service::PersonPatch;
    return DecodeFields(v,
                        Field{"name", &PersonPatch::name, OptString},
                        Field{"external_id", &PersonPatch::external_id, OptString},
                        Field{"group", &PersonPatch::group, OptString},
                        Field{"kind", &PersonPatch::kind, &OptName<domain::PersonKind>},
                        Field{"active_from", &PersonPatch::active_from, OptNullableDate},
                        Field{"active_to", &PersonPatch::active_to, OptNullableDate});
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
