// What the panel shows about pushes that went wrong: each device's last refusal, and the unknown-token pushes of
// the last hour by address, bounded in memory.

#include "service/push_watch.hpp"

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

constexpr std::int64_t kNow = 1773309600;  // 2026-03-12 10:00 UTC

TEST(PushWatch, ADevicesLastRefusalIsKeptWithItsReasonAndAddress) {
    core::FixedClock clock(kNow);
    PushWatch watch(clock, 10);
    EXPECT_FALSE(watch.LastRefused(3));
    watch.Refused(3, RefusedPush{kNow, "device_inactive", "device is inactive", 403, "10.0.0.7"});
    watch.Refused(3, RefusedPush{kNow + 5, "not_push_mode", "not push", 403, "10.0.0.8"});
    const auto last = watch.LastRefused(3);
    ASSERT_TRUE(last);
    EXPECT_EQ(last->reason, "not_push_mode") << "the last one";
    EXPECT_EQ(last->address, "10.0.0.8");
    EXPECT_FALSE(watch.LastRefused(4)) << "another device has none";
}

TEST(PushWatch, UnknownTokenPushesAreCountedByAddressForAnHour) {
    core::FixedClock clock(kNow);
    PushWatch watch(clock, 10);
    watch.Unknown("192.0.2.1");
    watch.Unknown("192.0.2.1");
    clock.Set(kNow + 60);
    watch.Unknown("192.0.2.2");
    auto all = watch.UnknownSources(std::nullopt);
    ASSERT_EQ(all.size(), 2U);
    EXPECT_EQ(all[0].address, "192.0.2.2") << "newest first";
    EXPECT_EQ(all[1].count, 2);
    EXPECT_EQ(all[1].first_at, kNow);

    clock.Set(kNow + PushWatch::kWindowSeconds);
    all = watch.UnknownSources(std::nullopt);
    ASSERT_EQ(all.size(), 1U) << "192.0.2.1 has been silent for an hour";
    EXPECT_EQ(all[0].address, "192.0.2.2");
    watch.Unknown("192.0.2.1");
    all = watch.UnknownSources(std::nullopt);
    ASSERT_EQ(all.size(), 2U);
    EXPECT_EQ(all[0].address, "192.0.2.1");
    EXPECT_EQ(all[0].count, 1) << "after an hour of silence its count starts again";
}

TEST(PushWatch, OnlyTheAddressesAskedForAreShown) {
    core::FixedClock clock(kNow);
    PushWatch watch(clock, 10);
    watch.Unknown("192.0.2.1");
    watch.Unknown("198.51.100.9");
    const auto mine = watch.UnknownSources(std::set<std::string>{"192.0.2.1"});
    ASSERT_EQ(mine.size(), 1U);
    EXPECT_EQ(mine[0].address, "192.0.2.1");
    EXPECT_TRUE(watch.UnknownSources(std::set<std::string>{}).empty());
}

TEST(PushWatch, MemoryIsBoundedTheAddressHeardFromLongestAgoMakingRoom) {
    core::FixedClock clock(kNow);
    PushWatch watch(clock, 2);
    watch.Unknown("192.0.2.1");
    clock.Set(kNow + 1);
    watch.Unknown("192.0.2.2");
    clock.Set(kNow + 2);
    watch.Unknown("192.0.2.1");  // heard again: now the newer of the two
    clock.Set(kNow + 3);
    watch.Unknown("192.0.2.3");
    const auto all = watch.UnknownSources(std::nullopt);
    ASSERT_EQ(all.size(), 2U);
    EXPECT_EQ(all[0].address, "192.0.2.3");
    EXPECT_EQ(all[1].address, "192.0.2.1");
}

TEST(PushWatch, TheAddressesADevicesPushesCameFromAreItsSchools) {
    core::FixedClock clock(kNow);
    PushWatch watch(clock, 10);
    watch.Accepted(1, "10.0.0.7");
    watch.Accepted(1, "10.0.0.8");  // the terminal moved
    watch.Refused(2, RefusedPush{kNow, "device_inactive", "inactive", 403, "10.0.0.9"});
    watch.Accepted(3, "10.1.0.1");
    EXPECT_EQ(watch.SourcesOf({1, 2}), (std::set<std::string>{"10.0.0.8", "10.0.0.9"}));
    EXPECT_TRUE(watch.SourcesOf({4}).empty());
    watch.Accepted(4, "");
    EXPECT_TRUE(watch.SourcesOf({4}).empty()) << "a push from no address (the command line) names none";
}

}  // namespace
}  // namespace rollcall::service
