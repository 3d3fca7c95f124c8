#include "wire/records.hpp"

namespace rollcall::storage {

namespace json = boost::json;
using wire::OptDateValue;
using wire::OptTimeValue;
using wire::OptUtcValue;
using wire::OptValue;
using wire::TextOf;

void tag_invoke(json::value_from_tag, json::value& out, const School& s) {
    out = {{"id", s.id},
           {"name", s.name},
           {"timezone", s.timezone},
           {"status", TextOf(s.status)},
           {"created_at", core::FormatUnixUtc(s.created_at)}};
}

void tag_invoke(json::value_from_tag, json::value& out, const User& u) {
    out = {{"id", u.id},
           {"email", u.email},
           {"role", TextOf(u.role)},
           {"school_id", OptValue(u.school_id)},
           {"status", TextOf(u.status)}};
}

void tag_invoke(json::value_from_tag, json::value& out, const Device& d) {
    out = {{"id", d.id},
           {"school_id", d.school_id},
           {"name", d.name},
           {"sync_mode", TextOf(d.sync_mode)},
           {"direction", TextOf(d.direction)},
           {"status", TextOf(d.status)},
           {"ip", d.ip},
           {"port", d.port},
           {"serial", d.serial},
           {"comm_key", d.comm_key},
           // "" in the record is "the school's zone" (R5), which the API says as null.
           {"timezone", d.timezone.empty() ? json::value(nullptr) : json::value(d.timezone)},
           {"last_seen", OptUtcValue(d.last_seen)},
           {"created_at", core::FormatUnixUtc(d.created_at)}};
}

void tag_invoke(json::value_from_tag, json::value& out, const DeviceStatus& s) {
    out = {
        {"reachable", s.reachable},
        {"serial", s.serial},
        {"firmware", s.firmware},
        {"users", OptValue(s.users)},
        {"records", OptValue(s.records)},
        {"user_capacity", OptValue(s.user_capacity)},
        {"record_capacity", OptValue(s.record_capacity)},
        {"device_time", s.device_time ? json::value(core::FormatLocalDateTime(*s.device_time)) : json::value(nullptr)},
        {"clock_drift_seconds", OptValue(s.clock_drift_seconds)},
        {"read_through", OptUtcValue(s.read_through)},
        {"last_error", s.last_error},
        {"reported_at", core::FormatUnixUtc(s.reported_at)}};
}

void tag_invoke(json::value_from_tag, json::value& out, const Person& p) {
    out = {{"id", p.id},
           {"school_id", p.school_id},
           {"name", p.name},
           {"kind", TextOf(p.kind)},
           {"external_id", p.external_id},
           {"group", p.group},
           {"active_from", OptDateValue(p.active_from)},
           {"active_to", OptDateValue(p.active_to)}};
}

void tag_invoke(json::value_from_tag, json::value& out, const Mapping& m) {
    out = {{"id", m.id},
           {"user_id", m.user_id},
           {"person_id", m.person_id},
           {"device_id", OptValue(m.device_id)},
           {"scope", m.device_id ? "device" : "school"}};
}

namespace {

json::value OptLocalValue(const std::optional<core::LocalDateTime>& t) {
    return t ? json::value(core::FormatLocalDateTime(*t)) : json::value(nullptr);
}

}  // namespace

void tag_invoke(json::value_from_tag, json::value& out, const DeviceUser& u) {
    out = {{"device_id", u.device_id},
           {"user_id", u.user_id},
           {"name", u.name},
           {"punches", u.punches},
           {"first_seen", OptLocalValue(u.first_seen)},
           {"last_seen", OptLocalValue(u.last_seen)},
           {"person_id", OptValue(u.person_id)},
           {"in_terminal", u.in_terminal},
           // A card number of 0 is the terminal's "no card".
           {"card", u.in_terminal && u.card != 0 ? json::value(u.card) : json::value(nullptr)},
           {"privilege", u.in_terminal ? json::value(u.privilege) : json::value(nullptr)}};
}

void tag_invoke(json::value_from_tag, json::value& out, const Holiday& h) {
    out = {{"id", h.id}, {"date", core::FormatDate(h.date)}, {"name", h.name}};
}

void tag_invoke(json::value_from_tag, json::value& out, const StoredPunch& p) {
    out = {{"device_id", p.device_id},
           {"user_id", p.user_id},
           {"timestamp", core::FormatLocalDateTime(p.timestamp)},
           {"status", OptValue(p.status)},
           {"verify", OptValue(p.verify)},
           {"source", TextOf(p.source)},
           {"received_at", core::FormatUnixUtc(p.received_at)},
           {"batch_id", p.batch_id}};
}

void tag_invoke(json::value_from_tag, json::value& out, const Override& o) {
    out = {{"id", o.id},
           {"person_id", o.person_id},
           {"date", core::FormatDate(o.date)},
           {"status", TextOf(o.status)},
           {"in_time", OptTimeValue(o.in_time)},
           {"out_time", OptTimeValue(o.out_time)},
           {"reason", o.reason},
           {"created_by", o.created_by},
           {"created_at", core::FormatUnixUtc(o.created_at)}};
}

void tag_invoke(json::value_from_tag, json::value& out, const ClockCorrection& c) {
    out = {{"id", c.id},
           {"device_id", c.device_id},
           {"from", core::FormatLocalDateTime(c.from)},
           {"to", core::FormatLocalDateTime(c.to)},
           {"offset_seconds", c.offset_seconds},
           {"reason", c.reason},
           {"created_by", c.created_by},
           {"created_at", core::FormatUnixUtc(c.created_at)}};
}

void tag_invoke(json::value_from_tag, json::value& out, const AuditEntry& a) {
    // The snapshots are stored as the JSON text they were written as; "" is "none".
    auto parsed = [](const std::string& text) { return text.empty() ? json::value(nullptr) : json::parse(text); };
    out = {{"id", a.id},
           {"user_id", a.user_id},
           {"at", core::FormatUnixUtc(a.at)},
           {"action", TextOf(a.action)},
           {"entity", a.entity},
           {"entity_id", a.entity_id},
           {"old", parsed(a.old_value)},
           {"new", parsed(a.new_value)},
           {"reason", a.reason},
           {"by", a.by},
           {"label", a.label},
           {"person_id", a.person_id ? json::value(*a.person_id) : json::value(nullptr)}};
}

void tag_invoke(json::value_from_tag, json::value& out, const AgentToken& t) {
    out = {{"id", t.id}, {"created_at", core::FormatUnixUtc(t.created_at)}, {"revoked_at", OptUtcValue(t.revoked_at)}};
}

void tag_invoke(json::value_from_tag, json::value& out, const Webhook& w) {
    out = {{"id", w.id},
           {"url", w.url},
           {"events", json::value_from(w.events)},
           {"active", w.active},
           {"created_at", core::FormatUnixUtc(w.created_at)}};
}

void tag_invoke(json::value_from_tag, json::value& out, const WebhookDelivery& d) {
    const bool pending = d.state == domain::DeliveryState::kPending;  // only a pending one has a next attempt
    // The payload is stored as the text that was signed and sent. A row whose text is not JSON (a damaged
    // database, an operator's edit) is shown as unreadable, never a failed answer: the rest of the log is what
    // the school needs to see.
    boost::system::error_code ec;
    json::value payload = json::parse(d.payload, ec);
    json::value payload_error = nullptr;
    if (ec) {
        payload = nullptr;
        payload_error = "the stored payload is not valid JSON: " + ec.message();
    }
    out = {{"id", d.id},
           {"webhook_id", d.webhook_id},
           {"event", TextOf(d.event)},
           {"person_id", d.person_id},
           {"date", core::FormatDate(d.date)},
           {"state", TextOf(d.state)},
           {"attempts", d.attempts},
           {"next_attempt_at", pending ? OptUtcValue(d.next_attempt_at) : json::value(nullptr)},
           {"last_status", d.last_status},
           {"last_error", d.last_error},
           {"created_at", core::FormatUnixUtc(d.created_at)},
           {"delivered_at", OptUtcValue(d.delivered_at)},
           {"payload", std::move(payload)},
           {"payload_error", std::move(payload_error)}};
}

}  // namespace rollcall::storage

namespace rollcall::wire {

void tag_invoke(json::value_from_tag, json::value& out, const UnmappedUser& u) {
    const auto local = [](const std::optional<core::LocalDateTime>& t) {
        return t ? json::value(core::FormatLocalDateTime(*t)) : json::value(nullptr);
    };
    out = {{"device_id", u.user.device_id},
           {"user_id", u.user.user_id},
           {"name", u.user.name},
           {"punches", u.user.punches},
           {"first_seen", local(u.user.first_seen)},
           {"last_seen", local(u.user.last_seen)}};
}

}  // namespace rollcall::wire
