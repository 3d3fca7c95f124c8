#pragma once

#include "domain/attendance.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace rollcall::domain {

/// What a school's messaging gateway is told about a (person, day). Bits, so the kinds already emitted
/// fit one column: at most one event of each kind per person and day.
enum class EventKind : std::uint32_t { kArrival = 1, kLate = 2, kAbsent = 4, kCorrection = 8 };
inline constexpr std::array<std::pair<EventKind, std::string_view>, 4> kEventKindNames{{
    {EventKind::kArrival, "arrival"},
    {EventKind::kLate, "late"},
    {EventKind::kAbsent, "absent"},
    {EventKind::kCorrection, "correction"},
}};
constexpr const auto& EnumNameTable(EventKind) {
    return kEventKindNames;
}

inline constexpr EventKind kAllEventKinds[] = {
    EventKind::kArrival, EventKind::kLate, EventKind::kAbsent, EventKind::kCorrection};

inline std::string_view EventKindName(EventKind kind) {
    return core::NameOf(kind);
}
inline std::optional<EventKind> ParseEventKind(std::string_view text) {
    return core::ParseEnum<EventKind>(text);
}

/// Where one event for one webhook is (docs/api.md "Webhooks"): waiting for its next attempt, taken by the
/// gateway, or given up after the last attempt allowed.
enum class DeliveryState { kPending, kDelivered, kFailed };
inline constexpr std::array<std::pair<DeliveryState, std::string_view>, 3> kDeliveryStateNames{{
    {DeliveryState::kPending, "pending"},
    {DeliveryState::kDelivered, "delivered"},
    {DeliveryState::kFailed, "failed"},
}};
constexpr const auto& EnumNameTable(DeliveryState) {
    return kDeliveryStateNames;
}

/// What was told so far: the kinds emitted (or passed over) and the late or absent status the gateway
/// last heard, which a correction would contradict.
struct NotifyState {
    std::uint32_t sent = 0;
    std::optional<DayStatus> reported;
};

/// The row as the school sees it now: the override's status when there is one (R19).
struct RowFacts {
    DayStatus status = DayStatus::kPending;
    bool has_in = false;
    bool punched = false;  ///< the person has a punch on the day, even one the rules left out (R11)
};

struct Notification {
    EventKind kind = EventKind::kArrival;
    std::optional<DayStatus> previous;  ///< for a correction: what the gateway had been told
};

struct NotifyDecision {
    std::vector<Notification> events;
    NotifyState next;
};

/// The events one recomputation of a row causes. Pending is never announced, not even as a correction: the
/// gateway hears of the row again once it is decided. Nobody who punched that day is announced absent. `fresh` is false
/// for days too old to announce: their arrival, late and absent are recorded as passed over (never sent later), but a
/// correction of something already told is always sent. A pure function, so the same inputs always give the same
/// events. `absent_fresh` is the same for absences, which may become final only after midnight (no start time set, or a
/// device heard from late), so the caller allows them a day more.
NotifyDecision DecideNotifications(const NotifyState& before, const RowFacts& now, bool fresh, bool absent_fresh);
inline NotifyDecision DecideNotifications(const NotifyState& before, const RowFacts& now, bool fresh) {
    return DecideNotifications(before, now, fresh, fresh);
}

}  // namespace rollcall::domain
