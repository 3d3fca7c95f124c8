#include "protocol/zk/comm_key.hpp"

#include "support/hex.hpp"

#include <gtest/gtest.h>

namespace rollcall::protocol::zk {
namespace {

using testing::ToHex;

std::string Key(std::uint32_t key, std::uint16_t session, std::uint8_t ticks = kDefaultAuthTicks) {
    const auto bytes = MakeCommKey(key, session, ticks);
    return ToHex(Bytes(bytes.begin(), bytes.end()));
}

TEST(ZkCommKey, WorkedExample12345) {
    EXPECT_EQ(Key(12345, 0x1234), "6d e1 32 6b");
}

TEST(ZkCommKey, ReferenceVectors) {
    EXPECT_EQ(Key(0, 0x1234), "61 7d 32 6b");
    EXPECT_EQ(Key(1, 1), "61 fd 32 79");
    EXPECT_EQ(Key(999999, 0xC0C5), "22 81 32 c9");
}

TEST(ZkCommKey, TicksTravelInClearAtByte2) {
    EXPECT_EQ(MakeCommKey(12345, 0x1234, 0x00)[2], 0x00);
    EXPECT_EQ(MakeCommKey(12345, 0x1234, 0xA7)[2], 0xA7);
}

TEST(ZkCommKey, SessionAdditionWrapsAt32Bits) {
    // Reversing 0xFFFFFFFF gives 0xFFFFFFFF; adding session 2 wraps to 1.
    // k = 1 -> LE 01 00 00 00 ^ "ZKSO" = 5b 4b 53 4f -> swapped 53 4f 5b 4b -> with ticks 0: 53 4f 00 4b.
    EXPECT_EQ(Key(0xFFFFFFFF, 2, 0), "53 4f 00 4b");
}

TEST(ZkCommKey, DeviceAcceptsTheRightKeyWithAnyTicks) {
    for (const std::uint8_t ticks : {std::uint8_t{0}, std::uint8_t{50}, std::uint8_t{255}}) {
        const auto data = MakeCommKey(424242, 0x6BA0, ticks);
        EXPECT_TRUE(VerifyCommKey(data, 424242, 0x6BA0)) << int{ticks};
    }
}

TEST(ZkCommKey, DeviceRejectsAWrongKey) {
    const auto data = MakeCommKey(12345, 0x1234);
    EXPECT_FALSE(VerifyCommKey(data, 12346, 0x1234));
    EXPECT_FALSE(VerifyCommKey(data, 0, 0x1234));
}

TEST(ZkCommKey, DeviceRejectsTheRightKeyForAnotherSession) {
    const auto data = MakeCommKey(12345, 0x1234);
    EXPECT_FALSE(VerifyCommKey(data, 12345, 0x1334));
}

TEST(ZkCommKey, LowByteOfTheSumIsReplacedByTheTicks) {
    // A property of the algorithm, not a bug here: byte c0 is overwritten by T, so sessions that change only
    // the low byte of (reversed key + session) scramble to the same bytes.
    EXPECT_EQ(Key(12345, 0x1234), Key(12345, 0x1235));
}

TEST(ZkCommKey, DeviceRejectsDataThatIsNotFourBytes) {
    const auto data = MakeCommKey(12345, 0x1234);
    const Bytes three(data.begin(), data.begin() + 3);
    Bytes five(data.begin(), data.end());
    five.push_back(0);
    EXPECT_FALSE(VerifyCommKey(three, 12345, 0x1234));
    EXPECT_FALSE(VerifyCommKey(five, 12345, 0x1234));
    EXPECT_FALSE(VerifyCommKey(ByteView(), 12345, 0x1234));
}

}  // namespace
}  // namespace rollcall::protocol::zk
