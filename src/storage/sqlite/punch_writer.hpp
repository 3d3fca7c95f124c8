#pragma once

#include "core/result.hpp"
#include "storage/executor.hpp"

#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace rollcall::storage::sqlite {

class Db;
class Stmt;

/// The statement that stores one punch; a punch already stored (R1: same device, second and user) is skipped.
/// The benchmark's raw-SQLite baseline (bench/ingest) runs this same statement.
inline constexpr const char* kInsertPunchSql =
    "INSERT INTO punches(school_id, device_id, user_id, ts, status, verify, source, received_at, batch_id) "
    "VALUES(?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING";

/// The group commit's statements: the punches of a group of batches in one transaction on the writer
/// connection, with their device users, the devices' last_seen and the days to recompute (R18). Keeps its
/// prepared statements and what it last wrote between groups; used on the writer thread only.
class PunchWriter {
public:
    explicit PunchWriter(Db& db);
    ~PunchWriter();
    PunchWriter(const PunchWriter&) = delete;
    PunchWriter& operator=(const PunchWriter&) = delete;

    /// What each batch inserted, once committed; throws SqliteError, rolled back, when the transaction failed.
    std::vector<InsertStats> Commit(const std::vector<PunchJob>& group);

private:
    Db& db_;
    std::unique_ptr<Stmt> insert_punch_;
    std::unique_ptr<Stmt> save_batch_id_;
    std::unique_ptr<Stmt> upsert_user_;
    std::unique_ptr<Stmt> touch_device_;
    std::optional<std::int64_t> last_batch_id_;
    std::unordered_map<std::int64_t, std::int64_t> last_seen_written_;  ///< device -> last_seen stored
};

}  // namespace rollcall::storage::sqlite
