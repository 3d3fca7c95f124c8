#include "storage/sqlite/sqlite_db.hpp"

#include <algorithm>

#include <sqlite3.h>

namespace rollcall::storage::sqlite {

std::string SelectSql(std::string_view columns, std::string_view rest) {
    std::string sql = "SELECT ";
    sql.append(columns).append(" ").append(rest);
    return sql;
}

int ColumnCount(std::string_view columns) {
    return 1 + static_cast<int>(std::count(columns.begin(), columns.end(), ','));
}

std::string InsertSql(std::string_view table, std::string_view columns, std::string_view tail) {
    const auto first = columns.find(", ");
    if (first == std::string_view::npos) {
        throw std::logic_error("InsertSql: a column list starts with the generated id");
    }
    const auto inserted = columns.substr(first + 2);
    std::string sql = "INSERT INTO ";
    sql.append(table).append("(").append(inserted).append(") VALUES(");
    const int n = ColumnCount(inserted);
    for (int k = 1; k <= n; ++k) {
        sql.append(k == 1 ? "?" : ",?").append(std::to_string(k));
    }
    sql.append(")");
    if (!tail.empty()) {
        sql.append(" ").append(tail);
    }
    return sql;
}

bool SqliteError::IsConstraint() const {
    return (code_ & 0xff) == SQLITE_CONSTRAINT;
}

Db::Db(const std::string& path, bool read_only) {
    // Before the first connection: SQLite's memory statistics take a process-wide lock on every allocation,
    // which the io threads and the writer would fight over. Later calls are refused harmlessly.
    static const int kConfigured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)kConfigured;
    const int flags =
        (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string msg = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw SqliteError(rc, "cannot open " + path + ": " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
}

Db::~Db() {
    for (auto& [sql, entry] : cache_) {
        sqlite3_finalize(entry.stmt);
    }
    sqlite3_close_v2(db_);
}

sqlite3_stmt* Db::Acquire(std::string_view sql, bool& cached) {
    auto it = cache_.find(std::string(sql));
    if (it != cache_.end() && !it->second.in_use) {
        it->second.in_use = true;
        borrowed_[it->second.stmt] = &it->second;
        cached = true;
        return it->second.stmt;
    }
    sqlite3_stmt* stmt = nullptr;
    const int rc =
        sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
        Throw(rc);
    }
    if (it == cache_.end()) {
        auto& entry = cache_[std::string(sql)];
        entry = CacheEntry{stmt, true};
        borrowed_[stmt] = &entry;
        cached = true;
    } else {
        cached = false;  // the cached one is busy (the same query nested): use a private copy
    }
    return stmt;
}

void Db::Release(sqlite3_stmt* stmt) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (auto it = borrowed_.find(stmt); it != borrowed_.end()) {
        it->second->in_use = false;
        borrowed_.erase(it);
    }
}

void Db::Throw(int code) const {
    throw SqliteError(code, sqlite3_errmsg(db_));
}

void Db::Exec(std::string_view sql) {
    char* err = nullptr;
    const std::string text(sql);
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err != nullptr ? err : "sqlite error";
        sqlite3_free(err);
        throw SqliteError(rc, msg);
    }
}

std::int64_t Db::LastInsertId() const {
    return sqlite3_last_insert_rowid(db_);
}

int Db::Changes() const {
    return sqlite3_changes(db_);
}

Stmt::Stmt(Db& db, std::string_view sql) : db_(db), stmt_(db.Acquire(sql, cached_)) {}

Stmt::~Stmt() {
    if (cached_) {
        db_.Release(stmt_);
    } else {
        sqlite3_finalize(stmt_);
    }
}

Stmt& Stmt::Bind(int index, std::int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
}

Stmt& Stmt::Bind(int index, std::string_view value) {
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    return *this;
}

Stmt& Stmt::Bind(int index, std::span<const std::uint8_t> value) {
    sqlite3_bind_blob(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    return *this;
}

Stmt& Stmt::Bind(int index, std::optional<std::int64_t> value) {
    return value ? Bind(index, *value) : BindNull(index);
}

Stmt& Stmt::BindNull(int index) {
    sqlite3_bind_null(stmt_, index);
    return *this;
}

bool Stmt::Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    sqlite3_reset(stmt_);
    db_.Throw(rc);
}

void Stmt::Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

void Stmt::Exec() {
    Step();
    sqlite3_reset(stmt_);
}

std::int64_t Stmt::Int(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

std::optional<std::int64_t> Stmt::OptInt(int column) const {
    if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) {
        return std::nullopt;
    }
    return sqlite3_column_int64(stmt_, column);
}

std::string Stmt::Text(int column) const {
    const auto* p = sqlite3_column_text(stmt_, column);
    const int n = sqlite3_column_bytes(stmt_, column);
    return p != nullptr ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

std::string_view Stmt::TextView(int column) const {
    const auto* p = sqlite3_column_text(stmt_, column);
    const int n = sqlite3_column_bytes(stmt_, column);
    return p != nullptr ? std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n))
                        : std::string_view();
}

std::vector<std::uint8_t> Stmt::Blob(int column) const {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
    const int n = sqlite3_column_bytes(stmt_, column);
    return p != nullptr ? std::vector<std::uint8_t>(p, p + n) : std::vector<std::uint8_t>();
}

void Stmt::ThrowUnknownName(int column, std::string_view text) const {
    throw SqliteError(SQLITE_CORRUPT,
                      std::string("column ") + sqlite3_column_name(stmt_, column) + " holds an unknown name '" +
                          std::string(text) + "'");
}

}  // namespace rollcall::storage::sqlite
