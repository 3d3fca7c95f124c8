#include "protocol/zk/packet.hpp"

#include "protocol/zk/commands.hpp"
#include "support/hex.hpp"

#include <gtest/gtest.h>

namespace rollcall::protocol::zk {
namespace {

using testing::Hex;
using testing::ToHex;

TEST(ZkPacket, ConnectEncodesToTheDocumentedBytes) {
    EXPECT_EQ(ToHex(EncodePacket(Packet{cmd::kConnect, 0, 0, {}})), "e8 03 17 fc 00 00 00 00");
}

TEST(ZkPacket, AckOkWithSessionEncodesToTheDocumentedBytes) {
    EXPECT_EQ(ToHex(EncodePacket(Packet{cmd::kAckOk, 0x1234, 0, {}})), "d0 07 fb e5 34 12 00 00");
}

TEST(ZkPacket, AdrobinogaOptionsVectorHasChecksum175A) {
    const auto bytes = Hex("0b00 5a17 f38d 0300 5a4b4661636556657273696f6e00");
    EXPECT_EQ(ComputeChecksum(bytes), 0x175A);
    EXPECT_EQ(EncodePacket(Packet{cmd::kOptionsRrq, 0x8DF3, 3, ToBytes(std::string_view("ZKFaceVersion\0", 14))}),
              bytes);
}

TEST(ZkPacket, OddLengthPacketPadsTheLastByteWithZero) {
    const auto bytes = Hex("d007 296a f38d 0a00 09");
    EXPECT_EQ(ComputeChecksum(bytes), 0x6A29);
    EXPECT_EQ(EncodePacket(Packet{cmd::kAckOk, 0x8DF3, 10, {0x09}}), bytes);
}

TEST(ZkPacket, ChecksumIgnoresWhatIsStoredInTheChecksumField) {
    auto bytes = Hex("e8 03 17 fc 00 00 00 00");
    bytes[2] = 0xAA;
    bytes[3] = 0x55;
    EXPECT_EQ(ComputeChecksum(bytes), 0xFC17);
}

TEST(ZkPacket, GetTimeReplyEncodesToTheDocumentedBytes) {
    EXPECT_EQ(ToHex(EncodePacket(Packet{cmd::kAckOk, 0x1234, 7, Hex("b5 f9 5e 2e")})),
              "d0 07 e0 bd 34 12 07 00 b5 f9 5e 2e");
}

TEST(ZkPacket, DecodeReadsTheHeaderFieldsAndData) {
    const auto decoded = DecodePacket(Hex("d007 296a f38d 0a00 09"));
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->command, cmd::kAckOk);
    EXPECT_EQ(decoded->session_id, 0x8DF3);
    EXPECT_EQ(decoded->reply_id, 10);
    EXPECT_EQ(decoded->data, Hex("09"));
}

TEST(ZkPacket, RoundTripKeepsEveryField) {
    const Packet packet{cmd::kData, 0xBEEF, 65534, Hex("00 01 02 03 04 ff fe")};
    const auto decoded = DecodePacket(EncodePacket(packet));
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(*decoded, packet);
}

TEST(ZkPacket, DecodeRejectsABadChecksum) {
    auto bytes = EncodePacket(Packet{cmd::kConnect, 0, 0, {}});
    bytes[2] ^= 0x01;
    const auto decoded = DecodePacket(bytes);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.error().code, core::Errc::kInvalidArgument);
    EXPECT_FALSE(HasValidChecksum(bytes));
}

TEST(ZkPacket, DecodeRejectsCorruptedData) {
    auto bytes = EncodePacket(Packet{cmd::kData, 1, 2, Hex("10 20 30")});
    bytes.back() ^= 0x80;
    EXPECT_FALSE(DecodePacket(bytes).ok());
}

TEST(ZkPacket, IgnorePolicyDecodesDespiteABadChecksum) {
    auto bytes = EncodePacket(Packet{cmd::kConnect, 0, 5, {}});
    bytes[2] ^= 0x01;
    const auto decoded = DecodePacket(bytes, ChecksumPolicy::kIgnore);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded->reply_id, 5);
}

TEST(ZkPacket, ChecksumZeroAndFFFFAreTheSameValue) {
    EXPECT_TRUE(ChecksumsEqual(0x0000, 0xFFFF));
    EXPECT_TRUE(ChecksumsEqual(0xFFFF, 0x0000));
    EXPECT_TRUE(ChecksumsEqual(0x1234, 0x1234));
    EXPECT_FALSE(ChecksumsEqual(0x0000, 0x0001));
    EXPECT_FALSE(ChecksumsEqual(0xFFFE, 0xFFFF));
}

TEST(ZkPacket, PacketWhoseChecksumIsZeroAlsoVerifiesWithFFFF) {
    // Words summing to 0xFFFF give checksum 0; a peer computing "65534 - sum mod 65535" writes 0xFFFF.
    auto bytes = Hex("ff ff 00 00 00 00 00 00");
    EXPECT_EQ(ComputeChecksum(bytes), 0x0000);
    bytes[2] = 0xFF;
    bytes[3] = 0xFF;
    EXPECT_TRUE(HasValidChecksum(bytes));
    EXPECT_TRUE(DecodePacket(bytes).ok());
}

TEST(ZkPacket, DecodeRejectsTruncatedHeaders) {
    for (std::size_t n = 0; n < kHeaderSize; ++n) {
        const auto bytes = Hex("e8 03 17 fc 00 00 00 00");
        const auto decoded = DecodePacket(ByteView(bytes).first(n));
        ASSERT_FALSE(decoded.ok()) << n;
        EXPECT_EQ(decoded.error().code, core::Errc::kInvalidArgument);
    }
}

TEST(ZkPacket, MakeReplyEchoesSessionAndReplyId) {
    const Packet request{cmd::kGetTime, 0x1234, 7, {}};
    const Packet reply = MakeReply(request, cmd::kAckOk, Hex("b5 f9 5e 2e"));
    EXPECT_EQ(reply, (Packet{cmd::kAckOk, 0x1234, 7, Hex("b5 f9 5e 2e")}));
}

TEST(ZkPacket, NextReplyIdSkips65535) {
    EXPECT_EQ(NextReplyId(0), 1);
    EXPECT_EQ(NextReplyId(65533), 65534);
    EXPECT_EQ(NextReplyId(65534), 0);
    EXPECT_EQ(NextReplyId(65535), 0);
}

TEST(ZkPacket, DatagramOfUpTo1032BytesIsAccepted) {
    const auto encoded = EncodeDatagram(Packet{cmd::kData, 1, 1, Bytes(1024, 0xAB)});
    ASSERT_TRUE(encoded.ok());
    EXPECT_EQ(encoded->size(), 1032u);
}

TEST(ZkPacket, DatagramOver1032BytesIsRefused) {
    const auto encoded = EncodeDatagram(Packet{cmd::kData, 1, 1, Bytes(1025, 0xAB)});
    ASSERT_FALSE(encoded.ok());
    EXPECT_EQ(encoded.error().code, core::Errc::kPayloadTooLarge);
}

TEST(ZkPacket, DatagramDecodesLikeAPacket) {
    const auto decoded = DecodeDatagram(Hex("f4 01 5f c5 01 00 00 00 65 00 01 00 18 03 0f 08 1e 2d"));
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->command, cmd::kRegEvent);
    EXPECT_EQ(decoded->session_id, 1);
    EXPECT_EQ(decoded->data.size(), 10u);
}

TEST(ZkCommands, NamesKnownCodesAndFlagsUnknownOnes) {
    EXPECT_EQ(CommandName(cmd::kConnect), "CMD_CONNECT");
    EXPECT_EQ(CommandName(cmd::kReadBuffer), "CMD_READ_BUFFER");
    EXPECT_EQ(CommandName(cmd::kAckUnauth), "CMD_ACK_UNAUTH");
    EXPECT_EQ(CommandName(4242), "CMD_UNKNOWN");
}

TEST(ZkCommands, CodesMatchTheReferenceTable) {
    EXPECT_EQ(cmd::kConnect, 0x03E8);
    EXPECT_EQ(cmd::kAuth, 0x044E);
    EXPECT_EQ(cmd::kPrepareBuffer, 0x05DF);
    EXPECT_EQ(cmd::kReadBuffer, 0x05E0);
    EXPECT_EQ(cmd::kFreeData, 0x05DE);
    EXPECT_EQ(cmd::kGetFreeSizes, 0x0032);
    EXPECT_EQ(cmd::kAckOk, 0x07D0);
    EXPECT_EQ(cmd::kAckUnauth, 0x07D5);
    EXPECT_EQ(cmd::kAckUnknown, 0xFFFF);
}

}  // namespace
}  // namespace rollcall::protocol::zk
