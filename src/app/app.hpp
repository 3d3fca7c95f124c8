#pragma once

#include "app/data_dir_lock.hpp"
#include "auth/crypto.hpp"
#include "config/settings.hpp"
#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "http/api.hpp"
#include "net/server.hpp"
#include "service/recompute_worker.hpp"
#include "service/services.hpp"
#include "service/webhook_dispatcher.hpp"
#include "storage/store.hpp"

#include <atomic>
#include <memory>
#include <optional>
#include <string>

namespace rollcall::app {

/// The composition root: configuration in, a running server out. Tests build one on port 0.
class App {
public:
    /// Opens storage and the secret key; throws std::runtime_error with a one-line reason on failure.
    explicit App(const config::Config& config, std::shared_ptr<core::Clock> clock = nullptr);
    ~App();

    /// Starts listening on the `listen` setting; returns the bound port.
    std::uint16_t Start();
    /// Graceful: stop accepting, finish in-flight requests, flush the writer.
    void Stop();

    /// The use cases, for the command line and tests that set up what the API cannot (the first user).
    service::Services& services() { return *services_; }
    core::Metrics& metrics() { return metrics_; }
    service::RecomputeWorker& recompute() { return *recompute_; }
    service::WebhookDispatcher& webhooks() { return *webhooks_; }
    /// The route table and request pipeline (tests walk every route through it).
    const http::Api& api() const { return *api_; }

private:
    config::Config config_;
    std::shared_ptr<core::Clock> clock_;
    std::optional<DataDirLock> lock_;  ///< first to be taken, last to be released
    core::Metrics metrics_;
    std::unique_ptr<storage::Store> store_;
    std::optional<auth::Crypto> crypto_;
    std::unique_ptr<service::Services> services_;
    std::unique_ptr<service::WebhookDispatcher> webhooks_;
    std::unique_ptr<service::RecomputeWorker> recompute_;
    std::atomic<service::RecomputeWorker*> wake_on_dirty_{nullptr};  ///< set once the worker exists
    std::unique_ptr<http::Api> api_;
    std::unique_ptr<net::Server> server_;
    bool stopped_ = false;
};

/// Parses "HOST:PORT"; throws std::invalid_argument.
std::pair<std::string, std::uint16_t> ParseListen(const std::string& listen);
/// The clock a configuration asks for: the system clock, or a fixed one (clock.fixed, tests and demos).
std::shared_ptr<core::Clock> MakeClock(const config::Config& config);
/// Whether opening the database may create it: `serve` and `init` may; the other commands refuse an empty
/// place, so that a mistyped --data-dir is an error rather than a new, empty database.
enum class StoreCreation { kCreateIfMissing, kMustExist };
/// The SQLite file the configuration names: `database` (sqlite:PATH) or `<data_dir>/rollcall.db`.
std::string DatabasePath(const config::Config& config);
/// Opens the configured database, migrating it; creates it (and its directory) only with kCreateIfMissing. Its
/// marks for recomputation are clamped to the reprocess window by `clock` (the configured one when null, R18).
std::unique_ptr<storage::Store> OpenStore(const config::Config& config,
                                          StoreCreation creation,
                                          core::Metrics* metrics,
                                          std::function<void()> on_dirty = {},
                                          std::shared_ptr<const core::Clock> clock = nullptr);
/// Loads or creates the secret key in the data directory.
auth::Crypto LoadCrypto(const config::Config& config);
service::ServiceConfig MakeServiceConfig(const config::Config& config);

}  // namespace rollcall::app
