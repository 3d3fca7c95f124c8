#pragma once

#include "storage/records.hpp"

#include <optional>
#include <vector>

namespace rollcall::storage::sqlite {

class Db;

// The statements of webhooks and their delivery log, run inside the store's transactions and reads.

std::int64_t InsertWebhook(Db& db, const Webhook& webhook);
std::vector<Webhook> SelectWebhooks(Db& db, std::int64_t school_id, std::optional<std::int64_t> id);
/// False when the school has no such webhook.
bool RemoveWebhook(Db& db, std::int64_t school_id, std::int64_t id);
std::vector<WebhookDelivery> SelectDueDeliveries(Db& db, std::int64_t now, std::size_t limit);
std::optional<std::int64_t> SelectNextDeliveryAt(Db& db);
void SaveDeliveryAttempt(Db& db, const WebhookDelivery& delivery);
std::vector<WebhookDelivery> SelectDeliveries(Db& db,
                                              std::int64_t school_id,
                                              std::optional<std::int64_t> webhook_id,
                                              std::size_t limit);

}  // namespace rollcall::storage::sqlite
