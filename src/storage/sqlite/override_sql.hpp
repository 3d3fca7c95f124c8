#pragma once

#include "storage/records.hpp"

#include <optional>
#include <vector>

namespace rollcall::storage::sqlite {

class Db;

// The statements of an admin's corrections of the register: overrides (R19), clock corrections (R4) and
// finalized days (R16), run inside the store's transactions and reads.

/// Sets the override of (person, date), replacing one that exists; returns its id.
std::int64_t UpsertOverride(Db& db, const Override& override_row);
std::optional<Override> SelectOverride(Db& db, std::int64_t school_id, std::int64_t id);
std::optional<Override> SelectOverrideOf(Db& db, std::int64_t school_id, std::int64_t person_id, core::Date date);
std::vector<Override> SelectOverrides(Db& db, std::int64_t school_id, core::Date date);
/// The override removed, if the school had it.
std::optional<Override> RemoveOverride(Db& db, std::int64_t school_id, std::int64_t id);

std::int64_t InsertClockCorrection(Db& db, const ClockCorrection& correction);
std::vector<ClockCorrection> SelectClockCorrections(Db& db, std::int64_t school_id);
/// The correction removed, if the school had it.
std::optional<ClockCorrection> RemoveClockCorrection(Db& db, std::int64_t school_id, std::int64_t id);

/// False when the day was finalized already.
bool InsertFinalizedDay(Db& db, std::int64_t school_id, core::Date date, std::int64_t by, std::int64_t at);
bool SelectDayFinalized(Db& db, std::int64_t school_id, core::Date date);

}  // namespace rollcall::storage::sqlite
