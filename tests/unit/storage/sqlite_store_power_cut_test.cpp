// Power loss, simulated at the SQLite VFS (support/power_cut_vfs.hpp): a punch the store acknowledged must be
// in what the disk held when the power went, not merely in the page cache that a kill -9 leaves intact.

#include "storage/sqlite/sqlite_db.hpp"
#include "storage/store.hpp"
#include "support/power_cut_vfs.hpp"
#include "support/temp_dir.hpp"

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <vector>

#include <gtest/gtest.h>

namespace rollcall::storage {
namespace {

namespace fs = std::filesystem;
using test::PowerCutVfs;
using test::TempDir;

std::set<std::int64_t> Values(const std::string& db_path) {
    sqlite::Db db(db_path, false);
    sqlite::Stmt s(db, "SELECT x FROM t ORDER BY x");
    std::set<std::int64_t> out;
    while (s.Step()) {
        out.insert(s.Int(0));
    }
    return out;
}

// The model itself: without this, a shim that copied every write would let the store's test pass whatever
// the store does. A commit under synchronous=FULL survives; under OFF (never synced) and NORMAL (the -wal is
// synced only at checkpoints) it does not, until a later synced commit carries it along.
TEST(PowerCutVfs, KeepsWhatWasSyncedAndLosesWhatWasNot) {
    PowerCutVfs vfs;
    TempDir live;
    const auto path = (fs::path(live.path()) / "t.db").string();
    auto cut = [&](TempDir& into) {
        vfs.CutPowerInto(live.path(), into.path());
        return Values((fs::path(into.path()) / "t.db").string());
    };
    sqlite::Db db(path, false);
    db.Exec("PRAGMA journal_mode=WAL");
    db.Exec("PRAGMA synchronous=FULL");
    db.Exec("CREATE TABLE t(x INTEGER)");
    db.Exec("INSERT INTO t VALUES(1)");
    db.Exec("PRAGMA synchronous=OFF");
    db.Exec("INSERT INTO t VALUES(2)");
    TempDir after_off;
    EXPECT_EQ(cut(after_off), (std::set<std::int64_t>{1}));

    db.Exec("PRAGMA synchronous=NORMAL");
    db.Exec("INSERT INTO t VALUES(3)");
    TempDir after_normal;
    EXPECT_EQ(cut(after_normal), (std::set<std::int64_t>{1}));

    db.Exec("PRAGMA synchronous=FULL");
    db.Exec("INSERT INTO t VALUES(4)");
    TempDir after_full;
    EXPECT_EQ(cut(after_full), (std::set<std::int64_t>{1, 2, 3, 4}));
    EXPECT_GT(vfs.syncs(), 0U);
}

constexpr int kRowsPerBatch = 5;

PunchBatch BatchNumber(const Device& device, int n) {
    PunchBatch b{device.school_id, device.id, "push", 100, {}};
    for (int r = 0; r < kRowsPerBatch; ++r) {
        const auto ts = core::AtTime(*core::ParseDate("2026-03-12"), 7 * 3600 + r * 60);
        b.rows.push_back(PunchRow{std::to_string(n), ts, 0, std::nullopt});
    }
    return b;
}

// Batches are pushed while the power goes: every batch acknowledged before the cut is on the recovered disk,
// and no batch is there in part (a transaction is all or nothing).
TEST(SqliteStorePowerCut, EveryAcknowledgedPunchIsOnTheDiskAfterAPowerCut) {
    PowerCutVfs vfs;
    TempDir live;
    TempDir after;
    constexpr int kBatches = 60;
    constexpr int kAckedBeforeCut = 10;

    std::mutex mu;
    std::condition_variable cv;
    std::set<int> acked;
    int answered = 0;
    std::set<int> acked_at_cut;
    {
        StoreOptions options;
        options.path = (fs::path(live.path()) / "rollcall.db").string();
        auto store = OpenSqliteStore(options);
        auto school = store->CreateSchool(School{0, "Hill School", "UTC", 0});
        ASSERT_TRUE(school.ok());
        Device d;
        d.school_id = school->id;
        d.name = "Main gate";
        d.token_hash = std::vector<std::uint8_t>(32, 7);
        d.token_encrypted = {1};
        auto device = store->CreateDevice(d);
        ASSERT_TRUE(device.ok());

        auto submit = [&](int n) {
            store->SubmitPunches(BatchNumber(*device, n), [&, n](core::Result<InsertStats> r) {
                std::lock_guard lock(mu);
                if (r.ok() && r->inserted == kRowsPerBatch) {
                    acked.insert(n);
                }
                ++answered;
                cv.notify_all();
            });
        };
        for (int n = 0; n < kBatches / 2; ++n) {
            submit(n);
        }
        {
            std::unique_lock lock(mu);
            ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return acked.size() >= kAckedBeforeCut; }));
        }
        for (int n = kBatches / 2; n < kBatches; ++n) {
            submit(n);  // still being committed when the power goes
        }
        {
            // Holding the lock the acknowledgements take: nothing is acknowledged between the copy and the cut.
            std::lock_guard lock(mu);
            acked_at_cut = acked;
            vfs.CutPowerInto(live.path(), after.path());
        }
        std::unique_lock lock(mu);
        ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return answered == kBatches; }));
    }

    StoreOptions options;
    options.path = (fs::path(after.path()) / "rollcall.db").string();
    auto recovered = OpenSqliteStore(options);
    const auto schools = recovered->ListSchools();
    ASSERT_TRUE(schools.ok());
    ASSERT_EQ(schools->size(), 1U) << "the school, acknowledged before any punch, was lost";
    const auto devices = recovered->ListDevices(schools->at(0).id);
    ASSERT_EQ(devices->size(), 1U) << "the device, acknowledged before any punch, was lost";
    const auto day = *core::ParseDate("2026-03-12");
    const auto punches =
        recovered->ListPunches(schools->at(0).id, core::AtTime(day, 0), core::AtTime(core::Date{day.days + 1}, 0));
    ASSERT_TRUE(punches.ok());
    std::map<int, int> rows;  // batch -> its rows on the disk
    for (const auto& p : *punches) {
        ++rows[std::stoi(p.user_id)];
    }
    for (const int n : acked_at_cut) {
        EXPECT_EQ(rows[n], kRowsPerBatch) << "batch " << n << " was acknowledged before the power cut";
    }
    for (int n = 0; n < kBatches; ++n) {
        EXPECT_TRUE(rows[n] == 0 || rows[n] == kRowsPerBatch) << "batch " << n << " is on the disk in part";
    }
}

}  // namespace
}  // namespace rollcall::storage
