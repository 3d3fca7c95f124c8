#pragma once

// The users and attendance log a simulated terminal starts with: deterministic for a seed, and shaped like a
// school's: school days from Monday 2026-03-02, each user punching in between 06:30 and 09:00 and out between
// 14:30 and 18:00, the odd absence or forgotten punch-out, mostly fingerprints. The log is in time order and
// no user punches twice in the same second, so (user_id, timestamp) identifies a record.

#include "core/civil_time.hpp"
#include "core/result.hpp"
#include "protocol/zk/attendance_record.hpp"
#include "protocol/zk/user_record.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace rollcall::sim {

/// PINs are 1000 + uid, and 16-byte records and short events carry them as u16 (node-zklib reads no more), so
/// the largest PIN must stay under 65536.
inline constexpr std::uint32_t kMaxUsers = 60000;
inline constexpr std::uint32_t kMaxRecords = 100000;

struct ZkPopulationSpec {
    std::uint32_t users = 0;
    std::uint32_t records = 0;
    std::uint64_t seed = 1;
    /// This many records, spread evenly over the log, get an impossible stored time: raw 0 and 31 February
    /// alternately (the corrupt slots of pyzk#211 and zkteco-php#7).
    std::uint32_t corrupt_timestamps = 0;
};

struct ZkPopulation {
    std::vector<protocol::zk::User> users;
    std::vector<protocol::zk::AttendanceRecord> records;
};

/// The first day of the generated log (a Monday).
core::Date FirstSchoolDay();

/// The PIN of the user with device index `uid`.
std::string UserIdFor(std::uint16_t uid);

/// kInvalidArgument when a count is over its maximum, records are asked for without users, or more corrupt
/// records than records.
core::Result<ZkPopulation> GeneratePopulation(const ZkPopulationSpec& spec);

}  // namespace rollcall::sim
