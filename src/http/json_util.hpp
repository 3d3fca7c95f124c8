#pragma once

#include "core/civil_time.hpp"
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

}  // namespace rollcall::http
