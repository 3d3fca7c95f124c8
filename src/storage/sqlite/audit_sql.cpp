#include "storage/sqlite/audit_sql.hpp"

namespace rollcall::storage::sqlite {

std::vector<AuditEntry> SelectAudit(Db& db, std::int64_t school_id, std::int64_t limit) {
    static const std::string sql =
        SelectSql(kTable<AuditEntry>.columns, "FROM audit_log WHERE school_id = ? ORDER BY id DESC LIMIT ?");
    Stmt s(db, sql);
    s.Bind(1, school_id).Bind(2, limit);
    return ReadRows(s, ReadAudit);
}

}  // namespace rollcall::storage::sqlite
