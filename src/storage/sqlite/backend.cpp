#include "storage/sqlite/backend.hpp"

#include "storage/sqlite/migrations.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

namespace rollcall::storage::sqlite {
namespace {

std::unique_ptr<Db> OpenWriter(const std::string& path) {
    auto db = std::make_unique<Db>(path, false);
    for (const auto pragma : kWriterPragmas) {
        db->Exec(pragma);
    }
    Migrate(*db);
    return db;
}

}  // namespace

Backend::Backend(const StoreOptions& options)
    : path_(options.path), writer_(OpenWriter(options.path)), punches_(*writer_) {
    writer_->SetMarkWindow(options.mark_window);
}

std::unique_ptr<Db> Backend::OpenReader() {
    auto db = std::make_unique<Db>(path_, true);
    db->Exec("PRAGMA cache_size=-2048");
    return db;
}

core::Error Backend::ToError(const SqliteError& e, const char* what) {
    if (e.IsConstraint()) {
        return core::MakeError(core::Errc::kConflict, std::string(what) + " conflicts with an existing one");
    }
    spdlog::error("storage: {}: {}", what, e.what());
    return core::MakeError(core::Errc::kInternal, "storage error");
}

std::optional<std::string> Backend::DiskProblem(const SqliteError& e) {
    switch (e.code() & 0xFF) {  // the primary code; extended codes only say more about the same kind
        case SQLITE_FULL:
            return "the disk is full";
        case SQLITE_IOERR:
            return "the disk reports an I/O error";
        case SQLITE_READONLY:
            return "the database file cannot be written (read-only)";
        case SQLITE_CANTOPEN:
            return "the database files cannot be opened";
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return "the database file is damaged";
        case SQLITE_NOMEM:
            return "out of memory";
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return "another program holds the database locked";
        default:
            return std::nullopt;
    }
}

WriterPragmas SelectWriterPragmas(Db& db) {
    WriterPragmas out;
    Stmt journal(db, "PRAGMA journal_mode");
    if (journal.Step()) {
        out.journal_mode = journal.Text(0);
    }
    Stmt sync(db, "PRAGMA synchronous");
    if (sync.Step()) {
        out.synchronous = static_cast<int>(sync.Int(0));
    }
    return out;
}

}  // namespace rollcall::storage::sqlite
