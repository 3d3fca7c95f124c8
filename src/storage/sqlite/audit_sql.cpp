#include "storage/sqlite/audit_sql.hpp"

namespace rollcall::storage::sqlite {

std::vector<AuditEntry> SelectAudit(Db& db, std::int64_t school_id, const AuditFilter& filter) {
    // One statement per combination of filters (at most sixteen, each prepared once and cached), so a person's
    // lines are found through their index rather than by reading the school's whole trail.
    std::string sql = SelectSql(kTable<AuditEntry>.columns, "FROM audit_log WHERE school_id = ?1");
    sql += filter.entity ? " AND entity = ?2" : "";
    sql += filter.person_id ? " AND person_id = ?3" : "";
    sql += filter.from ? " AND at >= ?4" : "";
    sql += filter.until ? " AND at < ?5" : "";
    sql += " ORDER BY id DESC LIMIT ?6";
    Stmt s(db, sql);
    s.Bind(1, school_id).Bind(2, filter.entity.value_or("")).Bind(3, filter.person_id).Bind(4, filter.from);
    s.Bind(5, filter.until).Bind(6, filter.limit);
    return ReadRows(s, ReadAudit);
}

}  // namespace rollcall::storage::sqlite
