#pragma once

#include "auth/crypto.hpp"
#include "core/background_loop.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/store.hpp"

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace rollcall::service {

/// What an HTTP POST came back with: a status, or (status 0) why none arrived.
struct PostOutcome {
    int status = 0;
    std::string error;
};
using Headers = std::vector<std::pair<std::string, std::string>>;
/// Sends one POST; the composition root gives the real HTTP client (net/http_client).
using Poster = std::function<PostOutcome(const std::string& url, const Headers& headers, const std::string& body)>;

struct DispatchConfig {
    int max_attempts = 8;
    std::int64_t retry_base_seconds = 30;  ///< the first retry; each next one waits twice as long
    std::int64_t retry_max_seconds = 3600;
    std::size_t batch = 32;
};

/// The seconds to wait after failed attempt number `attempts` (1-based): base, 2 base, 4 base ... capped.
std::int64_t RetryDelay(const DispatchConfig& config, int attempts);

/// "sha256=" + hex HMAC-SHA256 of "<timestamp>.<body>" under the webhook's secret (docs/api.md "Webhooks").
std::string SignatureHeader(std::string_view secret, std::int64_t timestamp, std::string_view body);

/// Sends the pending webhook deliveries: signed, retried with exponential backoff, every attempt recorded
/// in the delivery log. A webhook whose gateway failed waits out its backoff before its other events are
/// tried, so one dead gateway costs one timeout per backoff period, not one per event.
class WebhookDispatcher {
public:
    WebhookDispatcher(storage::Store& store,
                      const auth::Crypto& crypto,
                      const core::Clock& clock,
                      Poster poster,
                      DispatchConfig config);
    ~WebhookDispatcher();

    void Start();
    void Stop();
    void Wake();

    /// One pass over the due deliveries on the caller's thread; returns how many attempts it made.
    core::Result<std::size_t> DeliverDue();

    /// Drops what the dispatcher holds in memory about a deleted webhook (its backoff). Ids are never reused
    /// (storage migration 14), and nothing of a deleted webhook may outlive it. Does not wait for a pass.
    void ForgetWebhook(std::int64_t webhook_id);
    /// Whether a webhook's gateway failed and its events wait out the backoff (what ForgetWebhook drops).
    bool InBackoff(std::int64_t webhook_id) const;

private:
    /// One pass of the background loop: the due deliveries; returns when the next attempt is due.
    core::BackgroundLoop::Clock::time_point Pass();
    core::Status Attempt(storage::WebhookDelivery delivery);

    storage::Store& store_;
    const auth::Crypto& crypto_;
    const core::Clock& clock_;
    Poster poster_;
    DispatchConfig config_;

    std::mutex run_mu_;              ///< one pass at a time (the background loop, or a caller's DeliverDue)
    mutable std::mutex backoff_mu_;  ///< not held while posting, so that a delete never waits for a gateway
    std::map<std::int64_t, std::int64_t> blocked_until_;  ///< webhook id -> no attempts before (backoff_mu_)
    core::BackgroundLoop loop_;                           ///< last: stopped before the members its passes use
};

}  // namespace rollcall::service
