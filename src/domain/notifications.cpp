#include "domain/notifications.hpp"

namespace rollcall::domain {
namespace {

bool Has(std::uint32_t bits, EventKind kind) {
    return (bits & static_cast<std::uint32_t>(kind)) != 0;
}

void Set(std::uint32_t& bits, EventKind kind) {
    bits |= static_cast<std::uint32_t>(kind);
}

}  // namespace

NotifyDecision DecideNotifications(const NotifyState& before, const RowFacts& now, bool fresh, bool absent_fresh) {
    NotifyDecision d;
    d.next = before;
    auto& next = d.next;
    // Not decided yet (a removed override, an admin's change of the past): say nothing until it is.
    if (now.status == DayStatus::kPending) {
        return d;
    }
    // A late or absent the gateway heard no longer holds: say so once (R17 turns absent into late).
    if (before.reported && now.status != *before.reported) {
        if (!Has(next.sent, EventKind::kCorrection)) {
            d.events.push_back({EventKind::kCorrection, before.reported});
            Set(next.sent, EventKind::kCorrection);
        }
        next.reported = now.status;
        // The correction carries the new status and IN time; announcing them again would say it twice.
        Set(next.sent, EventKind::kArrival);
        if (now.status == DayStatus::kLate) {
            Set(next.sent, EventKind::kLate);
        }
        if (now.status == DayStatus::kAbsent) {
            Set(next.sent, EventKind::kAbsent);
        }
        return d;
    }
    auto announce = [&](EventKind kind, bool reports) {
        Set(next.sent, kind);
        if (kind == EventKind::kAbsent ? absent_fresh : fresh) {
            d.events.push_back({kind, std::nullopt});
            if (reports) {
                next.reported = now.status;
            }
        }
    };
    const bool arrived = now.has_in && (now.status == DayStatus::kPresent || now.status == DayStatus::kLate);
    if (arrived && !Has(next.sent, EventKind::kArrival)) {
        announce(EventKind::kArrival, false);
    }
    if (now.status == DayStatus::kLate && !Has(next.sent, EventKind::kLate) && !next.reported) {
        announce(EventKind::kLate, true);
    }
    // The engine says absent only once the day is final (R16); an admin's override says it outright.
    // Someone who punched came, whatever the rules made of the punch (R11 outside_window): never "absent".
    if (now.status == DayStatus::kAbsent && !now.punched && !Has(next.sent, EventKind::kAbsent) && !next.reported) {
        announce(EventKind::kAbsent, true);
    }
    return d;
}

}  // namespace rollcall::domain
