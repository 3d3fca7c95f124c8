#include "wire/fields.hpp"

namespace rollcall::wire {
namespace {

using core::Errc;
using core::MakeError;

core::Error TypeError(std::string_view field, std::string_view expected) {
    return Invalid(std::string(field) + ": expected " + std::string(expected));
}

}  // namespace

core::Error Invalid(std::string message) {
    return MakeError(Errc::kInvalidArgument, std::move(message));
}

core::Result<json::object> ParseObject(std::string_view body) {
    boost::system::error_code ec;
    json::parse_options opts;
    opts.max_depth = 16;
    json::value v = json::parse(body, ec, {}, opts);
    if (ec) {
        return Invalid("body is not valid JSON");
    }
    if (!v.is_object()) {
        return Invalid("body must be a JSON object");
    }
    return std::move(v.as_object());
}

core::Result<std::optional<std::string>> OptString(const json::object& o, std::string_view field) {
    const auto* v = o.if_contains(field);
    if (v == nullptr || v->is_null()) {
        return std::optional<std::string>();
    }
    if (!v->is_string()) {
        return TypeError(field, "a string");
    }
    return std::optional<std::string>(std::string(v->as_string()));
}

core::Result<std::optional<std::int64_t>> OptInt(const json::object& o, std::string_view field) {
    const auto* v = o.if_contains(field);
    if (v == nullptr || v->is_null()) {
        return std::optional<std::int64_t>();
    }
    if (v->is_int64()) {
        return std::optional<std::int64_t>(v->as_int64());
    }
    if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        return std::optional<std::int64_t>(static_cast<std::int64_t>(v->as_uint64()));
    }
    return TypeError(field, "an integer");
}

core::Result<std::string> RequiredString(const json::object& o, std::string_view field) {
    ROLLCALL_TRY(auto v, OptString(o, field));
    if (!v) {
        return Invalid(std::string(field) + ": required");
    }
    return *std::move(v);
}

core::Result<std::int64_t> RequiredInt(const json::object& o, std::string_view field) {
    ROLLCALL_TRY(const auto v, OptInt(o, field));
    if (!v) {
        return Invalid(std::string(field) + ": required");
    }
    return *v;
}

core::Result<std::optional<std::optional<core::Date>>> OptNullableDate(const json::object& o, std::string_view field) {
    using Out = std::optional<std::optional<core::Date>>;
    const auto* v = o.if_contains(field);
    if (v == nullptr) {
        return Out();
    }
    if (v->is_null()) {
        return Out(std::optional<core::Date>());
    }
    const auto d = v->is_string() ? core::ParseDate(v->as_string()) : std::nullopt;
    if (!d) {
        return TypeError(field, "\"YYYY-MM-DD\" or null");
    }
    return Out(d);
}

core::Result<core::Date> DateText(std::string_view text, std::string_view field) {
    const auto d = core::ParseDate(text);
    if (!d) {
        return Invalid(std::string(field) + ": expected YYYY-MM-DD");
    }
    return *d;
}

core::Result<core::Date> RequiredDate(const json::object& o, std::string_view field) {
    ROLLCALL_TRY(const auto text, RequiredString(o, field));
    return DateText(text, field);
}

core::Result<std::optional<std::int32_t>> OptTimeOfDay(const json::object& o, std::string_view field) {
    ROLLCALL_TRY(const auto text, OptString(o, field));
    if (!text || text->empty()) {
        return std::optional<std::int32_t>();
    }
    const auto t = core::ParseTimeOfDay(*text);
    if (!t) {
        return Invalid(std::string(field) + ": expected HH:MM or HH:MM:SS");
    }
    return std::optional<std::int32_t>(*t);
}

core::Result<std::optional<std::int64_t>> OptUtc(const json::object& o, std::string_view field) {
    const auto* v = o.if_contains(field);
    if (v == nullptr || v->is_null()) {
        return std::optional<std::int64_t>();
    }
    const std::string_view text = v->is_string() ? std::string_view(v->as_string()) : std::string_view();
    const auto t = text.ends_with('Z') ? core::ParseLocalDateTime(text.substr(0, text.size() - 1)) : std::nullopt;
    if (!t) {
        return TypeError(field, "YYYY-MM-DDTHH:MM:SSZ (UTC)");
    }
    return std::optional<std::int64_t>(t->seconds);
}

core::Result<std::optional<core::LocalDateTime>> OptLocalTime(const json::object& o,
                                                              std::string_view field,
                                                              std::string_view message) {
    ROLLCALL_TRY(const auto text, OptString(o, field));
    if (!text) {
        return std::optional<core::LocalDateTime>();
    }
    const auto t = core::ParseLocalDateTime(*text);
    if (!t) {
        return Invalid(std::string(message));
    }
    return t;
}

json::value OptValue(const std::optional<std::int64_t>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::value OptValue(const std::optional<std::string>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::value OptUtcValue(const std::optional<std::int64_t>& unix_seconds) {
    return unix_seconds ? json::value(core::FormatUnixUtc(*unix_seconds)) : json::value(nullptr);
}

json::value OptDateValue(const std::optional<core::Date>& d) {
    return d ? json::value(core::FormatDate(*d)) : json::value(nullptr);
}

json::value OptTimeValue(const std::optional<std::int32_t>& seconds) {
    return seconds ? json::value(core::FormatTimeOfDay(*seconds)) : json::value(nullptr);
}

json::value OptValue(const std::optional<std::int32_t>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

}  // namespace rollcall::wire
