#include "net/status_error.hpp"

namespace rollcall::net {

core::Error StatusError(int status, std::string message) {
    using core::Errc;
    switch (status) {
        case 400:
        case 422:
            return core::MakeError(Errc::kInvalidArgument, std::move(message));
        case 401:
            return core::MakeError(Errc::kUnauthorized, std::move(message));
        case 403:
            return core::MakeError(Errc::kForbidden, std::move(message));
        case 404:
        case 410:
            return core::MakeError(Errc::kNotFound, std::move(message));
        case 409:
            return core::MakeError(Errc::kConflict, std::move(message));
        case 413:
            return core::MakeError(Errc::kPayloadTooLarge, std::move(message));
        case 429:
            return core::MakeError(Errc::kTooManyRequests, std::move(message));
        case 408:  // the server gave up waiting for our request
        case 504:  // a proxy gave up waiting for the server
            return core::MakeError(Errc::kTimeout, std::move(message));
        default:
            break;
    }
    if (status >= 400 && status < 500) {
        return core::MakeError(Errc::kInvalidArgument, std::move(message));
    }
    // 5xx, and a status no client should see (1xx, 3xx: redirects are not followed): the server or a proxy in
    // front of it is in trouble, which passes.
    return core::MakeError(Errc::kUnavailable, std::move(message));
}

}  // namespace rollcall::net
