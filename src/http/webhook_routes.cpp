// Webhooks and re-processing under /api/v1/schools/{school_id}/ (docs/api.md "Webhooks").

#include "http/json_util.hpp"
#include "http/reply.hpp"
#include "http/routes.hpp"
#include "wire/requests.hpp"

#include <charconv>

#include <fmt/format.h>

namespace rollcall::http {
namespace {

using core::Errc;
using core::MakeError;
using service::Services;
using service::Webhooks;

Reply CreateWebhook(const Backend& b, Call& call);
Reply ListDeliveries(const Backend& b, Call& call);
Reply Reprocess(const Backend& b, Call& call);

}  // namespace

std::vector<Route> WebhookRoutes() {
    const auto& s = kSchoolPath;
    return {
        {.method = "GET",
         .pattern = s + "/webhooks",
         .handler = Sync(ListInSchool<&Services::webhooks, &Webhooks::ListWebhooks>)},
        {.method = "POST", .pattern = s + "/webhooks", .handler = Sync(CreateWebhook)},
        {.method = "DELETE",
         .pattern = s + "/webhooks/{id}",
         .handler = Sync(DeleteById<&Services::webhooks, &Webhooks::DeleteWebhook>)},
        {.method = "GET", .pattern = s + "/webhooks/deliveries", .handler = Sync(ListDeliveries)},
        // R18 "re-process a range": the worker recomputes the days and sends what changed (corrections).
        {.method = "POST", .pattern = s + "/recompute", .handler = Sync(Reprocess)},
    };
}

namespace {

Reply CreateWebhook(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto r, wire::DecodeBody<wire::WebhookRequest>(call.request.body));
    ROLLCALL_TRY(const auto created,
                 b.services.webhooks.CreateWebhook(*call.principal, call.school_id, r.url, r.events));
    auto out = json::value_from(created.webhook);
    out.as_object()["secret"] = created.secret;  // shown once: the gateway verifies signatures with it
    return Json(201, out);
}

Reply ListDeliveries(const Backend& b, Call& call) {
    std::optional<std::int64_t> webhook_id;
    if (const auto text = call.Query("webhook_id")) {
        std::int64_t id = 0;
        const auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), id);
        if (ec != std::errc() || p != text->data() + text->size()) {
            return MakeError(Errc::kInvalidArgument, "webhook_id: expected a number");
        }
        webhook_id = id;
    }
    return RenderedList(b.services.webhooks.ListDeliveries(call.school_id, webhook_id, 500));
}

Reply Reprocess(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto range, wire::DecodeBody<wire::RangeRequest>(call.request.body));
    const auto [from, to] = range;
    if (to.days < from.days || to.days - from.days + 1 > b.config.reprocess_max_days) {
        return MakeError(Errc::kInvalidArgument,
                         fmt::format("to: must be on or after from, at most {} days", b.config.reprocess_max_days));
    }
    ROLLCALL_TRY(const auto days, b.services.attendance.Reprocess(*call.principal, call.school_id, from, to));
    return Json(202, json::object{{"queued_days", days}});
}

}  // namespace
}  // namespace rollcall::http
