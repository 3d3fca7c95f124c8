#include "http/api.hpp"

#include "auth/crypto.hpp"
#include "core/text_encoding.hpp"
#include "http/error_mapping.hpp"
#include "http/json_util.hpp"
#include "http/panel.hpp"
#include "http/request_log.hpp"
#include "http/routes.hpp"

#include <charconv>
#include <mutex>

#include <boost/url/parse.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace rollcall::http {
namespace {

using core::Errc;
using core::MakeError;

constexpr std::string_view kSessionCookie = "rollcall_session";

/// What the request log says about a request, filled in as authentication learns its school and device.
struct LoggedRequest {
    std::chrono::steady_clock::time_point started;
    std::string method;
    std::string path;
    std::string remote;
    std::optional<std::int64_t> school_id;
    std::optional<std::int64_t> device_id;
};

/// A request refused at admission, before its body was read, never reaches Handle: it is logged here.
void LogRefused(const net::Request& head, int status) {
    LogRequest(RequestLogLine{head.method,
                              PathOf(head.target),
                              status,
                              std::nullopt,
                              std::nullopt,
                              head.remote_address,
                              std::chrono::steady_clock::duration::zero()});
}

std::vector<std::string> SplitPath(std::string_view path) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < path.size()) {
        if (path[pos] == '/') {
            ++pos;
            continue;
        }
        const auto end = path.find('/', pos);
        out.emplace_back(path.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
        pos = end == std::string_view::npos ? path.size() : end;
    }
    return out;
}

std::optional<std::string> BearerToken(const net::Request& request) {
    const auto auth = request.Header("authorization");
    if (!auth) {
        return std::nullopt;
    }
    constexpr std::string_view kBearer = "Bearer ";
    if (auth->size() <= kBearer.size() || auth->substr(0, kBearer.size()) != kBearer) {
        return std::string();  // present but not a bearer token: treated as an unknown token
    }
    auto token = auth->substr(kBearer.size());
    while (!token.empty() && token.front() == ' ') {
        token.remove_prefix(1);
    }
    return std::string(token);
}

std::optional<std::string> CookieValue(const net::Request& request, std::string_view name) {
    for (const auto& [header, value] : request.headers) {
        if (header != "cookie") {
            continue;
        }
        std::string_view rest = value;
        while (!rest.empty()) {
            const auto semi = rest.find(';');
            auto part = rest.substr(0, semi);
            while (!part.empty() && part.front() == ' ') {
                part.remove_prefix(1);
            }
            const auto eq = part.find('=');
            if (eq != std::string_view::npos && part.substr(0, eq) == name) {
                return std::string(part.substr(eq + 1));
            }
            rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
        }
    }
    return std::nullopt;
}

bool IsSafeMethod(const std::string& method) {
    return method == "GET" || method == "HEAD";
}

}  // namespace

std::optional<std::string> SessionTokenOf(const net::Request& request) {
    auto token = BearerToken(request);
    return token ? token : CookieValue(request, kSessionCookie);
}

core::Result<std::int64_t> Call::Id(std::size_t i) const {
    std::int64_t v = 0;
    if (i < params.size()) {
        const auto& p = params[i];
        const auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), v);
        if (ec == std::errc() && ptr == p.data() + p.size() && v > 0) {
            return v;
        }
    }
    return MakeError(Errc::kNotFound, "not found");
}

core::Result<std::optional<std::int64_t>> Call::NumberQuery(const std::string& name) const {
    const auto text = Query(name);
    if (!text) {
        return std::optional<std::int64_t>();
    }
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
    if (ec != std::errc() || end != text->data() + text->size()) {
        return MakeError(Errc::kInvalidArgument, name + ": expected a number");
    }
    return std::optional<std::int64_t>(n);
}

core::Result<std::optional<core::Date>> Call::OptionalDateQuery(const std::string& name) const {
    const auto text = Query(name);
    if (!text) {
        return std::optional<core::Date>();
    }
    const auto date = core::ParseDate(*text);
    if (!date) {
        return MakeError(Errc::kInvalidArgument, name + ": expected YYYY-MM-DD");
    }
    return date;
}

core::Result<core::Date> Call::DateQuery(const std::string& name) const {
    const auto it = query.find(name);
    const auto d = it != query.end() ? core::ParseDate(it->second) : std::nullopt;
    if (!d) {
        return MakeError(Errc::kInvalidArgument, name + ": required, YYYY-MM-DD");
    }
    return *d;
}

std::optional<std::string> Call::Query(const std::string& name) const {
    const auto it = query.find(name);
    return it != query.end() ? std::optional<std::string>(it->second) : std::nullopt;
}

Handler Sync(Reply (*fn)(const Backend&, Call&)) {
    return [fn](const Backend& backend, Call& call, const net::Responder& respond) {
        auto reply = fn(backend, call);
        respond(reply ? std::move(*reply) : ErrorResponse(reply.error()));
    };
}

std::vector<Route> ProbeRoutes() {
    const auto probe = [](std::string pattern, Handler handler) {
        return Route{.method = "GET",
                     .pattern = std::move(pattern),
                     .auth = RouteAuth::kNone,
                     .body = RouteBody::kPreauth,
                     .exec = RouteExec::kInline,
                     .handler = std::move(handler)};
    };
    return {
        // Health: whether the database takes writes (a full disk is 503 here, for the monitor to turn red).
        probe("/healthz",
              [](const Backend& b, Call&, const net::Responder& respond) {
                  const auto health = b.services.ingest.StorageHealth();
                  if (health.writable) {
                      respond(Json(json::object{{"status", "ok"}, {"database", "writable"}}));
                      return;
                  }
                  auto r = Json(
                      json::object{{"status", "failing"}, {"database", "not writable"}, {"problem", health.problem}});
                  r.status = 503;
                  respond(std::move(r));
              }),
        // Readiness: whether to send this server traffic now (a load balancer's question): not while the
        // database refuses writes, nor while its writer is so far behind that pushes are refused.
        probe("/readyz",
              [](const Backend& b, Call&, const net::Responder& respond) {
                  const auto health = b.services.ingest.StorageHealth();
                  std::string reason;
                  if (!health.writable) {
                      reason = "the database is not writable: " + health.problem;
                  } else if (b.metrics.WriterQueueDepth() >= static_cast<std::int64_t>(b.config.writer_queue_depth)) {
                      reason = "the database writer is behind: its queue is full";
                  }
                  if (reason.empty()) {
                      respond(Json(json::object{{"status", "ready"}}));
                      return;
                  }
                  auto r = Json(json::object{{"status", "not ready"}, {"reason", reason}});
                  r.status = 503;
                  r.headers.emplace_back("Retry-After", "1");
                  respond(std::move(r));
              }),
        probe("/metrics",
              [](const Backend& b, Call&, const net::Responder& respond) {
                  net::Response r;
                  r.content_type = "text/plain; version=0.0.4";
                  r.body = b.metrics.RenderPrometheus();
                  respond(std::move(r));
              }),
    };
}

Api::Api(service::Services& services, core::Metrics& metrics, const core::Clock& clock, const ApiConfig& config)
    : services_(services),
      metrics_(metrics),
      clock_(clock),
      config_(config),
      workers_(config.worker_threads, config.worker_queue_depth),
      hasher_(1, config.hash_queue_depth),
      // Api admits at most threads + queue depth report jobs (RunReport), so the pool's own queue never refuses.
      reporter_(config.report_threads, config.report_threads + config.report_queue_depth),
      push_limiter_(clock, config.push_rate_per_second, 1, config.push_rate_burst, config.rate_limit_buckets),
      login_limiter_(
          clock, config.login_attempts_per_minute, 60, config.login_attempts_per_minute, config.rate_limit_buckets),
      events_(services_, metrics_, config.events),
      backend_{services_, config_, clock_, metrics_, push_limiter_, login_limiter_, events_} {
    for (auto table : {ProbeRoutes(),
                       DeviceRoutes(),
                       AdminRoutes(),
                       UserRoutes(),
                       AttendanceRoutes(),
                       ReportRoutes(),
                       WebhookRoutes(),
                       AgentRoutes(),
                       TerminalUserRoutes(),
                       EventRoutes()}) {
        AddRoutes(std::move(table));
    }
    services_.ingest.SetLiveEvents(&events_);
    events_.Start();
}

Api::~Api() {
    Shutdown();
    services_.ingest.SetLiveEvents(nullptr);
}

void Api::Shutdown() {
    workers_.Shutdown();
    hasher_.Shutdown();
    reporter_.Shutdown();
    events_.Stop();
}

std::vector<RouteInfo> Api::Routes() const {
    std::vector<RouteInfo> out;
    out.reserve(routes_.size());
    for (const auto& [route, segments] : routes_) {
        out.push_back(RouteInfo{route.method, route.pattern, route.auth, route.body});
    }
    return out;
}

void Api::AddRoutes(std::vector<Route> table) {
    for (auto& route : table) {
        auto segments = SplitPath(route.pattern);
        routes_.push_back(RouteEntry{std::move(route), std::move(segments)});
    }
}

Api::Match Api::Find(const std::string& method, const std::string& path) const {
    const auto parts = SplitPath(path);
    Match best;
    for (const auto& [route, segments] : routes_) {
        if (segments.size() != parts.size()) {
            continue;
        }
        std::vector<std::string> params;
        bool ok = true;
        for (std::size_t i = 0; i < parts.size() && ok; ++i) {
            const auto& seg = segments[i];
            if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
                params.push_back(parts[i]);
            } else if (seg != parts[i]) {
                ok = false;
            }
        }
        if (!ok) {
            continue;
        }
        if (route.method == method || (method == "HEAD" && route.method == "GET")) {
            return Match{&route, std::move(params), true};
        }
        best.path_known = true;
    }
    return best;
}

std::size_t Api::BodyLimit(RouteBody body) const {
    switch (body) {
        case RouteBody::kPreauth:
            return config_.body_limit_preauth;
        case RouteBody::kApi:
            return config_.body_limit_api;
        case RouteBody::kPush:
            return config_.body_limit_push;
        case RouteBody::kImport:
            return config_.body_limit_import;
    }
    return config_.body_limit_preauth;
}

std::optional<Api::AdminContext> Api::AdminCaller(const net::Request& request) {
    if (const auto* admitted = request.context.Get<AdminContext>()) {
        return *admitted;
    }
    bool from_cookie = false;
    std::optional<std::string> token = BearerToken(request);
    if (!token) {
        token = CookieValue(request, kSessionCookie);
        from_cookie = token.has_value();
    }
    if (!token || token->empty()) {
        return std::nullopt;
    }
    auto principal = services_.accounts.AuthenticateSession(*token);
    if (!principal) {
        return std::nullopt;
    }
    return AdminContext{*principal, from_cookie};
}

net::Admission Api::Admit(const net::Request& head) {
    const auto target = boost::urls::parse_origin_form(head.target);
    if (!target) {
        return {config_.body_limit_preauth, std::nullopt, nullptr, {}};
    }
    const auto match = Find(head.method, std::string(target->path()));
    if (match.route == nullptr) {
        return {config_.body_limit_preauth, std::nullopt, nullptr, {}};
    }
    // Until the caller is known, only a small body is accepted ("small before authentication").
    switch (match.route->auth) {
        case RouteAuth::kNone:
            return {BodyLimit(match.route->body), std::nullopt, nullptr, {}};
        case RouteAuth::kDevice: {
            const auto token = BearerToken(head);
            auto device = services_.devices.AuthenticatePushDevice(token.value_or(""), ClientOf(head));
            if (!device && device.error().code == Errc::kUnauthorized) {
                metrics_.CountRequest(match.route->pattern, 401);
                LogRefused(head, 401);
                return {0, ErrorResponse(device.error()), nullptr, {}};
            }
            if (!device) {
                return {config_.body_limit_preauth, std::nullopt, nullptr, {}};  // 403 after the small body
            }
            // One terminal needs a connection or two; more are a runaway or a stolen token (the per-caller cap).
            return {BodyLimit(match.route->body),
                    std::nullopt,
                    net::RequestContext::Of(*device),
                    "device:" + std::to_string(device->id)};
        }
        case RouteAuth::kAgent: {
            auto school = services_.agents.AuthenticateAgent(BearerToken(head).value_or(""));
            if (!school) {
                auto refused = ErrorResponse(school.error());  // 401, or 403 for a deactivated school
                metrics_.CountRequest(match.route->pattern, refused.status);
                LogRefused(head, refused.status);
                return {0, std::move(refused), nullptr, {}};
            }
            return {BodyLimit(match.route->body), std::nullopt, net::RequestContext::Of(*school), {}};
        }
        case RouteAuth::kAdmin: {
            auto caller = AdminCaller(head);
            if (!caller) {
                return {config_.body_limit_preauth, std::nullopt, nullptr, {}};
            }
            return {BodyLimit(match.route->body), std::nullopt, net::RequestContext::Of(*caller), {}};
        }
    }
    return {config_.body_limit_preauth, std::nullopt, nullptr, {}};
}

void Api::OnTransportReply(int status) {
    metrics_.CountRequest("transport", status);
}

void Api::OnTransportEvent(std::string_view event) {
    metrics_.CountEvent(std::string(event));
}

std::string Api::ClientOf(const net::Request& request) const {
    std::string forwarded;
    for (const auto& [name, value] : request.headers) {
        if (name == "x-forwarded-for") {
            forwarded += (forwarded.empty() ? "" : ",") + value;  // several header lines are one list, in order
        }
    }
    return net::ClientAddress(config_.trusted_proxies, request.remote_address, forwarded);
}

void Api::RunReport(const Route& route, Call call, const net::Responder& counted) {
    const auto school_id = call.school_id;
    {
        std::lock_guard lock(report_mu_);
        const auto it = reports_by_school_.find(school_id);
        const std::size_t of_school = it != reports_by_school_.end() ? it->second : 0;
        if (of_school >= config_.report_max_per_school) {
            counted(ErrorResponse(MakeError(Errc::kTooManyRequests,
                                            fmt::format("this school already has {} report(s) running; retry when "
                                                        "done (reports.max_concurrent_per_school)",
                                                        of_school))));
            return;
        }
        if (reports_in_flight_ >= config_.report_threads + config_.report_queue_depth) {
            counted(ErrorResponse(MakeError(Errc::kUnavailable, "every report thread is busy; retry")));
            return;
        }
        ++reports_by_school_[school_id];
        ++reports_in_flight_;
    }
    // The job's share is given back before its answer goes out, so a client that asks again as soon as it has the
    // answer finds it free; and whatever happens, exactly once.
    auto release = std::make_shared<std::once_flag>();
    auto release_share = [this, release, school_id] {
        std::call_once(*release, [this, school_id] {
            std::lock_guard lock(report_mu_);
            --reports_in_flight_;
            if (--reports_by_school_[school_id] == 0) {
                reports_by_school_.erase(school_id);
            }
        });
    };
    net::Responder respond([release_share, counted](net::Response r) {
        release_share();
        counted(std::move(r));
    });
    auto shared = std::make_shared<Call>(std::move(call));
    const Route* r = &route;
    if (!reporter_.TryPost([this, r, shared, respond, release_share] {
            try {
                r->handler(backend_, *shared, respond);
            } catch (const std::exception& e) {
                spdlog::error("handler {} threw: {}", r->pattern, e.what());
                respond(ErrorResponse(MakeError(Errc::kInternal, e.what())));
            }
            release_share();
        })) {
        respond(ErrorResponse(MakeError(Errc::kUnavailable, "server busy; retry")));  // shutting down
    }
}

void Api::Handle(net::Request request, net::Responder unlogged) {
    // Behind a trusted reverse proxy the client is whom the proxy names, for the log and the login limits alike.
    request.remote_address = ClientOf(request);
    // Every answer is logged once, with whatever the request turned out to be about by then.
    auto line = std::make_shared<LoggedRequest>();
    line->started = std::chrono::steady_clock::now();
    line->method = request.method;
    line->path = std::string(PathOf(request.target));
    line->remote = request.remote_address;
    net::Responder respond([line, unlogged](net::Response r) {
        LogRequest(RequestLogLine{line->method,
                                  line->path,
                                  r.status,
                                  line->school_id,
                                  line->device_id,
                                  line->remote,
                                  std::chrono::steady_clock::now() - line->started});
        unlogged(std::move(r));
    });
    if (const auto* device = request.context.Get<storage::Device>()) {
        line->school_id = device->school_id;
        line->device_id = device->id;
    }
    const auto target = boost::urls::parse_origin_form(request.target);
    if (!target) {
        metrics_.CountRequest("unmatched", 400);
        respond(net::JsonError(400, "bad_request", "malformed request target"));
        return;
    }
    Call call;
    call.path = std::string(target->path());
    for (const auto& param : target->params()) {
        if (!core::IsValidUtf8(param.key) || !core::IsValidUtf8(param.value)) {
            // A scope's group name is stored from the query, and an answer may repeat it: text is UTF-8 or refused.
            metrics_.CountRequest("unmatched", 400);
            respond(net::JsonError(400, "invalid_argument", "query: parameters must be UTF-8 text"));
            return;
        }
        call.query.emplace(param.key, param.value);
    }
    const auto match = Find(request.method, call.path);
    if (match.route == nullptr && (request.method == "GET" || request.method == "HEAD") && IsPanelPath(call.path)) {
        auto page = ServePanel(PanelAssets(), request, call.path);
        metrics_.CountRequest("panel", page.status);
        respond(std::move(page));
        return;
    }
    if (match.route == nullptr) {
        const int status = match.path_known ? 405 : 404;
        metrics_.CountRequest("unmatched", status);
        respond(status == 405 ? net::JsonError(405, "method_not_allowed", "method not allowed on this path")
                              : net::JsonError(404, "not_found", "no such endpoint"));
        return;
    }
    const Route& route = *match.route;
    call.params = match.params;

    // Count every answer by route pattern and status.
    net::Responder counted([this, name = route.pattern, respond](net::Response r) {
        metrics_.CountRequest(name, r.status);
        respond(std::move(r));
    });

    if (route.auth == RouteAuth::kAgent) {
        // Admission authenticated the agent and handed over its school.
        const auto* admitted = request.context.Get<std::int64_t>();
        auto school = admitted != nullptr ? core::Result<std::int64_t>(*admitted)
                                          : services_.agents.AuthenticateAgent(BearerToken(request).value_or(""));
        if (!school) {
            counted(ErrorResponse(school.error()));
            return;
        }
        call.school_id = *school;
        line->school_id = *school;
    }
    if (route.auth == RouteAuth::kAdmin) {
        const auto caller = AdminCaller(request);
        if (!caller) {
            counted(ErrorResponse(MakeError(Errc::kUnauthorized, "log in first: missing or expired login token")));
            return;
        }
        call.principal = caller->principal;
        if (caller->from_cookie && !IsSafeMethod(request.method)) {
            const auto sent = request.Header("x-csrf-token").value_or("");
            const auto& expected = call.principal->csrf_token;
            if (!auth::ConstantTimeEqual(
                    std::span(reinterpret_cast<const std::uint8_t*>(sent.data()), sent.size()),
                    std::span(reinterpret_cast<const std::uint8_t*>(expected.data()), expected.size()))) {
                counted(ErrorResponse(MakeError(Errc::kForbidden, "missing or wrong X-CSRF-Token header")));
                return;
            }
        }
        if (route.pattern.starts_with("/api/v1/schools/{school_id}")) {
            auto sid = call.Id(0);
            if (!sid) {
                counted(ErrorResponse(sid.error()));
                return;
            }
            if (auto s = call.principal->RequireSchool(*sid); !s) {
                counted(ErrorResponse(s.error()));
                return;
            }
            call.school_id = *sid;
            line->school_id = *sid;
        }
    }
    call.request = std::move(request);

    switch (route.exec) {
        case RouteExec::kInline:
            route.handler(backend_, call, counted);
            return;
        case RouteExec::kReport:
            RunReport(route, std::move(call), counted);
            return;
        case RouteExec::kWorker:
        case RouteExec::kHasher: {
            auto& pool = route.exec == RouteExec::kWorker ? workers_ : hasher_;
            auto shared = std::make_shared<Call>(std::move(call));
            const Route* r = &route;
            if (!pool.TryPost([this, r, shared, counted] {
                    try {
                        r->handler(backend_, *shared, counted);
                    } catch (const std::exception& e) {
                        spdlog::error("handler {} threw: {}", r->pattern, e.what());
                        counted(ErrorResponse(MakeError(Errc::kInternal, e.what())));
                    }
                })) {
                counted(ErrorResponse(MakeError(Errc::kUnavailable, "server busy; retry")));
            }
            return;
        }
    }
}

}  // namespace rollcall::http
