#pragma once

// R5: a school keeps wall-clock time in its IANA zone; these convert between that and Unix instants.

#include "core/civil_time.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"

#include <cstdint>
#include <string>

namespace rollcall::service {

/// True when the IANA zone exists in the system's tz database.
bool IsKnownTimeZone(const std::string& zone);
/// Local wall-clock seconds of a Unix instant in a zone.
core::Result<core::LocalDateTime> ToLocal(const std::string& zone, std::int64_t unix_seconds);
/// The instant of a local wall-clock time (earliest one in a DST overlap).
core::Result<std::int64_t> ToUnix(const std::string& zone, core::LocalDateTime local);
/// Today in a zone by the clock given (R5).
core::Result<core::Date> TodayIn(const core::Clock& clock, const std::string& zone);

}  // namespace rollcall::service
