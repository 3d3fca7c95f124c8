#pragma once

#include "core/civil_time.hpp"
#include "core/result.hpp"
#include "net/http_message.hpp"

#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

namespace rollcall::http {

namespace json = boost::json;

/// Parses a request body that must be a JSON object; depth is capped so hostile nesting is cheap.
core::Result<json::object> ParseObject(std::string_view body);

net::Response Json(int status, const json::value& value);
inline net::Response Json(const json::value& value) {
    return Json(200, value);
}

/// Field readers: absent gives nullopt; a wrong type is an error naming the field.
core::Result<std::optional<std::string>> OptString(const json::object& o, std::string_view field);
core::Result<std::optional<std::int64_t>> OptInt(const json::object& o, std::string_view field);
core::Result<std::string> RequiredString(const json::object& o, std::string_view field);
core::Result<std::int64_t> RequiredInt(const json::object& o, std::string_view field);
/// A date field that may be null: nullopt = absent; optional(nullopt) = explicit null.
core::Result<std::optional<std::optional<core::Date>>> OptNullableDate(const json::object& o, std::string_view field);

json::value OptValue(const std::optional<std::int64_t>& v);
json::value OptValue(const std::optional<std::string>& v);

}  // namespace rollcall::http
