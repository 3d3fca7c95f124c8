#include "http/error_mapping.hpp"

namespace rollcall::http {

int StatusOf(core::Errc code) {
    switch (code) {
        case core::Errc::kInvalidArgument:
            return 400;
        case core::Errc::kUnauthorized:
            return 401;
        case core::Errc::kForbidden:
            return 403;
        case core::Errc::kNotFound:
            return 404;
        case core::Errc::kConflict:
            return 409;
        case core::Errc::kPayloadTooLarge:
            return 413;
        case core::Errc::kTooManyRequests:
            return 429;
        case core::Errc::kUnavailable:
        case core::Errc::kTimeout:  // something the server waited for did not answer: retry later, like 503
            return 503;
        case core::Errc::kInternal:
            return 500;
    }
    return 500;
}

net::Response ErrorResponse(const core::Error& error) {
    const int status = StatusOf(error.code);
    // Internal messages can carry paths or SQL; the log has them, the client gets a fixed text.
    const std::string_view message =
        error.code == core::Errc::kInternal ? std::string_view("internal error") : std::string_view(error.message);
    auto response = net::JsonError(status, core::ErrcName(error.code), message);
    if (status == 503 || status == 429) {
        response.headers.emplace_back("Retry-After", "1");
    }
    return response;
}

}  // namespace rollcall::http
