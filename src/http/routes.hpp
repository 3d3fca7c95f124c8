#pragma once

// The route tables, one per area of docs/api.md; Api registers them in this order. Each lives in its
// *_routes.cpp file: the table first, then the handlers it names.

#include "http/api.hpp"
#include "service/audit.hpp"

#include <string>
#include <vector>

namespace rollcall::http {

/// Every school-scoped admin route starts with this; Api checks the caller's access to the school.
inline const std::string kSchoolPath = "/api/v1/schools/{school_id}";

std::vector<Route> ProbeRoutes();   ///< /healthz, /metrics (api.cpp)
std::vector<Route> DeviceRoutes();  ///< push-log (device_routes.cpp)
std::vector<Route> AdminRoutes();   ///< login, schools, devices, people, mappings (admin_routes.cpp)
std::vector<Route> UserRoutes();    ///< users, passwords, a school's name and status (user_routes.cpp)
std::vector<Route>
AttendanceRoutes();                  ///< settings, calendar, corrections, overrides, register (attendance_routes.cpp)
std::vector<Route> ReportRoutes();   ///< reports (report_routes.cpp)
std::vector<Route> WebhookRoutes();  ///< webhooks and re-processing (webhook_routes.cpp)
std::vector<Route> AgentRoutes();    ///< the agent's routes and its tokens (agent_routes.cpp)
std::vector<Route> TerminalUserRoutes();  ///< terminals' user tables, suggestions (terminal_user_routes.cpp)
std::vector<Route> EventRoutes();         ///< the live event stream, push troubleshooting (event_routes.cpp)

/// R19: what `GET audit` asks, from ?entity=, ?person_id=, ?from= and ?to= (days) and ?limit=; the school's trail
/// and the server's own read it alike (attendance_routes.cpp).
core::Result<service::AuditQuery> AuditQueryOf(const Call& call);

}  // namespace rollcall::http
