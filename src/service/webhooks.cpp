#include "service/webhooks.hpp"

#include "domain/notifications.hpp"
#include "service/audit.hpp"

#include <algorithm>

namespace rollcall::service {
namespace {

using core::Errc;
using core::MakeError;
using domain::AuditAction;

constexpr std::size_t kMaxUrlLength = 2000;

core::Status CheckUrl(const std::string& url) {
    const bool http = url.starts_with("http://");
    const bool https = url.starts_with("https://");
    if (!http && !https) {
        return MakeError(Errc::kInvalidArgument, "url: must start with http:// or https://");
    }
    if (url.size() > kMaxUrlLength) {
        return MakeError(Errc::kInvalidArgument, "url: at most 2000 characters");
    }
    const auto host = url.substr(http ? 7 : 8);
    if (host.empty() || host.front() == '/' || host.front() == ':') {
        return MakeError(Errc::kInvalidArgument, "url: a host is missing");
    }
    if (std::any_of(url.begin(), url.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; })) {
        return MakeError(Errc::kInvalidArgument, "url: spaces and control characters are not allowed");
    }
    return {};
}

}  // namespace

Webhooks::Webhooks(storage::Store& store,
                   const auth::Crypto& crypto,
                   const core::Clock& clock,
                   std::size_t max_per_school)
    : store_(store), crypto_(crypto), clock_(clock), max_per_school_(max_per_school) {}

core::Result<WebhookWithSecret> Webhooks::CreateWebhook(const Principal& by,
                                                        std::int64_t school_id,
                                                        const std::string& url,
                                                        const std::vector<std::string>& events) {
    ROLLCALL_CHECK(store_.GetSchool(school_id));
    ROLLCALL_CHECK(CheckUrl(url));
    for (const auto& e : events) {
        if (!domain::ParseEventKind(e)) {
            return MakeError(Errc::kInvalidArgument, "events: '" + e + "' is not arrival, late, absent or correction");
        }
    }
    ROLLCALL_TRY(const auto existing, store_.ListWebhooks(school_id));
    if (existing.size() >= max_per_school_) {
        return MakeError(Errc::kConflict,
                         "url: this school has " + std::to_string(existing.size()) +
                             " webhooks, the most allowed (webhooks.max_per_school)");
    }
    WebhookWithSecret out;
    out.secret = auth::Crypto::NewToken(auth::kWebhookSecretPrefix);
    storage::Webhook w;
    w.school_id = school_id;
    w.url = url;
    w.events = events;
    w.secret_encrypted = crypto_.Encrypt(out.secret);
    w.created_at = clock_.NowUnix();
    auto audit = AuditOf(by, school_id, w.created_at, AuditAction::kCreate, "webhook");
    audit.new_value = WebhookAuditJson(w);
    Label(audit);
    ROLLCALL_TRY(out.webhook, store_.CreateWebhook(w, audit));
    return out;
}

core::Status Webhooks::DeleteWebhook(const Principal& by, std::int64_t school_id, std::int64_t id) {
    ROLLCALL_TRY(const auto webhook, store_.GetWebhook(school_id, id));
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), AuditAction::kDelete, "webhook");
    audit.old_value = WebhookAuditJson(webhook);
    Label(audit);
    ROLLCALL_CHECK(store_.DeleteWebhook(school_id, id, audit));
    if (on_deleted_) {
        on_deleted_(id);
    }
    return {};
}

void Webhooks::OnWebhookDeleted(std::function<void(std::int64_t webhook_id)> listener) {
    on_deleted_ = std::move(listener);
}

core::Result<std::vector<storage::Webhook>> Webhooks::ListWebhooks(std::int64_t school_id) {
    return store_.ListWebhooks(school_id);
}

core::Result<std::vector<storage::WebhookDelivery>> Webhooks::ListDeliveries(std::int64_t school_id,
                                                                             std::optional<std::int64_t> webhook_id,
                                                                             std::size_t limit) {
    return store_.ListDeliveries(school_id, webhook_id, limit);
}

}  // namespace rollcall::service
