#include "service/audit.hpp"

#include <boost/json.hpp>

namespace rollcall::service {
namespace {

namespace json = boost::json;

json::value OptDate(const std::optional<core::Date>& d) {
    return d ? json::value(core::FormatDate(*d)) : json::value(nullptr);
}

json::value OptTime(const std::optional<std::int32_t>& t) {
    return t ? json::value(core::FormatTimeOfDay(*t)) : json::value(nullptr);
}

}  // namespace

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

std::string SchoolAuditJson(const storage::School& school) {
    return json::serialize(json::object{{"name", school.name}, {"timezone", school.timezone}});
}

std::string DeviceAuditJson(const storage::Device& d) {
    return json::serialize(json::object{{"name", d.name},
                                        {"sync_mode", core::NameOf(d.sync_mode)},
                                        {"direction", core::NameOf(d.direction)},
                                        {"status", core::NameOf(d.status)},
                                        {"ip", d.ip},
                                        {"port", d.port},
                                        {"serial", d.serial},
                                        {"timezone", d.timezone}});
}

std::string PersonAuditJson(const storage::Person& p) {
    return json::serialize(json::object{{"name", p.name},
                                        {"kind", core::NameOf(p.kind)},
                                        {"external_id", p.external_id},
                                        {"group", p.group},
                                        {"active_from", OptDate(p.active_from)},
                                        {"active_to", OptDate(p.active_to)}});
}

std::string MappingAuditJson(const storage::Mapping& m) {
    return json::serialize(json::object{{"user_id", m.user_id},
                                        {"person_id", m.person_id},
                                        {"device_id", m.device_id ? json::value(*m.device_id) : json::value(nullptr)}});
}

std::string OverrideAuditJson(const storage::Override& o) {
    return json::serialize(json::object{{"person_id", o.person_id},
                                        {"date", core::FormatDate(o.date)},
                                        {"status", core::NameOf(o.status)},
                                        {"in_time", OptTime(o.in_time)},
                                        {"out_time", OptTime(o.out_time)},
                                        {"reason", o.reason}});
}

std::string ClockCorrectionAuditJson(const storage::ClockCorrection& c) {
    return json::serialize(json::object{{"device_id", c.device_id},
                                        {"from", core::FormatLocalDateTime(c.from)},
                                        {"to", core::FormatLocalDateTime(c.to)},
                                        {"offset_seconds", c.offset_seconds},
                                        {"reason", c.reason}});
}

std::string HolidayAuditJson(const storage::Holiday& h) {
    return json::serialize(json::object{{"date", core::FormatDate(h.date)}, {"name", h.name}});
}

std::string WebhookAuditJson(const storage::Webhook& w) {
    json::array events;
    for (const auto& e : w.events) {
        events.emplace_back(e);
    }
    return json::serialize(json::object{{"url", w.url}, {"events", std::move(events)}});
}

std::string SettingsAuditJson(const std::string& scope, const std::string& settings_json) {
    return json::serialize(
        json::object{{"scope", scope.empty() ? "school" : scope}, {"settings", json::parse(settings_json)}});
}

std::string RangeAuditJson(core::Date from, core::Date to) {
    return json::serialize(json::object{{"from", core::FormatDate(from)}, {"to", core::FormatDate(to)}});
}

}  // namespace rollcall::service
