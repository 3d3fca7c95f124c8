#pragma once

#include "storage/records.hpp"

#include <optional>
#include <vector>

namespace rollcall::storage::sqlite {

class Db;

// The statements of a school's calendar: holidays and the versions of its attendance settings, run inside
// the store's transactions and reads.

std::int64_t InsertHoliday(Db& db, const Holiday& holiday);
std::vector<Holiday> SelectHolidays(Db& db, std::int64_t school_id);
/// The holiday removed, if the school had it.
std::optional<Holiday> RemoveHoliday(Db& db, std::int64_t school_id, std::int64_t id);

/// Stores a settings version, replacing the one of the same scope and effective date; returns its id.
std::int64_t ReplaceSettings(Db& db, const SettingsVersion& version);
std::vector<SettingsVersion> SelectSettings(Db& db, std::int64_t school_id);

}  // namespace rollcall::storage::sqlite
