#pragma once

#include <string>
#include <string_view>

namespace rollcall::core {

/// Expected failure kinds. The HTTP layer maps each to a status in one place (http/error_mapping.cpp).
enum class Errc {
    kInvalidArgument,  ///< bad input; the message names the field
    kUnauthorized,     ///< missing or unknown credentials
    kForbidden,        ///< known caller, not allowed
    kNotFound,         ///< absent, or belongs to another tenant
    kConflict,         ///< unique constraint, state conflict
    kPayloadTooLarge,  ///< body over a limit
    kTooManyRequests,  ///< rate limit
    kUnavailable,      ///< overloaded or shutting down; retry later
    kInternal,         ///< a bug or an I/O failure; details go to the log only
};

/// An expected error: a kind and a message that is safe to show to the caller.
struct Error {
    Errc code = Errc::kInternal;
    std::string message;
};

inline Error MakeError(Errc code, std::string message) {
    return Error{code, std::move(message)};
}

std::string_view ErrcName(Errc code);

}  // namespace rollcall::core
