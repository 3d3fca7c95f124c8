// The recompute worker against a real temporary store (R18): how it drains the queue of marked days when one
// school has queued a year and another only this morning, and how a stop ends a long drain (issue 12, items 1
// and 2).

#include "service/recompute_worker.hpp"

#include "support/service_world.hpp"

#include <filesystem>
#include <vector>

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

/// 12 March 2026, the world's today in Nairobi.
const core::Date kToday = core::DateFromYmd(2026, 3, 12);

class RecomputeWorkerTest : public ::testing::Test {
protected:
    static RecomputeConfig Config() {
        RecomputeConfig c;
        c.sweep_days = 2;
        c.slice_days = 31;
        c.reprocess_days = 366;
        return c;
    }

    /// How many days of the school are still marked.
    std::size_t Marked(std::int64_t school_id) const {
        return w_.store->ListDirtyDays(school_id, core::DateFromYmd(1, 1, 1), core::DateFromYmd(9999, 12, 31), 100'000)
            .value()
            .size();
    }
    void Mark(std::int64_t school_id, core::Date from, core::Date to) const {
        ASSERT_TRUE(w_.store->MarkDirty(school_id, from, to));
    }

    test::ServiceWorld w_;
    Attendance attendance_{*w_.store, w_.clock};
    Calendar calendar_{*w_.store, w_.clock};
    RecomputeWorker worker_{*w_.store, attendance_, calendar_, w_.clock, Config(), {}};
    std::int64_t hill_ = w_.School("Hill School");
    std::int64_t lake_ = w_.School("Lake School");
};

// Issue 12, item 1: newest first over every school's days made one school's year hold back everyone's webhooks.
TEST_F(RecomputeWorkerTest, EverySchoolsTodayComesFirstAndThenTheSchoolsTakeTurnsWithTheirBacklogs) {
    Mark(hill_, core::Date{kToday.days - 365}, kToday);                         // a settings version dated back a year
    Mark(lake_, kToday, kToday);                                                // this morning's arrivals
    Mark(lake_, core::Date{kToday.days - 200}, core::Date{kToday.days - 191});  // a correction last autumn
    ASSERT_EQ(Marked(hill_), 366U);
    ASSERT_EQ(Marked(lake_), 11U);

    // Watched after every slice: how much of Hill's year was done when Lake's day, then Lake's backlog, was.
    std::optional<std::size_t> hill_done_at_lake_today;
    std::optional<std::size_t> hill_done_at_lake_all;
    const auto done = worker_.RunPending([&] {
        const auto hill_done = 366 - Marked(hill_);
        if (!hill_done_at_lake_today && w_.store->ListDirtyDays(lake_, kToday, kToday, 1)->empty()) {
            hill_done_at_lake_today = hill_done;
        }
        if (!hill_done_at_lake_all && Marked(lake_) == 0) {
            hill_done_at_lake_all = hill_done;
        }
        return false;
    });

    ASSERT_TRUE(done.ok()) << done.error().message;
    EXPECT_EQ(*done, 377U);
    EXPECT_EQ(*w_.store->CountDirty(), 0);
    ASSERT_TRUE(hill_done_at_lake_today);
    EXPECT_LE(*hill_done_at_lake_today, 2U) << "only Hill's own today and yesterday went before Lake's today";
    ASSERT_TRUE(hill_done_at_lake_all);
    EXPECT_LE(*hill_done_at_lake_all, 2U + 31U) << "Lake's backlog waited one slice of Hill's, not 200 days";
}

// Issue 12, item 2: the worker never looked at a stop request while the queue was long, so SIGTERM hung.
TEST_F(RecomputeWorkerTest, AStopRequestedWhileTheQueueIsLongEndsTheDrainAfterOneSlice) {
    Mark(hill_, core::Date{kToday.days - 365}, kToday);
    Mark(lake_, core::Date{kToday.days - 365}, kToday);
    int asked = 0;

    const auto done = worker_.RunPending([&] {
        ++asked;
        return true;
    });

    ASSERT_TRUE(done.ok()) << done.error().message;
    EXPECT_EQ(asked, 1) << "asked after the first slice, and not run further";
    EXPECT_GE(*done, 1U);
    EXPECT_LE(*done, 31U) << "at most one slice";
    EXPECT_EQ(static_cast<std::size_t>(*w_.store->CountDirty()), 732U - *done) << "the rest stays queued";
    // Nothing is lost: the next start drains the rest.
    EXPECT_EQ(worker_.RunPending().value(), 732U - *done);
    EXPECT_EQ(*w_.store->CountDirty(), 0);
}

TEST_F(RecomputeWorkerTest, MarksLeftOutsideTheReprocessWindowAreDroppedNeverRecomputed) {
    // Marks an older release stored unclamped (the probe's 9999), through a second connection without the window.
    storage::StoreOptions unclamped;
    unclamped.path = (std::filesystem::path(w_.dir.path()) / "rollcall.db").string();
    const auto old_release = storage::OpenSqliteStore(unclamped);
    ASSERT_TRUE(old_release->MarkDirty(hill_, core::DateFromYmd(9999, 1, 1), core::DateFromYmd(9999, 12, 31)));
    ASSERT_TRUE(old_release->MarkDirty(hill_, core::DateFromYmd(2020, 1, 1), core::DateFromYmd(2020, 1, 31)));
    ASSERT_TRUE(old_release->MarkDirty(hill_, kToday, kToday));
    ASSERT_EQ(*w_.store->CountDirty(), 365 + 31 + 1);

    const auto done = worker_.RunPending();

    ASSERT_TRUE(done.ok()) << done.error().message;
    EXPECT_EQ(*done, 1U) << "only today was recomputed";
    EXPECT_EQ(*w_.store->CountDirty(), 0);
}

}  // namespace
}  // namespace rollcall::service
