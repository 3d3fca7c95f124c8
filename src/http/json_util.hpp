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

// Every request body is a wire type (src/wire/); http writes a few small answers of its own with this.
using wire::OptValue;

}  // namespace rollcall::http
