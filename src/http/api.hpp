#pragma once

#include "core/metrics.hpp"
#include "core/worker_pool.hpp"
#include "http/event_hub.hpp"
#include "http/rate_limiter.hpp"
#include "net/address_set.hpp"
#include "net/http_message.hpp"
#include "service/services.hpp"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace rollcall::http {

struct ApiConfig {
    std::size_t body_limit_preauth = std::size_t{16} * 1024;
    std::size_t body_limit_api = std::size_t{1024} * 1024;
    std::size_t body_limit_push = std::size_t{2} * 1024 * 1024;
    std::size_t body_limit_import = std::size_t{8} * 1024 * 1024;
    std::size_t max_records = 5000;
    std::size_t max_terminal_users = 30000;  ///< agent.max_terminal_users
    std::int64_t push_rate_per_second = 200;
    std::int64_t push_rate_burst = 400;
    std::int64_t login_attempts_per_minute = 10;
    std::size_t rate_limit_buckets = 50'000;
    net::AddressSet trusted_proxies;  ///< peers whose X-Forwarded-For names the client
    std::size_t worker_threads = 4;
    std::size_t worker_queue_depth = 1024;
    std::size_t hash_queue_depth = 64;
    std::size_t writer_queue_depth = 4096;  ///< storage.writer_queue_depth, for readiness
    bool secure_cookies = true;
    std::int64_t session_ttl_seconds = std::int64_t{12} * 3600;
    std::int64_t report_max_days = 366;
    std::size_t report_threads = 2;         ///< reports.worker_threads
    std::size_t report_queue_depth = 8;     ///< reports.queue_depth
    std::size_t report_max_per_school = 1;  ///< reports.max_concurrent_per_school
    std::int64_t reprocess_max_days = 366;
    EventHubConfig events;  ///< events.*: the live event stream
};

/// What a route handler gets.
struct Call {
    net::Request request;
    std::string path;
    std::vector<std::string> params;  ///< the {placeholders} of the route, in order
    std::map<std::string, std::string> query;
    std::optional<service::Principal> principal;
    std::int64_t school_id = 0;  ///< under /api/v1/schools/{school_id}, and the agent's school (RouteAuth::kAgent)

    /// The i-th path parameter as an id; NotFound when it is not one.
    core::Result<std::int64_t> Id(std::size_t i) const;
    /// A required `?name=YYYY-MM-DD` query parameter; the error names it.
    core::Result<core::Date> DateQuery(const std::string& name) const;
    /// An optional `?name=` query parameter.
    std::optional<std::string> Query(const std::string& name) const;
    /// An optional `?name=N`; a parameter that is not a number is an error naming it.
    core::Result<std::optional<std::int64_t>> NumberQuery(const std::string& name) const;
    /// An optional `?name=YYYY-MM-DD`; another form is an error naming it.
    core::Result<std::optional<core::Date>> OptionalDateQuery(const std::string& name) const;
};

/// What a handler reaches beyond its call: the services, the API's settings, the clock and the rate limiters.
struct Backend {
    service::Services& services;
    const ApiConfig& config;
    const core::Clock& clock;
    core::Metrics& metrics;
    RateLimiter& push_limiter;
    RateLimiter& login_limiter;
    EventHub& events;
};

enum class RouteAuth { kNone, kDevice, kAgent, kAdmin };
enum class RouteBody { kPreauth, kApi, kPush, kImport };
/// Where a route runs: on the io thread; the admin worker pool; the password hasher; or the report pool
/// (reports.worker_threads), where one school has at most reports.max_concurrent_per_school jobs at once (429) and
/// a full pool answers 503, so that reports never hold up the admin API of any school.
enum class RouteExec { kInline, kWorker, kHasher, kReport };

using Reply = core::Result<net::Response>;
/// A handler answers through the responder, now or later (a push answers once its rows are durable).
using Handler = std::function<void(const Backend&, Call&, net::Responder)>;

/// One row of a route table. Most routes are admin routes with an API-sized body run on the worker pool: those
/// are the defaults, so a table names only what differs.
struct Route {
    std::string method;
    std::string pattern;  ///< "/api/v1/schools/{school_id}/devices/{id}"
    RouteAuth auth = RouteAuth::kAdmin;
    RouteBody body = RouteBody::kApi;
    RouteExec exec = RouteExec::kWorker;
    Handler handler;
};

/// A registered route without its handler: what the route table promises, for tests that walk every route.
struct RouteInfo {
    std::string method;
    std::string pattern;
    RouteAuth auth = RouteAuth::kAdmin;
    RouteBody body = RouteBody::kApi;
};

/// Adapts a synchronous handler: its error value becomes the mapped error answer.
Handler Sync(Reply (*fn)(const Backend&, Call&));

/// The login token of an admin request: the bearer token, else the session cookie.
std::optional<std::string> SessionTokenOf(const net::Request& request);

/// The route table and the request pipeline: match, authenticate, limit, run, count.
class Api final : public net::Dispatcher {
public:
    Api(service::Services& services, core::Metrics& metrics, const core::Clock& clock, const ApiConfig& config);
    ~Api() override;

    net::Admission Admit(const net::Request& head) override;
    void Handle(net::Request request, net::Responder unlogged) override;
    void OnTransportReply(int status) override;
    void OnTransportEvent(std::string_view event) override;

    /// Finishes queued work; call after the transport stopped.
    void Shutdown();

    /// Every registered route, in registration order.
    std::vector<RouteInfo> Routes() const;

    /// The live event stream's hub: what the recompute worker tells of changed register days (RegisterChanged).
    EventHub& Events() { return events_; }

private:
    struct Match {
        const Route* route = nullptr;
        std::vector<std::string> params;
        bool path_known = false;  ///< the path exists with another method (405)
    };
    Match Find(const std::string& method, const std::string& path) const;
    void AddRoutes(std::vector<Route> table);
    std::size_t BodyLimit(RouteBody body) const;
    /// The admin caller, authenticated at admission (AdminContext in Request::context) or now.
    struct AdminContext {
        service::Principal principal;
        bool from_cookie = false;
    };
    std::optional<AdminContext> AdminCaller(const net::Request& request);
    /// The client's address: the peer's, or what a trusted proxy's X-Forwarded-For says.
    std::string ClientOf(const net::Request& request) const;
    /// Runs a report route on the report pool within its school's share; answers 429 or 503 when it cannot.
    void RunReport(const Route& route, Call call, const net::Responder& counted);

    service::Services& services_;
    core::Metrics& metrics_;
    const core::Clock& clock_;
    ApiConfig config_;
    struct RouteEntry {
        Route route;
        std::vector<std::string> segments;
    };
    std::vector<RouteEntry> routes_;
    core::WorkerPool workers_;
    core::WorkerPool hasher_;
    core::WorkerPool reporter_;
    std::mutex report_mu_;
    std::size_t reports_in_flight_ = 0;                      ///< queued or running (report_mu_)
    std::map<std::int64_t, std::size_t> reports_by_school_;  ///< school id -> queued or running (report_mu_)
    RateLimiter push_limiter_;
    RateLimiter login_limiter_;
    EventHub events_;
    Backend backend_;  ///< after what it refers to
};

}  // namespace rollcall::http
