#include "storage/executor.hpp"

#include "storage/sqlite/account_sql.hpp"
#include "storage/sqlite/backend.hpp"
#include "storage/sqlite/recompute_sql.hpp"
#include "storage/sqlite/sqlite_db.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>
#include <future>
#include <stdexcept>
#include <type_traits>

#include <gtest/gtest.h>

namespace rollcall::storage {
namespace {

using sqlite::Db;

/// Keeps a writer thread busy until Release(), so that what is submitted meanwhile waits in its queue.
class WriterHeld {
public:
    explicit WriterHeld(WriterThread& writer) {
        holding_ = writer.Post([this] {
            busy_.set_value();
            release_.get_future().wait();
        });
        if (holding_) {
            busy_.get_future().wait();
        }
    }
    ~WriterHeld() { Release(); }
    WriterHeld(const WriterHeld&) = delete;
    WriterHeld& operator=(const WriterHeld&) = delete;

    bool holding() const { return holding_; }
    void Release() {
        if (holding_ && !released_) {
            released_ = true;
            release_.set_value();
        }
    }

private:
    std::promise<void> busy_;
    std::promise<void> release_;
    bool holding_ = false;
    bool released_ = false;
};

class ExecutorTest : public ::testing::Test {
protected:
    test::TempDir dir_;
    std::string path_ = (std::filesystem::path(dir_.path()) / "t.db").string();

    /// The dirty days committed, as a connection of its own sees them.
    std::int64_t CommittedDirtyDays() const {
        Db db(path_, true);
        sqlite::Stmt s(db, "SELECT count(*) FROM dirty_days");
        return s.Step() ? s.Int(0) : -1;
    }

    std::int64_t AddSchool(Executor<sqlite::Backend>& exec) {
        return exec.Write("school", [](Db& db) { return sqlite::Insert(db, School{0, "A", "UTC", 0}); }).value();
    }
};

TEST_F(ExecutorTest, ReadAndWriteAnswerWhatTheirStatementsReturn) {
    StoreOptions options;
    options.path = path_;
    Executor<sqlite::Backend> exec(options);
    const auto school_id = AddSchool(exec);

    auto schools = exec.Read("schools", [](Db& db) { return sqlite::SelectSchools(db); });
    static_assert(std::is_same_v<decltype(schools), core::Result<std::vector<School>>>);
    ASSERT_TRUE(schools.ok());
    ASSERT_EQ(schools->size(), 1U);
    EXPECT_EQ(schools->front().id, school_id);

    auto nothing = exec.Write("dirty days", [&](Db& db) { sqlite::MarkDirtyRange(db, school_id, {1}, {1}); });
    static_assert(std::is_same_v<decltype(nothing), core::Status>);
    EXPECT_TRUE(nothing.ok());

    auto refused = exec.Read("school", [](Db&) -> core::Result<School> {
        return core::MakeError(core::Errc::kNotFound, "school not found");
    });
    static_assert(std::is_same_v<decltype(refused), core::Result<School>>);
    EXPECT_EQ(refused.error().code, core::Errc::kNotFound);
}

// R18: the recompute worker is woken by the transaction that marked days, after its COMMIT, so a write cannot
// forget to wake it and the worker never looks before the marks are there.
TEST_F(ExecutorTest, AWriteThatMarksDaysWakesTheRecomputeWorkerAfterItsCommit) {
    int woken = 0;
    std::int64_t visible_when_woken = -1;
    StoreOptions options;
    options.path = path_;
    options.on_dirty = [&] {
        ++woken;
        visible_when_woken = CommittedDirtyDays();
    };
    Executor<sqlite::Backend> exec(options);
    const auto school_id = AddSchool(exec);
    EXPECT_EQ(woken, 0) << "a write that marks nothing wakes nobody";

    const auto marked = exec.Write("dirty days", [&](Db& db) {
        sqlite::MarkDirtyRange(db, school_id, core::Date{10}, core::Date{12});
        sqlite::MarkDirtyRange(db, school_id, core::Date{20}, core::Date{20});
    });
    ASSERT_TRUE(marked.ok());
    EXPECT_EQ(woken, 1) << "once per transaction, however many ranges it marked";
    EXPECT_EQ(visible_when_woken, 4) << "the marks were committed when the worker was woken";

    ASSERT_TRUE(exec.Write("user", [](Db& db) { return sqlite::SelectUserCount(db); }).ok());
    EXPECT_EQ(woken, 1) << "a write that marks nothing wakes nobody";
}

TEST_F(ExecutorTest, AWriteThatFailsAfterMarkingDaysRollsBackAndWakesNobody) {
    int woken = 0;
    StoreOptions options;
    options.path = path_;
    options.on_dirty = [&] { ++woken; };
    Executor<sqlite::Backend> exec(options);
    const auto school_id = AddSchool(exec);

    const auto failed = exec.Write("school", [&](Db& db) {
        sqlite::MarkDirtyRange(db, school_id, core::Date{10}, core::Date{10});
        sqlite::Insert(db, School{0, "B", "UTC", 0});
        db.Exec("INSERT INTO schools(id, name, timezone, created_at) VALUES(1, 'again', 'UTC', 0)");
    });
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().code, core::Errc::kConflict);
    EXPECT_EQ(woken, 0);
    EXPECT_EQ(CommittedDirtyDays(), 0);
    EXPECT_EQ(exec.Read("schools", [](Db& db) { return sqlite::SelectSchools(db); })->size(), 1U) << "rolled back";

    // The next transaction starts clean: a write marking nothing still wakes nobody.
    ASSERT_TRUE(exec.Write("user", [](Db& db) { return sqlite::SelectUserCount(db); }).ok());
    EXPECT_EQ(woken, 0);
}

// Group commit: the batches that queued while the writer was busy go into one transaction, up to the row cap.
TEST(WriterThread, BatchesQueuedWhileTheWriterIsBusyAreCommittedTogetherUpToTheRowCap) {
    std::vector<std::size_t> groups;  // batches per commit; written on the writer thread only
    WriterThread writer(WriterThread::Options{16, 5, {}}, [&](std::vector<PunchJob>& group) {
        groups.push_back(group.size());
        for (auto& job : group) {
            job.done(InsertStats{job.batch.rows.size(), 0, {}});
        }
    });
    WriterHeld held(writer);
    ASSERT_TRUE(held.holding());
    std::size_t answered = 0;
    for (int i = 0; i < 6; ++i) {
        PunchBatch batch;
        batch.rows.resize(2);
        writer.SubmitPunches(std::move(batch), [&](core::Result<InsertStats> r) { answered += r->inserted; });
    }
    held.Release();
    writer.Flush();
    EXPECT_EQ(groups, (std::vector<std::size_t>{2, 2, 2})) << "2 rows a batch, at most 5 rows a group";
    EXPECT_EQ(answered, 12U);
}

TEST(WriterThread, AFullQueueRefusesABatchAtOnce) {
    WriterThread writer(WriterThread::Options{1, 100, {}}, [](std::vector<PunchJob>& group) {
        for (auto& job : group) {
            job.done(InsertStats{});
        }
    });
    WriterHeld held(writer);
    ASSERT_TRUE(held.holding());
    std::optional<core::Result<InsertStats>> first;
    std::optional<core::Result<InsertStats>> second;
    writer.SubmitPunches(PunchBatch{}, [&](core::Result<InsertStats> r) { first.emplace(std::move(r)); });
    writer.SubmitPunches(PunchBatch{}, [&](core::Result<InsertStats> r) { second.emplace(std::move(r)); });
    ASSERT_TRUE(second.has_value()) << "answered on the caller's thread";
    EXPECT_EQ(second->error().code, core::Errc::kUnavailable);
    held.Release();
    writer.Flush();
    ASSERT_TRUE(first.has_value());
    EXPECT_TRUE(first->ok());
}

}  // namespace
}  // namespace rollcall::storage
