#pragma once

#include "storage/records.hpp"

#include <optional>
#include <vector>

namespace rollcall::storage::sqlite {

class Db;

// The statements of devices, run inside the store's transactions and reads.

std::int64_t InsertDevice(Db& db, const Device& device);
/// Any school's device: a push token identifies its device before the school is known.
std::optional<Device> SelectDeviceByTokenHash(Db& db, const std::vector<std::uint8_t>& hash);
std::optional<Device> SelectDevice(Db& db, std::int64_t school_id, std::int64_t id);
std::vector<Device> SelectDevices(Db& db, std::int64_t school_id);
/// Writes what an admin edits; last_seen belongs to the punch writer, which only ever raises it.
void UpdateDeviceRow(Db& db, const Device& device);
/// Whether any punch came from the device (of whatever school).
bool DeviceHasPunches(Db& db, std::int64_t device_id);
/// False when the school has no such device.
bool RemoveDevice(Db& db, std::int64_t school_id, std::int64_t id);
/// Raises last_seen to seen_at; never lowers it.
void RaiseLastSeen(Db& db, std::int64_t device_id, std::int64_t seen_at);

}  // namespace rollcall::storage::sqlite
