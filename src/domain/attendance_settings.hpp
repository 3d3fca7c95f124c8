#pragma once

#include "core/civil_time.hpp"
#include "core/result.hpp"

#include <cstdint>
#include <optional>

namespace rollcall::domain {

/// An inclusive [start, end] range of seconds since local midnight (R11).
struct TimeWindow {
    std::int32_t start = 0;
    std::int32_t end = 0;
    friend bool operator==(const TimeWindow&, const TimeWindow&) = default;
};

/// One version of a school's attendance settings (docs/api.md "Settings"; the rules in docs/rules.md).
struct AttendanceSettings {
    core::Date effective_from{};
    std::optional<std::int32_t> school_start_time;  ///< seconds since midnight
    std::int32_t grace_minutes = 0;
    std::optional<std::int32_t> school_end_time;
    std::int32_t early_leave_grace_minutes = 0;
    std::optional<TimeWindow> in_window;
    std::optional<TimeWindow> out_window;
    std::int32_t min_in_out_gap_minutes = 30;
    std::int32_t absent_after_minutes = 120;
    std::uint8_t school_days = 0b0011111;  ///< bit 0 = Monday ... bit 6 = Sunday
    bool use_device_punch_state = false;
    /// R11: a punch after the In window and before the Out window is a late arrival (flag after_in_window)
    /// rather than ignored.
    bool late_after_in_window = false;

    bool windows_mode() const { return in_window.has_value() && out_window.has_value(); }
    bool IsSchoolWeekday(core::Date d) const { return ((school_days >> core::Weekday(d)) & 1U) != 0; }
    friend bool operator==(const AttendanceSettings&, const AttendanceSettings&) = default;
};

/// R11 and R15: refuses impossible settings; the message names the field.
core::Status ValidateSettings(const AttendanceSettings& settings);

/// R16: seconds since midnight of day D after which a person without punches is absent rather than
/// pending: end of the In window in windows mode (the start of the Out window when a punch between them is a
/// late arrival); else start time + absent_after; else end of day (86400).
std::int32_t CutoffSecondsOfDay(const AttendanceSettings& settings);

}  // namespace rollcall::domain
