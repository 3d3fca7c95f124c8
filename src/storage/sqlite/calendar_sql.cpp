#include "storage/sqlite/calendar_sql.hpp"

#include <algorithm>

namespace rollcall::storage::sqlite {

std::int64_t ReplaceSettings(Db& db, const SettingsVersion& v) {
    // One version per effective date: saving again for the same date replaces it.
    Stmt(db, "DELETE FROM attendance_settings WHERE school_id = ? AND scope = ? AND effective_from = ?")
        .Bind(1, v.school_id)
        .Bind(2, v.scope)
        .Bind(3, std::int64_t{v.effective_from.days})
        .Exec();
    return Insert(db, v);
}

std::vector<SettingsVersion> RemoveSettingsScope(Db& db, std::int64_t school_id, const std::string& scope) {
    const auto& table = TableOf<SettingsVersion>();
    static const std::string sql = std::string("DELETE FROM ").append(table.name) +
                                   " WHERE school_id = ? AND scope = ? RETURNING " + std::string(table.columns);
    Stmt s(db, sql);
    s.Bind(1, school_id).Bind(2, scope);
    auto out = ReadRows(s, table.read);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.effective_from < b.effective_from; });
    return out;
}

}  // namespace rollcall::storage::sqlite
