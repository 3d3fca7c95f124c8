#pragma once

// The JSON shapes of the wider views of the register (docs/api.md "Reports", "Register" and "Settings"): the monthly
// register's grid, the daily counts of the Today screen's trend, and the settings preview. Like wire/register.hpp,
// the converters live in the views' namespace, where `json::value_from` finds them.

#include "service/attendance.hpp"
#include "service/month_register.hpp"
#include "service/reports.hpp"
#include "wire/records.hpp"

namespace rollcall::service {

/// Every status by name with its count: {"present": 3, "late": 1, ..., "not_tracked": 0}.
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const StatusCounts& c);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const MonthRegister& m);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const TrendDay& d);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const SettingsPreview& p);

}  // namespace rollcall::service
