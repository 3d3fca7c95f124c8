#include "wire/live_events.hpp"

#include "wire/register.hpp"

namespace rollcall::wire {

namespace json = boost::json;

void tag_invoke(json::value_from_tag, json::value& out, const PunchEvent& e) {
    const auto& b = e.batch;
    json::array punches;
    punches.reserve(b.punches.size());
    for (std::size_t i = 0; i < b.punches.size(); ++i) {
        const auto& p = b.punches[i];
        const auto& person = i < e.people.size() ? e.people[i] : std::nullopt;
        punches.push_back(json::object{
            {"user_id", p.user_id},
            {"person_id", person ? json::value(person->id) : json::value(nullptr)},
            {"person_name", person ? json::value(person->name) : json::value(nullptr)},
            {"kind", person ? json::value(TextOf(person->kind)) : json::value(nullptr)},
            {"group", person ? json::value(person->group) : json::value(nullptr)},
            {"timestamp", core::FormatLocalDateTime(p.timestamp)},
            {"status", OptValue(p.status)},
            {"verify", OptValue(p.verify)},
            {"duplicate", p.duplicate},
        });
    }
    out = {{"device_id", b.device_id},
           {"device_name", e.device_name},
           {"source", b.source},
           {"received_at", core::FormatUnixUtc(b.received_at)},
           {"received", b.received},
           {"inserted", b.inserted},
           {"duplicates", b.duplicates},
           {"rejected", b.rejected},
           {"punches", std::move(punches)},
           {"omitted", b.omitted}};
}

void tag_invoke(json::value_from_tag, json::value& out, const RegisterEvent& e) {
    out = {{"date", core::FormatDate(e.date)}, {"person_ids", json::value_from(e.person_ids)}};
}

void tag_invoke(json::value_from_tag, json::value& out, const DeviceEvent& e) {
    out = {{"change", e.change},
           {"device_id", e.device_id},
           {"device", e.device ? json::value_from(*e.device) : json::value(nullptr)}};
}

}  // namespace rollcall::wire
