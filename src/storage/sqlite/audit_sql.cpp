#include "storage/sqlite/audit_sql.hpp"

#include "storage/sqlite/table.hpp"

namespace rollcall::storage::sqlite {
namespace {

struct AuditTable {
    using Row = AuditEntry;
    static constexpr std::string_view kName = "audit_log";
    static constexpr std::string_view kColumns =
        "id, school_id, user_id, at, action, entity, entity_id, old_value, new_value, reason";

    static AuditEntry Read(const Stmt& s) {
        return AuditEntry{
            s.Int(0), s.Int(1), s.Int(2), s.Int(3), s.Text(4), s.Text(5), s.Int(6), s.Text(7), s.Text(8), s.Text(9)};
    }

    static void Bind(Stmt& s, const AuditEntry& a) {
        s.Bind(1, a.school_id).Bind(2, a.user_id).Bind(3, a.at).Bind(4, a.action).Bind(5, a.entity);
        s.Bind(6, a.entity_id).Bind(7, a.old_value).Bind(8, a.new_value).Bind(9, a.reason);
    }
};

}  // namespace

void InsertAudit(Db& db, const AuditEntry& entry) {
    Insert<AuditTable>(db, entry);
}

std::vector<AuditEntry> SelectAudit(Db& db, std::int64_t school_id, std::int64_t limit) {
    static const std::string sql =
        SelectSql(AuditTable::kColumns, "FROM audit_log WHERE school_id = ? ORDER BY id DESC LIMIT ?");
    Stmt s(db, sql);
    s.Bind(1, school_id).Bind(2, limit);
    return ReadRows(s, AuditTable::Read);
}

}  // namespace rollcall::storage::sqlite
