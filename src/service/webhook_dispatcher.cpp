#include "service/webhook_dispatcher.hpp"

#include <algorithm>
#include <chrono>

#include <spdlog/spdlog.h>

namespace rollcall::service {
namespace {

// When nothing is due, look again after this long anyway (a delivery written by another process).
constexpr std::int64_t kIdlePollSeconds = 30;

}  // namespace

std::int64_t RetryDelay(const DispatchConfig& config, int attempts) {
    std::int64_t delay = config.retry_base_seconds;
    for (int i = 1; i < attempts && delay < config.retry_max_seconds; ++i) {
        delay *= 2;
    }
    return std::min(delay, config.retry_max_seconds);
}

std::string SignatureHeader(std::string_view secret, std::int64_t timestamp, std::string_view body) {
    // The timestamp is signed with the body so a captured request cannot be replayed later as new.
    std::string message = std::to_string(timestamp);
    message += '.';
    message += body;
    return "sha256=" + auth::HmacSha256Hex(secret, message);
}

WebhookDispatcher::WebhookDispatcher(
    storage::Store& store, const auth::Crypto& crypto, const core::Clock& clock, Poster poster, DispatchConfig config)
    : store_(store), crypto_(crypto), clock_(clock), poster_(std::move(poster)), config_(config) {}

WebhookDispatcher::~WebhookDispatcher() {
    Stop();
}

void WebhookDispatcher::Start() {
    loop_.Start([this]() -> std::optional<core::BackgroundLoop::Clock::time_point> { return Pass(); });
}

void WebhookDispatcher::Stop() {
    loop_.Stop();
}

void WebhookDispatcher::Wake() {
    loop_.Wake();
}

core::BackgroundLoop::Clock::time_point WebhookDispatcher::Pass() {
    if (auto n = DeliverDue(); !n) {
        spdlog::warn("webhooks: {}", n.error().message);
    }
    // Sleep until the next attempt is due (by the service clock), a wake, or the idle poll.
    const auto now = clock_.NowUnix();
    std::int64_t wait = kIdlePollSeconds;
    if (auto next = store_.NextDeliveryAt(); next && *next) {
        wait = std::clamp<std::int64_t>(**next - now, 1, kIdlePollSeconds);
    }
    return core::BackgroundLoop::Clock::now() + std::chrono::seconds(wait);
}

core::Result<std::size_t> WebhookDispatcher::DeliverDue() {
    std::lock_guard run(run_mu_);
    std::size_t attempts = 0;
    const auto now = clock_.NowUnix();
    {
        std::lock_guard backoff(backoff_mu_);
        std::erase_if(blocked_until_, [&](const auto& entry) { return entry.second <= now; });
    }
    ROLLCALL_TRY(const auto due, store_.ListDueDeliveries(now, config_.batch));
    for (auto& delivery : due) {
        if (loop_.stopping()) {
            break;
        }
        if (InBackoff(delivery.webhook_id)) {
            continue;
        }
        if (auto s = Attempt(delivery); !s) {
            spdlog::error("webhooks: delivery {} could not be attempted: {}", delivery.id, s.error().message);
            continue;  // one bad row must not hold up the ones behind it
        }
        ++attempts;
    }
    return attempts;
}

void WebhookDispatcher::ForgetWebhook(std::int64_t webhook_id) {
    // A pass may be posting to this webhook right now and note a backoff after this: the entry then names an id
    // that is never handed out again, and goes at its expiry.
    std::lock_guard backoff(backoff_mu_);
    blocked_until_.erase(webhook_id);
}

bool WebhookDispatcher::InBackoff(std::int64_t webhook_id) const {
    std::lock_guard backoff(backoff_mu_);
    return blocked_until_.contains(webhook_id);
}

core::Status WebhookDispatcher::Attempt(storage::WebhookDelivery delivery) {
    ROLLCALL_TRY(const auto school, store_.GetSchool(delivery.school_id));
    if (school.status != domain::ActiveStatus::kActive) {
        // A school that left the service sends its parents nothing; the log says why it was not sent.
        delivery.state = domain::DeliveryState::kFailed;
        delivery.last_error = "not sent: the school is deactivated";
        return store_.UpdateDelivery(delivery);
    }
    ROLLCALL_TRY(const auto hook, store_.GetWebhook(delivery.school_id, delivery.webhook_id));
    ROLLCALL_TRY(const auto secret, crypto_.Decrypt(hook.secret_encrypted));
    const auto now = clock_.NowUnix();
    const Headers headers{{"Content-Type", "application/json"},
                          {"User-Agent", "Rollcall-Webhook/1"},
                          {"X-Rollcall-Event", delivery.event},
                          {"X-Rollcall-Delivery", std::to_string(delivery.id)},
                          {"X-Rollcall-Timestamp", std::to_string(now)},
                          {"X-Rollcall-Signature", SignatureHeader(secret, now, delivery.payload)}};
    const auto outcome = poster_(hook.url, headers, delivery.payload);
    ++delivery.attempts;
    delivery.last_status = outcome.status;
    delivery.last_error = outcome.error;
    if (outcome.status >= 200 && outcome.status < 300) {
        delivery.state = domain::DeliveryState::kDelivered;
        delivery.delivered_at = clock_.NowUnix();
        delivery.last_error.clear();
    } else {
        if (delivery.last_error.empty()) {
            delivery.last_error = "HTTP " + std::to_string(outcome.status);
        }
        if (delivery.attempts >= config_.max_attempts) {
            delivery.state = domain::DeliveryState::kFailed;
        } else {
            delivery.next_attempt_at = now + RetryDelay(config_, delivery.attempts);
            std::lock_guard backoff(backoff_mu_);
            blocked_until_[delivery.webhook_id] = delivery.next_attempt_at;
        }
        spdlog::warn("webhooks: delivery {} to webhook {} failed (attempt {}): {}",
                     delivery.id,
                     delivery.webhook_id,
                     delivery.attempts,
                     delivery.last_error);
    }
    return store_.UpdateDelivery(delivery);
}

}  // namespace rollcall::service
