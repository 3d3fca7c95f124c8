#include "storage/sqlite/override_sql.hpp"

#include "storage/sqlite/table.hpp"

namespace rollcall::storage::sqlite {
namespace {

struct OverrideTable {
    using Row = Override;
    static constexpr std::string_view kName = "overrides";
    static constexpr std::string_view kColumns =
        "id, school_id, person_id, date, status, in_time, out_time, reason, created_by, created_at";
    static constexpr std::string_view kOrder = "person_id";

    static Override Read(const Stmt& s) {
        return Override{s.Int(0),
                        s.Int(1),
                        s.Int(2),
                        core::Date{static_cast<std::int32_t>(s.Int(3))},
                        s.Text(4),
                        Narrow(s.OptInt(5)),
                        Narrow(s.OptInt(6)),
                        s.Text(7),
                        s.Int(8),
                        s.Int(9)};
    }

    static void Bind(Stmt& s, const Override& o) {
        s.Bind(1, o.school_id).Bind(2, o.person_id).Bind(3, std::int64_t{o.date.days}).Bind(4, o.status);
        s.Bind(5, Widen(o.in_time)).Bind(6, Widen(o.out_time)).Bind(7, o.reason).Bind(8, o.created_by);
        s.Bind(9, o.created_at);
    }
};

struct CorrectionTable {
    using Row = ClockCorrection;
    static constexpr std::string_view kName = "clock_corrections";
    static constexpr std::string_view kColumns =
        "id, school_id, device_id, from_ts, to_ts, offset_seconds, reason, created_by, created_at";
    static constexpr std::string_view kOrder = "id";

    static ClockCorrection Read(const Stmt& s) {
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

    static void Bind(Stmt& s, const ClockCorrection& c) {
        s.Bind(1, c.school_id).Bind(2, c.device_id).Bind(3, c.from.seconds).Bind(4, c.to.seconds);
        s.Bind(5, c.offset_seconds).Bind(6, c.reason).Bind(7, c.created_by).Bind(8, c.created_at);
    }
};

}  // namespace

std::int64_t UpsertOverride(Db& db, const Override& o) {
    static const std::string sql =
        InsertSql(OverrideTable::kName,
                  OverrideTable::kColumns,
                  "ON CONFLICT(school_id, person_id, date) DO UPDATE SET status=?4, in_time=?5, out_time=?6, "
                  "reason=?7, created_by=?8, created_at=?9 RETURNING id");
    Stmt s(db, sql);
    OverrideTable::Bind(s, o);
    s.Step();
    const auto id = s.Int(0);
    s.Reset();
    return id;
}

std::optional<Override> SelectOverride(Db& db, std::int64_t school_id, std::int64_t id) {
    return SelectOne<OverrideTable>(db, school_id, id);
}

std::optional<Override> SelectOverrideOf(Db& db, std::int64_t school_id, std::int64_t person_id, core::Date date) {
    static const std::string sql =
        SelectSql(OverrideTable::kColumns, "FROM overrides WHERE school_id = ? AND person_id = ? AND date = ?");
    Stmt s(db, sql);
    s.Bind(1, school_id).Bind(2, person_id).Bind(3, std::int64_t{date.days});
    return ReadRow(s, OverrideTable::Read);
}

std::vector<Override> SelectOverrides(Db& db, std::int64_t school_id, core::Date date) {
    static const std::string sql =
        SelectSql(OverrideTable::kColumns, "FROM overrides WHERE school_id = ? AND date = ? ORDER BY person_id");
    Stmt s(db, sql);
    s.Bind(1, school_id).Bind(2, std::int64_t{date.days});
    return ReadRows(s, OverrideTable::Read);
}

std::optional<Override> RemoveOverride(Db& db, std::int64_t school_id, std::int64_t id) {
    return RemoveOne<OverrideTable>(db, school_id, id);
}

std::int64_t InsertClockCorrection(Db& db, const ClockCorrection& correction) {
    return Insert<CorrectionTable>(db, correction);
}

std::vector<ClockCorrection> SelectClockCorrections(Db& db, std::int64_t school_id) {
    return SelectAll<CorrectionTable>(db, school_id);
}

std::optional<ClockCorrection> RemoveClockCorrection(Db& db, std::int64_t school_id, std::int64_t id) {
    return RemoveOne<CorrectionTable>(db, school_id, id);
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
