#include "storage/sqlite/table.hpp"

#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/tables.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>

#include <gtest/gtest.h>

namespace rollcall::storage::sqlite {
namespace {

class TableTest : public ::testing::Test {
protected:
    test::TempDir dir_;
    Db db_{(std::filesystem::path(dir_.path()) / "t.db").string(), false};

    void SetUp() override { Migrate(db_); }

    Device NewDevice(std::int64_t school_id, const std::string& name) {
        Device d;
        d.school_id = school_id;
        d.name = name;
        d.token_hash = std::vector<std::uint8_t>(32, static_cast<std::uint8_t>(name[0]));
        d.token_encrypted = {1, 2};
        d.last_seen = 500;
        d.created_at = 100;
        d.id = Insert(db_, d);
        return d;
    }
};

TEST(TableSql, AnInsertBindsEveryColumnButTheIdAtItsPlaceInTheList) {
    EXPECT_EQ(InsertSql("holidays", "id, school_id, date, name"),
              "INSERT INTO holidays(school_id, date, name) VALUES(?1,?2,?3)");
    EXPECT_EQ(ColumnCount(kTable<Device>.columns), 15);
}

TEST_F(TableTest, ASchoolsRowIsFoundListedAndDeletedOnlyThroughThatSchool) {
    const auto a = Insert(db_, School{0, "A", "UTC", 0});
    const auto b = Insert(db_, School{0, "B", "UTC", 0});
    const auto gate = NewDevice(a, "gate");
    NewDevice(a, "back");

    const auto found = SelectOne<Device>(db_, a, gate.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->name, "gate");
    EXPECT_EQ(found->token_hash, gate.token_hash);
    EXPECT_EQ(found->last_seen, 500);
    EXPECT_FALSE(SelectOne<Device>(db_, b, gate.id).has_value()) << "another school's device";
    EXPECT_EQ(SelectAll<Device>(db_, a).size(), 2U);
    EXPECT_TRUE(SelectAll<Device>(db_, b).empty());

    EXPECT_FALSE(RemoveOne<Device>(db_, b, gate.id).has_value()) << "another school cannot delete it";
    const auto removed = RemoveOne<Device>(db_, a, gate.id);
    ASSERT_TRUE(removed.has_value());
    EXPECT_EQ(removed->name, "gate") << "the row as it was";
    EXPECT_FALSE(SelectOne<Device>(db_, a, gate.id).has_value());
}

TEST_F(TableTest, AnEditRewritesWhatAnAdminChangesButNotWhenTheDeviceWasLastSeenOrCreated) {
    const auto a = Insert(db_, School{0, "A", "UTC", 0});
    auto gate = NewDevice(a, "gate");
    gate.name = "front gate";
    gate.direction = domain::DeviceDirection::kIn;
    gate.timezone = "Africa/Nairobi";
    gate.last_seen = 1;
    gate.created_at = 2;
    UpdateRow(db_, gate);
    const auto stored = SelectOne<Device>(db_, a, gate.id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->name, "front gate");
    EXPECT_EQ(stored->direction, domain::DeviceDirection::kIn);
    EXPECT_EQ(stored->timezone, "Africa/Nairobi");
    EXPECT_EQ(stored->last_seen, 500) << "last_seen is the punch writer's";
    EXPECT_EQ(stored->created_at, 100);
}

}  // namespace
}  // namespace rollcall::storage::sqlite
