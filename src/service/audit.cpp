#include "service/audit.hpp"

#include "wire/records.hpp"

#include <boost/json.hpp>

namespace rollcall::service {
namespace json = boost::json;

storage::AuditEntry AuditOf(const Principal& principal,
                            std::int64_t school_id,
                            std::int64_t at,
                            domain::AuditAction action,
                            std::string entity) {
    storage::AuditEntry audit;
    audit.school_id = school_id;
    audit.user_id = principal.user_id;
    audit.at = at;
    audit.action = action;
    audit.entity = std::move(entity);
    return audit;
}

// What the trail keeps of a record is its API shape (wire/records.hpp) less what the record's own row already
// says (its id, school, creation) and what must not be copied about (a device's comm key, a webhook's secret).

std::string SchoolAuditJson(const storage::School& school) {
    return json::serialize(wire::Pick(school, {"name", "timezone", "status"}));
}

std::string UserAuditJson(const storage::User& user) {
    return json::serialize(wire::Pick(user, {"email", "role", "school_id", "status"}));
}

std::string DeviceAuditJson(const storage::Device& d) {
    return json::serialize(
        wire::Pick(d, {"name", "sync_mode", "direction", "status", "ip", "port", "serial", "timezone"}));
}

std::string PersonAuditJson(const storage::Person& p) {
    return json::serialize(wire::Pick(p, {"name", "kind", "external_id", "group", "active_from", "active_to"}));
}

std::string MappingAuditJson(const storage::Mapping& m) {
    return json::serialize(wire::Pick(m, {"user_id", "person_id", "device_id"}));
}

std::string OverrideAuditJson(const storage::Override& o) {
    return json::serialize(wire::Pick(o, {"person_id", "date", "status", "in_time", "out_time", "reason"}));
}

std::string ClockCorrectionAuditJson(const storage::ClockCorrection& c) {
    return json::serialize(wire::Pick(c, {"device_id", "from", "to", "offset_seconds", "reason"}));
}

std::string HolidayAuditJson(const storage::Holiday& h) {
    return json::serialize(wire::Pick(h, {"date", "name"}));
}

std::string WebhookAuditJson(const storage::Webhook& w) {
    return json::serialize(wire::Pick(w, {"url", "events"}));
}

std::string SettingsAuditJson(const std::string& scope, const std::string& settings_json) {
    return json::serialize(
        json::object{{"scope", scope.empty() ? "school" : scope}, {"settings", json::parse(settings_json)}});
}

std::string RangeAuditJson(core::Date from, core::Date to) {
    return json::serialize(json::object{{"from", core::FormatDate(from)}, {"to", core::FormatDate(to)}});
}

}  // namespace rollcall::service
