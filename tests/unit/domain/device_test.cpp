// What a school sets about a device: how its punches arrive and whether it counts.

#include "domain/device.hpp"

#include "support/enum_table.hpp"

#include <gtest/gtest.h>

namespace rollcall::domain {
namespace {

TEST(Device, ADevicePushesOrIsReadByTheAgent) {
    test::ExpectNameTable<SyncMode>({{SyncMode::kPush, "push"}, {SyncMode::kAgent, "agent"}});
    test::ExpectRefused<SyncMode>("sync_mode", "carrier-pigeon", "sync_mode: must be push or agent");
    test::ExpectRefused<SyncMode>("sync_mode", "", "sync_mode: must be push or agent");
}

TEST(Device, ADeviceIsActiveOrInactive) {
    test::ExpectNameTable<ActiveStatus>({{ActiveStatus::kActive, "active"}, {ActiveStatus::kInactive, "inactive"}});
    test::ExpectRefused<ActiveStatus>("status", "broken", "status: must be active or inactive");
}

}  // namespace
}  // namespace rollcall::domain
