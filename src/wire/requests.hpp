#pragma once

// The admin API's request bodies that carry more than a field or two, decoded straight into the services'
// input types: `Decode<service::DevicePatch>(body)` answers the value or a 400 naming the bad field
// (docs/api.md "Admin side"). Which fields a create requires is the service's to say; these only read what is
// there and check its type and form.

#include "service/attendance.hpp"
#include "service/devices.hpp"
#include "service/people.hpp"
#include "wire/decode.hpp"

namespace rollcall::wire {

/// POST and PATCH of /devices: every field optional; a port outside 1..65535 is refused.
core::Result<service::DevicePatch> tag_invoke(DecodeTag<service::DevicePatch>, const json::value& v);
/// POST and PATCH of /people: every field optional; `active_from`/`active_to` may be null (no limit).
core::Result<service::PersonPatch> tag_invoke(DecodeTag<service::PersonPatch>, const json::value& v);
/// POST /overrides (R19): person, date, status (present, late, absent or excused), optional times, a reason.
core::Result<service::OverrideInput> tag_invoke(DecodeTag<service::OverrideInput>, const json::value& v);
/// POST /clock-corrections (R4): a device, its wall-clock period, the offset to add and a reason.
core::Result<service::ClockCorrectionInput> tag_invoke(DecodeTag<service::ClockCorrectionInput>, const json::value& v);

}  // namespace rollcall::wire
