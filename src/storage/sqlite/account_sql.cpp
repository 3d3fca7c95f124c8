#include "storage/sqlite/account_sql.hpp"

#include "storage/sqlite/sqlite_db.hpp"

namespace rollcall::storage::sqlite {
namespace {

constexpr std::string_view kSchoolColumns = "id, name, timezone, created_at";

School ReadSchool(const Stmt& s) {
    return School{s.Int(0), s.Text(1), s.Text(2), s.Int(3)};
}

// created_at is stored and never read back: the records have no use for it.
constexpr std::string_view kUserColumns = "id, email, role, school_id, password_hash, created_at";

User ReadUser(const Stmt& s) {
    return User{s.Int(0), s.Text(1), s.Text(2), s.OptInt(3), s.Text(4)};
}

constexpr std::string_view kSessionColumns = "id, user_id, token_hash, csrf_token, expires_at, created_at";

Session ReadSession(const Stmt& s) {
    return Session{s.Int(0), s.Int(1), s.Blob(2), s.Text(3), s.Int(4)};
}

}  // namespace

std::int64_t InsertSchool(Db& db, const School& school) {
    static const std::string sql = InsertSql("schools", kSchoolColumns);
    Stmt(db, sql).Bind(1, school.name).Bind(2, school.timezone).Bind(3, school.created_at).Exec();
    return db.LastInsertId();
}

std::optional<School> SelectSchool(Db& db, std::int64_t id) {
    static const std::string sql = SelectSql(kSchoolColumns, "FROM schools WHERE id = ?");
    Stmt s(db, sql);
    s.Bind(1, id);
    return ReadRow(s, ReadSchool);
}

std::vector<School> SelectSchools(Db& db) {
    static const std::string sql = SelectSql(kSchoolColumns, "FROM schools ORDER BY id");
    Stmt s(db, sql);
    return ReadRows(s, ReadSchool);
}

std::int64_t InsertUser(Db& db, const User& user) {
    static const std::string sql = InsertSql("users", kUserColumns);
    Stmt s(db, sql);
    s.Bind(1, user.email).Bind(2, user.role).Bind(3, user.school_id).Bind(4, user.password_hash);
    s.Bind(5, std::int64_t{0}).Exec();
    return db.LastInsertId();
}

std::optional<User> SelectUser(Db& db, std::int64_t id) {
    static const std::string sql = SelectSql(kUserColumns, "FROM users WHERE id = ?");
    Stmt s(db, sql);
    s.Bind(1, id);
    return ReadRow(s, ReadUser);
}

std::optional<User> SelectUserByEmail(Db& db, const std::string& email) {
    static const std::string sql = SelectSql(kUserColumns, "FROM users WHERE email = ?");
    Stmt s(db, sql);
    s.Bind(1, email);
    return ReadRow(s, ReadUser);
}

std::int64_t SelectUserCount(Db& db) {
    Stmt s(db, "SELECT count(*) FROM users");
    return s.Step() ? s.Int(0) : 0;
}

void SetPasswordHash(Db& db, std::int64_t user_id, const std::string& hash) {
    Stmt(db, "UPDATE users SET password_hash = ? WHERE id = ?").Bind(1, hash).Bind(2, user_id).Exec();
}

std::int64_t InsertSession(Db& db, const Session& session) {
    static const std::string sql = InsertSql("sessions", kSessionColumns);
    Stmt s(db, sql);
    s.Bind(1, session.user_id).Bind(2, std::span<const std::uint8_t>(session.token_hash));
    s.Bind(3, session.csrf_token).Bind(4, session.expires_at).Bind(5, std::int64_t{0}).Exec();
    return db.LastInsertId();
}

std::optional<Session> SelectSessionByTokenHash(Db& db, const std::vector<std::uint8_t>& hash) {
    static const std::string sql = SelectSql(kSessionColumns, "FROM sessions WHERE token_hash = ?");
    Stmt s(db, sql);
    s.Bind(1, std::span<const std::uint8_t>(hash));
    return ReadRow(s, ReadSession);
}

void RemoveSession(Db& db, std::int64_t id) {
    Stmt(db, "DELETE FROM sessions WHERE id = ?").Bind(1, id).Exec();
}

}  // namespace rollcall::storage::sqlite
