#include "sim/zk_device.hpp"

#include "protocol/zk/time_codec.hpp"
#include "sim/zk_names.hpp"
#include "support/value_of.hpp"
#include "unit/sim/device_at_now.hpp"

#include <set>

#include <gtest/gtest.h>

namespace rollcall::sim {
namespace {

using testing::ValueOf;

using Device = test::DeviceAtNow<4, 20>;

TEST(ZkDevice, LivePunchIsAppendedWithTheDeviceClock) {
    Device d;
    const auto punch = d.device.AddLivePunch();
    ASSERT_TRUE(punch.has_value());
    EXPECT_EQ(d.device.records().size(), 21u);
    EXPECT_EQ(d.device.records().back(), *punch);
    EXPECT_EQ(ValueOf(zk::DecodePackedTime(punch->packed_time)), (zk::DeviceTime{2026, 11, 25, 10, 0, 0}));
    EXPECT_EQ(punch->user_id, UserIdFor(punch->uid));
}

TEST(ZkDevice, LivePunchesInTheSameSecondStillGetDistinctTimes) {
    Device d;
    std::set<std::uint32_t> times;
    for (int i = 0; i < 50; ++i) {
        times.insert(d.device.AddLivePunch()->packed_time);
    }
    EXPECT_EQ(times.size(), 50u);
}

TEST(ZkDevice, LivePunchesOfAUserAlternateInAndOut) {
    Device d({}, 1, 0);
    EXPECT_EQ(d.device.AddLivePunch()->state, 0);
    EXPECT_EQ(d.device.AddLivePunch()->state, 1);
    EXPECT_EQ(d.device.AddLivePunch()->state, 0);
}

TEST(ZkDevice, NoPunchesWhileDisabledUnlessTheFaultIgnoresIt) {
    Device d;
    d.device.SetEnabled(false);
    EXPECT_FALSE(d.device.AddLivePunch().has_value());
    d.device.SetEnabled(true);
    EXPECT_TRUE(d.device.AddLivePunch().has_value());

    ZkDeviceConfig config;
    config.faults.ignore_disable = true;
    Device stubborn(config);
    stubborn.device.SetEnabled(false);
    EXPECT_TRUE(stubborn.device.AddLivePunch().has_value());
}

TEST(ZkDevice, NoPunchesWithoutUsers) {
    Device d({}, 0, 0);
    EXPECT_FALSE(d.device.AddLivePunch().has_value());
}

TEST(ZkDevice, SessionIdsAreNonZeroAndDistinct) {
    Device d;
    std::set<std::uint16_t> ids;
    for (int i = 0; i < 70000; ++i) {
        const std::uint16_t id = d.device.NewSessionId();
        EXPECT_NE(id, 0);
        if (i < 1000) {
            ids.insert(id);
        }
    }
    EXPECT_EQ(ids.size(), 1000u);
}

TEST(ZkDevice, SerialNumberIsAnOption) {
    ZkDeviceConfig config;
    config.serial_number = "XYZ123";
    Device d(config);
    EXPECT_EQ(d.device.Option("~SerialNumber"), "XYZ123");
    EXPECT_EQ(d.device.Option("~Nothing"), std::nullopt);
}

TEST(ZkDevice, ClearAdminsDemotesEveryone) {
    Device d;
    EXPECT_EQ(d.device.Sizes().admins, 1u);
    d.device.ClearAdmins();
    EXPECT_EQ(d.device.Sizes().admins, 0u);
}

}  // namespace
}  // namespace rollcall::sim
