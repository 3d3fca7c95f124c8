#pragma once

// Webhooks (docs/api.md "Webhooks"): a school's messaging gateway registers URLs; the recompute worker writes
// events for them and the dispatcher sends them signed with the secret given here.

#include "auth/crypto.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "service/principal.hpp"
#include "storage/store.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rollcall::service {

/// A new webhook and its signing secret, shown this once.
struct WebhookWithSecret {
    storage::Webhook webhook;
    std::string secret;
};

class Webhooks {
public:
    /// `max_per_school`: webhooks.max_per_school.
    Webhooks(storage::Store& store, const auth::Crypto& crypto, const core::Clock& clock, std::size_t max_per_school);

    core::Result<WebhookWithSecret> CreateWebhook(const Principal& by,
                                                  std::int64_t school_id,
                                                  const std::string& url,
                                                  const std::vector<std::string>& events);
    core::Result<std::vector<storage::Webhook>> ListWebhooks(std::int64_t school_id);
    /// Deletes a webhook and its delivery log, then tells the listener (OnWebhookDeleted).
    core::Status DeleteWebhook(const Principal& by, std::int64_t school_id, std::int64_t id);
    /// Who must forget a deleted webhook: the dispatcher's in-memory backoff. Set once, before requests come.
    void OnWebhookDeleted(std::function<void(std::int64_t webhook_id)> listener);
    /// The newest `limit` deliveries of the school, or of one of its webhooks.
    core::Result<std::vector<storage::WebhookDelivery>> ListDeliveries(std::int64_t school_id,
                                                                       std::optional<std::int64_t> webhook_id,
                                                                       std::size_t limit);

private:
    storage::Store& store_;
    const auth::Crypto& crypto_;
    const core::Clock& clock_;
    std::size_t max_per_school_;
    std::function<void(std::int64_t)> on_deleted_;
};

}  // namespace rollcall::service
