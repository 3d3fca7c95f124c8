#pragma once

// The baselines: the same rows inserted straight into SQLite, no HTTP, no JSON, no writer queue, into
// the server's schema (created by its own migrations) with the server writer's pragmas.

#include "workload.hpp"

#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace rollcall::bench {

struct RawRow {
    std::int64_t device_id = 0;
    Punch punch;
};

class RawSqlite {
public:
    explicit RawSqlite(const std::string& path);
    ~RawSqlite();
    RawSqlite(const RawSqlite&) = delete;
    RawSqlite& operator=(const RawSqlite&) = delete;

    /// Inserts `rows` in transactions of `per_commit` rows; returns the seconds taken. Throws if a row
    /// is not inserted (they are all new).
    double Insert(const std::vector<RawRow>& rows, std::size_t per_commit);

private:
    void Exec(const char* sql);
    void Step(sqlite3_stmt* stmt);

    sqlite3* db_ = nullptr;
    sqlite3_stmt* insert_ = nullptr;
    sqlite3_stmt* begin_ = nullptr;
    sqlite3_stmt* commit_ = nullptr;
    std::int64_t batch_id_ = 0;
};

/// The rows of `table` in the SQLite database at `path` (opened read-only); throws when it cannot be read.
std::size_t CountRows(const std::string& path, const std::string& table);

}  // namespace rollcall::bench
