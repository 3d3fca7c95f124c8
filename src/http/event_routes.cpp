// Live events (docs/api.md "Live events"): a school's Server-Sent Events stream, for the panel's Today screen; and
// the push troubleshooting it shows beside them (docs/api.md "Push troubleshooting"): pushes with unknown tokens.

#include "http/error_mapping.hpp"
#include "http/json_util.hpp"
#include "http/reply.hpp"
#include "http/routes.hpp"

namespace rollcall::http {
namespace {

void OpenStream(const Backend& b, Call& call, const net::Responder& respond);
Reply UnknownPushes(const Backend& b, Call& call);
Reply SchoolUnknownPushes(const Backend& b, Call& call);

}  // namespace

std::vector<Route> EventRoutes() {
    return {
        {.method = "GET", .pattern = kSchoolPath + "/events", .handler = OpenStream},
        {.method = "GET", .pattern = "/api/v1/unknown-pushes", .handler = Sync(UnknownPushes)},
        {.method = "GET", .pattern = kSchoolPath + "/unknown-pushes", .handler = Sync(SchoolUnknownPushes)},
    };
}

namespace {

void OpenStream(const Backend& b, Call& call, const net::Responder& respond) {
    net::Response response;
    response.content_type = "text/event-stream";
    // nginx buffers a proxied answer unless told not to; an event that waits in a proxy's buffer is late.
    response.headers.emplace_back("X-Accel-Buffering", "no");
    if (call.request.method == "HEAD") {
        respond(std::move(response));  // the head of the stream, which a HEAD does not open
        return;
    }
    auto stream = b.events.Open(call.school_id);
    if (!stream) {
        respond(ErrorResponse(stream.error()));
        return;
    }
    response.stream = std::move(*stream);
    respond(std::move(response));
}

/// `{"window_seconds": 3600, "items": [...]}`: the unknown-token pushes of the last hour, newest first.
Reply UnknownPushList(const core::Result<std::vector<service::UnknownPushSource>>& sources) {
    if (!sources) {
        return sources.error();
    }
    return Json(
        json::object{{"window_seconds", service::PushWatch::kWindowSeconds}, {"items", json::value_from(*sources)}});
}

Reply UnknownPushes(const Backend& b, Call& call) {
    // An unknown token belongs to no school: all of them are the server's, which only its super admin sees.
    ROLLCALL_CHECK(call.principal->RequireSuperAdmin());
    return UnknownPushList(b.services.devices.UnknownPushes(std::nullopt));
}

Reply SchoolUnknownPushes(const Backend& b, Call& call) {
    return UnknownPushList(b.services.devices.UnknownPushes(call.school_id));
}

}  // namespace
}  // namespace rollcall::http
