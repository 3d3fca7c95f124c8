// The agent's spool: what was read survives restarts and crashes, each record once, acknowledged in order.

#include "agent/spool.hpp"

#include "support/temp_dir.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace rollcall::agent {
namespace {

SpoolRecord Rec(const std::string& user, const std::string& ts) {
    return SpoolRecord{user, *core::ParseLocalDateTime(ts), 0, 1};
}

TEST(Spool, RecordsAreAppendedOnceAndSurviveReopening) {
    test::TempDir dir;
    {
        auto spool = Spool::Open(dir.path(), 7);
        ASSERT_TRUE(spool);
        EXPECT_EQ(*spool->Append({Rec("1", "2026-03-12 07:40:00"), Rec("2", "2026-03-12 07:41:00")}), 2U);
        // The terminal's whole log is read each time: what is spooled already is not added again.
        EXPECT_EQ(*spool->Append({Rec("1", "2026-03-12 07:40:00"), Rec("3", "2026-03-12 07:42:00")}), 1U);
        ASSERT_TRUE(spool->Acknowledge(2));
    }
    auto spool = Spool::Open(dir.path(), 7);
    ASSERT_TRUE(spool);
    EXPECT_EQ(spool->size(), 3U);
    EXPECT_EQ(spool->acknowledged(), 2U);
    ASSERT_EQ(spool->Pending().size(), 1U);
    EXPECT_EQ(spool->Pending()[0], Rec("3", "2026-03-12 07:42:00"));
    EXPECT_EQ(*spool->Append({Rec("1", "2026-03-12 07:40:00")}), 0U) << "known after a restart too";
}

TEST(Spool, ATornLastLineFromACrashIsDroppedAndTheRestKept) {
    test::TempDir dir;
    {
        auto spool = Spool::Open(dir.path(), 1);
        ASSERT_TRUE(spool->Append({Rec("1", "2026-03-12 07:40:00")}));
    }
    const auto path = (std::filesystem::path(dir.path()) / "device-1.jsonl").string();
    {
        std::ofstream out(path, std::ios::app | std::ios::binary);
        out << R"({"user_id":"2","timestamp":"2026-03-)";  // the power went off mid-write
    }
    auto spool = Spool::Open(dir.path(), 1);
    ASSERT_TRUE(spool);
    EXPECT_EQ(spool->size(), 1U);
    // The torn record is read again from the terminal and appended cleanly.
    EXPECT_EQ(*spool->Append({Rec("2", "2026-03-12 07:41:00")}), 1U);
    auto again = Spool::Open(dir.path(), 1);
    EXPECT_EQ(again->size(), 2U);
}

TEST(Spool, DevicesHaveTheirOwnSpools) {
    test::TempDir dir;
    auto a = Spool::Open(dir.path(), 1);
    auto b = Spool::Open(dir.path(), 2);
    ASSERT_TRUE(a->Append({Rec("1", "2026-03-12 07:40:00")}));
    EXPECT_EQ(*b->Append({Rec("1", "2026-03-12 07:40:00")}), 1U);
    EXPECT_EQ(Spool::Open(dir.path(), 2)->Pending().size(), 1U);
}

TEST(Spool, AcknowledgingMoreThanThereIsStopsAtTheEnd) {
    test::TempDir dir;
    auto spool = Spool::Open(dir.path(), 1);
    ASSERT_TRUE(spool->Append({Rec("1", "2026-03-12 07:40:00")}));
    ASSERT_TRUE(spool->Acknowledge(5));
    EXPECT_EQ(spool->acknowledged(), 1U);
    EXPECT_TRUE(spool->Pending().empty());
}

TEST(DeviceList, IsKeptBesideTheSpoolAndReplacedWhole) {
    test::TempDir dir;
    const auto spool_dir = dir.path() + "/not-yet-made";
    auto nothing = LoadDeviceList(spool_dir);
    ASSERT_FALSE(nothing);
    EXPECT_EQ(nothing.error().code, core::Errc::kNotFound);
    ASSERT_TRUE(SaveDeviceList(spool_dir, R"({"items":[{"id":1}]})"));
    ASSERT_TRUE(SaveDeviceList(spool_dir, R"({"items":[]})"));
    EXPECT_EQ(*LoadDeviceList(spool_dir), R"({"items":[]})");
    EXPECT_FALSE(std::filesystem::exists(spool_dir + "/devices.json.tmp")) << "replaced by a rename";
}

}  // namespace
}  // namespace rollcall::agent
