#include "storage/sqlite/account_sql.hpp"

#include "storage/sqlite/table.hpp"

namespace rollcall::storage::sqlite {
namespace {

struct SchoolTable {
    using Row = School;
    static constexpr std::string_view kName = "schools";
    static constexpr std::string_view kColumns = "id, name, timezone, created_at";

    static School Read(const Stmt& s) { return School{s.Int(0), s.Text(1), s.Text(2), s.Int(3)}; }

    static void Bind(Stmt& s, const School& school) {
        s.Bind(1, school.name).Bind(2, school.timezone).Bind(3, school.created_at);
    }
};

struct UserTable {
    using Row = User;
    static constexpr std::string_view kName = "users";
    // created_at is stored as 0 and never read back.
    static constexpr std::string_view kColumns = "id, email, role, school_id, password_hash, created_at";

    static User Read(const Stmt& s) { return User{s.Int(0), s.Text(1), s.Text(2), s.OptInt(3), s.Text(4)}; }

    static void Bind(Stmt& s, const User& u) {
        s.Bind(1, u.email).Bind(2, u.role).Bind(3, u.school_id).Bind(4, u.password_hash).Bind(5, std::int64_t{0});
    }
};

struct SessionTable {
    using Row = Session;
    static constexpr std::string_view kName = "sessions";
    // created_at is stored as 0 and never read back.
    static constexpr std::string_view kColumns = "id, user_id, token_hash, csrf_token, expires_at, created_at";

    static Session Read(const Stmt& s) { return Session{s.Int(0), s.Int(1), s.Blob(2), s.Text(3), s.Int(4)}; }

    static void Bind(Stmt& s, const Session& session) {
        s.Bind(1, session.user_id).Bind(2, std::span<const std::uint8_t>(session.token_hash));
        s.Bind(3, session.csrf_token).Bind(4, session.expires_at).Bind(5, std::int64_t{0});
    }
};

}  // namespace

std::int64_t InsertSchool(Db& db, const School& school) {
    return Insert<SchoolTable>(db, school);
}

std::optional<School> SelectSchool(Db& db, std::int64_t id) {
    return SelectWhere<SchoolTable>(db, "id", id);
}

std::vector<School> SelectSchools(Db& db) {
    static const std::string sql = SelectSql(SchoolTable::kColumns, "FROM schools ORDER BY id");
    Stmt s(db, sql);
    return ReadRows(s, SchoolTable::Read);
}

std::int64_t InsertUser(Db& db, const User& user) {
    return Insert<UserTable>(db, user);
}

std::optional<User> SelectUser(Db& db, std::int64_t id) {
    return SelectWhere<UserTable>(db, "id", id);
}

std::optional<User> SelectUserByEmail(Db& db, const std::string& email) {
    return SelectWhere<UserTable>(db, "email", std::string_view(email));
}

std::int64_t SelectUserCount(Db& db) {
    Stmt s(db, "SELECT count(*) FROM users");
    return s.Step() ? s.Int(0) : 0;
}

void SetPasswordHash(Db& db, std::int64_t user_id, const std::string& hash) {
    Stmt(db, "UPDATE users SET password_hash = ? WHERE id = ?").Bind(1, hash).Bind(2, user_id).Exec();
}

std::int64_t InsertSession(Db& db, const Session& session) {
    return Insert<SessionTable>(db, session);
}

std::optional<Session> SelectSessionByTokenHash(Db& db, const std::vector<std::uint8_t>& hash) {
    return SelectWhere<SessionTable>(db, "token_hash", std::span<const std::uint8_t>(hash));
}

void RemoveSession(Db& db, std::int64_t id) {
    Stmt(db, "DELETE FROM sessions WHERE id = ?").Bind(1, id).Exec();
}

}  // namespace rollcall::storage::sqlite
