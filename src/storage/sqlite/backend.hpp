#pragma once

#include "storage/executor.hpp"
#include "storage/sqlite/punch_writer.hpp"
#include "storage/sqlite/sqlite_db.hpp"

#include <memory>
#include <optional>
#include <string>

namespace rollcall::storage::sqlite {

/// SQLite as the executor's backend (storage/executor.hpp): a read-write connection with the writer's
/// pragmas (WAL, synchronous=FULL, so a commit is durable when it returns), read-only connections beside it
/// (WAL lets them read while the writer commits), and the punch group commit.
class Backend {
public:
    using Connection = Db;
    using Error = SqliteError;

    /// Opens the database file, creating and migrating it as needed.
    explicit Backend(const StoreOptions& options);

    Db& writer() { return *writer_; }
    std::unique_ptr<Db> OpenReader();

    template <class Fn>
    static auto InTransaction(Db& db, Fn&& fn) {
        return sqlite::InTransaction(db, std::forward<Fn>(fn));
    }
    static bool TakeDaysMarked(Db& db) { return db.TakeDaysMarked(); }
    static core::Error ToError(const SqliteError& e, const char* what);
    /// What an error says about the disk, in words ("the disk is full"), or nullopt when it is the query's own
    /// failure (a constraint, a missing table) and says nothing about whether the database can be written.
    static std::optional<std::string> DiskProblem(const SqliteError& e);

    /// One transaction for the group; throws SqliteError, having rolled back, when it cannot commit.
    std::vector<InsertStats> CommitPunches(const std::vector<PunchJob>& group) { return punches_.Commit(group); }

private:
    std::string path_;
    std::unique_ptr<Db> writer_;
    PunchWriter punches_;  // after writer_: its statements belong to the writer connection
};

/// The pragmas the writer connection really runs with (store.hpp, ReadWriterPragmas).
WriterPragmas SelectWriterPragmas(Db& db);

}  // namespace rollcall::storage::sqlite
