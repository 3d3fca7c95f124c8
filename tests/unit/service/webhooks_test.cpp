// Webhooks against a real temporary store: registration, its limits and secret, and the delivery log.

#include "service/webhooks.hpp"

#include "support/service_world.hpp"

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

class WebhooksTest : public ::testing::Test {
protected:
    test::ServiceWorld w_;
    Webhooks webhooks_{*w_.store, w_.crypto, w_.clock, 2};
    std::int64_t school_ = w_.School();
};

TEST_F(WebhooksTest, AWebhookIsGivenASecretOnceAndTheTrailKeepsItOut) {
    const auto created = webhooks_.CreateWebhook(w_.admin, school_, "https://sms.example/hook", {"late"}).value();
    EXPECT_TRUE(created.secret.starts_with("rcw_"));
    EXPECT_EQ(w_.crypto.Decrypt(created.webhook.secret_encrypted).value(), created.secret);
    const auto listed = webhooks_.ListWebhooks(school_).value();
    ASSERT_EQ(listed.size(), 1U);
    EXPECT_EQ(listed[0].events, std::vector<std::string>{"late"});
    const auto line = w_.Audit(school_).at(0);
    EXPECT_EQ(line.entity, "webhook");
    EXPECT_NE(line.new_value.find("https://sms.example/hook"), std::string::npos);
    EXPECT_EQ(line.new_value.find(created.secret), std::string::npos);
}

TEST_F(WebhooksTest, AWebhookNeedsAnHttpUrlKnownEventsAndRoomUnderTheSchoolsLimit) {
    EXPECT_EQ(webhooks_.CreateWebhook(w_.admin, school_, "ftp://x", {}).error().message,
              "url: must start with http:// or https://");
    EXPECT_EQ(webhooks_.CreateWebhook(w_.admin, school_, "https://x/", {"birthday"}).error().message,
              "events: 'birthday' is not arrival, late, absent or correction");
    ASSERT_TRUE(webhooks_.CreateWebhook(w_.admin, school_, "https://a.example/", {}).ok());
    ASSERT_TRUE(webhooks_.CreateWebhook(w_.admin, school_, "https://b.example/", {}).ok());
    EXPECT_EQ(webhooks_.CreateWebhook(w_.admin, school_, "https://c.example/", {}).error().code, core::Errc::kConflict);
    EXPECT_EQ(webhooks_.CreateWebhook(w_.admin, school_ + 100, "https://d.example/", {}).error().code,
              core::Errc::kNotFound);
}

TEST_F(WebhooksTest, ADeletedWebhookIsAuditedAndItsLogIsEmpty) {
    const auto created = webhooks_.CreateWebhook(w_.admin, school_, "https://sms.example/hook", {}).value();
    EXPECT_TRUE(webhooks_.ListDeliveries(school_, created.webhook.id, 10)->empty());
    ASSERT_TRUE(webhooks_.DeleteWebhook(w_.admin, school_, created.webhook.id).ok());
    EXPECT_EQ(webhooks_.DeleteWebhook(w_.admin, school_, created.webhook.id).error().code, core::Errc::kNotFound);
    EXPECT_TRUE(webhooks_.ListWebhooks(school_)->empty());
    EXPECT_EQ(w_.Audit(school_).at(0).action, domain::AuditAction::kDelete);
}

}  // namespace
}  // namespace rollcall::service
