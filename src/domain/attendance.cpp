#include "domain/attendance.hpp"

#include <algorithm>
#include <numeric>

namespace rollcall::domain {
namespace {

using core::FormatHourMinute;

bool InWindow(std::int32_t t, const TimeWindow& w) {
    return t >= w.start && t <= w.end;
}

struct Chosen {
    std::optional<std::size_t> in;
    std::optional<std::size_t> out;
    bool in_after_window = false;  ///< the IN came between the windows (late_after_in_window)
};

std::string WindowText(const TimeWindow& w) {
    return FormatHourMinute(w.start) + "-" + FormatHourMinute(w.end);
}

// R11: first IN in the In window, last OUT in the Out window.
Chosen ChooseWithWindows(const DayInput& input, const std::vector<std::size_t>& order, std::vector<PunchVerdict>& v) {
    const auto& in_w = *input.settings.in_window;
    const auto& out_w = *input.settings.out_window;
    Chosen chosen;
    for (const std::size_t i : order) {
        if (v[i].direction == PunchDirection::kIgnored) {
            continue;
        }
        const std::int32_t t = input.punches[i].time.time_of_day();
        const bool in_in = InWindow(t, in_w);
        const bool in_out = InWindow(t, out_w);
        v[i].rule = "R11";
        if (!in_in && !in_out) {
            // Between the windows, with late_after_in_window on, the first arrival is a late IN.
            const bool between = t > in_w.end && t < out_w.start;
            if (between && input.settings.late_after_in_window && !chosen.in &&
                v[i].direction != PunchDirection::kOut) {
                chosen.in = i;
                chosen.in_after_window = true;
                continue;
            }
            v[i].note = "outside_window";
            continue;
        }
        const bool in_ok = in_in && v[i].direction != PunchDirection::kOut;
        const bool out_ok = in_out && v[i].direction != PunchDirection::kIn;
        if (!in_ok && !out_ok) {
            v[i].note = "direction_mismatch";
            continue;
        }
        if (in_ok && !chosen.in) {
            chosen.in = i;
            continue;
        }
        if (out_ok) {
            // Later punches come later in `order`; R13 keeps the lower device id on equal times.
            if (!chosen.out || input.punches[*chosen.out].time < input.punches[i].time) {
                chosen.out = i;
            }
            continue;
        }
        v[i].note = "not the first punch in the In window " + WindowText(in_w);
    }
    for (const std::size_t i : order) {
        if (v[i].rule == "R11" && v[i].note.empty() && chosen.in != i && chosen.out != i) {
            v[i].note = "not the last punch in the Out window " + WindowText(out_w);
        }
    }
    return chosen;
}

// R12: earliest non-OUT is IN; latest non-IN at least the gap after IN is OUT.
Chosen ChooseFallback(const DayInput& input, const std::vector<std::size_t>& order, std::vector<PunchVerdict>& v) {
    Chosen chosen;
    for (const std::size_t i : order) {
        if (v[i].direction == PunchDirection::kIgnored) {
            continue;
        }
        v[i].rule = "R12";
        if (!chosen.in && v[i].direction != PunchDirection::kOut) {
            chosen.in = i;
        }
    }
    const std::int64_t gap = std::int64_t{input.settings.min_in_out_gap_minutes} * 60;
    // By index, not std::views::reverse: clang 14 (clang-tidy's parser) cannot compile libstdc++ 12's ranges.
    for (std::size_t k = order.size(); k > 0; --k) {
        const std::size_t i = order[k - 1];
        if (v[i].direction == PunchDirection::kIgnored || v[i].direction == PunchDirection::kIn || chosen.in == i) {
            continue;
        }
        // Walking backwards, on equal times the lower device id is met last; keep looking while times tie.
        if (chosen.out && input.punches[*chosen.out].time != input.punches[i].time) {
            break;
        }
        if (chosen.in && input.punches[i].time < input.punches[*chosen.in].time) {
            break;  // before the day's IN: neither this nor anything earlier is its OUT
        }
        if (chosen.in && input.punches[i].time.seconds - input.punches[*chosen.in].time.seconds < gap) {
            if (!chosen.out) {
                v[i].note = "within min_in_out_gap_minutes of IN";
            }
            break;
        }
        chosen.out = i;
    }
    // Why the others do not count, in the words a school's admin would use.
    for (const std::size_t i : order) {
        if (v[i].rule != "R12" || !v[i].note.empty() || chosen.in == i || chosen.out == i) {
            continue;
        }
        const auto t = input.punches[i].time;
        if (chosen.in && t < input.punches[*chosen.in].time) {
            v[i].note = "an OUT-device punch before the day's IN";
        } else if (chosen.out && input.punches[*chosen.out].time < t) {
            v[i].note = "an IN-device punch after the OUT (only the first IN counts)";
        } else if (chosen.out) {
            v[i].note = "between IN and OUT";
        } else if (v[i].direction == PunchDirection::kIn) {
            v[i].note = "a later IN-device punch (only the first IN counts)";
        } else {
            v[i].note = "within min_in_out_gap_minutes of IN";
        }
    }
    return chosen;
}

}  // namespace

bool IsClockSuspect(core::LocalDateTime punch_time, core::LocalDateTime received_local) {
    constexpr std::int64_t kAllowedAheadSeconds = std::int64_t{5} * 60;
    static const core::LocalDateTime kEarliest = core::AtTime(core::DateFromYmd(2000, 1, 1), 0);
    return punch_time < kEarliest || punch_time.seconds > received_local.seconds + kAllowedAheadSeconds;
}

bool InPlausibleWindow(core::LocalDateTime punch_time, std::int64_t received_at) {
    constexpr std::int64_t kLatestZoneOffsetSeconds = std::int64_t{14} * 3600;  // UTC+14, the furthest ahead
    constexpr std::int64_t kAllowedAheadSeconds = 86400;
    static const core::LocalDateTime kEarliest = core::AtTime(core::DateFromYmd(2000, 1, 1), 0);
    return kEarliest <= punch_time &&
           punch_time.seconds <= received_at + kLatestZoneOffsetSeconds + kAllowedAheadSeconds;
}

PunchDirection DirectionOf(const DayPunch& punch, bool use_device_punch_state) {
    switch (punch.device_direction) {
        case DeviceDirection::kIn:
            return PunchDirection::kIn;
        case DeviceDirection::kOut:
            return PunchDirection::kOut;
        case DeviceDirection::kAuto:
            break;
    }
    if (!use_device_punch_state || !punch.status) {
        return PunchDirection::kUnknown;
    }
    switch (*punch.status) {
        case 0:
        case 4:
            return PunchDirection::kIn;
        case 1:
        case 5:
            return PunchDirection::kOut;
        case 2:
        case 3:
            return PunchDirection::kIgnored;
        default:
            return PunchDirection::kUnknown;
    }
}

DayResult ComputeDay(const DayInput& input) {
    const auto& s = input.settings;
    DayResult result;
    result.explain.resize(input.punches.size());

    // R13: time order, and on equal times the lower device id first.
    std::vector<std::size_t> order(input.punches.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const auto& pa = input.punches[a];
        const auto& pb = input.punches[b];
        return pa.time != pb.time ? pa.time < pb.time : pa.device_id < pb.device_id;
    });

    const bool left = input.enrolment == Enrolment::kLeft;
    for (std::size_t i = 0; i < input.punches.size(); ++i) {
        auto& verdict = result.explain[i];
        verdict.index = i;
        verdict.direction = DirectionOf(input.punches[i], s.use_device_punch_state);
        result.punched = result.punched || !input.punches[i].clock_suspect;
        if (left) {
            verdict.direction = PunchDirection::kIgnored;
            verdict.rule = "R8";
            verdict.note = "person not active on this date";
        } else if (input.punches[i].clock_suspect) {
            verdict.direction = PunchDirection::kIgnored;
            verdict.rule = "R4";
            verdict.note = "clock_suspect: the device clock looks wrong (ahead of the school's clock, or before 2000)";
        } else if (verdict.direction == PunchDirection::kIgnored) {
            verdict.rule = "R10";
            verdict.note = "break punch state";
        }
    }
    if (left) {
        result.status = DayStatus::kNotTracked;
        result.status_rule = "R8";
        return result;
    }

    const Chosen chosen = s.windows_mode() ? ChooseWithWindows(input, order, result.explain)
                                           : ChooseFallback(input, order, result.explain);
    if (chosen.in) {
        result.in_time = input.punches[*chosen.in].time.time_of_day();
        result.explain[*chosen.in].used_as = PunchDirection::kIn;
        result.explain[*chosen.in].note = "IN";
    }
    if (chosen.out) {
        result.out_time = input.punches[*chosen.out].time.time_of_day();
        result.explain[*chosen.out].used_as = PunchDirection::kOut;
        result.explain[*chosen.out].note = "OUT";
    }
    for (const std::size_t i : order) {
        if (result.explain[i].note == "outside_window") {
            result.outside_window_times.push_back(input.punches[i].time.time_of_day());
        }
    }

    if (!s.IsSchoolWeekday(input.date) || input.holiday) {
        result.status = DayStatus::kHoliday;
        result.status_rule = "R14.2";
        return result;
    }
    // The register never hides that someone came: punches the windows left out are named on the row.
    const auto flag_outside = [&] {
        if (!result.outside_window_times.empty()) {
            result.flags.emplace_back("outside_window");
        }
    };
    if (!result.in_time && !result.out_time) {
        if (input.enrolment == Enrolment::kNotYet) {
            // R8: before active_from nobody is absent; a punch would have been evidence, but there is none.
            result.status = DayStatus::kNotTracked;
            result.status_rule = "R8";
            return result;
        }
        result.status_rule = "R14.3";
        if (!input.tracked) {
            result.status = DayStatus::kNotTracked;
        } else {
            result.status = input.final ? DayStatus::kAbsent : DayStatus::kPending;
        }
        flag_outside();
        return result;
    }
    const std::int32_t late_from = s.school_start_time.value_or(s.in_window ? s.in_window->end : 0);
    if (chosen.in_after_window) {
        // R11 with late_after_in_window: an arrival between the windows is late, start time or not.
        result.status = DayStatus::kLate;
        result.status_rule = "R14.4";
        result.late_minutes = std::max(0, (*result.in_time - late_from + 59) / 60);
        result.flags.emplace_back("after_in_window");
        result.explain[*chosen.in].note = "IN after the In window (late_after_in_window)";
    } else if (result.in_time && s.school_start_time && *result.in_time > *s.school_start_time + s.grace_minutes * 60) {
        result.status = DayStatus::kLate;
        result.status_rule = "R14.4";
        // Whole minutes late, rounded up: 08:00:30 against an 08:00 start is one minute late.
        result.late_minutes = (*result.in_time - *s.school_start_time + 59) / 60;
    } else {
        result.status = DayStatus::kPresent;
        result.status_rule = s.school_start_time ? "R14.5" : "R15";
    }
    if (!result.in_time) {
        result.flags.emplace_back("missing_in");
    }
    if (s.school_end_time) {
        if (!result.out_time) {
            result.flags.emplace_back("missing_out");
        } else if (*result.out_time < *s.school_end_time - s.early_leave_grace_minutes * 60) {
            result.flags.emplace_back("early_leave");
        }
    }
    flag_outside();
    return result;
}

}  // namespace rollcall::domain
