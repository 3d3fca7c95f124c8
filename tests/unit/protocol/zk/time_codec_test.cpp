#include "protocol/zk/time_codec.hpp"

#include "support/hex.hpp"

#include <gtest/gtest.h>

namespace rollcall::protocol::zk {
namespace {

using testing::Hex;
using testing::ToHex;

const DeviceTime kExample{2024, 3, 15, 8, 30, 45};

core::Errc ErrorOf(const core::Result<DeviceTime>& r) {
    EXPECT_FALSE(r.ok());
    return r.ok() ? core::Errc::kInternal : r.error().code;
}

TEST(ZkTime, PackedWorkedExampleEncodes) {
    const auto packed = EncodePackedTime(kExample);
    ASSERT_TRUE(packed.ok());
    EXPECT_EQ(*packed, 777976245u);
    EXPECT_EQ(*packed, 0x2E5EF9B5u);
}

TEST(ZkTime, PackedWorkedExampleDecodes) {
    const auto t = DecodePackedTime(0x2E5EF9B5);
    ASSERT_TRUE(t.ok()) << t.error().message;
    EXPECT_EQ(*t, kExample);
}

TEST(ZkTime, PackedCaptureExampleDecodes) {
    const auto t = DecodePackedTime(0x2368B36B);
    ASSERT_TRUE(t.ok()) << t.error().message;
    EXPECT_EQ(*t, (DeviceTime{2018, 6, 25, 17, 50, 35}));
}

TEST(ZkTime, PackedRoundTripOverEveryDayOfTwoYears) {
    for (int year : {2023, 2024}) {
        for (int month = 1; month <= 12; ++month) {
            for (int day = 1; day <= 31; ++day) {
                const DeviceTime t{year, month, day, 23, 59, 59};
                const auto packed = EncodePackedTime(t);
                if (!ValidateDeviceTime(t).ok()) {
                    EXPECT_FALSE(packed.ok());
                    continue;
                }
                ASSERT_TRUE(packed.ok());
                const auto back = DecodePackedTime(*packed);
                ASSERT_TRUE(back.ok()) << back.error().message;
                EXPECT_EQ(*back, t);
            }
        }
    }
}

TEST(ZkTime, PackedRangeEndsAreRepresentable) {
    const auto first = EncodePackedTime(DeviceTime{2000, 1, 1, 0, 0, 1});
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(*first, 1u);
    const auto last = EncodePackedTime(DeviceTime{2099, 12, 31, 23, 59, 59});
    ASSERT_TRUE(last.ok());
    EXPECT_EQ(*DecodePackedTime(*last), (DeviceTime{2099, 12, 31, 23, 59, 59}));
}

TEST(ZkTime, PackedZeroIsRejectedAsAnEmptySlot) {
    EXPECT_EQ(ErrorOf(DecodePackedTime(0)), core::Errc::kInvalidArgument);
}

TEST(ZkTime, PackedImpossibleDatesAreRejected) {
    // 31 February 2024 is representable in the 31-day-month encoding but no clock shows it.
    const std::uint32_t feb31 = ((24 * 372) + 1 * 31 + 30) * 86400u;
    EXPECT_EQ(ErrorOf(DecodePackedTime(feb31)), core::Errc::kInvalidArgument);
    const std::uint32_t feb29_2023 = ((23 * 372) + 1 * 31 + 28) * 86400u;
    EXPECT_EQ(ErrorOf(DecodePackedTime(feb29_2023)), core::Errc::kInvalidArgument);
    const std::uint32_t feb29_2024 = ((24 * 372) + 1 * 31 + 28) * 86400u;
    EXPECT_TRUE(DecodePackedTime(feb29_2024).ok());
}

TEST(ZkTime, PackedYearsPast2099AreRejected) {
    // What reading an 8-byte record's time at offset 3 instead of 4 produces (pyzk#56: years like 2110).
    EXPECT_EQ(ErrorOf(DecodePackedTime(0xFFFFFFFF)), core::Errc::kInvalidArgument);
    EXPECT_EQ(ErrorOf(DecodePackedTime(100u * 372 * 86400)), core::Errc::kInvalidArgument);
}

TEST(ZkTime, EncodeRejectsInvalidFields) {
    EXPECT_FALSE(EncodePackedTime(DeviceTime{1999, 12, 31, 0, 0, 0}).ok());
    EXPECT_FALSE(EncodePackedTime(DeviceTime{2100, 1, 1, 0, 0, 0}).ok());
    EXPECT_FALSE(EncodePackedTime(DeviceTime{2024, 0, 1, 0, 0, 0}).ok());
    EXPECT_FALSE(EncodePackedTime(DeviceTime{2024, 13, 1, 0, 0, 0}).ok());
    EXPECT_FALSE(EncodePackedTime(DeviceTime{2024, 4, 31, 0, 0, 0}).ok());
    EXPECT_FALSE(EncodePackedTime(DeviceTime{2024, 1, 0, 0, 0, 0}).ok());
    EXPECT_FALSE(EncodePackedTime(DeviceTime{2024, 1, 1, 24, 0, 0}).ok());
    EXPECT_FALSE(EncodePackedTime(DeviceTime{2024, 1, 1, 0, 60, 0}).ok());
    EXPECT_FALSE(EncodePackedTime(DeviceTime{2024, 1, 1, 0, 0, 60}).ok());
    EXPECT_FALSE(EncodePackedTime(DeviceTime{2024, 1, 1, -1, 0, 0}).ok());
}

TEST(ZkTime, EventTimeWorkedExamplesDecode) {
    const auto a = DecodeEventTime(Hex("18 03 0f 08 1e 2d"));
    ASSERT_TRUE(a.ok()) << a.error().message;
    EXPECT_EQ(*a, kExample);
    const auto b = DecodeEventTime(Hex("12 06 19 11 29 05"));
    ASSERT_TRUE(b.ok()) << b.error().message;
    EXPECT_EQ(*b, (DeviceTime{2018, 6, 25, 17, 41, 5}));
}

TEST(ZkTime, EventTimeEncodesToTheWorkedExample) {
    const auto bytes = EncodeEventTime(kExample);
    ASSERT_TRUE(bytes.ok());
    EXPECT_EQ(ToHex(Bytes(bytes->begin(), bytes->end())), "18 03 0f 08 1e 2d");
}

TEST(ZkTime, EventTimeGarbageIsRejected) {
    EXPECT_FALSE(DecodeEventTime(Hex("18 00 0f 08 1e 2d")).ok());  // month 0
    EXPECT_FALSE(DecodeEventTime(Hex("18 0d 0f 08 1e 2d")).ok());  // month 13
    EXPECT_FALSE(DecodeEventTime(Hex("18 02 1e 08 1e 2d")).ok());  // 30 February
    EXPECT_FALSE(DecodeEventTime(Hex("18 03 0f 18 1e 2d")).ok());  // hour 24
    EXPECT_FALSE(DecodeEventTime(Hex("18 03 0f 08 3c 2d")).ok());  // minute 60
    EXPECT_FALSE(DecodeEventTime(Hex("18 03 0f 08 1e 3c")).ok());  // second 60
    EXPECT_FALSE(DecodeEventTime(Hex("64 03 0f 08 1e 2d")).ok());  // year 2100
    EXPECT_FALSE(DecodeEventTime(Hex("ff ff ff ff ff ff")).ok());
}

TEST(ZkTime, EventTimeNeedsExactlySixBytes) {
    EXPECT_FALSE(DecodeEventTime(Hex("18 03 0f 08 1e")).ok());
    EXPECT_FALSE(DecodeEventTime(Hex("18 03 0f 08 1e 2d 00")).ok());
}

TEST(ZkTime, TimeDataReadsOnlyTheFirstFourBytes) {
    Bytes padded = Hex("b5 f9 5e 2e");
    padded.resize(32, 0);  // zkteco-js sends SET_TIME in a 32-byte buffer
    const auto t = DecodeTimeData(padded);
    ASSERT_TRUE(t.ok()) << t.error().message;
    EXPECT_EQ(*t, kExample);
}

TEST(ZkTime, TimeDataEncodesTheWorkedExample) {
    const auto data = EncodeTimeData(kExample);
    ASSERT_TRUE(data.ok());
    EXPECT_EQ(ToHex(*data), "b5 f9 5e 2e");
}

TEST(ZkTime, TimeDataShorterThanFourBytesIsRejected) {
    EXPECT_FALSE(DecodeTimeData(Hex("b5 f9 5e")).ok());
}

TEST(ZkTime, ConvertsToAndFromLocalDateTime) {
    const core::LocalDateTime local = ToLocalDateTime(kExample);
    EXPECT_EQ(core::FormatLocalDateTime(local), "2024-03-15 08:30:45");
    const auto back = FromLocalDateTime(local);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, kExample);
}

TEST(ZkTime, LocalDateTimeOutsideTheDeviceRangeIsRejected) {
    EXPECT_FALSE(FromLocalDateTime(*core::ParseLocalDateTime("1999-12-31 23:59:59")).ok());
    EXPECT_FALSE(FromLocalDateTime(*core::ParseLocalDateTime("2100-01-01 00:00:00")).ok());
    EXPECT_TRUE(FromLocalDateTime(*core::ParseLocalDateTime("2099-12-31 23:59:59")).ok());
    EXPECT_FALSE(FromLocalDateTime(core::LocalDateTime{INT64_MIN}).ok());
}

}  // namespace
}  // namespace rollcall::protocol::zk
