// Ingestion against a real temporary store: each punch stored once (R1), a bad record rejected alone (R3).

#include "service/ingest.hpp"

#include "support/service_world.hpp"

#include <future>

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

class IngestTest : public ::testing::Test {
protected:
    test::ServiceWorld w_;
    Ingest ingest_{*w_.store, w_.clock, w_.metrics, domain::RecordLimits{}};
    std::int64_t school_ = w_.School();
    storage::Device gate_ = w_.Gate(school_);

    /// Submits and waits for the commit (the callback runs on the writer thread).
    core::Result<IngestReport> Submit(std::vector<domain::RawRecord> records,
                                      std::vector<RejectedRecord> decode_rejects = {}) {
        std::promise<core::Result<IngestReport>> done;
        auto answer = done.get_future();
        ingest_.Submit(gate_,
                       std::move(records),
                       std::move(decode_rejects),
                       domain::PunchSource::kPush,
                       [&done](core::Result<IngestReport> r) { done.set_value(std::move(r)); });
        return answer.get();
    }

    static domain::RawRecord Record(const std::string& user, const std::string& time) {
        domain::RawRecord r;
        r.user_id = user;
        r.timestamp = time;
        return r;
    }
};

TEST_F(IngestTest, AValidPunchIsStoredOnceAndARepeatCountsAsADuplicate) {
    const auto first = Submit({Record("7", "2026-03-12 07:50:00")}).value();
    EXPECT_EQ(first.received, 1U);
    EXPECT_EQ(first.inserted, 1U);
    const auto again = Submit({Record("7", "2026-03-12 07:50:00"), Record("8", "2026-03-12 07:51:00")}).value();
    EXPECT_EQ(again.inserted, 1U);
    EXPECT_EQ(again.duplicates, 1U);
    EXPECT_EQ(w_.store->ListDevicePunches(school_, gate_.id, 10)->size(), 2U);
}

TEST_F(IngestTest, ABadRecordIsRejectedByIndexAndTheOthersAreStored) {
    const auto report = Submit({Record("7", "2026-03-12 07:50:00"),
                                Record("8", "yesterday-ish"),
                                Record("", "2026-03-12 07:52:00"),
                                Record("9", "2026-03-12 07:53:00")},
                               {{3, "user_id must be a string or an integer"}})
                            .value();
    EXPECT_EQ(report.received, 4U);
    EXPECT_EQ(report.inserted, 1U);
    ASSERT_EQ(report.rejected.size(), 3U);
    EXPECT_EQ(report.rejected[0].index, 1U);
    EXPECT_EQ(report.rejected[1].index, 2U);
    EXPECT_EQ(report.rejected[2].index, 3U);
    EXPECT_EQ(report.rejected[2].reason, "user_id must be a string or an integer");
}

}  // namespace
}  // namespace rollcall::service
