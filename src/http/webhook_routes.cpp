// Webhooks and re-processing under /api/v1/schools/{school_id}/ (docs/api.md "Webhooks").

#include "http/api.hpp"
#include "http/error_mapping.hpp"
#include "http/json_util.hpp"

#include <charconv>

#include <fmt/format.h>

namespace rollcall::http {
namespace {

using core::Errc;
using core::MakeError;

json::object RenderWebhook(const storage::Webhook& w) {
    json::array events;
    for (const auto& e : w.events) {
        events.emplace_back(e);
    }
    return json::object{{"id", w.id},
                        {"url", w.url},
                        {"events", std::move(events)},
                        {"active", w.active},
                        {"created_at", core::FormatUnixUtc(w.created_at)}};
}

json::value OptUtc(const std::optional<std::int64_t>& t) {
    return t ? json::value(core::FormatUnixUtc(*t)) : json::value(nullptr);
}

json::object RenderDelivery(const storage::WebhookDelivery& d) {
    return json::object{{"id", d.id},
                        {"webhook_id", d.webhook_id},
                        {"event", d.event},
                        {"person_id", d.person_id},
                        {"date", core::FormatDate(d.date)},
                        {"state", d.state},
                        {"attempts", d.attempts},
                        {"next_attempt_at", d.state == "pending" ? OptUtc(d.next_attempt_at) : json::value(nullptr)},
                        {"last_status", d.last_status},
                        {"last_error", d.last_error},
                        {"created_at", core::FormatUnixUtc(d.created_at)},
                        {"delivered_at", OptUtc(d.delivered_at)},
                        {"payload", json::parse(d.payload)}};
}

core::Result<std::vector<std::string>> EventList(const json::object& body) {
    std::vector<std::string> out;
    const auto* events = body.if_contains("events");
    if (events == nullptr || events->is_null()) {
        return out;
    }
    if (!events->is_array()) {
        return MakeError(Errc::kInvalidArgument, "events: expected an array of event names");
    }
    for (const auto& e : events->as_array()) {
        if (!e.is_string()) {
            return MakeError(Errc::kInvalidArgument, "events: expected an array of event names");
        }
        out.emplace_back(e.as_string());
    }
    return out;
}

core::Result<core::Date> BodyDate(const json::object& body, std::string_view field) {
    ROLLCALL_TRY(const auto text, RequiredString(body, field));
    const auto d = core::ParseDate(text);
    if (!d) {
        return MakeError(Errc::kInvalidArgument, fmt::format("{}: expected YYYY-MM-DD", field));
    }
    return *d;
}

}  // namespace

void Api::AddWebhookRoutes() {
    const std::string s = "/api/v1/schools/{school_id}";
    AddRoute({"GET",
              s + "/webhooks",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> core::Result<net::Response> {
                  ROLLCALL_TRY(const auto hooks, services_.webhooks.ListWebhooks(call.school_id));
                  json::array items;
                  for (const auto& w : hooks) {
                      items.push_back(RenderWebhook(w));
                  }
                  return Json(json::object{{"items", std::move(items)}});
              })});
    AddRoute({"POST",
              s + "/webhooks",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> core::Result<net::Response> {
                  ROLLCALL_TRY(const auto body, ParseObject(call.request.body));
                  ROLLCALL_TRY(const auto url, RequiredString(body, "url"));
                  ROLLCALL_TRY(const auto events, EventList(body));
                  ROLLCALL_TRY(const auto created,
                               services_.webhooks.CreateWebhook(*call.principal, call.school_id, url, events));
                  auto out = RenderWebhook(created.webhook);
                  out["secret"] = created.secret;  // shown once: the gateway verifies signatures with it
                  return Json(201, std::move(out));
              })});
    AddRoute({"DELETE",
              s + "/webhooks/{id}",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> core::Result<net::Response> {
                  ROLLCALL_TRY(const auto id, call.Id(1));
                  ROLLCALL_CHECK(services_.webhooks.DeleteWebhook(*call.principal, call.school_id, id));
                  net::Response r;
                  r.status = 204;
                  return r;
              })});
    AddRoute({"GET",
              s + "/webhooks/deliveries",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> core::Result<net::Response> {
                  std::optional<std::int64_t> webhook_id;
                  if (call.query.contains("webhook_id")) {
                      const auto& text = call.query.at("webhook_id");
                      std::int64_t id = 0;
                      const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
                      if (ec != std::errc() || p != text.data() + text.size()) {
                          return MakeError(Errc::kInvalidArgument, "webhook_id: expected a number");
                      }
                      webhook_id = id;
                  }
                  ROLLCALL_TRY(const auto log, services_.webhooks.ListDeliveries(call.school_id, webhook_id, 500));
                  json::array items;
                  for (const auto& d : log) {
                      items.push_back(RenderDelivery(d));
                  }
                  return Json(json::object{{"items", std::move(items)}});
              })});
    // R18 "re-process a range": the worker recomputes the days and sends what changed (corrections).
    AddRoute({"POST",
              s + "/recompute",
              RouteAuth::kAdmin,
              RouteBody::kApi,
              RouteExec::kWorker,
              Sync([this](Call& call) -> core::Result<net::Response> {
                  ROLLCALL_TRY(const auto body, ParseObject(call.request.body));
                  ROLLCALL_TRY(const auto from, BodyDate(body, "from"));
                  ROLLCALL_TRY(const auto to, BodyDate(body, "to"));
                  if (to.days < from.days || to.days - from.days + 1 > config_.reprocess_max_days) {
                      return MakeError(
                          Errc::kInvalidArgument,
                          fmt::format("to: must be on or after from, at most {} days", config_.reprocess_max_days));
                  }
                  ROLLCALL_TRY(const auto days,
                               services_.attendance.Reprocess(*call.principal, call.school_id, from, to));
                  return Json(202, json::object{{"queued_days", days}});
              })});
}

}  // namespace rollcall::http
