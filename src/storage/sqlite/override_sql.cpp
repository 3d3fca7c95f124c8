#include "storage/sqlite/override_sql.hpp"

#include "storage/sqlite/sqlite_db.hpp"

namespace rollcall::storage::sqlite {
namespace {

constexpr std::string_view kOverrideColumns =
    "id, school_id, person_id, date, status, in_time, out_time, reason, created_by, created_at";

Override ReadOverride(const Stmt& s) {
    Override o;
    o.id = s.Int(0);
    o.school_id = s.Int(1);
    o.person_id = s.Int(2);
    o.date = core::Date{static_cast<std::int32_t>(s.Int(3))};
    o.status = s.Text(4);
    o.in_time = Narrow(s.OptInt(5));
    o.out_time = Narrow(s.OptInt(6));
    o.reason = s.Text(7);
    o.created_by = s.Int(8);
    o.created_at = s.Int(9);
    return o;
}

constexpr std::string_view kCorrectionColumns =
    "id, school_id, device_id, from_ts, to_ts, offset_seconds, reason, created_by, created_at";

ClockCorrection ReadCorrection(const Stmt& s) {
    return ClockCorrection{s.Int(0),
                           s.Int(1),
                           s.Int(2),
                           core::LocalDateTime{s.Int(3)},
                           core::LocalDateTime{s.Int(4)},
                           s.Int(5),
                           s.Text(6),
                           s.Int(7),
                           s.Int(8)};
}

}  // namespace

std::int64_t UpsertOverride(Db& db, const Override& o) {
    static const std::string sql =
        InsertSql("overrides",
                  kOverrideColumns,
                  "ON CONFLICT(school_id, person_id, date) DO UPDATE SET status=?4, in_time=?5, out_time=?6, "
                  "reason=?7, created_by=?8, created_at=?9 RETURNING id");
    Stmt s(db, sql);
    s.Bind(1, o.school_id).Bind(2, o.person_id).Bind(3, std::int64_t{o.date.days}).Bind(4, o.status);
    s.Bind(5, Widen(o.in_time)).Bind(6, Widen(o.out_time)).Bind(7, o.reason).Bind(8, o.created_by);
    s.Bind(9, o.created_at);
    s.Step();
    const auto id = s.Int(0);
    s.Reset();
    return id;
}

std::optional<Override> SelectOverride(Db& db, std::int64_t school_id, std::int64_t id) {
    static const std::string sql = SelectSql(kOverrideColumns, "FROM overrides WHERE school_id = ? AND id = ?");
    Stmt s(db, sql);
    s.Bind(1, school_id).Bind(2, id);
    return ReadRow(s, ReadOverride);
}

std::optional<Override> SelectOverrideOf(Db& db, std::int64_t school_id, std::int64_t person_id, core::Date date) {
    static const std::string sql =
        SelectSql(kOverrideColumns, "FROM overrides WHERE school_id = ? AND person_id = ? AND date = ?");
    Stmt s(db, sql);
    s.Bind(1, school_id).Bind(2, person_id).Bind(3, std::int64_t{date.days});
    return ReadRow(s, ReadOverride);
}

std::vector<Override> SelectOverrides(Db& db, std::int64_t school_id, core::Date date) {
    static const std::string sql =
        SelectSql(kOverrideColumns, "FROM overrides WHERE school_id = ? AND date = ? ORDER BY person_id");
    Stmt s(db, sql);
    s.Bind(1, school_id).Bind(2, std::int64_t{date.days});
    return ReadRows(s, ReadOverride);
}

std::optional<Override> RemoveOverride(Db& db, std::int64_t school_id, std::int64_t id) {
    static const std::string sql =
        std::string("DELETE FROM overrides WHERE school_id = ? AND id = ? RETURNING ").append(kOverrideColumns);
    Stmt s(db, sql);
    s.Bind(1, school_id).Bind(2, id);
    return ReadRow(s, ReadOverride);
}

std::int64_t InsertClockCorrection(Db& db, const ClockCorrection& c) {
    static const std::string sql = InsertSql("clock_corrections", kCorrectionColumns);
    Stmt s(db, sql);
    s.Bind(1, c.school_id).Bind(2, c.device_id).Bind(3, c.from.seconds).Bind(4, c.to.seconds);
    s.Bind(5, c.offset_seconds).Bind(6, c.reason).Bind(7, c.created_by).Bind(8, c.created_at).Exec();
    return db.LastInsertId();
}

std::vector<ClockCorrection> SelectClockCorrections(Db& db, std::int64_t school_id) {
    static const std::string sql =
        SelectSql(kCorrectionColumns, "FROM clock_corrections WHERE school_id = ? ORDER BY id");
    Stmt s(db, sql);
    s.Bind(1, school_id);
    return ReadRows(s, ReadCorrection);
}

std::optional<ClockCorrection> RemoveClockCorrection(Db& db, std::int64_t school_id, std::int64_t id) {
    static const std::string sql =
        std::string("DELETE FROM clock_corrections WHERE school_id = ? AND id = ? RETURNING ")
            .append(kCorrectionColumns);
    Stmt s(db, sql);
    s.Bind(1, school_id).Bind(2, id);
    return ReadRow(s, ReadCorrection);
}

bool InsertFinalizedDay(Db& db, std::int64_t school_id, core::Date date, std::int64_t by, std::int64_t at) {
    Stmt(db,
         "INSERT INTO finalized_days(school_id, date, finalized_by, finalized_at) VALUES(?,?,?,?) "
         "ON CONFLICT DO NOTHING")
        .Bind(1, school_id)
        .Bind(2, std::int64_t{date.days})
        .Bind(3, by)
        .Bind(4, at)
        .Exec();
    return db.Changes() > 0;
}

bool SelectDayFinalized(Db& db, std::int64_t school_id, core::Date date) {
    Stmt s(db, "SELECT 1 FROM finalized_days WHERE school_id = ? AND date = ?");
    s.Bind(1, school_id).Bind(2, std::int64_t{date.days});
    return s.Step();
}

}  // namespace rollcall::storage::sqlite
