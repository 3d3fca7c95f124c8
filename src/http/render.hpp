#pragma once

#include "http/json_util.hpp"
#include "service/attendance.hpp"

namespace rollcall::http {

/// JSON shapes of the admin API (docs/api.md "Admin side").
json::object RenderSchool(const storage::School& s);
json::object RenderDevice(const storage::Device& d);
json::object RenderDeviceStatus(const storage::DeviceStatus& s);
json::object RenderPerson(const storage::Person& p);
json::object RenderMapping(const storage::Mapping& m);
json::object RenderDeviceUser(const storage::DeviceUser& u);
json::object RenderHoliday(const storage::Holiday& h);
json::object RenderPunch(const storage::StoredPunch& p);
json::object RenderOverride(const storage::Override& o);
json::object RenderAudit(const storage::AuditEntry& a);
json::object RenderClockCorrection(const storage::ClockCorrection& c);
json::object RenderRegister(const service::Register& reg);
json::object RenderExplanation(const service::Explanation& e);

}  // namespace rollcall::http
