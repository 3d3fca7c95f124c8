#include "storage/sqlite/account_sql.hpp"

namespace rollcall::storage::sqlite {

std::vector<School> SelectSchools(Db& db) {
    static const std::string sql = SelectSql(kTable<School>.columns, "FROM schools ORDER BY id");
    Stmt s(db, sql);
    return ReadRows(s, ReadSchool);
}

bool RewriteSchool(Db& db, const School& school) {
    Stmt(db, "UPDATE schools SET name = ?, status = ? WHERE id = ?")
        .Bind(1, school.name)
        .Bind(2, school.status)
        .Bind(3, school.id)
        .Exec();
    return db.Changes() > 0;
}

std::optional<User> SelectUserByEmail(Db& db, const std::string& email) {
    return SelectWhere<User>(db, "email", std::string_view(email));
}

std::vector<User> SelectUsers(Db& db, std::optional<std::int64_t> school_id) {
    static const std::string all = SelectSql(kTable<User>.columns, "FROM users ORDER BY id");
    static const std::string of_school = SelectSql(kTable<User>.columns, "FROM users WHERE school_id = ? ORDER BY id");
    Stmt s(db, school_id ? of_school : all);
    if (school_id) {
        s.Bind(1, *school_id);
    }
    return ReadRows(s, ReadUser);
}

std::int64_t SelectUserCount(Db& db) {
    Stmt s(db, "SELECT count(*) FROM users");
    return s.Step() ? s.Int(0) : 0;
}

std::int64_t CountActiveSuperAdmins(Db& db) {
    Stmt s(db, "SELECT count(*) FROM users WHERE role = ? AND status = ?");
    s.Bind(1, domain::Role::kSuperAdmin).Bind(2, domain::ActiveStatus::kActive);
    return s.Step() ? s.Int(0) : 0;
}

void SetPasswordHash(Db& db, std::int64_t user_id, const std::string& hash) {
    Stmt(db, "UPDATE users SET password_hash = ? WHERE id = ?").Bind(1, hash).Bind(2, user_id).Exec();
}

void RewriteUserStatus(Db& db, std::int64_t user_id, domain::ActiveStatus status) {
    Stmt(db, "UPDATE users SET status = ? WHERE id = ?").Bind(1, status).Bind(2, user_id).Exec();
}

std::optional<Session> SelectSessionByTokenHash(Db& db, const std::vector<std::uint8_t>& hash) {
    return SelectWhere<Session>(db, "token_hash", std::span<const std::uint8_t>(hash));
}

void RemoveSession(Db& db, std::int64_t id) {
    Stmt(db, "DELETE FROM sessions WHERE id = ?").Bind(1, id).Exec();
}

void RemoveSchoolSessions(Db& db, std::int64_t school_id) {
    Stmt(db, "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE school_id = ?)")
        .Bind(1, school_id)
        .Exec();
}

void RemoveUserSessions(Db& db, std::int64_t user_id, std::int64_t keep) {
    Stmt(db, "DELETE FROM sessions WHERE user_id = ? AND id <> ?").Bind(1, user_id).Bind(2, keep).Exec();
}

}  // namespace rollcall::storage::sqlite
