#include "storage/sqlite/calendar_sql.hpp"

#include "storage/sqlite/sqlite_db.hpp"

namespace rollcall::storage::sqlite {
namespace {

constexpr std::string_view kHolidayColumns = "id, school_id, date, name";

Holiday ReadHoliday(const Stmt& s) {
    return Holiday{s.Int(0), s.Int(1), core::Date{static_cast<std::int32_t>(s.Int(2))}, s.Text(3)};
}

constexpr std::string_view kSettingsColumns = "id, school_id, effective_from, json, created_at, scope";

SettingsVersion ReadSettings(const Stmt& s) {
    return SettingsVersion{
        s.Int(0), s.Int(1), core::Date{static_cast<std::int32_t>(s.Int(2))}, s.Text(3), s.Int(4), s.Text(5), {}};
}

}  // namespace

std::int64_t InsertHoliday(Db& db, const Holiday& h) {
    static const std::string sql = InsertSql("holidays", kHolidayColumns);
    Stmt(db, sql).Bind(1, h.school_id).Bind(2, std::int64_t{h.date.days}).Bind(3, h.name).Exec();
    return db.LastInsertId();
}

std::vector<Holiday> SelectHolidays(Db& db, std::int64_t school_id) {
    static const std::string sql = SelectSql(kHolidayColumns, "FROM holidays WHERE school_id = ? ORDER BY date");
    Stmt s(db, sql);
    s.Bind(1, school_id);
    return ReadRows(s, ReadHoliday);
}

std::optional<Holiday> RemoveHoliday(Db& db, std::int64_t school_id, std::int64_t id) {
    static const std::string sql =
        std::string("DELETE FROM holidays WHERE school_id = ? AND id = ? RETURNING ").append(kHolidayColumns);
    Stmt s(db, sql);
    s.Bind(1, school_id).Bind(2, id);
    return ReadRow(s, ReadHoliday);
}

std::int64_t ReplaceSettings(Db& db, const SettingsVersion& v) {
    // One version per effective date: saving again for the same date replaces it.
    Stmt(db, "DELETE FROM attendance_settings WHERE school_id = ? AND scope = ? AND effective_from = ?")
        .Bind(1, v.school_id)
        .Bind(2, v.scope)
        .Bind(3, std::int64_t{v.effective_from.days})
        .Exec();
    static const std::string sql = InsertSql("attendance_settings", kSettingsColumns);
    Stmt s(db, sql);
    s.Bind(1, v.school_id).Bind(2, std::int64_t{v.effective_from.days}).Bind(3, v.json).Bind(4, v.created_at);
    s.Bind(5, v.scope).Exec();
    return db.LastInsertId();
}

std::vector<SettingsVersion> SelectSettings(Db& db, std::int64_t school_id) {
    static const std::string sql =
        SelectSql(kSettingsColumns, "FROM attendance_settings WHERE school_id = ? ORDER BY scope, effective_from");
    Stmt s(db, sql);
    s.Bind(1, school_id);
    return ReadRows(s, ReadSettings);
}

}  // namespace rollcall::storage::sqlite
