#include "raw_sqlite.hpp"

#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/punch_writer.hpp"
#include "storage/sqlite/sqlite_db.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <stdexcept>

#include <sqlite3.h>

namespace rollcall::bench {
namespace {

// The server's statement (storage/sqlite/punch_writer.hpp).
constexpr const char* kInsert = storage::sqlite::kInsertPunchSql;

}  // namespace

RawSqlite::RawSqlite(const std::string& path) {
    {
        // The server's own schema, by its own migrations: the baseline fills the same table and index.
        storage::sqlite::Db server_schema(path, false);
        storage::sqlite::Migrate(server_schema);
    }
    if (sqlite3_open_v2(
            path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK) {
        const std::string msg = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw std::runtime_error("cannot open " + path + ": " + msg);
    }
    // The server's writer connection pragmas, cache size included, so the baseline differs only in what sits
    // in front of SQLite.
    for (const auto pragma : storage::sqlite::kWriterPragmas) {
        Exec(std::string(pragma).c_str());
    }
    for (auto [sql, stmt] :
         {std::pair{kInsert, &insert_}, std::pair{"BEGIN IMMEDIATE", &begin_}, std::pair{"COMMIT", &commit_}}) {
        if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, nullptr) != SQLITE_OK) {
            throw std::runtime_error(std::string("prepare failed: ") + sqlite3_errmsg(db_));
        }
    }
}

RawSqlite::~RawSqlite() {
    sqlite3_finalize(insert_);
    sqlite3_finalize(begin_);
    sqlite3_finalize(commit_);
    sqlite3_close(db_);
}

void RawSqlite::Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        const std::string msg = err != nullptr ? err : "sqlite error";
        sqlite3_free(err);
        throw std::runtime_error(msg);
    }
}

void RawSqlite::Step(sqlite3_stmt* stmt) {
    const int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) {
        throw std::runtime_error(std::string("sqlite step failed: ") + sqlite3_errmsg(db_));
    }
}

double RawSqlite::Insert(const std::vector<RawRow>& rows, std::size_t per_commit) {
    const auto received_at = static_cast<std::int64_t>(std::time(nullptr));
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t first = 0; first < rows.size(); first += per_commit) {
        Step(begin_);
        ++batch_id_;
        const std::size_t end = std::min(rows.size(), first + per_commit);
        for (std::size_t i = first; i < end; ++i) {
            const auto& r = rows[i];
            sqlite3_bind_int64(insert_, 1, 1);
            sqlite3_bind_int64(insert_, 2, r.device_id);
            sqlite3_bind_text(
                insert_, 3, r.punch.user_id.data(), static_cast<int>(r.punch.user_id.size()), SQLITE_STATIC);
            sqlite3_bind_int64(insert_, 4, r.punch.ts);
            sqlite3_bind_int64(insert_, 5, 0);
            sqlite3_bind_null(insert_, 6);
            sqlite3_bind_text(insert_, 7, "push", 4, SQLITE_STATIC);
            sqlite3_bind_int64(insert_, 8, received_at);
            sqlite3_bind_int64(insert_, 9, batch_id_);
            Step(insert_);
            if (sqlite3_changes(db_) != 1) {
                throw std::runtime_error("raw insert: a fresh row was not inserted");
            }
        }
        Step(commit_);
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::size_t CountRows(const std::string& path, const std::string& table) {
    sqlite3* db = nullptr;
    sqlite3_stmt* stmt = nullptr;
    std::int64_t n = -1;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
        sqlite3_prepare_v2(db, ("SELECT count(*) FROM " + table).c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
        n = sqlite3_column_int64(stmt, 0);
    }
    const std::string msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    if (n < 0) {
        throw std::runtime_error("cannot count " + table + " in " + path + ": " + msg);
    }
    return static_cast<std::size_t>(n);
}

}  // namespace rollcall::bench
