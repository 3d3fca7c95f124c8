#pragma once

// The use cases, one service per aggregate. Every school-scoped call takes the school id and the store filters
// on it; the HTTP layer checks the caller's access to that school first (Principal::RequireSchool). A call that
// changes school data takes the Principal making the change, for its audit line (R19), written with the change.

#include "auth/crypto.hpp"
#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "domain/punch.hpp"
#include "service/accounts.hpp"
#include "service/agents.hpp"
#include "service/attendance.hpp"
#include "service/calendar.hpp"
#include "service/devices.hpp"
#include "service/ingest.hpp"
#include "service/people.hpp"
#include "service/recompute_window.hpp"
#include "service/reports.hpp"
#include "service/terminal_users.hpp"
#include "service/webhooks.hpp"
#include "storage/store.hpp"

#include <cstddef>
#include <cstdint>

namespace rollcall::service {

struct ServiceConfig {
    auth::PasswordCost password_cost;
    std::int64_t session_ttl_seconds = std::int64_t{12} * 3600;
    domain::RecordLimits record_limits;
    std::size_t max_records = 5000;
    std::size_t max_terminal_users = 30000;    ///< agent.max_terminal_users: of one terminal's user table
    std::size_t max_webhooks = 10;             ///< per school
    std::size_t unknown_token_sources = 1000;  ///< push.unknown_token_sources
    RecomputeLimits recompute;                 ///< R4, R18: corrections' spans, settings' dates, the reprocess window
};

/// Every service, wired to one store: what the composition root hands the HTTP layer and the command line.
struct Services {
    Services(storage::Store& store,
             const auth::Crypto& crypto,
             const core::Clock& clock,
             core::Metrics& metrics,
             const ServiceConfig& config);
    Services(const Services&) = delete;
    Services& operator=(const Services&) = delete;

    Accounts accounts;
    Devices devices;
    Agents agents;
    People people;
    Calendar calendar;
    Attendance attendance;
    Ingest ingest;
    Webhooks webhooks;
    Reports reports;               ///< reads through accounts, people, attendance, devices and calendar
    TerminalUsers terminal_users;  ///< terminals' user tables and mapping suggestions; maps through people
};

}  // namespace rollcall::service
