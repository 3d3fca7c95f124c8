#pragma once

#include "storage/records.hpp"
#include "storage/sqlite/tables.hpp"

#include <optional>
#include <vector>

namespace rollcall::storage::sqlite {

// The statements of an admin's corrections of the register beyond those every table has (table.hpp):
// overrides (R19) and clock corrections (R4), described in tables.hpp, and finalized days (R16).

/// Sets the override of (person, date), replacing one that exists; returns its id.
std::int64_t UpsertOverride(Db& db, const Override& override_row);
std::optional<Override> SelectOverrideOf(Db& db, std::int64_t school_id, std::int64_t person_id, core::Date date);
/// The school's overrides of the days from..to (inclusive), by date then person.
std::vector<Override> SelectOverrides(Db& db, std::int64_t school_id, core::Date from, core::Date to);

/// False when the day was finalized already.
bool InsertFinalizedDay(Db& db, std::int64_t school_id, core::Date date, std::int64_t by, std::int64_t at);
/// The days of from..to (inclusive) an admin finalized, in order.
std::vector<core::Date> SelectFinalizedDays(Db& db, std::int64_t school_id, core::Date from, core::Date to);

}  // namespace rollcall::storage::sqlite
