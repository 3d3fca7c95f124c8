#include "protocol/zk/dataset.hpp"

#include "support/hex.hpp"

#include <array>

#include <gtest/gtest.h>

namespace rollcall::protocol::zk {
namespace {

using testing::Hex;
using testing::ToHex;

TEST(ZkDataset, MakeDatasetPrefixesTheRecordLength) {
    EXPECT_EQ(ToHex(MakeDataset(Hex("aa bb cc"))), "03 00 00 00 aa bb cc");
    EXPECT_EQ(ToHex(MakeDataset(ByteView())), "00 00 00 00");
}

TEST(ZkDataset, RecordsFollowThePrefix) {
    const Bytes dataset = Hex("03 00 00 00 aa bb cc");
    const auto records = DatasetRecords(dataset);
    ASSERT_TRUE(records.ok());
    EXPECT_EQ(ToHex(Bytes(records->begin(), records->end())), "aa bb cc");
}

TEST(ZkDataset, BytesPastTheAnnouncedLengthAreIgnored) {
    const Bytes dataset = Hex("02 00 00 00 aa bb cc");
    const auto records = DatasetRecords(dataset);
    ASSERT_TRUE(records.ok());
    EXPECT_EQ(records->size(), 2u);
}

TEST(ZkDataset, TruncatedDatasetIsRejected) {
    const auto records = DatasetRecords(Hex("04 00 00 00 aa bb cc"));
    ASSERT_FALSE(records.ok());
    EXPECT_EQ(records.error().code, core::Errc::kInvalidArgument);
}

TEST(ZkDataset, PartialPrefixIsRejected) {
    EXPECT_FALSE(DatasetRecords(Hex("04 00 00")).ok());
}

TEST(ZkDataset, HugeAnnouncedLengthIsRejectedWithoutOverflow) {
    EXPECT_FALSE(DatasetRecords(Hex("ff ff ff ff 00")).ok());
}

TEST(ZkDataset, EmptyInputIsAnEmptyDataset) {
    const auto records = DatasetRecords(ByteView());
    ASSERT_TRUE(records.ok());
    EXPECT_TRUE(records->empty());
}

TEST(ZkDataset, PickRecordSizeSkipsSizesThatDoNotDivide) {
    constexpr std::array<std::size_t, 3> kSizes = {40, 49, 16};
    const Bytes records(48, 1);
    const auto size = PickRecordSize(records, kSizes, std::nullopt, [](ByteView, std::size_t) { return false; });
    ASSERT_TRUE(size.ok());
    EXPECT_EQ(*size, 16u);
}

TEST(ZkDataset, PickRecordSizeKeepsTheFirstPreferenceWhenNothingLooksSane) {
    constexpr std::array<std::size_t, 2> kSizes = {16, 8};
    const Bytes records(32, 1);
    const auto size = PickRecordSize(records, kSizes, std::nullopt, [](ByteView, std::size_t) { return false; });
    ASSERT_TRUE(size.ok());
    EXPECT_EQ(*size, 16u);
}

TEST(ZkDataset, PickRecordSizePrefersTheHigherShareOfSaneRecords) {
    constexpr std::array<std::size_t, 2> kSizes = {8, 16};
    const Bytes records(32, 1);
    // Every 16-byte read looks sane, no 8-byte one does; 8 is the first preference.
    const auto size = PickRecordSize(records, kSizes, std::nullopt, [](ByteView, std::size_t s) { return s == 16; });
    ASSERT_TRUE(size.ok());
    EXPECT_EQ(*size, 16u);
}

TEST(ZkDataset, PickRecordSizeRefusesWhenNothingDivides) {
    constexpr std::array<std::size_t, 2> kSizes = {40, 16};
    const Bytes records(41, 1);
    EXPECT_FALSE(PickRecordSize(records, kSizes, 1, [](ByteView, std::size_t) { return true; }).ok());
}

}  // namespace
}  // namespace rollcall::protocol::zk
