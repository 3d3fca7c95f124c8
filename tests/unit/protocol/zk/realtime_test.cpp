#include "protocol/zk/realtime.hpp"

#include "protocol/zk/commands.hpp"
#include "protocol/zk/tcp_frame.hpp"
#include "support/hex.hpp"

#include <gtest/gtest.h>

namespace rollcall::protocol::zk {
namespace {

using testing::Hex;
using testing::ToHex;

const AttendanceEvent kPunch{"101", 1, 0, DeviceTime{2024, 3, 15, 8, 30, 45}};

const char* const kTcpEventFrame =
    "50 50 82 7d 28 00 00 00 f4 01 62 95 01 00 00 00"
    "31 30 31 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "01 00 18 03 0f 08 1e 2d";
const char* const kUdpEventDatagram = "f4 01 5f c5 01 00 00 00 65 00 01 00 18 03 0f 08 1e 2d";

TEST(ZkRealtime, TcpExampleEncodesByteExact) {
    const auto data = EncodeAttendanceEvent(kPunch, AttendanceEventLayout::kText32);
    ASSERT_TRUE(data.ok()) << data.error().message;
    const auto frame = EncodeTcpFrame(MakeEventPacket(event::kAttLog, *data));
    ASSERT_TRUE(frame.ok());
    EXPECT_EQ(ToHex(*frame), ToHex(Hex(kTcpEventFrame)));
}

TEST(ZkRealtime, TcpExampleDecodes) {
    TcpFrameDecoder decoder;
    decoder.Feed(Hex(kTcpEventFrame));
    const auto next = decoder.Next();
    ASSERT_TRUE(next.ok()) << next.error().message;
    ASSERT_TRUE(next->has_value());
    const Packet& packet = **next;
    EXPECT_TRUE(IsEvent(packet));
    EXPECT_EQ(EventCode(packet), event::kAttLog);
    EXPECT_EQ(packet.reply_id, 0);
    const auto punch = DecodeAttendanceEvent(packet.data);
    ASSERT_TRUE(punch.ok()) << punch.error().message;
    EXPECT_EQ(*punch, kPunch);
}

TEST(ZkRealtime, UdpExampleEncodesByteExact) {
    const auto data = EncodeAttendanceEvent(kPunch, AttendanceEventLayout::kShort10);
    ASSERT_TRUE(data.ok()) << data.error().message;
    const auto datagram = EncodeDatagram(MakeEventPacket(event::kAttLog, *data));
    ASSERT_TRUE(datagram.ok());
    EXPECT_EQ(ToHex(*datagram), kUdpEventDatagram);
}

TEST(ZkRealtime, UdpExampleDecodes) {
    const auto packet = DecodeDatagram(Hex(kUdpEventDatagram));
    ASSERT_TRUE(packet.ok()) << packet.error().message;
    EXPECT_TRUE(IsEvent(*packet));
    const auto punch = DecodeAttendanceEvent(packet->data);
    ASSERT_TRUE(punch.ok()) << punch.error().message;
    EXPECT_EQ(*punch, kPunch);
}

TEST(ZkRealtime, EveryLayoutRoundTripsAndHasItsLength) {
    struct Case {
        AttendanceEventLayout layout;
        std::size_t length;
    };
    for (const Case c : {Case{AttendanceEventLayout::kShort10, 10},
                         Case{AttendanceEventLayout::kNumeric12, 12},
                         Case{AttendanceEventLayout::kShort14, 14},
                         Case{AttendanceEventLayout::kText32, 32},
                         Case{AttendanceEventLayout::kText36, 36}}) {
        const auto data = EncodeAttendanceEvent(kPunch, c.layout);
        ASSERT_TRUE(data.ok()) << data.error().message;
        EXPECT_EQ(data->size(), c.length);
        const auto back = DecodeAttendanceEvent(*data);
        ASSERT_TRUE(back.ok()) << back.error().message;
        EXPECT_EQ(*back, kPunch) << c.length;
    }
}

TEST(ZkRealtime, NumericLayoutCarriesA32BitUserId) {
    AttendanceEvent punch = kPunch;
    punch.user_id = "4000000000";
    const auto data = EncodeAttendanceEvent(punch, AttendanceEventLayout::kNumeric12);
    ASSERT_TRUE(data.ok());
    EXPECT_EQ(DecodeAttendanceEvent(*data)->user_id, "4000000000");
}

TEST(ZkRealtime, LongerTextPayloadsKeepTheFirst32BytesMeaning) {
    // pyzk accepts 36, 37 and 52+ bytes; the extra bytes are not understood.
    Bytes data = *EncodeAttendanceEvent(kPunch, AttendanceEventLayout::kText32);
    for (const std::size_t length : {37u, 52u, 60u}) {
        Bytes longer = data;
        longer.resize(length, 0xAB);
        const auto punch = DecodeAttendanceEvent(longer);
        ASSERT_TRUE(punch.ok()) << length;
        EXPECT_EQ(*punch, kPunch);
    }
}

TEST(ZkRealtime, UnknownLengthsAreRejected) {
    for (const std::size_t length : {0u, 9u, 11u, 13u, 16u, 31u}) {
        const auto punch = DecodeAttendanceEvent(Bytes(length, 0x01));
        ASSERT_FALSE(punch.ok()) << length;
        EXPECT_EQ(punch.error().code, core::Errc::kInvalidArgument);
    }
}

TEST(ZkRealtime, GarbageTimeIsRejected) {
    Bytes data = Hex("65 00 01 00 18 0d 0f 08 1e 2d");  // month 13
    EXPECT_FALSE(DecodeAttendanceEvent(data).ok());
}

TEST(ZkRealtime, EncodeRefusesUserIdsTheLayoutCannotCarry) {
    AttendanceEvent punch = kPunch;
    punch.user_id = "65536";
    EXPECT_FALSE(EncodeAttendanceEvent(punch, AttendanceEventLayout::kShort10).ok());
    EXPECT_TRUE(EncodeAttendanceEvent(punch, AttendanceEventLayout::kNumeric12).ok());
    punch.user_id = "A101";
    EXPECT_FALSE(EncodeAttendanceEvent(punch, AttendanceEventLayout::kNumeric12).ok());
    EXPECT_TRUE(EncodeAttendanceEvent(punch, AttendanceEventLayout::kText32).ok());
    punch.user_id = std::string(24, '1');
    EXPECT_FALSE(EncodeAttendanceEvent(punch, AttendanceEventLayout::kText32).ok());
    punch = kPunch;
    punch.time.month = 2;
    punch.time.day = 30;
    EXPECT_FALSE(EncodeAttendanceEvent(punch, AttendanceEventLayout::kText32).ok());
}

TEST(ZkRealtime, EventMaskRoundTrips) {
    EXPECT_EQ(ToHex(EncodeEventMask(event::kAttLog)), "01 00 00 00");
    EXPECT_EQ(ToHex(EncodeEventMask(0xFFFF)), "ff ff 00 00");
    EXPECT_EQ(*DecodeEventMask(Hex("00 00 ff ff")), 0xFFFF0000u);
    EXPECT_FALSE(DecodeEventMask(Hex("01 00")).ok());
}

TEST(ZkRealtime, EventAckIsAckOkWithTheSessionAndReplyIdZero) {
    EXPECT_EQ(MakeEventAck(0x1234), (Packet{cmd::kAckOk, 0x1234, 0, {}}));
    EXPECT_FALSE(IsEvent(MakeEventAck(0x1234)));
}

TEST(ZkRealtime, ConnectWithReplyIdZeroIsNotAnEvent) {
    EXPECT_FALSE(IsEvent(Packet{cmd::kConnect, 0, 0, {}}));
}

}  // namespace
}  // namespace rollcall::protocol::zk
