#include "protocol/zk/free_sizes.hpp"

#include "support/hex.hpp"

#include <gtest/gtest.h>

namespace rollcall::protocol::zk {
namespace {

using testing::Hex;
using testing::ToHex;

// Real F18 (Ver 6.60 Apr 26 2016) reply data, pyzk#111.
const Bytes kF18 =
    Hex("00000000 00000000 00000000 00000000 03000000 00000000 03000000 00000000 3a000000 00000000 5a000000 00000000"
        "02000000 02000000 b80b0000 88130000 a0860100 b50b0000 85130000 66860100 00000000 00000000 00000000");

/// The table kF18 holds.
FreeSizes F18() {
    return {.users = 3,
            .fingers = 3,
            .records = 58,
            .oplogs = 90,
            .admins = 2,
            .passwords = 2,
            .finger_capacity = 3000,
            .user_capacity = 5000,
            .record_capacity = 100000,
            .fingers_free = 2997,
            .users_free = 4997,
            .records_free = 99942,
            .faces = FaceSizes{0, 0}};
}

TEST(ZkFreeSizes, F18CaptureDecodes) {
    const auto s = DecodeFreeSizes(kF18);
    ASSERT_TRUE(s.ok()) << s.error().message;
    ASSERT_TRUE(s->has_value());
    EXPECT_EQ(**s, F18());
}

TEST(ZkFreeSizes, F18CaptureEncodesByteExact) {
    EXPECT_EQ(ToHex(EncodeFreeSizes(F18())), ToHex(kF18));
}

TEST(ZkFreeSizes, CountsSitWhereNodeZklibReadsThem) {
    // node-zklib reads users/records/capacity at packet offsets 24/40/72, i.e. data offsets 16/32/64.
    FreeSizes s;
    s.users = 0x11111111;
    s.records = 0x22222222;
    s.record_capacity = 0x33333333;
    const Bytes data = EncodeFreeSizes(s);
    EXPECT_EQ(ReadU32(data, 16), 0x11111111u);
    EXPECT_EQ(ReadU32(data, 32), 0x22222222u);
    EXPECT_EQ(ReadU32(data, 64), 0x33333333u);
}

TEST(ZkFreeSizes, EightyByteTableHasNoFaces) {
    const auto s = DecodeFreeSizes(ByteView(kF18).first(80));
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(s->has_value());
    EXPECT_EQ((*s)->records, 58u);
    EXPECT_FALSE((*s)->faces.has_value());
}

TEST(ZkFreeSizes, EncodeWithoutFacesIs80Bytes) {
    FreeSizes s = F18();
    s.faces.reset();
    const Bytes data = EncodeFreeSizes(s);
    EXPECT_EQ(data.size(), 80u);
    const auto back = DecodeFreeSizes(data);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(**back, s);
}

TEST(ZkFreeSizes, LongerTableOfNewerFirmwareDecodes) {
    Bytes data = kF18;
    data.resize(112, 0x77);  // pyzk#170
    const auto s = DecodeFreeSizes(data);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(**s, F18());
}

TEST(ZkFreeSizes, SingleWordReplyMeansCountsUnknown) {
    // WL20 (pyzk#76): not "zero records".
    const auto s = DecodeFreeSizes(Hex("00 00 00 00"));
    ASSERT_TRUE(s.ok());
    EXPECT_FALSE(s->has_value());
}

TEST(ZkFreeSizes, OtherShortRepliesAreRejected) {
    for (const std::size_t n : {0u, 3u, 5u, 79u}) {
        const auto s = DecodeFreeSizes(ByteView(kF18).first(n));
        ASSERT_FALSE(s.ok()) << n;
        EXPECT_EQ(s.error().code, core::Errc::kInvalidArgument);
    }
}

}  // namespace
}  // namespace rollcall::protocol::zk
