#include "storage/sqlite/calendar_sql.hpp"

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

}  // namespace rollcall::storage::sqlite
