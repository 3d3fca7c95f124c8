#pragma once

#include "core/civil_time.hpp"
#include "core/enum_names.hpp"
#include "core/result.hpp"
#include "net/http_message.hpp"
#include "wire/fields.hpp"

#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

namespace rollcall::http {

namespace json = boost::json;

net::Response Json(int status, const json::value& value);
inline net::Response Json(const json::value& value) {
    return Json(200, value);
}

// The field readers of the wire codecs, for the bodies not (yet) declared as wire types.
using wire::OptInt;
using wire::OptNullableDate;
using wire::OptString;
using wire::OptValue;
using wire::ParseObject;
using wire::RequiredInt;
using wire::RequiredString;

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

}  // namespace rollcall::http
