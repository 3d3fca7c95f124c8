#pragma once

#include "core/result.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace rollcall::storage::sqlite {

/// The writer connection's settings, in the order it applies them. The benchmark's raw-SQLite baseline
/// (bench/ingest) applies the same list, so the two differ only in what stands in front of SQLite.
inline constexpr std::string_view kWriterPragmas[] = {
    // WAL: readers never block the writer; FULL: each commit is fsynced before it returns, so a punch is
    // acknowledged only once it would survive a power cut (docs/operations.md "Durability").
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA temp_store=MEMORY",
    // 8 MiB: appends touch only the newest pages of each table and index; the server's RSS budget is 64 MiB.
    "PRAGMA cache_size=-8192",
};

/// Thrown by the wrapper for SQLite failures; the store turns it into an Errc value at its boundary.
class SqliteError : public std::runtime_error {
public:
    SqliteError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
    int code() const { return code_; }
    bool IsConstraint() const;

private:
    int code_;
};

class Db;

/// Optional times of day are int32 in the records and int64 in SQLite columns.
inline std::optional<std::int64_t> Widen(std::optional<std::int32_t> v) {
    return v ? std::optional<std::int64_t>(*v) : std::nullopt;
}
inline std::optional<std::int32_t> Narrow(std::optional<std::int64_t> v) {
    return v ? std::optional<std::int32_t>(static_cast<std::int32_t>(*v)) : std::nullopt;
}

/// A prepared statement, borrowed from its connection's cache (preparing costs more than running most of
/// our queries). Bind with 1-based indexes; Step returns true while rows come. On destruction the statement
/// is reset and goes back to the cache.
class Stmt {
public:
    Stmt(Db& db, std::string_view sql);
    ~Stmt();
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    Stmt& Bind(int index, std::int64_t value);
    Stmt& Bind(int index, std::string_view value);
    Stmt& Bind(int index, std::span<const std::uint8_t> value);
    Stmt& Bind(int index, std::optional<std::int64_t> value);
    Stmt& BindNull(int index);

    bool Step();
    void Reset();
    /// Steps once, expecting no row.
    void Exec();

    std::int64_t Int(int column) const;
    std::optional<std::int64_t> OptInt(int column) const;
    std::string Text(int column) const;
    /// The column's text without a copy; valid until the next Step or Reset.
    std::string_view TextView(int column) const;
    std::vector<std::uint8_t> Blob(int column) const;

private:
    Db& db_;
    bool cached_ = false;  // before stmt_: Acquire sets it while stmt_ is initialised
    sqlite3_stmt* stmt_ = nullptr;
};

class Db {
public:
    Db(const std::string& path, bool read_only);
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    void Exec(std::string_view sql);
    std::int64_t LastInsertId() const;
    int Changes() const;
    sqlite3* handle() { return db_; }
    [[noreturn]] void Throw(int code) const;

    /// A prepared statement for `sql`: the cached one when it is free, else a fresh uncached one.
    sqlite3_stmt* Acquire(std::string_view sql, bool& cached);
    void Release(sqlite3_stmt* stmt);

private:
    struct CacheEntry {
        sqlite3_stmt* stmt = nullptr;
        bool in_use = false;
    };
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, CacheEntry> cache_;
    std::unordered_map<sqlite3_stmt*, CacheEntry*> borrowed_;
};

/// Runs fn inside BEGIN IMMEDIATE ... COMMIT; rolls back if it throws.
template <class Fn>
auto InTransaction(Db& db, Fn&& fn) {
    db.Exec("BEGIN IMMEDIATE");
    try {
        if constexpr (std::is_void_v<decltype(fn())>) {
            fn();
            db.Exec("COMMIT");
        } else {
            auto result = fn();
            db.Exec("COMMIT");
            return result;
        }
    } catch (...) {
        try {
            db.Exec("ROLLBACK");
        } catch (...) {  // NOLINT(bugprone-empty-catch): the first error is the one to report
        }
        throw;
    }
}

}  // namespace rollcall::storage::sqlite
