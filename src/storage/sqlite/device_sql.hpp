#pragma once

#include "storage/records.hpp"
#include "storage/sqlite/tables.hpp"

#include <optional>
#include <vector>

namespace rollcall::storage::sqlite {

// The statements of devices beyond those every table has (table.hpp; their rows are described in tables.hpp),
// run inside the store's transactions and reads.

/// Any school's device: a push token identifies its device before the school is known.
std::optional<Device> SelectDeviceByTokenHash(Db& db, const std::vector<std::uint8_t>& hash);
/// Whether any punch came from the device (of whatever school).
bool DeviceHasPunches(Db& db, std::int64_t device_id);
/// Raises last_seen to seen_at; never lowers it.
void RaiseLastSeen(Db& db, std::int64_t device_id, std::int64_t seen_at);

}  // namespace rollcall::storage::sqlite
