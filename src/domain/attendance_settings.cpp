#include "domain/attendance_settings.hpp"

namespace rollcall::domain {
namespace {

using core::Errc;
using core::MakeError;
constexpr std::int32_t kDay = 86400;
constexpr std::int32_t kMaxMinutes = 24 * 60;

core::Status CheckMinutes(std::int32_t value, const char* field) {
    if (value < 0 || value > kMaxMinutes) {
        return MakeError(Errc::kInvalidArgument, std::string(field) + ": must be between 0 and 1440 minutes");
    }
    return {};
}

}  // namespace

core::Status ValidateSettings(const AttendanceSettings& s) {
    if (s.in_window.has_value() != s.out_window.has_value()) {
        return MakeError(Errc::kInvalidArgument,
                         s.in_window ? "out_window: set both windows or neither (R11)"
                                     : "in_window: set both windows or neither (R11)");
    }
    if (s.windows_mode()) {
        const auto& in = *s.in_window;
        const auto& out = *s.out_window;
        if (!(in.start < in.end)) {
            return MakeError(Errc::kInvalidArgument, "in_window: start must be before end");
        }
        if (!(in.end <= out.start)) {
            return MakeError(Errc::kInvalidArgument, "out_window: must start at or after the end of in_window");
        }
        if (!(out.start < out.end)) {
            return MakeError(Errc::kInvalidArgument, "out_window: start must be before end");
        }
    }
    if (s.late_after_in_window && !s.windows_mode()) {
        return MakeError(Errc::kInvalidArgument, "late_after_in_window: needs in_window and out_window (R11)");
    }
    for (const auto& [value, field] : {std::pair{s.grace_minutes, "grace_minutes"},
                                       std::pair{s.early_leave_grace_minutes, "early_leave_grace_minutes"},
                                       std::pair{s.min_in_out_gap_minutes, "min_in_out_gap_minutes"},
                                       std::pair{s.absent_after_minutes, "absent_after_minutes"}}) {
        ROLLCALL_CHECK(CheckMinutes(value, field));
    }
    if (s.school_start_time && s.school_end_time && *s.school_end_time <= *s.school_start_time) {
        return MakeError(Errc::kInvalidArgument, "school_end_time: must be after school_start_time");
    }
    if ((s.school_days & 0x7F) == 0) {
        return MakeError(Errc::kInvalidArgument, "school_days: at least one day is needed");
    }
    return {};
}

std::int32_t CutoffSecondsOfDay(const AttendanceSettings& s) {
    if (s.windows_mode()) {
        // Someone may still arrive late until the Out window opens: until then nobody is absent.
        return s.late_after_in_window ? s.out_window->start : s.in_window->end;
    }
    if (s.school_start_time) {
        const std::int32_t cutoff = *s.school_start_time + s.absent_after_minutes * 60;
        return cutoff < kDay ? cutoff : kDay;
    }
    return kDay;
}

}  // namespace rollcall::domain
