#include "storage/sqlite/account_sql.hpp"

namespace rollcall::storage::sqlite {

std::vector<School> SelectSchools(Db& db) {
    static const std::string sql = SelectSql(kTable<School>.columns, "FROM schools ORDER BY id");
    Stmt s(db, sql);
    return ReadRows(s, ReadSchool);
}

std::optional<User> SelectUserByEmail(Db& db, const std::string& email) {
    return SelectWhere<User>(db, "email", std::string_view(email));
}

std::int64_t SelectUserCount(Db& db) {
    Stmt s(db, "SELECT count(*) FROM users");
    return s.Step() ? s.Int(0) : 0;
}

void SetPasswordHash(Db& db, std::int64_t user_id, const std::string& hash) {
    Stmt(db, "UPDATE users SET password_hash = ? WHERE id = ?").Bind(1, hash).Bind(2, user_id).Exec();
}

std::optional<Session> SelectSessionByTokenHash(Db& db, const std::vector<std::uint8_t>& hash) {
    return SelectWhere<Session>(db, "token_hash", std::span<const std::uint8_t>(hash));
}

void RemoveSession(Db& db, std::int64_t id) {
    Stmt(db, "DELETE FROM sessions WHERE id = ?").Bind(1, id).Exec();
}

}  // namespace rollcall::storage::sqlite
