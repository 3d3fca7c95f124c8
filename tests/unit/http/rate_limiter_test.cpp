// The token buckets behind the login and push limits: memory stays bounded whatever keys arrive, and the
// buckets still in use are the ones kept.

#include "http/rate_limiter.hpp"

#include <string>

#include <gtest/gtest.h>

namespace rollcall::http {
namespace {

TEST(RateLimiter, ABucketEmptiesAfterItsBurstAndRefillsWithTime) {
    core::FixedClock clock(1'000'000);
    RateLimiter limiter(clock, 2, 60, 2, 100);
    EXPECT_TRUE(limiter.Allow("email:head@hill.example.org"));
    EXPECT_TRUE(limiter.Allow("email:head@hill.example.org"));
    EXPECT_FALSE(limiter.Allow("email:head@hill.example.org"));
    EXPECT_TRUE(limiter.Allow("email:deputy@hill.example.org")) << "another key has its own bucket";
    clock.Advance(60);
    EXPECT_TRUE(limiter.Allow("email:head@hill.example.org"));
}

TEST(RateLimiter, AFloodOfLongMadeUpKeysKeepsOnlyTheCapacity) {
    core::FixedClock clock(1'000'000);
    RateLimiter limiter(clock, 10, 60, 10, 500);
    const std::string padding(4000, 'x');
    for (int i = 0; i < 20'000; ++i) {
        (void)limiter.Allow("email:" + std::to_string(i) + padding + "@example.org");
    }
    EXPECT_EQ(limiter.Size(), 500U);
}

TEST(RateLimiter, TheBucketsStillInUseAreTheOnesKept) {
    core::FixedClock clock(1'000'000);
    RateLimiter limiter(clock, 1, 60, 1, 3);
    ASSERT_TRUE(limiter.Allow("addr:10.0.0.1"));
    ASSERT_FALSE(limiter.Allow("addr:10.0.0.1"));  // empty, and most recently used
    (void)limiter.Allow("addr:10.0.0.2");
    (void)limiter.Allow("addr:10.0.0.3");
    ASSERT_FALSE(limiter.Allow("addr:10.0.0.1"));  // used again: now 10.0.0.2 is the oldest
    (void)limiter.Allow("addr:10.0.0.4");          // evicts 10.0.0.2, not the empty bucket of 10.0.0.1
    EXPECT_FALSE(limiter.Allow("addr:10.0.0.1")) << "a limited address must not be forgotten while it keeps trying";
    EXPECT_EQ(limiter.Size(), 3U);
}

}  // namespace
}  // namespace rollcall::http
