#include "service/audit.hpp"

#include <boost/json.hpp>

namespace rollcall::service {
namespace {

namespace json = boost::json;

json::value OptDate(const std::optional<core::Date>& d) {
    return d ? json::value(core::FormatDate(*d)) : json::value(nullptr);
}

}  // namespace

std::string SchoolAuditJson(const storage::School& school) {
    return json::serialize(json::object{{"name", school.name}, {"timezone", school.timezone}});
}

std::string DeviceAuditJson(const storage::Device& d) {
    return json::serialize(json::object{{"name", d.name},
                                        {"sync_mode", d.sync_mode},
                                        {"direction", d.direction},
                                        {"status", d.status},
                                        {"ip", d.ip},
                                        {"port", d.port},
                                        {"serial", d.serial},
                                        {"timezone", d.timezone}});
}

std::string PersonAuditJson(const storage::Person& p) {
    return json::serialize(json::object{{"name", p.name},
                                        {"kind", p.kind},
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
