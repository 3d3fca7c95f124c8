#pragma once

// The JSON shapes of the views the services compose from several records: the register of a day with its
// counts and warnings, the explanation of one row, and a device with its agent's last report (docs/api.md
// "Register" and "Devices"). Like wire/records.hpp, the converters live in the views' namespace, where
// `json::value_from` finds them.

#include "service/attendance.hpp"
#include "service/devices.hpp"
#include "wire/records.hpp"

namespace rollcall::service {

void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const Register& reg);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const Explanation& e);
/// A device with what its agent last reported about it (`agent_status`, null for a device in push mode).
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const DeviceView& d);
/// A device's last refused push (`last_refused` of a device).
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const RefusedPush& r);
/// The pushes with unknown tokens from one address (GET unknown-pushes).
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const UnknownPushSource& s);

}  // namespace rollcall::service
