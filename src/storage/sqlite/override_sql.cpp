#include "storage/sqlite/override_sql.hpp"

namespace rollcall::storage::sqlite {

std::int64_t UpsertOverride(Db& db, const Override& o) {
    static const std::string sql =
        InsertSql(kTable<Override>.name,
                  kTable<Override>.columns,
                  "ON CONFLICT(school_id, person_id, date) DO UPDATE SET status=?4, in_time=?5, out_time=?6, "
                  "reason=?7, created_by=?8, created_at=?9 RETURNING id");
    Stmt s(db, sql);
    BindOverride(s, o);
    s.Step();
    const auto id = s.Int(0);
    s.Reset();
    return id;
}

std::optional<Override> SelectOverrideOf(Db& db, std::int64_t school_id, std::int64_t person_id, core::Date date) {
    static const std::string sql =
        SelectSql(kTable<Override>.columns, "FROM overrides WHERE school_id = ? AND person_id = ? AND date = ?");
    Stmt s(db, sql);
    s.Bind(1, school_id).Bind(2, person_id).Bind(3, std::int64_t{date.days});
    return ReadRow(s, ReadOverride);
}

std::vector<Override> SelectOverrides(Db& db, std::int64_t school_id, core::Date from, core::Date to) {
    static const std::string sql = SelectSql(kTable<Override>.columns,
                                             "FROM overrides WHERE school_id = ? AND date BETWEEN ? AND ? "
                                             "ORDER BY date, person_id");
    Stmt s(db, sql);
    s.Bind(1, school_id).Bind(2, std::int64_t{from.days}).Bind(3, std::int64_t{to.days});
    return ReadRows(s, ReadOverride);
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

std::vector<core::Date> SelectFinalizedDays(Db& db, std::int64_t school_id, core::Date from, core::Date to) {
    Stmt s(db, "SELECT date FROM finalized_days WHERE school_id = ? AND date BETWEEN ? AND ? ORDER BY date");
    s.Bind(1, school_id).Bind(2, std::int64_t{from.days}).Bind(3, std::int64_t{to.days});
    std::vector<core::Date> out;
    while (s.Step()) {
        out.push_back(core::Date{static_cast<std::int32_t>(s.Int(0))});
    }
    return out;
}

}  // namespace rollcall::storage::sqlite
