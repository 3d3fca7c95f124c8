#include "app/app.hpp"

#include "app/private_files.hpp"
#include "net/http_client.hpp"
#include "service/recompute_window.hpp"

#include <charconv>
#include <filesystem>
#include <stdexcept>

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>
#include <spdlog/spdlog.h>

namespace rollcall::app {

std::pair<std::string, std::uint16_t> ParseListen(const std::string& listen) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) {
        throw std::invalid_argument("listen: expected HOST:PORT, :PORT or localhost:PORT, got '" + listen + "'");
    }
    std::string host = listen.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    // ":8080" means every interface, as in most servers' flags; "localhost" is the loopback address, without
    // asking a resolver that might answer ::1 first on one machine and 127.0.0.1 on another.
    if (host.empty()) {
        host = "0.0.0.0";
    } else if (host == "localhost") {
        host = "127.0.0.1";
    }
    unsigned port = 0;
    const auto* begin = listen.data() + colon + 1;
    const auto* end = listen.data() + listen.size();
    const auto [ptr, ec] = std::from_chars(begin, end, port);
    if (ec != std::errc() || ptr != end || port > 65535) {
        throw std::invalid_argument("listen: bad port in '" + listen + "'");
    }
    return {host, static_cast<std::uint16_t>(port)};
}

std::shared_ptr<core::Clock> MakeClock(const config::Config& config) {
    const auto& fixed = config.String("clock.fixed");
    if (fixed.empty()) {
        return std::make_shared<core::SystemClock>();
    }
    // "YYYY-MM-DDTHH:MM:SSZ"
    std::string text = fixed;
    if (!text.empty() && text.back() == 'Z') {
        text.pop_back();
    }
    const auto t = core::ParseLocalDateTime(text);
    if (!t) {
        throw std::invalid_argument("clock.fixed: expected YYYY-MM-DDTHH:MM:SSZ");
    }
    return std::make_shared<core::FixedClock>(t->seconds);
}

std::string DatabasePath(const config::Config& config) {
    const auto& database = config.String("database");
    if (database.empty()) {
        return (std::filesystem::path(config.String("data_dir")) / "rollcall.db").string();
    }
    if (database.starts_with("postgres://") || database.starts_with("postgresql://")) {
        throw std::runtime_error("database: PostgreSQL is not supported by this build yet; use sqlite:PATH");
    }
    if (!database.starts_with("sqlite:")) {
        throw std::runtime_error("database: expected sqlite:PATH or postgres://...");
    }
    return database.substr(7);
}

std::unique_ptr<storage::Store> OpenStore(const config::Config& config,
                                          StoreCreation creation,
                                          core::Metrics* metrics,
                                          std::function<void()> on_dirty,
                                          std::shared_ptr<const core::Clock> clock) {
    storage::StoreOptions options;
    options.path = DatabasePath(config);
    if (creation == StoreCreation::kMustExist && !std::filesystem::exists(options.path)) {
        // A mistyped --data-dir must not leave a second, empty database behind that the server never reads.
        throw std::runtime_error("no database at " + options.path +
                                 ": point --data-dir at the data directory `rollcall serve` uses, or create a new "
                                 "database there with `rollcall init --data-dir DIR`");
    }
    CreatePrivateDirectories(std::filesystem::path(options.path).parent_path());
    RestrictDatabaseFiles(options.path);
    options.writer_queue_depth = static_cast<std::size_t>(config.Int("storage.writer_queue_depth"));
    options.group_commit_max_rows = static_cast<std::size_t>(config.Int("storage.group_commit_max_rows"));
    options.read_connections = static_cast<std::size_t>(config.Int("storage.read_connections"));
    if (metrics != nullptr) {
        options.on_commit = [metrics](double seconds, std::size_t rows) { metrics->ObserveCommit(seconds, rows); };
        options.on_queue_depth = [metrics](std::size_t depth) {
            metrics->SetWriterQueueDepth(static_cast<std::int64_t>(depth));
        };
    }
    options.on_dirty = std::move(on_dirty);
    if (!clock) {
        clock = MakeClock(config);
    }
    options.mark_window =
        [clock, window = service::MarkWindowFor(*clock, static_cast<int>(config.Int("engine.reprocess_max_days")))](
            const std::string& zone) { return window(zone); };
    return storage::OpenSqliteStore(options);
}

auth::Crypto LoadCrypto(const config::Config& config) {
    const auto& data_dir = config.String("data_dir");
    CreatePrivateDirectories(data_dir);
    auto crypto = auth::Crypto::LoadOrCreate((std::filesystem::path(data_dir) / "secret.key").string());
    if (!crypto) {
        throw std::runtime_error(crypto.error().message);
    }
    return *crypto;
}

service::ServiceConfig MakeServiceConfig(const config::Config& config) {
    service::ServiceConfig sc;
    sc.password_cost.ops = static_cast<std::uint64_t>(config.Int("auth.argon2_ops"));
    sc.password_cost.mem_kib = static_cast<std::size_t>(config.Int("auth.argon2_mem_kib"));
    sc.session_ttl_seconds = config.Int("auth.session_ttl_minutes") * 60;
    sc.record_limits.max_user_id_length = static_cast<std::size_t>(config.Int("push.max_user_id_length"));
    sc.max_records = static_cast<std::size_t>(config.Int("push.max_records"));
    sc.max_terminal_users = static_cast<std::size_t>(config.Int("agent.max_terminal_users"));
    sc.max_webhooks = static_cast<std::size_t>(config.Int("webhooks.max_per_school"));
    sc.unknown_token_sources = static_cast<std::size_t>(config.Int("push.unknown_token_sources"));
    sc.recompute.reprocess_max_days = static_cast<int>(config.Int("engine.reprocess_max_days"));
    sc.recompute.clock_correction_max_days = static_cast<int>(config.Int("engine.clock_correction_max_days"));
    return sc;
}

App::App(const config::Config& config, std::shared_ptr<core::Clock> clock)
    : config_(config), clock_(clock ? std::move(clock) : MakeClock(config)) {
    // The lock comes first, before anything opens the database; its file needs the database's directory.
    const auto database = DatabasePath(config_);
    CreatePrivateDirectories(std::filesystem::path(database).parent_path());
    lock_.emplace(database);
    store_ = OpenStore(
        config_,
        StoreCreation::kCreateIfMissing,
        &metrics_,
        [this] {
            if (auto* worker = wake_on_dirty_.load()) {
                worker->Wake();
            }
        },
        clock_);
    crypto_.emplace(LoadCrypto(config_));
    services_ = std::make_unique<service::Services>(*store_, *crypto_, *clock_, metrics_, MakeServiceConfig(config_));

    service::DispatchConfig dc;
    dc.max_attempts = static_cast<int>(config_.Int("webhooks.max_attempts"));
    dc.retry_base_seconds = config_.Int("webhooks.retry_base_seconds");
    dc.retry_max_seconds = config_.Int("webhooks.retry_max_seconds");
    net::ClientOptions client;
    client.timeout = std::chrono::milliseconds(config_.Int("webhooks.timeout_ms"));
    client.ca_file = config_.String("webhooks.ca_file");
    client.allow_private_addresses = config_.Bool("webhooks.allow_private_addresses");
    auto poster = [client](const std::string& url, const service::Headers& headers, const std::string& body) {
        auto status = net::Post(url, headers, body, client);
        return status ? service::PostOutcome{*status, ""} : service::PostOutcome{0, status.error().message};
    };
    webhooks_ = std::make_unique<service::WebhookDispatcher>(*store_, *crypto_, *clock_, poster, dc);
    services_->webhooks.OnWebhookDeleted([this](std::int64_t id) { webhooks_->ForgetWebhook(id); });
    service::RecomputeConfig rc;
    rc.sweep_interval = std::chrono::seconds(config_.Int("engine.sweep_seconds"));
    rc.sweep_days = static_cast<int>(config_.Int("engine.sweep_days"));
    rc.event_max_age_days = static_cast<int>(config_.Int("webhooks.max_event_age_days"));
    rc.reprocess_days = static_cast<int>(config_.Int("engine.reprocess_max_days"));
    recompute_ = std::make_unique<service::RecomputeWorker>(
        *store_, services_->attendance, services_->calendar, *clock_, rc, [this] { webhooks_->Wake(); });
    wake_on_dirty_.store(recompute_.get());
    http::ApiConfig ac;
    ac.body_limit_preauth = static_cast<std::size_t>(config_.Int("http.body_limit.preauth"));
    ac.body_limit_api = static_cast<std::size_t>(config_.Int("http.body_limit.api"));
    ac.body_limit_push = static_cast<std::size_t>(config_.Int("http.body_limit.push"));
    ac.body_limit_import = static_cast<std::size_t>(config_.Int("http.body_limit.import"));
    ac.max_records = static_cast<std::size_t>(config_.Int("push.max_records"));
    ac.max_terminal_users = static_cast<std::size_t>(config_.Int("agent.max_terminal_users"));
    ac.push_rate_per_second = config_.Int("push.rate_per_second");
    ac.push_rate_burst = config_.Int("push.rate_burst");
    ac.login_attempts_per_minute = config_.Int("auth.login_attempts_per_minute");
    ac.rate_limit_buckets = static_cast<std::size_t>(config_.Int("auth.rate_limit_buckets"));
    auto proxies = net::AddressSet::Parse(config_.String("http.trusted_proxies"));
    if (!proxies) {
        throw std::runtime_error("http.trusted_proxies: " + proxies.error().message);
    }
    ac.trusted_proxies = *proxies;
    ac.worker_threads = static_cast<std::size_t>(config_.Int("service.worker_threads"));
    ac.worker_queue_depth = static_cast<std::size_t>(config_.Int("service.worker_queue_depth"));
    ac.hash_queue_depth = static_cast<std::size_t>(config_.Int("auth.hash_queue_depth"));
    ac.writer_queue_depth = static_cast<std::size_t>(config_.Int("storage.writer_queue_depth"));
    ac.secure_cookies = config_.Bool("auth.secure_cookies");
    ac.session_ttl_seconds = config_.Int("auth.session_ttl_minutes") * 60;
    ac.report_max_days = config_.Int("reports.max_days");
    ac.report_threads = static_cast<std::size_t>(config_.Int("reports.worker_threads"));
    ac.report_queue_depth = static_cast<std::size_t>(config_.Int("reports.queue_depth"));
    ac.report_max_per_school = static_cast<std::size_t>(config_.Int("reports.max_concurrent_per_school"));
    ac.reprocess_max_days = config_.Int("engine.reprocess_max_days");
    ac.events.heartbeat = std::chrono::seconds(config_.Int("events.heartbeat_seconds"));
    ac.events.max_streams_per_school = static_cast<std::size_t>(config_.Int("events.max_streams_per_school"));
    ac.events.queue_depth = static_cast<std::size_t>(config_.Int("events.queue_depth"));
    api_ = std::make_unique<http::Api>(*services_, metrics_, *clock_, ac);
    recompute_->SetLiveEvents(&api_->Events());

    net::Limits limits;
    limits.header_limit = static_cast<std::size_t>(config_.Int("http.header_limit"));
    limits.body_budget = static_cast<std::size_t>(config_.Int("http.body_budget_bytes"));
    const auto largest_body =
        std::max({ac.body_limit_preauth, ac.body_limit_api, ac.body_limit_push, ac.body_limit_import});
    if (limits.body_budget < largest_body) {
        // A body the budget could never hold would be refused for ever, as if the server were always busy.
        throw std::runtime_error(
            "http.body_budget_bytes: " + std::to_string(limits.body_budget) +
            " is smaller than the largest body limit (http.body_limit.*: " + std::to_string(largest_body) + ")");
    }
    limits.request_timeout = std::chrono::milliseconds(config_.Int("http.request_timeout_ms"));
    limits.idle_timeout = std::chrono::milliseconds(config_.Int("http.idle_timeout_ms"));
    limits.write_timeout = std::chrono::milliseconds(config_.Int("http.write_timeout_ms"));
    limits.drain_timeout = std::chrono::milliseconds(config_.Int("http.drain_timeout_ms"));
    limits.max_connections = static_cast<std::size_t>(config_.Int("http.max_connections"));
    limits.max_connections_per_address = static_cast<std::size_t>(config_.Int("http.max_connections_per_address"));
    limits.trusted_proxies = ac.trusted_proxies;
    limits.max_connections_per_caller = static_cast<std::size_t>(config_.Int("http.max_connections_per_device"));
    limits.io_threads = static_cast<int>(config_.Int("http.io_threads"));
    server_ = std::make_unique<net::Server>(limits, *api_);
}

App::~App() {
    Stop();
}

std::uint16_t App::Start() {
    const auto [host, port] = ParseListen(config_.String("listen"));
    std::uint16_t bound = 0;
    try {
        bound = server_->Start(host, port);
    } catch (const boost::system::system_error& e) {
        const std::string where = host + ":" + std::to_string(port);
        if (e.code() == boost::asio::error::address_in_use) {
            throw std::runtime_error("cannot listen on " + where +
                                     ": the port is already in use (another rollcall, or another program); "
                                     "choose another with --listen, e.g. --listen 127.0.0.1:8081");
        }
        throw std::runtime_error("cannot listen on " + where + ": " + e.code().message() +
                                 "; check --listen (HOST:PORT, e.g. 127.0.0.1:8080 or :8080 for every interface)");
    }
    if (config_.Bool("engine.worker")) {
        recompute_->Start();
        webhooks_->Start();
    }
    return bound;
}

void App::Stop() {
    if (stopped_) {
        return;
    }
    stopped_ = true;
    server_->Stop();
    api_->Shutdown();
    wake_on_dirty_.store(nullptr);
    recompute_->Stop();
    webhooks_->Stop();
    store_->Flush();
}

}  // namespace rollcall::app
