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

/// An integer field of a terminal user from 0 to `max`; 0 when missing or null.
core::Result<std::int64_t> BoundedInt(const json::object& o, std::string_view field, std::int64_t max) {
    const auto* f = o.if_contains(field);
    if (f == nullptr || f->is_null()) {
        return std::int64_t{0};
    }
    if (f->is_int64() && f->as_int64() >= 0 && f->as_int64() <= max) {
        return f->as_int64();
    }
    if (f->is_uint64() && f->as_uint64() <= static_cast<std::uint64_t>(max)) {
        return static_cast<std::int64_t>(f->as_uint64());
    }
    return Invalid(std::string(field) + " must be an integer from 0 to " + std::to_string(max));
}

constexpr std::int64_t kMaxCard = 4294967295;  // a u32 on the terminal
constexpr std::int64_t kMaxPrivilege = 255;    // one byte

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

void tag_invoke(json::value_from_tag, json::value& out, const TerminalUserItem& u) {
    out = json::object{{"user_id", u.user_id}, {"name", u.name}, {"card", u.card}, {"privilege", u.privilege}};
}

void tag_invoke(json::value_from_tag, json::value& out, const TerminalUserUpload& u) {
    auto& o = out.emplace_object();
    o["items"] = json::value_from(u.items);
    if (u.read_at) {
        o["read_at"] = core::FormatUnixUtc(*u.read_at);
    }
}

void tag_invoke(json::value_from_tag, json::value& out, const TerminalUserReport& r) {
    out = json::object{{"received", r.received}, {"stored", r.stored}, {"rejected", json::value_from(r.rejected)}};
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

core::Result<TerminalUserItem> tag_invoke(DecodeTag<TerminalUserItem>, const json::value& v) {
    if (!v.is_object()) {
        return Invalid("user is not an object");
    }
    const auto& o = v.as_object();
    TerminalUserItem u;
    const auto* uid = o.if_contains("user_id");
    if (uid != nullptr && uid->is_string()) {
        u.user_id = std::string(uid->as_string());
    } else if (uid != nullptr && uid->is_int64()) {
        u.user_id = std::to_string(uid->as_int64());
    } else if (uid != nullptr && uid->is_uint64()) {
        u.user_id = std::to_string(uid->as_uint64());
    } else {
        return Invalid("user_id: required, a string or an integer");
    }
    if (const auto* name = o.if_contains("name"); name != nullptr && !name->is_null()) {
        if (!name->is_string()) {
            return Invalid("name must be a string");
        }
        u.name = std::string(name->as_string());
    }
    ROLLCALL_TRY(u.card, BoundedInt(o, "card", kMaxCard));
    ROLLCALL_TRY(u.privilege, BoundedInt(o, "privilege", kMaxPrivilege));
    return u;
}

core::Result<TerminalUserUpload> tag_invoke(DecodeTag<TerminalUserUpload>,
                                            const json::value& v,
                                            std::size_t max_users) {
    const auto* items = v.is_object() ? v.as_object().if_contains("items") : nullptr;
    if (items == nullptr || !items->is_array()) {
        return Invalid("body must have an \"items\" array");
    }
    const auto& array = items->as_array();
    if (array.size() > max_users) {
        return core::MakeError(core::Errc::kPayloadTooLarge,
                               "too many users in one table (max " + std::to_string(max_users) + ")");
    }
    TerminalUserUpload out;
    out.items.resize(array.size());
    for (std::size_t i = 0; i < array.size(); ++i) {
        auto u = Decode<TerminalUserItem>(array[i]);
        if (u) {
            out.items[i] = std::move(*u);
        } else {
            out.rejects.push_back({i, u.error().message});
        }
    }
    ROLLCALL_TRY(out.read_at, OptUtc(v.as_object(), "read_at"));
    return out;
}

core::Result<TerminalUserUpload> tag_invoke(DecodeTag<TerminalUserUpload> tag, const json::value& v) {
    return tag_invoke(tag, v, kNoRecordLimit);
}

core::Result<TerminalUserReport> tag_invoke(DecodeTag<TerminalUserReport>, const json::value& v) {
    if (!v.is_object()) {
        return Invalid("terminal user report: expected an object");
    }
    const auto& o = v.as_object();
    TerminalUserReport r;
    ROLLCALL_TRY(const auto received, RequiredInt(o, "received"));
    ROLLCALL_TRY(const auto stored, RequiredInt(o, "stored"));
    if (received < 0 || stored < 0) {
        return Invalid("received, stored: must not be negative");
    }
    r.received = static_cast<std::size_t>(received);
    r.stored = static_cast<std::size_t>(stored);
    const auto* rejected = o.if_contains("rejected");
    if (rejected == nullptr || !rejected->is_array()) {
        return Invalid("rejected: expected an array");
    }
    for (const auto& x : rejected->as_array()) {
        ROLLCALL_TRY(auto reject, Decode<RecordReject>(x));
        r.rejected.push_back(std::move(reject));
    }
    return r;
}

}  // namespace rollcall::wire
