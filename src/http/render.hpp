#pragma once

#include "http/json_util.hpp"
#include "service/attendance.hpp"
#include "service/devices.hpp"
#include "service/webhooks.hpp"

namespace rollcall::http {

/// JSON shapes of the admin API (docs/api.md "Admin side").
json::object RenderSchool(const storage::School& s);
json::object RenderDevice(const storage::Device& d);
json::object RenderDeviceStatus(const storage::DeviceStatus& s);
/// A device with what its agent last reported about it (`agent_status`, null for a device in push mode).
json::object RenderDeviceView(const service::DeviceView& d);
json::object RenderPerson(const storage::Person& p);
json::object RenderMapping(const storage::Mapping& m);
json::object RenderDeviceUser(const storage::DeviceUser& u);
/// A user id of the unmapped inbox (R7): a device user without its name and person.
json::object RenderUnmappedUser(const storage::DeviceUser& u);
json::object RenderHoliday(const storage::Holiday& h);
json::object RenderPunch(const storage::StoredPunch& p);
json::object RenderOverride(const storage::Override& o);
json::object RenderAudit(const storage::AuditEntry& a);
json::object RenderClockCorrection(const storage::ClockCorrection& c);
json::object RenderRegister(const service::Register& reg);
json::object RenderExplanation(const service::Explanation& e);
json::object RenderAgentToken(const storage::AgentToken& t);
json::object RenderWebhook(const storage::Webhook& w);
json::object RenderDelivery(const storage::WebhookDelivery& d);

}  // namespace rollcall::http
