#pragma once

// The admin API's request bodies: the larger ones decoded straight into the services' input types
// (`Decode<service::DevicePatch>(body)`), the small ones into a struct of their own; either answers the value or
// a 400 naming the bad field (docs/api.md "Admin side"). Which fields a create requires is the service's to say; these
// only read what is there and check its type and form.

#include "service/accounts.hpp"
#include "service/attendance.hpp"
#include "service/devices.hpp"
#include "service/people.hpp"
#include "wire/decode.hpp"

#include <string>
#include <vector>

namespace rollcall::wire {

/// POST /auth/login.
struct LoginRequest {
    std::string email;
    std::string password;
};

/// POST /schools (super admin).
struct SchoolRequest {
    std::string name;
    std::string timezone;  ///< IANA, checked by the service
};

/// POST /holidays.
struct HolidayRequest {
    core::Date date;
    std::string name;
};

/// POST /mappings (R6): a device's user id to a person, for one device or (no device) the whole school.
struct MappingRequest {
    std::string user_id;  ///< a number is read as its decimal text, as devices send ids
    std::int64_t person_id = 0;
    std::optional<std::int64_t> device_id;
};

/// POST /webhooks: a gateway's URL and the event kinds it wants (all when empty).
struct WebhookRequest {
    std::string url;
    std::vector<std::string> events;
};

/// PATCH /users/{id}: a user's status (active, or inactive to disable them).
struct UserStatusRequest {
    domain::ActiveStatus status = domain::ActiveStatus::kActive;
};

/// POST /users/{id}/password: the new password an admin sets for another user.
struct PasswordRequest {
    std::string password;
};

/// POST /me/password: one's own password, proving the current one.
struct ChangePasswordRequest {
    std::string current_password;
    std::string new_password;
};

/// POST /recompute (R18): a range of days, both ends included.
struct RangeRequest {
    core::Date from;
    core::Date to;
};

core::Result<LoginRequest> tag_invoke(DecodeTag<LoginRequest>, const json::value& v);
core::Result<SchoolRequest> tag_invoke(DecodeTag<SchoolRequest>, const json::value& v);
core::Result<HolidayRequest> tag_invoke(DecodeTag<HolidayRequest>, const json::value& v);
core::Result<MappingRequest> tag_invoke(DecodeTag<MappingRequest>, const json::value& v);
core::Result<WebhookRequest> tag_invoke(DecodeTag<WebhookRequest>, const json::value& v);
core::Result<RangeRequest> tag_invoke(DecodeTag<RangeRequest>, const json::value& v);
core::Result<UserStatusRequest> tag_invoke(DecodeTag<UserStatusRequest>, const json::value& v);
core::Result<PasswordRequest> tag_invoke(DecodeTag<PasswordRequest>, const json::value& v);
core::Result<ChangePasswordRequest> tag_invoke(DecodeTag<ChangePasswordRequest>, const json::value& v);

/// POST /users: email, password, role (school_admin when absent), school_id.
core::Result<service::UserInput> tag_invoke(DecodeTag<service::UserInput>, const json::value& v);
/// PATCH /schools/{id}: name and status; a timezone is read to be refused.
core::Result<service::SchoolPatch> tag_invoke(DecodeTag<service::SchoolPatch>, const json::value& v);

/// POST and PATCH of /devices: every field optional; a port outside 1..65535 is refused.
core::Result<service::DevicePatch> tag_invoke(DecodeTag<service::DevicePatch>, const json::value& v);
/// POST and PATCH of /people: every field optional; `active_from`/`active_to` may be null (no limit).
core::Result<service::PersonPatch> tag_invoke(DecodeTag<service::PersonPatch>, const json::value& v);
/// POST /overrides (R19): person, date, status (present, late, absent or excused), optional times, a reason.
core::Result<service::OverrideInput> tag_invoke(DecodeTag<service::OverrideInput>, const json::value& v);
/// POST /clock-corrections (R4): a device, its wall-clock period, the offset to add and a reason.
core::Result<service::ClockCorrectionInput> tag_invoke(DecodeTag<service::ClockCorrectionInput>, const json::value& v);

}  // namespace rollcall::wire
