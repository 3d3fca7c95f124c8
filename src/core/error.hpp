#pragma once

#include <string>
#include <string_view>

namespace rollcall::core {

/// Expected failure kinds. The HTTP layer maps each to a status in one place (http/error_mapping.cpp); an HTTP
/// client maps a status back to a kind in one place too (net/status_error.cpp).
enum class Errc {
    kInvalidArgument,  ///< bad input; the message names the field
    kUnauthorized,     ///< missing or unknown credentials
    kForbidden,        ///< known caller, not allowed
    kNotFound,         ///< absent, or belongs to another tenant
    kConflict,         ///< unique constraint, state conflict
    kPayloadTooLarge,  ///< body over a limit
    kTooManyRequests,  ///< rate limit
    kUnavailable,      ///< overloaded, shutting down or unreachable; retry later
    kTimeout,          ///< no answer within the time allowed (a terminal, a server, a gateway); retry later
    kInternal,         ///< a bug or an I/O failure; details go to the log only
};

/// Whether trying the same thing again later may succeed without anyone changing anything: true for a peer
/// that is down, busy or slow (kUnavailable, kTimeout, kTooManyRequests). MakeError's default.
constexpr bool RetryableByDefault(Errc code) {
    return code == Errc::kUnavailable || code == Errc::kTimeout || code == Errc::kTooManyRequests;
}

/// An expected error: a kind, a message that is safe to show to the caller, and whether a retry may help.
/// A program branches on `code` and `retryable`, never on the message's words.
struct Error {
    Errc code = Errc::kInternal;
    std::string message;
    /// False when only someone's change can help (a revoked token, bad input): retrying just repeats it.
    bool retryable = false;
};

inline Error MakeError(Errc code, std::string message) {
    return Error{code, std::move(message), RetryableByDefault(code)};
}

std::string_view ErrcName(Errc code);

}  // namespace rollcall::core
