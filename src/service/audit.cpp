#include "service/audit.hpp"

#include "service/time_zone.hpp"
#include "wire/records.hpp"

#include <algorithm>

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
    audit.by = principal.email;
    audit.at = at;
    audit.action = action;
    audit.entity = std::move(entity);
    return audit;
}

namespace {

/// The values a line names its object by: what it became, else what it was (a deletion keeps only that).
json::object ValuesOf(const storage::AuditEntry& line) {
    const auto& text = line.new_value.empty() ? line.old_value : line.new_value;
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    return !ec && v.is_object() ? std::move(v.as_object()) : json::object{};
}

std::string Field(const json::object& values, std::string_view key) {
    const auto* v = values.if_contains(key);
    if (v == nullptr || v->is_null()) {
        return "";
    }
    return v->is_string() ? std::string(v->as_string()) : json::serialize(*v);
}

/// `about` when the writer knew it, else the kind and id the values hold ("person 3").
std::string Named(std::string_view about, std::string_view kind, const std::string& id) {
    return about.empty() ? std::string(kind) + " " + id : std::string(about);
}

/// A settings scope as an admin says it: "the school", "staff", "students", "group 5A" (R21).
std::string ScopeLabel(const std::string& scope) {
    if (scope.empty() || scope == "school") {
        return "the school";
    }
    if (scope.starts_with("group:")) {
        return "group " + scope.substr(6);
    }
    if (scope.starts_with("kind:")) {
        const auto kind = scope.substr(5);
        return kind == "student" ? std::string("students") : kind;
    }
    return scope;
}

}  // namespace

std::string AuditLabel(const storage::AuditEntry& line, std::string_view about) {
    const auto values = ValuesOf(line);
    const auto& e = line.entity;
    const auto id = std::to_string(line.entity_id);
    if (e == "person" || e == "device" || e == "school") {
        // A device's token rotation keeps no values: its writer names the device.
        return values.contains("name") ? Field(values, "name") : Named(about, e, id);
    }
    if (e == "user") {
        // A password's change keeps no values: its writer names the user.
        return values.contains("email") ? Field(values, "email") : Named(about, e, id);
    }
    if (e == "holiday") {
        return Field(values, "name") + " (" + Field(values, "date") + ")";
    }
    if (e == "webhook") {
        return Field(values, "url");
    }
    if (e == "settings") {
        return ScopeLabel(Field(values, "scope"));
    }
    if (e == "override") {
        return Named(about, "person", Field(values, "person_id")) + ", " + Field(values, "date");
    }
    if (e == "mapping") {
        const auto device = Field(values, "device_id");
        return Named(about, "person", Field(values, "person_id")) + " (user " + Field(values, "user_id") +
               (device.empty() ? "" : " on device " + device) + ")";
    }
    if (e == "clock_correction") {
        return Named(about, "device", Field(values, "device_id")) + ", " + Field(values, "from") + " to " +
               Field(values, "to");
    }
    if (e == "day") {
        return Field(values, "date");
    }
    if (e == "days") {
        return Field(values, "from") + " to " + Field(values, "to");
    }
    if (e == "agent_token") {  // its id is all it has, known once stored: the label is read from it
        return line.entity_id != 0 ? "agent token " + id : "";
    }
    return std::string(about);
}

void Label(storage::AuditEntry& line, std::string_view about) {
    line.label = AuditLabel(line, about);
    // A mapping or an override names its person by id: the line is about that person.
    if (const auto values = ValuesOf(line); values.contains("person_id") && values.at("person_id").is_int64()) {
        line.person_id = values.at("person_id").as_int64();
    }
}

void Label(storage::AuditEntry& line, const storage::Person& person) {
    Label(line, person.name);
    if (line.entity == "person" && person.id != 0) {  // a person being created gets their id from the store
        line.person_id = person.id;
    }
}

core::Result<std::vector<storage::AuditEntry>> ReadAuditTrail(storage::Store& store,
                                                              std::int64_t school_id,
                                                              const AuditQuery& query) {
    storage::AuditFilter filter;
    if (query.entity) {
        if (std::find(kAuditEntities.begin(), kAuditEntities.end(), *query.entity) == kAuditEntities.end()) {
            std::string known;
            for (const auto e : kAuditEntities) {
                known.append(known.empty() ? "" : ", ").append(e);
            }
            return core::MakeError(core::Errc::kInvalidArgument, "entity: one of " + known);
        }
        filter.entity = query.entity;
    }
    if (query.limit < 1 || query.limit > kAuditMaxLines) {
        return core::MakeError(core::Errc::kInvalidArgument, "limit: from 1 to " + std::to_string(kAuditMaxLines));
    }
    filter.limit = query.limit;
    filter.person_id = query.person_id;
    if (query.from && query.to && query.to->days < query.from->days) {
        return core::MakeError(core::Errc::kInvalidArgument, "to: must be on or after from");
    }
    if (query.from || query.to) {
        // The days are the school's (R5): a change at 23:30 UTC in Nairobi was made on the next day there. The
        // server's own trail belongs to no school, and its days are UTC.
        std::string zone = "UTC";
        if (school_id != kServerTrail) {
            ROLLCALL_TRY(const auto school, store.GetSchool(school_id));
            zone = school.timezone;
        }
        if (query.from) {
            ROLLCALL_TRY(filter.from, ToUnix(zone, core::AtTime(*query.from, 0)));
        }
        if (query.to) {
            ROLLCALL_TRY(filter.until, ToUnix(zone, core::AtTime(core::Date{query.to->days + 1}, 0)));
        }
    }
    ROLLCALL_TRY(auto lines, store.ListAudit(school_id, filter));
    for (auto& line : lines) {
        if (line.label.empty()) {
            line.label = AuditLabel(line);
        }
    }
    return lines;
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
