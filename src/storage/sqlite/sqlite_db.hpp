#pragma once

#include "core/civil_time.hpp"
#include "core/enum_names.hpp"
#include "core/result.hpp"
#include "storage/records.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
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

/// An enum of the vocabulary: it has a name table (core/enum_names.hpp), and its column holds the names.
template <class E>
concept NamedEnum = std::is_enum_v<E> && requires {
    EnumNameTable(E{});
};

/// Optional times of day are int32 in the records and int64 in SQLite columns.
inline std::optional<std::int64_t> Widen(std::optional<std::int32_t> v) {
    return v ? std::optional<std::int64_t>(*v) : std::nullopt;
}
inline std::optional<std::int32_t> Narrow(std::optional<std::int64_t> v) {
    return v ? std::optional<std::int32_t>(static_cast<std::int32_t>(*v)) : std::nullopt;
}

/// Optional dates are day numbers in SQLite columns.
inline std::optional<std::int64_t> DateToInt(std::optional<core::Date> d) {
    return d ? std::optional<std::int64_t>(d->days) : std::nullopt;
}
inline std::optional<core::Date> IntToDate(std::optional<std::int64_t> v) {
    return v ? std::optional<core::Date>(core::Date{static_cast<std::int32_t>(*v)}) : std::nullopt;
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
    /// Binds the value's name: the stored text is the API's word for it.
    template <NamedEnum E>
    Stmt& Bind(int index, E value) {
        return Bind(index, core::NameOf(value));
    }

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
    /// The value the column's text names; a name the table lacks is a damaged row (SqliteError, as SQLite's own).
    template <NamedEnum E>
    E Enum(int column) const {
        const auto text = TextView(column);
        if (const auto value = core::ParseEnum<E>(text)) {
            return *value;
        }
        ThrowUnknownName(column, text);
    }

private:
    [[noreturn]] void ThrowUnknownName(int column, std::string_view text) const;

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

    /// Noted by every statement that marks days for recomputation (R18, recompute_sql.cpp), so the executor
    /// wakes the recompute worker once the transaction commits: no write has to remember to.
    void NoteDaysMarked() { days_marked_ = true; }
    /// Whether the transaction marked days; clears the note. InTransaction clears it at BEGIN and ROLLBACK.
    bool TakeDaysMarked() { return std::exchange(days_marked_, false); }
    /// R18: the days a school's marks are clamped to, from its time zone (the writer's; unset: any day).
    void SetMarkWindow(std::function<MarkWindow(const std::string&)> window) { mark_window_ = std::move(window); }
    const std::function<MarkWindow(const std::string&)>& mark_window() const { return mark_window_; }

private:
    struct CacheEntry {
        sqlite3_stmt* stmt = nullptr;
        bool in_use = false;
    };
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, CacheEntry> cache_;
    std::unordered_map<sqlite3_stmt*, CacheEntry*> borrowed_;
    bool days_marked_ = false;
    std::function<MarkWindow(const std::string&)> mark_window_;
};

/// Every row `s` returns, each read by `read` (a table's row reader).
template <class Read>
auto ReadRows(Stmt& s, Read&& read) {
    std::vector<std::decay_t<std::invoke_result_t<Read&, const Stmt&>>> out;
    while (s.Step()) {
        out.push_back(read(static_cast<const Stmt&>(s)));
    }
    return out;
}

/// The first row `s` returns, if any. The statement is reset after it, so a DELETE ... RETURNING has finished
/// before the caller's next statement.
template <class Read>
auto ReadRow(Stmt& s, Read&& read) {
    std::optional<std::decay_t<std::invoke_result_t<Read&, const Stmt&>>> out;
    if (s.Step()) {
        out = read(static_cast<const Stmt&>(s));
    }
    s.Reset();
    return out;
}

/// How many columns a column list names.
int ColumnCount(std::string_view columns);
/// "SELECT <columns> <rest>": a table's column list, written once beside its row reader.
std::string SelectSql(std::string_view columns, std::string_view rest);
/// "INSERT INTO <table>(<columns but the first>) VALUES(?1, ..., ?n)": the statement of a table whose column
/// list starts with its generated id, so the binder binds column k of the list at ?k. `tail` follows VALUES.
std::string InsertSql(std::string_view table, std::string_view columns, std::string_view tail = {});

/// Runs fn inside BEGIN IMMEDIATE ... COMMIT; rolls back if it throws. The note of marked days starts clear and
/// a rollback clears it, so once this returns, Db::TakeDaysMarked says whether the committed transaction marked
/// days.
template <class Fn>
auto InTransaction(Db& db, Fn&& fn) {
    db.Exec("BEGIN IMMEDIATE");
    db.TakeDaysMarked();
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
        db.TakeDaysMarked();  // rolled back: nothing to recompute
        try {
            db.Exec("ROLLBACK");
        } catch (...) {  // NOLINT(bugprone-empty-catch): the first error is the one to report
        }
        throw;
    }
}

}  // namespace rollcall::storage::sqlite
