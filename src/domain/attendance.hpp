#pragma once

#include "core/civil_time.hpp"
#include "core/enum_names.hpp"
#include "domain/attendance_settings.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rollcall::domain {

/// What a punch on a device means (R9): set per device by the school.
enum class DeviceDirection { kAuto, kIn, kOut };
inline constexpr std::array<std::pair<DeviceDirection, std::string_view>, 3> kDeviceDirectionNames{{
    {DeviceDirection::kAuto, "auto"},
    {DeviceDirection::kIn, "in"},
    {DeviceDirection::kOut, "out"},
}};
constexpr const auto& EnumNameTable(DeviceDirection) {
    return kDeviceDirectionNames;
}

/// A punch's direction after R9/R10.
enum class PunchDirection { kIn, kOut, kUnknown, kIgnored };
inline constexpr std::array<std::pair<PunchDirection, std::string_view>, 4> kPunchDirectionNames{{
    {PunchDirection::kIn, "in"},
    {PunchDirection::kOut, "out"},
    {PunchDirection::kUnknown, "unknown"},
    {PunchDirection::kIgnored, "ignored"},
}};
constexpr const auto& EnumNameTable(PunchDirection) {
    return kPunchDirectionNames;
}

/// The status of a register row (docs/rules.md R14).
enum class DayStatus { kPresent, kLate, kAbsent, kPending, kHoliday, kExcused, kNotTracked };
inline constexpr std::array<std::pair<DayStatus, std::string_view>, 7> kDayStatusNames{{
    {DayStatus::kPresent, "present"},
    {DayStatus::kLate, "late"},
    {DayStatus::kAbsent, "absent"},
    {DayStatus::kPending, "pending"},
    {DayStatus::kHoliday, "holiday"},
    {DayStatus::kExcused, "excused"},
    {DayStatus::kNotTracked, "not_tracked"},
}};
constexpr const auto& EnumNameTable(DayStatus) {
    return kDayStatusNames;
}

inline std::string_view DeviceDirectionName(DeviceDirection d) {
    return core::NameOf(d);
}
inline std::optional<DeviceDirection> ParseDeviceDirection(std::string_view text) {
    return core::ParseEnum<DeviceDirection>(text);
}
inline std::string_view PunchDirectionName(PunchDirection d) {
    return core::NameOf(d);
}
inline std::string_view DayStatusName(DayStatus s) {
    return core::NameOf(s);
}
inline std::optional<DayStatus> ParseDayStatus(std::string_view text) {
    return core::ParseEnum<DayStatus>(text);
}

/// One punch of a person on day D, from any device of the school.
struct DayPunch {
    std::int64_t device_id = 0;
    core::LocalDateTime time;  ///< local wall clock (R5)
    DeviceDirection device_direction = DeviceDirection::kAuto;
    std::optional<std::int32_t> status;  ///< device punch-state code (R10)
    bool clock_suspect = false;          ///< R4: kept, shown, left out of computation
};

/// R4: a punch more than 5 minutes ahead of the school's clock when it arrived, or before 2000-01-01,
/// says the device clock is wrong. `received_local` is the arrival instant on the school's wall clock.
bool IsClockSuspect(core::LocalDateTime punch_time, core::LocalDateTime received_local);

/// R4: whether a punch's own timestamp lies in the window a real clock can show when the punch arrives at
/// `received_at` (Unix seconds): from 2000-01-01 to one day after the latest wall-clock time anywhere then
/// (UTC+14), so no zone needs looking up. A punch outside it is stored and left out like any clock suspect,
/// but marks no day for recomputation and never widens its device user's first and last punch (R7, R18).
bool InPlausibleWindow(core::LocalDateTime punch_time, std::int64_t received_at);

/// Where D falls in a person's active dates (R8).
enum class Enrolment {
    kActive,  ///< within active_from..active_to
    kNotYet,  ///< before active_from: punches still count (they are evidence), but nobody is absent
    kLeft,    ///< after active_to: punches are kept and ignored
};

/// Everything the register row of one (person, day) depends on (R18), as plain data.
struct DayInput {
    core::Date date;
    AttendanceSettings settings;
    bool holiday = false;  ///< D is in the school's holiday list
    bool tracked = true;   ///< the person has at least one mapping (R14.3)
    bool final = false;    ///< D's absences are final (R16)
    Enrolment enrolment = Enrolment::kActive;
    std::vector<DayPunch> punches;
};

/// Why a punch was used or dropped (R20).
struct PunchVerdict {
    std::size_t index = 0;  ///< into DayInput::punches
    PunchDirection direction = PunchDirection::kUnknown;
    std::optional<PunchDirection> used_as;  ///< kIn or kOut when it became the day's IN or OUT
    std::string rule;                       ///< "R11", "R12", ...
    std::string note;
};

struct DayResult {
    DayStatus status = DayStatus::kPending;
    std::optional<std::int32_t> in_time;  ///< seconds since midnight
    std::optional<std::int32_t> out_time;
    std::int32_t late_minutes = 0;
    /// after_in_window, missing_in, missing_out, early_leave, outside_window (R15a)
    std::vector<std::string> flags;
    /// R11: the times of the punches left out as outside both windows, so the register never hides that someone
    /// came (flag outside_window).
    std::vector<std::int32_t> outside_window_times;
    bool punched = false;     ///< a punch of the day other than a clock-suspect one (R4): the person came
    std::string status_rule;  ///< "R14.4", ...
    std::vector<PunchVerdict> explain;
};

/// The register row of one person on one day: a pure function of its input (R18).
DayResult ComputeDay(const DayInput& input);

/// R9/R10: the direction a punch has before windows are applied.
PunchDirection DirectionOf(const DayPunch& punch, bool use_device_punch_state);

}  // namespace rollcall::domain
