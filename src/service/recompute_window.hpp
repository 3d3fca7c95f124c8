#pragma once

// R18: the reprocess window. Every mark for recomputation is clamped to it, whatever asked for it (a clock
// correction, a settings version, a mapping, a device change, a punch), so one request cannot queue years of
// days, nor any day after today.

#include "core/civil_time.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/records.hpp"

#include <functional>
#include <string>

namespace rollcall::service {

/// The bounds an admin's request is held to (docs/operations.md "Settings").
struct RecomputeLimits {
    int reprocess_max_days = 366;         ///< engine.reprocess_max_days: the window, and how far ahead settings go
    int clock_correction_max_days = 366;  ///< engine.clock_correction_max_days: from..to of one correction
};

/// The `days` days up to today in `zone` (both inclusive): the days of a school that may be marked.
core::Result<storage::MarkWindow> ReprocessWindow(const core::Clock& clock, const std::string& zone, int days);

/// The store's clamp (storage::StoreOptions::mark_window) for `clock`, which must outlive the store. A zone
/// the tz database does not know counts as UTC: the window is still bounded.
std::function<storage::MarkWindow(const std::string& zone)> MarkWindowFor(const core::Clock& clock, int days);

}  // namespace rollcall::service
