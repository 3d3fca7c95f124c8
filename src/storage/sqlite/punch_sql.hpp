#pragma once

#include "storage/records.hpp"

#include <optional>
#include <vector>

namespace rollcall::storage::sqlite {

class Db;

// The reads of punches and of the device users they name. The group commit that writes them is
// punch_writer.hpp.

/// The school's punches in [from, to), by time.
std::vector<StoredPunch> SelectPunches(Db& db,
                                       std::int64_t school_id,
                                       core::LocalDateTime from,
                                       core::LocalDateTime to);
/// The same, only those of `users`: the others are skipped as they are read, never copied out of SQLite.
std::vector<StoredPunch> SelectPunchesOfUsers(
    Db& db, std::int64_t school_id, core::LocalDateTime from, core::LocalDateTime to, const UserIdSet& users);
/// A device's newest punches first.
std::vector<StoredPunch> SelectDevicePunches(Db& db,
                                             std::int64_t school_id,
                                             std::int64_t device_id,
                                             std::int64_t limit);
/// The device users of a school (or of one device), each with the person it resolves to (R6).
std::vector<DeviceUser> SelectDeviceUsers(Db& db, std::int64_t school_id, std::optional<std::int64_t> device_id);
/// R7: the device users no mapping reaches, with their punches in [from, to) (device clock): count, first, last.
std::vector<DeviceUser> SelectUnmappedUsersBetween(Db& db,
                                                   std::int64_t school_id,
                                                   core::LocalDateTime from,
                                                   core::LocalDateTime to);

}  // namespace rollcall::storage::sqlite
