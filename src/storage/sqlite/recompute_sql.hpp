#pragma once

#include "storage/records.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rollcall::storage::sqlite {

class Db;

// The statements of the recompute queue and the day records (R18), each run inside the caller's
// transaction or read. The store wraps them in its writer and reader connections.

/// Marks the days from..to (inclusive) of a school; a day marked already gets a new generation. Every mark
/// goes through here, and notes it on `db` (Db::NoteDaysMarked), so the executor wakes the recompute worker
/// after the COMMIT.
void MarkDirtyRange(Db& db, std::int64_t school_id, core::Date from, core::Date to);
/// The range of days with punches of the device users that match (via device_users, not the punches).
std::optional<std::pair<core::Date, core::Date>> PunchDayRange(Db& db,
                                                               std::int64_t school_id,
                                                               std::optional<std::int64_t> device_id,
                                                               const std::optional<std::string>& user_id,
                                                               std::optional<std::int64_t> person_id);
/// R18: every day with a punch of the device, user or person (unset filters match everything), a day on
/// either side too, since a device keeping its clock in another zone (R5) moves punches across midnight.
void MarkPunchDays(Db& db,
                   std::int64_t school_id,
                   std::optional<std::int64_t> device_id,
                   const std::optional<std::string>& user_id,
                   std::optional<std::int64_t> person_id);
/// R7: the days a device user punched on, a day either side (R5 zones move punches across midnight).
void MarkUserDays(Db& db, std::int64_t school_id, std::optional<std::int64_t> device_id, const std::string& user_id);
/// R4: the days a clock correction moves punches from and to, a day either side.
void MarkCorrectedDays(
    Db& db, std::int64_t school_id, core::LocalDateTime from, core::LocalDateTime to, std::int64_t offset_seconds);
std::vector<DirtyDay> SelectDirty(Db& db, std::size_t limit);
std::vector<std::int64_t> SelectDirtySchools(Db& db);
/// A school's marks from..to, newest first.
std::vector<DirtyDay> SelectDirtyDays(
    Db& db, std::int64_t school_id, core::Date from, core::Date to, std::size_t limit);
/// Deletes at most `limit` of a school's marks outside `window`: a bounded write, however many there are.
std::size_t RemoveDirtyOutside(Db& db, std::int64_t school_id, MarkWindow window, std::size_t limit);
std::int64_t CountDirtyDays(Db& db);
std::vector<DayRecord> SelectDayRecords(Db& db, std::int64_t school_id, core::Date date);
void StoreRecompute(Db& db, const DayRecompute& recompute);
std::vector<core::Date> SelectFinalDays(Db& db, std::int64_t school_id, core::Date since);
std::vector<FinalScope> SelectFinalScopes(Db& db, std::int64_t school_id, core::Date from, core::Date to);

}  // namespace rollcall::storage::sqlite
