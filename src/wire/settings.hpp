#pragma once

// The attendance settings as JSON: what an admin PUTs (decoded here, so the calendar service takes settings, not
// text) and what is stored as each version and audited (written here, read back by the services).

#include "core/result.hpp"
#include "domain/attendance_settings.hpp"

#include <string>
#include <string_view>

namespace rollcall::wire {

/// The JSON object of `settings/attendance` (docs/api.md "Settings") to settings and back. Unknown fields and wrong
/// types are errors that name the field; the result is also checked with ValidateSettings.
core::Result<domain::AttendanceSettings> ParseSettingsJson(std::string_view text, core::Date default_effective_from);
std::string SettingsToJson(const domain::AttendanceSettings& settings);

}  // namespace rollcall::wire
