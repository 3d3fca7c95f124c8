#include "sim/zk_population.hpp"

#include "protocol/zk/time_codec.hpp"
#include "sim/zk_names.hpp"
#include "support/value_of.hpp"

#include <map>
#include <set>
#include <utility>

#include <gtest/gtest.h>

namespace rollcall::sim {
namespace {

ZkPopulation Generate(std::uint32_t users, std::uint32_t records, std::uint64_t seed = 1) {
    return testing::ValueOf(GeneratePopulation({users, records, seed, 0}));
}

core::LocalDateTime TimeOf(const zk::AttendanceRecord& r) {
    const auto t = zk::DecodePackedTime(r.packed_time);
    EXPECT_TRUE(t.ok()) << t.error().message;
    return t.ok() ? zk::ToLocalDateTime(*t) : core::LocalDateTime{};
}

TEST(ZkPopulation, HoldsExactlyTheRequestedCounts) {
    const ZkPopulation p = Generate(40, 5000);
    EXPECT_EQ(p.users.size(), 40u);
    EXPECT_EQ(p.records.size(), 5000u);
    EXPECT_TRUE(Generate(0, 0).records.empty());
    EXPECT_EQ(Generate(3, 0).users.size(), 3u);
}

TEST(ZkPopulation, SameSeedSameData) {
    const ZkPopulation a = Generate(25, 2000, 7);
    const ZkPopulation b = Generate(25, 2000, 7);
    EXPECT_EQ(a.users, b.users);
    EXPECT_EQ(a.records, b.records);
}

TEST(ZkPopulation, AnotherSeedOtherData) {
    EXPECT_NE(Generate(25, 2000, 7).records, Generate(25, 2000, 8).records);
}

TEST(ZkPopulation, UsersHaveIndexesFromOneAndPinsFromOneThousandAndOne) {
    const ZkPopulation p = Generate(3, 0);
    ASSERT_EQ(p.users.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(p.users[i].uid, i + 1);
        EXPECT_EQ(p.users[i].user_id, std::to_string(1001 + i));
        // Every layout must be able to carry every user (28-byte names hold 8 bytes).
        EXPECT_TRUE(zk::EncodeUser(p.users[i], zk::UserFormat::kCompact28).ok()) << p.users[i].name;
        EXPECT_TRUE(zk::EncodeUser(p.users[i], zk::UserFormat::kExtended72).ok());
    }
    EXPECT_EQ(p.users[0].privilege, zk::privilege::kSuperAdmin);
    EXPECT_EQ(p.users[1].privilege, zk::privilege::kUser);
}

TEST(ZkPopulation, RecordsAreSchoolPunchesInTimeOrderFromTheFirstSchoolDay) {
    const ZkPopulation p = Generate(30, 6000);
    core::LocalDateTime previous{};
    for (const auto& r : p.records) {
        const core::LocalDateTime t = TimeOf(r);
        EXPECT_GE(t, previous);
        previous = t;
        EXPECT_GE(t.date(), FirstSchoolDay());
        EXPECT_LT(core::Weekday(t.date()), 5) << core::FormatLocalDateTime(t);
        EXPECT_GE(t.time_of_day(), 6 * 3600 + 30 * 60);
        EXPECT_LT(t.time_of_day(), 18 * 3600);
        EXPECT_EQ(r.user_id, UserIdFor(r.uid));
        EXPECT_LE(r.state, 3);
    }
    // Two punches a day for 30 users: 6000 records are about 100 school days, well before the end of 2026.
    EXPECT_LT(previous.date(), core::DateFromYmd(2026, 11, 1));
}

TEST(ZkPopulation, UserAndTimestampIdentifyARecord) {
    const ZkPopulation p = Generate(2, 20000);
    std::set<std::pair<std::string, std::uint32_t>> seen;
    for (const auto& r : p.records) {
        EXPECT_TRUE(seen.emplace(r.user_id, r.packed_time).second) << r.user_id << " " << r.packed_time;
    }
}

TEST(ZkPopulation, FewUsersAndManyRecordsStayWithinAboutOneSchoolYear) {
    const ZkPopulation p = Generate(1, kMaxRecords);
    ASSERT_EQ(p.records.size(), kMaxRecords);
    EXPECT_LT(TimeOf(p.records.back()).date(), core::DateFromYmd(2027, 3, 1));
}

TEST(ZkPopulation, MostUsersPunchInThenOutEachDay) {
    const ZkPopulation p = Generate(50, 5000);
    std::map<std::pair<std::uint16_t, std::int32_t>, std::vector<std::uint8_t>> states;
    for (const auto& r : p.records) {
        states[{r.uid, TimeOf(r).date().days}].push_back(r.state);
    }
    std::size_t in_then_out = 0;
    for (const auto& [key, day] : states) {
        EXPECT_EQ(day.front(), 0) << "first punch of a day is a check-in";
        in_then_out += day == std::vector<std::uint8_t>{0, 1} ? 1 : 0;
    }
    EXPECT_GT(in_then_out * 100, states.size() * 90);
}

TEST(ZkPopulation, CorruptTimestampsAreSpreadAndUndecodable) {
    auto p = GeneratePopulation({10, 1000, 1, 4});
    ASSERT_TRUE(p.ok());
    std::vector<std::size_t> corrupt;
    for (std::size_t i = 0; i < p->records.size(); ++i) {
        if (!zk::DecodePackedTime(p->records[i].packed_time).ok()) {
            corrupt.push_back(i);
        }
    }
    EXPECT_EQ(corrupt, (std::vector<std::size_t>{125, 375, 625, 875}));
    EXPECT_EQ(p->records[125].packed_time, 0u);
    EXPECT_NE(p->records[375].packed_time, 0u);
}

TEST(ZkPopulation, RefusesImpossibleSpecs) {
    EXPECT_FALSE(GeneratePopulation({0, 1, 1, 0}).ok());
    EXPECT_FALSE(GeneratePopulation({1, kMaxRecords + 1, 1, 0}).ok());
    EXPECT_FALSE(GeneratePopulation({kMaxUsers + 1, 0, 1, 0}).ok());
    EXPECT_FALSE(GeneratePopulation({1, 2, 1, 3}).ok());
    EXPECT_TRUE(GeneratePopulation({kMaxUsers, 0, 1, 0}).ok());
}

TEST(ZkPopulation, TheLargestPinFitsSixteenBits) {
    EXPECT_LE(std::stoul(UserIdFor(static_cast<std::uint16_t>(kMaxUsers))), 65535u);
}

}  // namespace
}  // namespace rollcall::sim
