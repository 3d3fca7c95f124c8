#include "storage/sqlite/punch_writer.hpp"

#include "storage/sqlite/recompute_sql.hpp"
#include "storage/sqlite/sqlite_db.hpp"

#include <map>
#include <set>

namespace rollcall::storage::sqlite {

PunchWriter::PunchWriter(Db& db) : db_(db) {}

PunchWriter::~PunchWriter() = default;

std::vector<InsertStats> PunchWriter::Commit(const std::vector<PunchJob>& group) {
    Db& db = db_;
    if (!insert_punch_) {
        insert_punch_ = std::make_unique<Stmt>(db, kInsertPunchSql);
        save_batch_id_ = std::make_unique<Stmt>(db, "UPDATE counters SET value = ? WHERE name = 'batch_id'");
        upsert_user_ = std::make_unique<Stmt>(
            db,
            "INSERT INTO device_users(device_id, user_id, school_id, punches, first_seen, last_seen) "
            "VALUES(?1,?2,?3,?4,?5,?6) ON CONFLICT(device_id, user_id) DO UPDATE SET "
            "punches = punches + ?4, first_seen = min(first_seen, ?5), last_seen = max(last_seen, ?6)");
        touch_device_ =
            std::make_unique<Stmt>(db, "UPDATE devices SET last_seen = max(ifnull(last_seen, 0), ?) WHERE id = ?");
    }
    std::vector<InsertStats> stats(group.size());
    // What this group will have written, applied to the in-memory copies only once it commits.
    std::map<std::int64_t, std::int64_t> touched;
    std::int64_t batch_id = 0;
    std::set<std::pair<std::int64_t, std::int32_t>> dirty;  // (school, day)
    try {
        InTransaction(db, [&] {
            if (!last_batch_id_) {
                Stmt counter(db, "SELECT value FROM counters WHERE name = 'batch_id'");
                last_batch_id_ = counter.Step() ? counter.Int(0) : 0;
            }
            batch_id = *last_batch_id_;
            for (std::size_t j = 0; j < group.size(); ++j) {
                const auto& batch = group[j].batch;
                // last_seen has one-second resolution: a device pushing many times a second needs one write.
                const auto known = last_seen_written_.find(batch.device_id);
                auto& pending = touched[batch.device_id];
                const auto seen_at = batch.seen_at < 0 ? batch.received_at : batch.seen_at;
                if (seen_at > 0 && (known == last_seen_written_.end() || known->second < seen_at) &&
                    pending < seen_at) {
                    touch_device_->Bind(1, seen_at).Bind(2, batch.device_id).Exec();
                    touch_device_->Reset();
                    pending = seen_at;
                }
                if (batch.rows.empty()) {
                    continue;
                }
                ++batch_id;
                struct Seen {
                    std::int64_t count;
                    std::int64_t first;
                    std::int64_t last;
                };
                std::map<std::string, Seen> seen;
                std::set<std::int32_t> days;
                stats[j].duplicate.reserve(batch.rows.size());
                for (const auto& r : batch.rows) {
                    auto& st = *insert_punch_;
                    st.Bind(1, batch.school_id).Bind(2, batch.device_id).Bind(3, r.user_id);
                    st.Bind(4, r.timestamp.seconds).Bind(5, Widen(r.status)).Bind(6, Widen(r.verify));
                    st.Bind(7, batch.source).Bind(8, batch.received_at).Bind(9, batch_id);
                    st.Exec();
                    st.Reset();
                    const bool fresh_row = db.Changes() > 0;
                    stats[j].duplicate.push_back(!fresh_row);
                    if (fresh_row) {
                        ++stats[j].inserted;
                        if (!r.plausible) {
                            continue;  // R4: stored, but a clock far off marks no day and widens no first/last punch
                        }
                        days.insert(r.timestamp.date().days);
                        auto [it, fresh] =
                            seen.try_emplace(r.user_id, Seen{0, r.timestamp.seconds, r.timestamp.seconds});
                        ++it->second.count;
                        it->second.first = std::min(it->second.first, r.timestamp.seconds);
                        it->second.last = std::max(it->second.last, r.timestamp.seconds);
                    } else {
                        ++stats[j].duplicates;
                    }
                }
                // R18: the days of new punches, marked in the transaction that stores them.
                for (const auto day : days) {
                    for (int m = -batch.dirty_margin_days; m <= batch.dirty_margin_days; ++m) {
                        dirty.insert({batch.school_id, day + m});
                    }
                }
                for (const auto& [user_id, s] : seen) {
                    auto& st = *upsert_user_;
                    st.Bind(1, batch.device_id).Bind(2, user_id).Bind(3, batch.school_id).Bind(4, s.count);
                    st.Bind(5, s.first).Bind(6, s.last).Exec();
                    st.Reset();
                }
            }
            for (const auto& [school_id, day] : dirty) {
                MarkDirtyRange(db, school_id, core::Date{day}, core::Date{day});
            }
            save_batch_id_->Bind(1, batch_id).Exec();
            save_batch_id_->Reset();
        });
    } catch (const SqliteError&) {
        last_batch_id_.reset();  // rolled back: read the counter again next time
        throw;                   // the executor answers the callers and learns what it says about the disk
    }
    last_batch_id_ = batch_id;
    for (const auto& [device, seen_at] : touched) {
        if (seen_at > 0) {
            last_seen_written_[device] = std::max(last_seen_written_[device], seen_at);
        }
    }
    return stats;
}

}  // namespace rollcall::storage::sqlite
