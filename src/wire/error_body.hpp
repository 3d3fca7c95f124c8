#pragma once

// The body of every error answer of the API: {"error": {"code": "not_found", "message": "..."}} (docs/api.md
// "Errors"). The server writes it in net/ (net::JsonError, before any route runs, without a JSON library); a
// client (the agent) reads it with this, so what it shows an IT person is the server's own words.

#include "wire/decode.hpp"

#include <string>

namespace rollcall::wire {

struct ErrorBody {
    std::string code;  ///< core::ErrcName of the error: invalid_argument, not_found, ...
    std::string message;

    bool operator==(const ErrorBody&) const = default;
};

void tag_invoke(json::value_from_tag, json::value& out, const ErrorBody& e);
core::Result<ErrorBody> tag_invoke(DecodeTag<ErrorBody>, const json::value& v);

}  // namespace rollcall::wire
