#pragma once

#include "storage/records.hpp"

#include <cstdint>
#include <optional>

namespace rollcall::storage::sqlite {

class Db;

// The statements of terminals' own user tables (docs/api.md "Agent side"); SelectDeviceUsers (punch_sql.hpp) reads
// them beside the punches.

/// Replaces the device's stored user table with `table`, and records when it was read.
void ReplaceTerminalUserTable(Db& db, const TerminalUserTable& table);
/// When the device's user table was last read, and how many users it held; none before the first upload.
std::optional<TerminalUserTable> SelectTerminalUserRead(Db& db, std::int64_t school_id, std::int64_t device_id);

}  // namespace rollcall::storage::sqlite
