#include "core/error.hpp"

namespace rollcall::core {

std::string_view ErrcName(Errc code) {
    switch (code) {
        case Errc::kInvalidArgument:
            return "invalid_argument";
        case Errc::kUnauthorized:
            return "unauthorized";
        case Errc::kForbidden:
            return "forbidden";
        case Errc::kNotFound:
            return "not_found";
        case Errc::kConflict:
            return "conflict";
        case Errc::kPayloadTooLarge:
            return "payload_too_large";
        case Errc::kTooManyRequests:
            return "too_many_requests";
        case Errc::kUnavailable:
            return "unavailable";
        case Errc::kTimeout:
            return "timeout";
        case Errc::kInternal:
            return "internal";
    }
    return "internal";
}

}  // namespace rollcall::core
