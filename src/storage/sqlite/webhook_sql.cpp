#include "storage/sqlite/webhook_sql.hpp"

#include "storage/sqlite/sqlite_db.hpp"

#include <sstream>

namespace rollcall::storage::sqlite {
namespace {

// The event kinds a webhook receives, kept as one comma-separated column.
std::string JoinEvents(const std::vector<std::string>& events) {
    std::string out;
    for (const auto& e : events) {
        out += (out.empty() ? "" : ",") + e;
    }
    return out;
}

std::vector<std::string> SplitEvents(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string e; std::getline(in, e, ',');) {
        if (!e.empty()) {
            out.push_back(e);
        }
    }
    return out;
}

constexpr const char* kDeliveryColumns =
    "id, school_id, webhook_id, event, person_id, date, payload, state, attempts, next_attempt_at, last_status, "
    "last_error, created_at, delivered_at";

std::vector<WebhookDelivery> ReadDeliveries(Stmt& s) {
    std::vector<WebhookDelivery> out;
    while (s.Step()) {
        WebhookDelivery d;
        d.id = s.Int(0);
        d.school_id = s.Int(1);
        d.webhook_id = s.Int(2);
        d.event = s.Text(3);
        d.person_id = s.Int(4);
        d.date = core::Date{static_cast<std::int32_t>(s.Int(5))};
        d.payload = s.Text(6);
        d.state = s.Enum<domain::DeliveryState>(7);
        d.attempts = static_cast<std::int32_t>(s.Int(8));
        d.next_attempt_at = s.Int(9);
        d.last_status = static_cast<std::int32_t>(s.Int(10));
        d.last_error = s.Text(11);
        d.created_at = s.Int(12);
        d.delivered_at = s.OptInt(13);
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace

std::int64_t InsertWebhook(Db& db, const Webhook& w) {
    Stmt(db, "INSERT INTO webhooks(school_id, url, events, secret_encrypted, active, created_at) VALUES(?,?,?,?,?,?)")
        .Bind(1, w.school_id)
        .Bind(2, w.url)
        .Bind(3, JoinEvents(w.events))
        .Bind(4, std::span<const std::uint8_t>(w.secret_encrypted))
        .Bind(5, std::int64_t{w.active ? 1 : 0})
        .Bind(6, w.created_at)
        .Exec();
    return db.LastInsertId();
}

std::vector<Webhook> SelectWebhooks(Db& db, std::int64_t school_id, std::optional<std::int64_t> id) {
    Stmt s(db,
           "SELECT id, school_id, url, events, secret_encrypted, active, created_at FROM webhooks "
           "WHERE school_id = ?1 AND (?2 IS NULL OR id = ?2) ORDER BY id");
    s.Bind(1, school_id).Bind(2, id);
    std::vector<Webhook> out;
    while (s.Step()) {
        out.push_back(
            Webhook{s.Int(0), s.Int(1), s.Text(2), SplitEvents(s.Text(3)), s.Blob(4), s.Int(5) != 0, s.Int(6)});
    }
    return out;
}

bool RemoveWebhook(Db& db, std::int64_t school_id, std::int64_t id) {
    Stmt(db, "DELETE FROM webhooks WHERE school_id = ? AND id = ?").Bind(1, school_id).Bind(2, id).Exec();
    return db.Changes() > 0;
}

std::vector<WebhookDelivery> SelectDueDeliveries(Db& db, std::int64_t now, std::size_t limit) {
    Stmt s(db,
           std::string("SELECT ") + kDeliveryColumns +
               " FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ? "
               "ORDER BY next_attempt_at, id LIMIT ?");
    s.Bind(1, now).Bind(2, static_cast<std::int64_t>(limit));
    return ReadDeliveries(s);
}

std::optional<std::int64_t> SelectNextDeliveryAt(Db& db) {
    Stmt s(db, "SELECT min(next_attempt_at) FROM webhook_deliveries WHERE state = 'pending'");
    return s.Step() ? s.OptInt(0) : std::nullopt;
}

void SaveDeliveryAttempt(Db& db, const WebhookDelivery& d) {
    Stmt(db,
         "UPDATE webhook_deliveries SET state = ?, attempts = ?, next_attempt_at = ?, last_status = ?, "
         "last_error = ?, delivered_at = ? WHERE id = ?")
        .Bind(1, d.state)
        .Bind(2, std::int64_t{d.attempts})
        .Bind(3, d.next_attempt_at)
        .Bind(4, std::int64_t{d.last_status})
        .Bind(5, d.last_error)
        .Bind(6, d.delivered_at)
        .Bind(7, d.id)
        .Exec();
    if (d.state == domain::DeliveryState::kPending && d.attempts > 0) {
        // The gateway failed: its other events wait out the same backoff instead of filling every pass (a
        // dead gateway with a morning's backlog must not hold up other schools' deliveries).
        Stmt(db,
             "UPDATE webhook_deliveries SET next_attempt_at = max(next_attempt_at, ?) "
             "WHERE webhook_id = ? AND state = 'pending' AND id <> ?")
            .Bind(1, d.next_attempt_at)
            .Bind(2, d.webhook_id)
            .Bind(3, d.id)
            .Exec();
    }
}

std::vector<WebhookDelivery> SelectDeliveries(Db& db,
                                              std::int64_t school_id,
                                              std::optional<std::int64_t> webhook_id,
                                              std::size_t limit) {
    Stmt s(db,
           std::string("SELECT ") + kDeliveryColumns +
               " FROM webhook_deliveries WHERE school_id = ?1 AND (?2 IS NULL OR webhook_id = ?2) "
               "ORDER BY id DESC LIMIT ?3");
    s.Bind(1, school_id).Bind(2, webhook_id).Bind(3, static_cast<std::int64_t>(limit));
    return ReadDeliveries(s);
}

}  // namespace rollcall::storage::sqlite
