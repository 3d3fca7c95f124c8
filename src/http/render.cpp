#include "http/render.hpp"

#include <map>

namespace rollcall::http {
namespace {

json::value OptDate(const std::optional<core::Date>& d) {
    return d ? json::value(core::FormatDate(*d)) : json::value(nullptr);
}
json::value OptTime(const std::optional<std::int32_t>& t) {
    return t ? json::value(core::FormatTimeOfDay(*t)) : json::value(nullptr);
}
json::value OptUnix(const std::optional<std::int64_t>& t) {
    return t ? json::value(core::FormatUnixUtc(*t)) : json::value(nullptr);
}
json::value OptCode(const std::optional<std::int32_t>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

}  // namespace

json::object RenderSchool(const storage::School& s) {
    return {
        {"id", s.id}, {"name", s.name}, {"timezone", s.timezone}, {"created_at", core::FormatUnixUtc(s.created_at)}};
}

json::object RenderDevice(const storage::Device& d) {
    return {{"id", d.id},
            {"school_id", d.school_id},
            {"name", d.name},
            {"sync_mode", core::NameOf(d.sync_mode)},
            {"direction", core::NameOf(d.direction)},
            {"status", core::NameOf(d.status)},
            {"ip", d.ip},
            {"port", d.port},
            {"serial", d.serial},
            {"comm_key", d.comm_key},
            {"timezone", d.timezone.empty() ? json::value(nullptr) : json::value(d.timezone)},
            {"last_seen", OptUnix(d.last_seen)},
            {"created_at", core::FormatUnixUtc(d.created_at)}};
}

json::object RenderDeviceStatus(const storage::DeviceStatus& s) {
    auto opt = [](const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); };
    return {
        {"reachable", s.reachable},
        {"serial", s.serial},
        {"firmware", s.firmware},
        {"users", opt(s.users)},
        {"records", opt(s.records)},
        {"user_capacity", opt(s.user_capacity)},
        {"record_capacity", opt(s.record_capacity)},
        {"device_time", s.device_time ? json::value(core::FormatLocalDateTime(*s.device_time)) : json::value(nullptr)},
        {"clock_drift_seconds", opt(s.clock_drift_seconds)},
        {"read_through", OptUnix(s.read_through)},
        {"last_error", s.last_error},
        {"reported_at", core::FormatUnixUtc(s.reported_at)}};
}

json::object RenderDeviceView(const service::DeviceView& d) {
    auto obj = RenderDevice(d.device);
    obj["agent_status"] = d.agent_status ? json::value(RenderDeviceStatus(*d.agent_status)) : json::value(nullptr);
    return obj;
}

json::object RenderPerson(const storage::Person& p) {
    return {{"id", p.id},
            {"school_id", p.school_id},
            {"name", p.name},
            {"kind", core::NameOf(p.kind)},
            {"external_id", p.external_id},
            {"group", p.group},
            {"active_from", OptDate(p.active_from)},
            {"active_to", OptDate(p.active_to)}};
}

json::object RenderMapping(const storage::Mapping& m) {
    return {{"id", m.id},
            {"user_id", m.user_id},
            {"person_id", m.person_id},
            {"device_id", OptValue(m.device_id)},
            {"scope", m.device_id ? "device" : "school"}};
}

json::object RenderDeviceUser(const storage::DeviceUser& u) {
    return {{"device_id", u.device_id},
            {"user_id", u.user_id},
            {"name", u.name},
            {"punches", u.punches},
            {"first_seen", core::FormatLocalDateTime(u.first_seen)},
            {"last_seen", core::FormatLocalDateTime(u.last_seen)},
            {"person_id", OptValue(u.person_id)}};
}

json::object RenderUnmappedUser(const storage::DeviceUser& u) {
    return {{"device_id", u.device_id},
            {"user_id", u.user_id},
            {"punches", u.punches},
            {"first_seen", core::FormatLocalDateTime(u.first_seen)},
            {"last_seen", core::FormatLocalDateTime(u.last_seen)}};
}

json::object RenderHoliday(const storage::Holiday& h) {
    return {{"id", h.id}, {"date", core::FormatDate(h.date)}, {"name", h.name}};
}

json::object RenderPunch(const storage::StoredPunch& p) {
    return {{"device_id", p.device_id},
            {"user_id", p.user_id},
            {"timestamp", core::FormatLocalDateTime(p.timestamp)},
            {"status", OptCode(p.status)},
            {"verify", OptCode(p.verify)},
            {"source", p.source},
            {"received_at", core::FormatUnixUtc(p.received_at)},
            {"batch_id", p.batch_id}};
}

json::object RenderOverride(const storage::Override& o) {
    return {{"id", o.id},
            {"person_id", o.person_id},
            {"date", core::FormatDate(o.date)},
            {"status", core::NameOf(o.status)},
            {"in_time", OptTime(o.in_time)},
            {"out_time", OptTime(o.out_time)},
            {"reason", o.reason},
            {"created_by", o.created_by},
            {"created_at", core::FormatUnixUtc(o.created_at)}};
}

json::object RenderClockCorrection(const storage::ClockCorrection& c) {
    return {{"id", c.id},
            {"device_id", c.device_id},
            {"from", core::FormatLocalDateTime(c.from)},
            {"to", core::FormatLocalDateTime(c.to)},
            {"offset_seconds", c.offset_seconds},
            {"reason", c.reason},
            {"created_by", c.created_by},
            {"created_at", core::FormatUnixUtc(c.created_at)}};
}

json::object RenderAudit(const storage::AuditEntry& a) {
    auto parsed = [](const std::string& text) { return text.empty() ? json::value(nullptr) : json::parse(text); };
    return {{"id", a.id},
            {"user_id", a.user_id},
            {"at", core::FormatUnixUtc(a.at)},
            {"action", core::NameOf(a.action)},
            {"entity", a.entity},
            {"entity_id", a.entity_id},
            {"old", parsed(a.old_value)},
            {"new", parsed(a.new_value)},
            {"reason", a.reason}};
}

namespace {

/// The override, with the computed values it hides kept beside it (R19).
json::value OverrideWithComputed(const std::optional<storage::Override>& o, const domain::DayResult& computed) {
    if (!o) {
        return nullptr;
    }
    auto out = RenderOverride(*o);
    out["computed"] = json::object{{"status", domain::DayStatusName(computed.status)},
                                   {"in_time", OptTime(computed.in_time)},
                                   {"out_time", OptTime(computed.out_time)},
                                   {"late_minutes", computed.late_minutes},
                                   {"status_rule", computed.status_rule}};
    return out;
}

}  // namespace

json::object RenderRegister(const service::Register& reg) {
    json::array rows;
    std::map<std::string, std::int64_t> counts;
    std::map<std::string, std::map<std::string, std::int64_t>> group_counts;  // "kind/group" -> status -> n
    for (const auto& row : reg.rows) {
        const auto& r = row.result;
        const auto& o = row.override_row;
        json::array flags;
        for (const auto& f : r.flags) {
            flags.emplace_back(f);
        }
        // R14.1: an override's status wins; its times replace the computed ones where it gives them.
        const auto shown = service::ShowRow(row);
        const std::string status(core::NameOf(shown.status));
        const std::string kind(core::NameOf(row.person.kind));
        ++counts[status];
        ++group_counts[kind + "/" + row.person.group][status];
        rows.push_back(json::object{{"person_id", row.person.id},
                                    {"name", row.person.name},
                                    {"kind", kind},
                                    {"group", row.person.group},
                                    {"status", status},
                                    {"in_time", OptTime(shown.in_time)},
                                    {"out_time", OptTime(shown.out_time)},
                                    {"late_minutes", shown.late_minutes},
                                    {"flags", std::move(flags)},
                                    {"status_rule", o ? std::string("R14.1") : r.status_rule},
                                    {"override", OverrideWithComputed(o, r)}});
    }
    json::object count_obj;
    for (const auto& [k, v] : counts) {
        count_obj[k] = v;
    }
    json::array groups;
    for (const auto& [key, statuses] : group_counts) {
        json::object c;
        std::int64_t total = 0;
        for (const auto& [status, n] : statuses) {
            c[status] = n;
            total += n;
        }
        const auto slash = key.find('/');
        groups.push_back(json::object{{"kind", key.substr(0, slash)},
                                      {"group", key.substr(slash + 1)},
                                      {"total", total},
                                      {"counts", std::move(c)}});
    }
    json::array warnings;
    if (!reg.start_time_set) {
        warnings.emplace_back("no school start time is set: nobody is marked late (R15)");
    }
    json::array silent;
    for (const auto& d : reg.silent_devices) {
        silent.push_back(json::object{{"id", d.id}, {"name", d.name}, {"last_seen", OptUnix(d.last_seen)}});
        if (reg.cutoff_passed && !reg.finalized_by_admin) {
            warnings.emplace_back("absences stay pending: device '" + d.name +
                                  "' has not been heard from since the "
                                  "cutoff (R16)");
        }
    }
    return {{"date", core::FormatDate(reg.date)},
            {"final", reg.final},
            {"finalized_by_admin", reg.finalized_by_admin},
            {"counts", std::move(count_obj)},
            {"groups", std::move(groups)},
            {"silent_devices", std::move(silent)},
            {"warnings", std::move(warnings)},
            {"rows", std::move(rows)}};
}

json::object RenderExplanation(const service::Explanation& e) {
    json::array punches;
    for (std::size_t i = 0; i < e.punches.size(); ++i) {
        const auto& p = e.punches[i];
        const auto& v = e.result.explain[i];
        punches.push_back(json::object{
            {"device_id", p.device_id},
            {"user_id", p.user_id},
            {"timestamp", core::FormatLocalDateTime(p.timestamp)},
            {"direction", domain::PunchDirectionName(v.direction)},
            {"used_as", v.used_as ? json::value(domain::PunchDirectionName(*v.used_as)) : json::value(nullptr)},
            {"rule", v.rule},
            {"note", v.note}});
    }
    const auto& o = e.override_row;
    return {{"punches", std::move(punches)},
            {"status", core::NameOf(o ? o->status : e.result.status)},
            {"status_rule", o ? std::string("R14.1") : e.result.status_rule},
            {"override", OverrideWithComputed(o, e.result)}};
}

json::object RenderAgentToken(const storage::AgentToken& t) {
    return {{"id", t.id}, {"created_at", core::FormatUnixUtc(t.created_at)}, {"revoked_at", OptUnix(t.revoked_at)}};
}

json::object RenderWebhook(const storage::Webhook& w) {
    json::array events;
    for (const auto& e : w.events) {
        events.emplace_back(e);
    }
    return {{"id", w.id},
            {"url", w.url},
            {"events", std::move(events)},
            {"active", w.active},
            {"created_at", core::FormatUnixUtc(w.created_at)}};
}

json::object RenderDelivery(const storage::WebhookDelivery& d) {
    return {{"id", d.id},
            {"webhook_id", d.webhook_id},
            {"event", d.event},
            {"person_id", d.person_id},
            {"date", core::FormatDate(d.date)},
            {"state", core::NameOf(d.state)},
            {"attempts", d.attempts},
            {"next_attempt_at",
             d.state == domain::DeliveryState::kPending ? OptUnix(d.next_attempt_at) : json::value(nullptr)},
            {"last_status", d.last_status},
            {"last_error", d.last_error},
            {"created_at", core::FormatUnixUtc(d.created_at)},
            {"delivered_at", OptUnix(d.delivered_at)},
            {"payload", json::parse(d.payload)}};
}

}  // namespace rollcall::http
