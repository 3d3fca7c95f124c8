#pragma once

// Reading and writing the fields of a JSON object: what every codec of src/wire/ is made of. A field that is
// absent or of the wrong type is an error value naming it ("port: expected an integer"): the API answers it as
// a 400 with that message.

#include "core/civil_time.hpp"
#include "core/enum_names.hpp"
#include "core/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include <boost/json.hpp>

namespace rollcall::wire {

namespace json = boost::json;

/// A 400 with this message: a bad field of a body, named in the message.
core::Error Invalid(std::string message);

/// Parses a request body that must be a JSON object; depth is capped so hostile nesting is cheap.
core::Result<json::object> ParseObject(std::string_view body);

/// Field readers: absent (or null) gives nullopt; a wrong type is an error naming the field.
core::Result<std::optional<std::string>> OptString(const json::object& o, std::string_view field);
core::Result<std::optional<std::int64_t>> OptInt(const json::object& o, std::string_view field);
core::Result<std::string> RequiredString(const json::object& o, std::string_view field);
core::Result<std::int64_t> RequiredInt(const json::object& o, std::string_view field);
/// A date field that may be null: nullopt = absent; optional(nullopt) = explicit null.
core::Result<std::optional<std::optional<core::Date>>> OptNullableDate(const json::object& o, std::string_view field);
/// A date "YYYY-MM-DD" given as text (a path segment, a field): "field: expected YYYY-MM-DD" otherwise.
core::Result<core::Date> DateText(std::string_view text, std::string_view field);
/// A required date field "YYYY-MM-DD".
core::Result<core::Date> RequiredDate(const json::object& o, std::string_view field);
/// A time of day "HH:MM" or "HH:MM:SS" as seconds since midnight; absent, null or "" gives nullopt.
core::Result<std::optional<std::int32_t>> OptTimeOfDay(const json::object& o, std::string_view field);
/// A UTC time "YYYY-MM-DDTHH:MM:SSZ" as Unix seconds; absent or null gives nullopt.
core::Result<std::optional<std::int64_t>> OptUtc(const json::object& o, std::string_view field);
/// A device wall-clock time "YYYY-MM-DD HH:MM:SS"; absent or null gives nullopt. `message` is the whole error,
/// as what a field expects differs (the device's clock, not before another field, ...).
core::Result<std::optional<core::LocalDateTime>> OptLocalTime(const json::object& o,
                                                              std::string_view field,
                                                              std::string_view message);

/// An optional field naming a value of E ("sync_mode": "agent"); another name is a 400 "sync_mode: must be push or
/// agent" (core/enum_names.hpp).
template <class E>
core::Result<std::optional<E>> OptName(const json::object& o, std::string_view field) {
    ROLLCALL_TRY(const auto text, OptString(o, field));
    if (!text) {
        return std::optional<E>();
    }
    ROLLCALL_TRY(const auto value, core::ParseField<E>(field, *text));
    return std::optional<E>(value);
}

/// null for nullopt.
json::value OptValue(const std::optional<std::int64_t>& v);
json::value OptValue(const std::optional<std::string>& v);
json::value OptUtcValue(const std::optional<std::int64_t>& unix_seconds);
json::value OptDateValue(const std::optional<core::Date>& d);
/// A time of day (seconds since local midnight) as "HH:MM:SS", null for nullopt.
json::value OptTimeValue(const std::optional<std::int32_t>& seconds);
/// A small code (a punch's status or verify mode), null for nullopt.
json::value OptValue(const std::optional<std::int32_t>& v);

/// Sets `o[field]` only when `v` has a value: an absent field says "not known".
template <class T>
void PutIfKnown(json::object& o, std::string_view field, const std::optional<T>& v) {
    if (v) {
        o[field] = json::value_from(*v);
    }
}

/// A word of the API's vocabulary as text: an enum by its name table (core/enum_names.hpp), a string as it is.
template <class T>
std::string TextOf(const T& v) {
    if constexpr (std::is_enum_v<T>) {
        return std::string(core::NameOf(v));
    } else {
        return v;
    }
}

}  // namespace rollcall::wire
