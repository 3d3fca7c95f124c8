#pragma once

// The simulated terminal's device in the test's process, without sockets, for the simulator's unit tests: its clock
// stands at a fixed time and it holds a generated population.

#include "core/clock.hpp"
#include "sim/zk_device.hpp"
#include "sim/zk_population.hpp"

#include <cstdint>
#include <utility>

namespace rollcall::sim::test {

/// 2026-11-25 10:00:00 UTC.
inline constexpr std::int64_t kNow = 1795600800;

/// A device of `users` and `records` (by default the test file's kUsers and kRecords), seed 1, its clock at kNow.
template <std::uint32_t kUsers, std::uint32_t kRecords>
struct DeviceAtNow {
    explicit DeviceAtNow(ZkDeviceConfig config = {}, std::uint32_t users = kUsers, std::uint32_t records = kRecords)
        : device(std::move(config), *GeneratePopulation({users, records, 1, 0}), clock) {}
    core::FixedClock clock{kNow};
    ZkDevice device;
};

}  // namespace rollcall::sim::test
