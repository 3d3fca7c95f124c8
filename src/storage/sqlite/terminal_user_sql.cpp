#include "storage/sqlite/terminal_user_sql.hpp"

#include "storage/sqlite/sqlite_db.hpp"

namespace rollcall::storage::sqlite {

void ReplaceTerminalUserTable(Db& db, const TerminalUserTable& table) {
    Stmt(db, "DELETE FROM terminal_users WHERE school_id = ? AND device_id = ?")
        .Bind(1, table.school_id)
        .Bind(2, table.device_id)
        .Exec();
    Stmt insert(db,
                "INSERT INTO terminal_users(device_id, user_id, school_id, name, card, privilege) "
                "VALUES(?,?,?,?,?,?)");
    for (const auto& u : table.users) {
        insert.Bind(1, table.device_id)
            .Bind(2, u.user_id)
            .Bind(3, table.school_id)
            .Bind(4, u.name)
            .Bind(5, u.card)
            .Bind(6, std::int64_t{u.privilege})
            .Exec();
    }
    Stmt(db,
         "INSERT OR REPLACE INTO terminal_user_reads(device_id, school_id, read_at, users, received_at) "
         "VALUES(?,?,?,?,?)")
        .Bind(1, table.device_id)
        .Bind(2, table.school_id)
        .Bind(3, table.read_at)
        .Bind(4, static_cast<std::int64_t>(table.users.size()))
        .Bind(5, table.received_at)
        .Exec();
}

std::optional<TerminalUserTable> SelectTerminalUserRead(Db& db, std::int64_t school_id, std::int64_t device_id) {
    Stmt s(db, "SELECT read_at, received_at FROM terminal_user_reads WHERE school_id = ? AND device_id = ?");
    s.Bind(1, school_id).Bind(2, device_id);
    if (!s.Step()) {
        return std::nullopt;
    }
    return TerminalUserTable{school_id, device_id, {}, s.Int(0), s.Int(1)};
}

}  // namespace rollcall::storage::sqlite
