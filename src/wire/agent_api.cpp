#include "wire/agent_api.hpp"

namespace rollcall::wire {
namespace {

core::Result<std::optional<std::int64_t>> OptCount(const json::object& o, std::string_view field) {
    ROLLCALL_TRY(auto n, OptInt(o, field));
    if (n && *n < 0) {
        return Invalid(std::string(field) + ": must not be negative");
    }
    return n;
}

/// A field of a device in the list, which may be missing (an older server): "" then.
core::Result<std::string> TextOrEmpty(const json::object& o, std::string_view field) {
    ROLLCALL_TRY(auto text, OptString(o, field));
    return text.value_or("");
}

}  // namespace

void tag_invoke(json::value_from_tag, json::value& out, const DeviceStatusReport& s) {
    auto& o = out.emplace_object();
    o["reachable"] = s.reachable;
    PutIfKnown(o, "serial", s.serial);
    PutIfKnown(o, "firmware", s.firmware);
    PutIfKnown(o, "users", s.users);
    PutIfKnown(o, "records", s.records);
    PutIfKnown(o, "user_capacity", s.user_capacity);
    PutIfKnown(o, "record_capacity", s.record_capacity);
    if (s.device_time) {
        o["device_time"] = core::FormatLocalDateTime(*s.device_time);
    }
    if (s.read_through) {
        o["read_through"] = core::FormatUnixUtc(*s.read_through);
    }
    PutIfKnown(o, "last_error", s.last_error);
}

void tag_invoke(json::value_from_tag, json::value& out, const AgentDevice& d) {
    auto& o = out.emplace_object();
    o["id"] = d.id;
    o["name"] = d.name;
    o["ip"] = d.ip;
    o["port"] = d.port;
    o["comm_key"] = d.comm_key;
    o["serial"] = d.serial;
    o["direction"] = d.direction;
    o["timezone"] = d.timezone;
    if (d.local_time) {
        o["local_time"] = core::FormatLocalDateTime(*d.local_time);
    }
}

void tag_invoke(json::value_from_tag, json::value& out, const AgentDeviceList& l) {
    auto& o = out.emplace_object();
    o["items"] = json::value_from(l.items);
    if (l.server_time) {
        o["server_time"] = core::FormatUnixUtc(*l.server_time);
    }
}

core::Result<DeviceStatusReport> tag_invoke(DecodeTag<DeviceStatusReport>, const json::value& v) {
    if (!v.is_object()) {
        return Invalid("body must be a JSON object");
    }
    const auto& o = v.as_object();
    DeviceStatusReport s;
    const auto* reachable = o.if_contains("reachable");
    if (reachable == nullptr || !reachable->is_bool()) {
        return Invalid("reachable: required, true or false");
    }
    s.reachable = reachable->as_bool();
    ROLLCALL_TRY(s.serial, OptString(o, "serial"));
    ROLLCALL_TRY(s.firmware, OptString(o, "firmware"));
    ROLLCALL_TRY(s.last_error, OptString(o, "last_error"));
    for (const auto& [field, value] : {std::pair{"serial", &s.serial}, std::pair{"firmware", &s.firmware}}) {
        if (*value && (*value)->size() > 200) {
            return Invalid(std::string(field) + ": at most 200 characters");
        }
    }
    ROLLCALL_TRY(s.users, OptCount(o, "users"));
    ROLLCALL_TRY(s.records, OptCount(o, "records"));
    ROLLCALL_TRY(s.user_capacity, OptCount(o, "user_capacity"));
    ROLLCALL_TRY(s.record_capacity, OptCount(o, "record_capacity"));
    ROLLCALL_TRY(s.device_time,
                 OptLocalTime(o, "device_time", "device_time: expected YYYY-MM-DD HH:MM:SS (the device's clock)"));
    ROLLCALL_TRY(s.read_through, OptUtc(o, "read_through"));
    return s;
}

core::Result<AgentDevice> tag_invoke(DecodeTag<AgentDevice>, const json::value& v) {
    if (!v.is_object()) {
        return Invalid("items: expected objects");
    }
    const auto& o = v.as_object();
    AgentDevice d;
    ROLLCALL_TRY(d.id, RequiredInt(o, "id"));
    ROLLCALL_TRY(d.name, RequiredString(o, "name"));
    ROLLCALL_TRY(d.ip, RequiredString(o, "ip"));
    ROLLCALL_TRY(d.port, RequiredInt(o, "port"));
    if (d.port < 1 || d.port > 65535) {
        return Invalid("port: must be between 1 and 65535");
    }
    ROLLCALL_TRY(d.comm_key, RequiredString(o, "comm_key"));
    ROLLCALL_TRY(d.serial, TextOrEmpty(o, "serial"));
    ROLLCALL_TRY(d.direction, TextOrEmpty(o, "direction"));
    ROLLCALL_TRY(d.timezone, TextOrEmpty(o, "timezone"));
    ROLLCALL_TRY(d.local_time, OptLocalTime(o, "local_time", "local_time: expected YYYY-MM-DD HH:MM:SS"));
    return d;
}

core::Result<AgentDeviceList> tag_invoke(DecodeTag<AgentDeviceList>, const json::value& v) {
    const auto* items = v.is_object() ? v.as_object().if_contains("items") : nullptr;
    if (items == nullptr || !items->is_array()) {
        return Invalid("items: expected an array");
    }
    AgentDeviceList l;
    for (const auto& item : items->as_array()) {
        ROLLCALL_TRY(auto d, Decode<AgentDevice>(item));
        l.items.push_back(std::move(d));
    }
    ROLLCALL_TRY(l.server_time, OptUtc(v.as_object(), "server_time"));
    return l;
}

}  // namespace rollcall::wire
