#include "wire/settings.hpp"

#include <array>

#include <boost/json.hpp>

namespace rollcall::wire {
namespace {

namespace json = boost::json;
using core::Errc;
using core::MakeError;
using domain::AttendanceSettings;
using domain::TimeWindow;

constexpr std::array<std::string_view, 7> kDayNames = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

core::Error FieldError(std::string_view field, std::string_view what) {
    return MakeError(Errc::kInvalidArgument, std::string(field) + ": " + std::string(what));
}

core::Result<std::optional<std::int32_t>> OptTime(const json::object& o, std::string_view field) {
    const auto* v = o.if_contains(field);
    if (v == nullptr || v->is_null()) {
        return std::optional<std::int32_t>();
    }
    if (!v->is_string()) {
        return FieldError(field, "expected \"HH:MM\" or null");
    }
    const auto t = core::ParseTimeOfDay(v->as_string());
    if (!t) {
        return FieldError(field, "expected \"HH:MM\" or null");
    }
    return std::optional<std::int32_t>(*t);
}

core::Status Minutes(const json::object& o, std::string_view field, std::int32_t& out) {
    const auto* v = o.if_contains(field);
    if (v == nullptr) {
        return {};
    }
    if (!v->is_int64() && !v->is_uint64()) {
        return FieldError(field, "expected a whole number of minutes");
    }
    const auto n = v->is_int64() ? v->as_int64() : static_cast<std::int64_t>(v->as_uint64());
    if (n < 0 || n > std::int64_t{24} * 60) {
        return FieldError(field, "must be between 0 and 1440 minutes");
    }
    out = static_cast<std::int32_t>(n);
    return {};
}

core::Result<std::optional<TimeWindow>> Window(const json::object& o, std::string_view field) {
    const auto* v = o.if_contains(field);
    if (v == nullptr || v->is_null()) {
        return std::optional<TimeWindow>();
    }
    if (!v->is_object()) {
        return FieldError(field, "expected {\"start\": \"HH:MM\", \"end\": \"HH:MM\"} or null");
    }
    const auto& w = v->as_object();
    for (const auto& kv : w) {
        if (kv.key() != "start" && kv.key() != "end") {
            return FieldError(std::string(field) + "." + std::string(kv.key()), "unknown field");
        }
    }
    auto start = OptTime(w, "start");
    auto end = OptTime(w, "end");
    if (!start || !*start) {
        return FieldError(std::string(field) + ".start", "expected \"HH:MM\"");
    }
    if (!end || !*end) {
        return FieldError(std::string(field) + ".end", "expected \"HH:MM\"");
    }
    return std::optional<TimeWindow>(TimeWindow{**start, **end});
}

// "HH:MM", or "HH:MM:SS" when the time has seconds (the parser accepts both): writing must not lose them.
std::string TimeText(std::int32_t t) {
    return t % 60 == 0 ? core::FormatHourMinute(t) : core::FormatTimeOfDay(t);
}

}  // namespace

core::Result<AttendanceSettings> ParseSettingsJson(std::string_view text, core::Date default_effective_from) {
    boost::system::error_code ec;
    json::parse_options opts;
    opts.max_depth = 8;
    const json::value root = json::parse(text, ec, {}, opts);
    if (ec || !root.is_object()) {
        return MakeError(Errc::kInvalidArgument, "body: expected a JSON object");
    }
    const auto& o = root.as_object();
    // The settings answer's own fields (warnings, mode, the scopes) are accepted and left alone, so what GET
    // answered can be sent back.
    static constexpr std::array<std::string_view, 17> kKnown = {"effective_from",
                                                                "school_start_time",
                                                                "grace_minutes",
                                                                "school_end_time",
                                                                "early_leave_grace_minutes",
                                                                "in_window",
                                                                "out_window",
                                                                "min_in_out_gap_minutes",
                                                                "absent_after_minutes",
                                                                "school_days",
                                                                "use_device_punch_state",
                                                                "late_after_in_window",
                                                                "warnings",
                                                                "mode",
                                                                "scope",
                                                                "requested_scope",
                                                                "scopes"};
    for (const auto& kv : o) {
        if (std::find(kKnown.begin(), kKnown.end(), std::string_view(kv.key())) == kKnown.end()) {
            return FieldError(kv.key(), "unknown field");
        }
    }
    AttendanceSettings s;
    s.effective_from = default_effective_from;
    if (const auto* v = o.if_contains("effective_from"); v != nullptr && !v->is_null()) {
        const auto d = v->is_string() ? core::ParseDate(v->as_string()) : std::nullopt;
        if (!d) {
            return FieldError("effective_from", "expected \"YYYY-MM-DD\"");
        }
        s.effective_from = *d;
    }
    ROLLCALL_TRY(s.school_start_time, OptTime(o, "school_start_time"));
    ROLLCALL_TRY(s.school_end_time, OptTime(o, "school_end_time"));
    for (const auto& [field, target] : {std::pair<std::string_view, std::int32_t*>{"grace_minutes", &s.grace_minutes},
                                        {"early_leave_grace_minutes", &s.early_leave_grace_minutes},
                                        {"min_in_out_gap_minutes", &s.min_in_out_gap_minutes},
                                        {"absent_after_minutes", &s.absent_after_minutes}}) {
        ROLLCALL_CHECK(Minutes(o, field, *target));
    }
    ROLLCALL_TRY(s.in_window, Window(o, "in_window"));
    ROLLCALL_TRY(s.out_window, Window(o, "out_window"));
    if (const auto* v = o.if_contains("school_days"); v != nullptr) {
        if (!v->is_array()) {
            return FieldError("school_days", "expected a list such as [\"mon\", \"tue\"]");
        }
        s.school_days = 0;
        for (const auto& d : v->as_array()) {
            const auto it = d.is_string()
                                ? std::find(kDayNames.begin(), kDayNames.end(), std::string_view(d.as_string()))
                                : kDayNames.end();
            if (it == kDayNames.end()) {
                return FieldError("school_days", "days are mon, tue, wed, thu, fri, sat, sun");
            }
            s.school_days |= static_cast<std::uint8_t>(1U << (it - kDayNames.begin()));
        }
    }
    if (const auto* v = o.if_contains("use_device_punch_state"); v != nullptr) {
        if (!v->is_bool()) {
            return FieldError("use_device_punch_state", "expected true or false");
        }
        s.use_device_punch_state = v->as_bool();
    }
    if (const auto* v = o.if_contains("late_after_in_window"); v != nullptr) {
        if (!v->is_bool()) {
            return FieldError("late_after_in_window", "expected true or false");
        }
        s.late_after_in_window = v->as_bool();
    }
    ROLLCALL_CHECK(domain::ValidateSettings(s));
    return s;
}

std::string SettingsToJson(const AttendanceSettings& s) {
    json::object o;
    auto time = [](const std::optional<std::int32_t>& t) -> json::value {
        return t ? json::value(TimeText(*t)) : json::value(nullptr);
    };
    auto window = [](const std::optional<TimeWindow>& w) -> json::value {
        if (!w) {
            return nullptr;
        }
        return json::object{{"start", TimeText(w->start)}, {"end", TimeText(w->end)}};
    };
    o["effective_from"] = core::FormatDate(s.effective_from);
    o["school_start_time"] = time(s.school_start_time);
    o["grace_minutes"] = s.grace_minutes;
    o["school_end_time"] = time(s.school_end_time);
    o["early_leave_grace_minutes"] = s.early_leave_grace_minutes;
    o["in_window"] = window(s.in_window);
    o["out_window"] = window(s.out_window);
    o["min_in_out_gap_minutes"] = s.min_in_out_gap_minutes;
    o["absent_after_minutes"] = s.absent_after_minutes;
    json::array days;
    for (std::size_t i = 0; i < kDayNames.size(); ++i) {
        if (((s.school_days >> i) & 1U) != 0) {
            days.emplace_back(kDayNames[i]);
        }
    }
    o["school_days"] = std::move(days);
    o["use_device_punch_state"] = s.use_device_punch_state;
    o["late_after_in_window"] = s.late_after_in_window;
    return json::serialize(o);
}

}  // namespace rollcall::wire
