#include "storage/sqlite/recompute_sql.hpp"

#include "storage/sqlite/sqlite_db.hpp"

#include <algorithm>

namespace rollcall::storage::sqlite {
namespace {

core::Date DayOf(std::int64_t local_seconds) {
    return core::LocalDateTime{local_seconds}.date();
}

}  // namespace

void MarkDirtyRange(Db& db, std::int64_t school_id, core::Date from, core::Date to) {
    if (const auto& window = db.mark_window()) {
        // R18: never a future day, never a day before the reprocess window, whatever the request said.
        Stmt zone(db, "SELECT timezone FROM schools WHERE id = ?");
        zone.Bind(1, school_id);
        if (zone.Step()) {
            const auto w = window(zone.Text(0));
            from = std::max(from, w.first);
            to = std::min(to, w.last);
        }
    }
    if (to < from) {
        return;
    }
    Stmt(db,
         "WITH RECURSIVE d(x) AS (SELECT ?2 UNION ALL SELECT x + 1 FROM d WHERE x < ?3) "
         "INSERT INTO dirty_days(school_id, date, generation) SELECT ?1, x, 1 FROM d WHERE true "
         "ON CONFLICT(school_id, date) DO UPDATE SET generation = generation + 1")
        .Bind(1, school_id)
        .Bind(2, std::int64_t{from.days})
        .Bind(3, std::int64_t{to.days})
        .Exec();
    if (db.Changes() > 0) {
        db.NoteDaysMarked();  // the executor wakes the recompute worker once this commits
    }
}

std::optional<std::pair<core::Date, core::Date>> PunchDayRange(Db& db,
                                                               std::int64_t school_id,
                                                               std::optional<std::int64_t> device_id,
                                                               const std::optional<std::string>& user_id,
                                                               std::optional<std::int64_t> person_id) {
    // A person's punches are those of the device users their mappings name (R6: device-specific or
    // school-wide); without a person, the filters apply to device_users directly.
    Stmt s(db,
           "SELECT min(du.first_seen), max(du.last_seen) FROM device_users du WHERE du.school_id = ?1 "
           "AND (?2 IS NULL OR du.device_id = ?2) AND (?3 IS NULL OR du.user_id = ?3) "
           "AND (?4 IS NULL OR EXISTS (SELECT 1 FROM mappings m WHERE m.school_id = ?1 AND m.person_id = ?4 "
           "AND m.user_id = du.user_id AND (m.device_id IS NULL OR m.device_id = du.device_id)))");
    s.Bind(1, school_id).Bind(2, device_id).Bind(4, person_id);
    if (user_id) {
        s.Bind(3, *user_id);
    } else {
        s.BindNull(3);
    }
    if (!s.Step()) {
        return std::nullopt;
    }
    const auto first = s.OptInt(0);
    const auto last = s.OptInt(1);
    if (!first || !last) {
        return std::nullopt;
    }
    return std::pair{DayOf(*first), DayOf(*last)};
}

void MarkPunchDays(Db& db,
                   std::int64_t school_id,
                   std::optional<std::int64_t> device_id,
                   const std::optional<std::string>& user_id,
                   std::optional<std::int64_t> person_id) {
    if (const auto range = PunchDayRange(db, school_id, device_id, user_id, person_id)) {
        MarkDirtyRange(db, school_id, core::Date{range->first.days - 1}, core::Date{range->second.days + 1});
    }
}

void MarkUserDays(Db& db, std::int64_t school_id, std::optional<std::int64_t> device_id, const std::string& user_id) {
    MarkPunchDays(db, school_id, device_id, user_id, std::nullopt);
}

void MarkCorrectedDays(
    Db& db, std::int64_t school_id, core::LocalDateTime from, core::LocalDateTime to, std::int64_t offset_seconds) {
    MarkDirtyRange(db, school_id, core::Date{from.date().days - 1}, core::Date{to.date().days + 1});
    const core::LocalDateTime moved_from{from.seconds + offset_seconds};
    const core::LocalDateTime moved_to{to.seconds + offset_seconds};
    MarkDirtyRange(db, school_id, core::Date{moved_from.date().days - 1}, core::Date{moved_to.date().days + 1});
}

std::vector<DirtyDay> SelectDirty(Db& db, std::size_t limit) {
    // Newest days first: this morning's arrivals should not wait behind a settings change dated back a year.
    Stmt s(db, "SELECT school_id, date, generation FROM dirty_days ORDER BY date DESC, school_id LIMIT ?");
    s.Bind(1, static_cast<std::int64_t>(limit));
    std::vector<DirtyDay> out;
    while (s.Step()) {
        out.push_back(DirtyDay{s.Int(0), core::Date{static_cast<std::int32_t>(s.Int(1))}, s.Int(2)});
    }
    return out;
}

std::vector<std::int64_t> SelectDirtySchools(Db& db) {
    // One index seek per school rather than a scan of every mark: a school may have hundreds of thousands.
    Stmt s(db,
           "WITH RECURSIVE s(id) AS (SELECT min(school_id) FROM dirty_days UNION ALL "
           "SELECT (SELECT min(school_id) FROM dirty_days WHERE school_id > s.id) FROM s WHERE s.id IS NOT NULL) "
           "SELECT id FROM s WHERE id IS NOT NULL");
    std::vector<std::int64_t> out;
    while (s.Step()) {
        out.push_back(s.Int(0));
    }
    return out;
}

std::vector<DirtyDay> SelectDirtyDays(
    Db& db, std::int64_t school_id, core::Date from, core::Date to, std::size_t limit) {
    Stmt s(db,
           "SELECT date, generation FROM dirty_days WHERE school_id = ? AND date BETWEEN ? AND ? "
           "ORDER BY date DESC LIMIT ?");
    s.Bind(1, school_id)
        .Bind(2, std::int64_t{from.days})
        .Bind(3, std::int64_t{to.days})
        .Bind(4, static_cast<std::int64_t>(limit));
    std::vector<DirtyDay> out;
    while (s.Step()) {
        out.push_back(DirtyDay{school_id, core::Date{static_cast<std::int32_t>(s.Int(0))}, s.Int(1)});
    }
    return out;
}

std::size_t RemoveDirtyOutside(Db& db, std::int64_t school_id, MarkWindow window, std::size_t limit) {
    Stmt(db,
         "DELETE FROM dirty_days WHERE school_id = ?1 AND date IN (SELECT date FROM dirty_days WHERE school_id = ?1 "
         "AND (date < ?2 OR date > ?3) LIMIT ?4)")
        .Bind(1, school_id)
        .Bind(2, std::int64_t{window.first.days})
        .Bind(3, std::int64_t{window.last.days})
        .Bind(4, static_cast<std::int64_t>(limit))
        .Exec();
    return static_cast<std::size_t>(db.Changes());
}

std::int64_t CountDirtyDays(Db& db) {
    Stmt s(db, "SELECT count(*) FROM dirty_days");
    return s.Step() ? s.Int(0) : 0;
}

std::vector<DayRecord> SelectDayRecords(Db& db, std::int64_t school_id, core::Date date) {
    Stmt s(db,
           "SELECT person_id, status, in_time, out_time, late_minutes, final, notified, reported_status, "
           "computed_at FROM day_records WHERE school_id = ? AND date = ? ORDER BY person_id");
    s.Bind(1, school_id).Bind(2, std::int64_t{date.days});
    std::vector<DayRecord> out;
    while (s.Step()) {
        DayRecord r;
        r.school_id = school_id;
        r.date = date;
        r.person_id = s.Int(0);
        r.status = s.Enum<domain::DayStatus>(1);
        r.in_time = Narrow(s.OptInt(2));
        r.out_time = Narrow(s.OptInt(3));
        r.late_minutes = static_cast<std::int32_t>(s.Int(4));
        r.final = s.Int(5) != 0;
        r.notified = static_cast<std::uint32_t>(s.Int(6));
        if (!s.TextView(7).empty()) {  // "": nothing sent yet
            r.reported_status = s.Enum<domain::DayStatus>(7);
        }
        r.computed_at = s.Int(8);
        out.push_back(r);
    }
    return out;
}

void StoreRecompute(Db& db, const DayRecompute& recompute) {
    const auto& day = recompute.claimed;
    for (const auto& r : recompute.rows) {
        Stmt(db,
             "INSERT INTO day_records(school_id, date, person_id, status, in_time, out_time, late_minutes, final, "
             "notified, reported_status, computed_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11) "
             "ON CONFLICT(school_id, date, person_id) DO UPDATE SET status = ?4, in_time = ?5, out_time = ?6, "
             "late_minutes = ?7, final = ?8, notified = ?9, reported_status = ?10, computed_at = ?11")
            .Bind(1, day.school_id)
            .Bind(2, std::int64_t{day.date.days})
            .Bind(3, r.person_id)
            .Bind(4, r.status)
            .Bind(5, Widen(r.in_time))
            .Bind(6, Widen(r.out_time))
            .Bind(7, std::int64_t{r.late_minutes})
            .Bind(8, std::int64_t{r.final ? 1 : 0})
            .Bind(9, static_cast<std::int64_t>(r.notified))
            .Bind(10, r.reported_status ? core::NameOf(*r.reported_status) : std::string_view(""))  // "", not NULL
            .Bind(11, r.computed_at)
            .Exec();
    }
    std::int64_t computed_at = 0;
    for (const auto& r : recompute.rows) {
        computed_at = std::max(computed_at, r.computed_at);
    }
    Stmt(db,
         "INSERT INTO register_days(school_id, date, final, computed_at) VALUES(?1,?2,?3,?4) "
         "ON CONFLICT(school_id, date) DO UPDATE SET final = max(final, ?3), computed_at = max(computed_at, ?4)")
        .Bind(1, day.school_id)
        .Bind(2, std::int64_t{day.date.days})
        .Bind(3, std::int64_t{recompute.final ? 1 : 0})
        .Bind(4, computed_at)
        .Exec();
    for (const auto& scope : recompute.final_scopes) {
        Stmt(db, "INSERT INTO final_scopes(school_id, date, scope) VALUES(?,?,?) ON CONFLICT DO NOTHING")
            .Bind(1, day.school_id)
            .Bind(2, std::int64_t{day.date.days})
            .Bind(3, scope)
            .Exec();
    }
    for (const auto& d : recompute.deliveries) {
        Stmt(db,
             "INSERT INTO webhook_deliveries(school_id, webhook_id, event, person_id, date, payload, state, attempts, "
             "next_attempt_at, last_status, last_error, created_at) VALUES(?,?,?,?,?,?,'pending',0,?,0,'',?) "
             "ON CONFLICT DO NOTHING")
            .Bind(1, d.school_id)
            .Bind(2, d.webhook_id)
            .Bind(3, d.event)
            .Bind(4, d.person_id)
            .Bind(5, std::int64_t{d.date.days})
            .Bind(6, d.payload)
            .Bind(7, d.next_attempt_at)
            .Bind(8, d.created_at)
            .Exec();
    }
    // A mark that got a new generation while this ran stays: the day is recomputed again.
    Stmt(db, "DELETE FROM dirty_days WHERE school_id = ? AND date = ? AND generation = ?")
        .Bind(1, day.school_id)
        .Bind(2, std::int64_t{day.date.days})
        .Bind(3, day.generation)
        .Exec();
}

std::vector<core::Date> SelectFinalDays(Db& db, std::int64_t school_id, core::Date since) {
    Stmt s(db, "SELECT date FROM register_days WHERE school_id = ? AND date >= ? AND final = 1 ORDER BY date");
    s.Bind(1, school_id).Bind(2, std::int64_t{since.days});
    std::vector<core::Date> out;
    while (s.Step()) {
        out.push_back(core::Date{static_cast<std::int32_t>(s.Int(0))});
    }
    return out;
}

std::vector<FinalScope> SelectFinalScopes(Db& db, std::int64_t school_id, core::Date from, core::Date to) {
    Stmt s(db,
           "SELECT date, scope FROM final_scopes WHERE school_id = ? AND date BETWEEN ? AND ? ORDER BY date, scope");
    s.Bind(1, school_id).Bind(2, std::int64_t{from.days}).Bind(3, std::int64_t{to.days});
    std::vector<FinalScope> out;
    while (s.Step()) {
        out.push_back(FinalScope{core::Date{static_cast<std::int32_t>(s.Int(0))}, s.Text(1)});
    }
    return out;
}

}  // namespace rollcall::storage::sqlite
