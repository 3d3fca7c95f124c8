#include "storage/sqlite/calendar_sql.hpp"

#include "storage/sqlite/table.hpp"

namespace rollcall::storage::sqlite {
namespace {

core::Date DateColumn(const Stmt& s, int column) {
    return core::Date{static_cast<std::int32_t>(s.Int(column))};
}

struct HolidayTable {
    using Row = Holiday;
    static constexpr std::string_view kName = "holidays";
    static constexpr std::string_view kColumns = "id, school_id, date, name";
    static constexpr std::string_view kOrder = "date";

    static Holiday Read(const Stmt& s) { return Holiday{s.Int(0), s.Int(1), DateColumn(s, 2), s.Text(3)}; }

    static void Bind(Stmt& s, const Holiday& h) {
        s.Bind(1, h.school_id).Bind(2, std::int64_t{h.date.days}).Bind(3, h.name);
    }
};

struct SettingsTable {
    using Row = SettingsVersion;
    static constexpr std::string_view kName = "attendance_settings";
    static constexpr std::string_view kColumns = "id, school_id, effective_from, json, created_at, scope";
    static constexpr std::string_view kOrder = "scope, effective_from";

    static SettingsVersion Read(const Stmt& s) {
        return SettingsVersion{s.Int(0), s.Int(1), DateColumn(s, 2), s.Text(3), s.Int(4), s.Text(5), {}};
    }

    static void Bind(Stmt& s, const SettingsVersion& v) {
        s.Bind(1, v.school_id).Bind(2, std::int64_t{v.effective_from.days}).Bind(3, v.json).Bind(4, v.created_at);
        s.Bind(5, v.scope);
    }
};

}  // namespace

std::int64_t InsertHoliday(Db& db, const Holiday& holiday) {
    return Insert<HolidayTable>(db, holiday);
}

std::vector<Holiday> SelectHolidays(Db& db, std::int64_t school_id) {
    return SelectAll<HolidayTable>(db, school_id);
}

std::optional<Holiday> RemoveHoliday(Db& db, std::int64_t school_id, std::int64_t id) {
    return RemoveOne<HolidayTable>(db, school_id, id);
}

std::int64_t ReplaceSettings(Db& db, const SettingsVersion& v) {
    // One version per effective date: saving again for the same date replaces it.
    Stmt(db, "DELETE FROM attendance_settings WHERE school_id = ? AND scope = ? AND effective_from = ?")
        .Bind(1, v.school_id)
        .Bind(2, v.scope)
        .Bind(3, std::int64_t{v.effective_from.days})
        .Exec();
    return Insert<SettingsTable>(db, v);
}

std::vector<SettingsVersion> SelectSettings(Db& db, std::int64_t school_id) {
    return SelectAll<SettingsTable>(db, school_id);
}

}  // namespace rollcall::storage::sqlite
