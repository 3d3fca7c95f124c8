// Webhook signatures and retry timing, without the network (the integration tests send real requests).

#include "service/webhook_dispatcher.hpp"

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

TEST(WebhookDispatcher, HmacSha256MatchesRfc4231) {
    // RFC 4231 test case 2.
    EXPECT_EQ(auth::HmacSha256Hex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(WebhookDispatcher, SignatureCoversTimestampAndBody) {
    const auto sig = SignatureHeader("rcw_secret", 1773309600, R"({"type":"late"})");
    EXPECT_EQ(sig, "sha256=" + auth::HmacSha256Hex("rcw_secret", R"(1773309600.{"type":"late"})"));
    EXPECT_NE(sig, SignatureHeader("rcw_secret", 1773309601, R"({"type":"late"})"));
    EXPECT_NE(sig, SignatureHeader("rcw_secret", 1773309600, R"({"type":"absent"})"));
    EXPECT_NE(sig, SignatureHeader("rcw_other", 1773309600, R"({"type":"late"})"));
}

TEST(WebhookDispatcher, RetryDelayDoublesUpToTheCap) {
    DispatchConfig c;
    c.retry_base_seconds = 30;
    c.retry_max_seconds = 3600;
    EXPECT_EQ(RetryDelay(c, 1), 30);
    EXPECT_EQ(RetryDelay(c, 2), 60);
    EXPECT_EQ(RetryDelay(c, 3), 120);
    EXPECT_EQ(RetryDelay(c, 7), 1920);
    EXPECT_EQ(RetryDelay(c, 8), 3600);
    EXPECT_EQ(RetryDelay(c, 100), 3600);
}

}  // namespace
}  // namespace rollcall::service
