#include "protocol/zk/tcp_frame.hpp"

#include "protocol/zk/commands.hpp"
#include "support/hex.hpp"
#include "support/value_of.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace rollcall::protocol::zk {
namespace {

using testing::Hex;
using testing::ToHex;
using testing::ValueOf;

Bytes Frame(const Packet& packet) {
    return ValueOf(EncodeTcpFrame(packet));
}

/// Every packet the decoder yields until it needs more bytes; fails the test on an error.
std::vector<Packet> Drain(TcpFrameDecoder& decoder) {
    std::vector<Packet> out;
    for (;;) {
        auto next = decoder.Next();
        EXPECT_TRUE(next.ok()) << next.error().message;
        if (!next.ok() || !next->has_value()) {
            return out;
        }
        out.push_back(**next);
    }
}

Bytes Concat(const std::vector<Bytes>& parts) {
    Bytes out;
    for (const Bytes& p : parts) {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

const Packet kPrepare{cmd::kPrepareData, 0x1234, 5, Hex("c0 ff 00 00 00 00 00 00")};
const Packet kData{cmd::kData, 0x1234, 5, Bytes(300, 0x5A)};
const Packet kAck{cmd::kAckOk, 0x1234, 5, {}};

TEST(ZkTcpFrame, AuthFrameEncodesToTheDocumentedBytes) {
    EXPECT_EQ(ToHex(Frame(Packet{cmd::kAuth, 0x1234, 1, Hex("6d e1 32 6b")})),
              "50 50 82 7d 0c 00 00 00 4e 04 dc 9c 34 12 01 00 6d e1 32 6b");
}

TEST(ZkTcpFrame, SerialNumberRequestEncodesToTheDocumentedBytes) {
    EXPECT_EQ(ToHex(Frame(Packet{cmd::kOptionsRrq, 0x1234, 2, ToBytes(std::string_view("~SerialNumber\0", 14))})),
              "50 50 82 7d 16 00 00 00 0b 00 bb a4 34 12 02 00 7e 53 65 72 69 61 6c 4e 75 6d 62 65 72 00");
}

TEST(ZkTcpFrame, EncodeAcceptsA65535BytePacketAndRefusesOneByteMore) {
    EXPECT_TRUE(EncodeTcpFrame(Packet{cmd::kData, 1, 1, Bytes(65535 - 8, 0)}).ok());
    const auto too_big = EncodeTcpFrame(Packet{cmd::kData, 1, 1, Bytes(65535 - 7, 0)});
    ASSERT_FALSE(too_big.ok());
    EXPECT_EQ(too_big.error().code, core::Errc::kPayloadTooLarge);
}

TEST(ZkTcpFrame, DecoderReturnsOneWholeFrame) {
    TcpFrameDecoder decoder;
    decoder.Feed(Hex("50 50 82 7d 0c 00 00 00 4e 04 dc 9c 34 12 01 00 6d e1 32 6b"));
    const auto packets = Drain(decoder);
    ASSERT_EQ(packets.size(), 1u);
    EXPECT_EQ(packets[0], (Packet{cmd::kAuth, 0x1234, 1, Hex("6d e1 32 6b")}));
    EXPECT_EQ(decoder.buffered_bytes(), 0u);
}

TEST(ZkTcpFrame, DecoderWaitsForTheRestOfAFrameSplitAtEveryByte) {
    const Bytes stream = Concat({Frame(kPrepare), Frame(kData), Frame(kAck)});
    TcpFrameDecoder decoder;
    std::vector<Packet> packets;
    for (const std::uint8_t byte : stream) {
        decoder.Feed(ByteView(&byte, 1));
        for (Packet& p : Drain(decoder)) {
            packets.push_back(std::move(p));
        }
    }
    ASSERT_EQ(packets.size(), 3u);
    EXPECT_EQ(packets[0], kPrepare);
    EXPECT_EQ(packets[1], kData);
    EXPECT_EQ(packets[2], kAck);
}

TEST(ZkTcpFrame, DecoderSplitsCoalescedFramesFromOneRead) {
    // The simulator writes DATA and the trailing ACK_OK together (§10 item 8).
    TcpFrameDecoder decoder;
    decoder.Feed(Concat({Frame(kPrepare), Frame(kData), Frame(kAck)}));
    const auto packets = Drain(decoder);
    ASSERT_EQ(packets.size(), 3u);
    EXPECT_EQ(packets[2], kAck);
}

TEST(ZkTcpFrame, DecoderHandlesAFrameEndingMidwayThroughTheNextOne) {
    const Bytes stream = Concat({Frame(kData), Frame(kAck)});
    TcpFrameDecoder decoder;
    decoder.Feed(ByteView(stream).first(Frame(kData).size() + 3));
    auto first = Drain(decoder);
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(decoder.buffered_bytes(), 3u);
    decoder.Feed(ByteView(stream).subspan(Frame(kData).size() + 3));
    auto second = Drain(decoder);
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(second[0], kAck);
}

TEST(ZkTcpFrame, DecoderRejectsBadMagicAsSoonAsTheFirstByteDiffers) {
    TcpFrameDecoder decoder;
    decoder.Feed(Hex("47"));  // "GET /" from a browser pointed at port 4370
    const auto next = decoder.Next();
    ASSERT_FALSE(next.ok());
    EXPECT_EQ(next.error().code, core::Errc::kInvalidArgument);
    EXPECT_TRUE(decoder.failed());
}

TEST(ZkTcpFrame, DecoderStaysFailedAfterAFramingError) {
    TcpFrameDecoder decoder;
    decoder.Feed(Hex("50 50 82 7e 08 00 00 00"));
    EXPECT_FALSE(decoder.Next().ok());
    decoder.Feed(Frame(kAck));
    EXPECT_FALSE(decoder.Next().ok());
}

TEST(ZkTcpFrame, DecoderRejectsALengthOverTheLimitBeforeItsBytesArrive) {
    TcpFrameDecoder decoder(1000);
    decoder.Feed(Hex("50 50 82 7d e9 03 00 00"));  // 1001
    const auto next = decoder.Next();
    ASSERT_FALSE(next.ok());
    EXPECT_EQ(next.error().code, core::Errc::kPayloadTooLarge);
}

TEST(ZkTcpFrame, DecoderAcceptsALengthExactlyAtTheLimit) {
    TcpFrameDecoder decoder(8 + 300);
    decoder.Feed(Frame(kData));
    const auto packets = Drain(decoder);
    ASSERT_EQ(packets.size(), 1u);
}

TEST(ZkTcpFrame, DefaultLimitRejectsLengthsBeyond16Bits) {
    TcpFrameDecoder decoder;
    decoder.Feed(Hex("50 50 82 7d 00 00 01 00"));
    const auto next = decoder.Next();
    ASSERT_FALSE(next.ok());
    EXPECT_EQ(next.error().code, core::Errc::kPayloadTooLarge);
}

TEST(ZkTcpFrame, DecoderRejectsALengthShorterThanAPacketHeader) {
    TcpFrameDecoder decoder;
    decoder.Feed(Hex("50 50 82 7d 07 00 00 00 e8 03 17 fc 00 00 00"));
    const auto next = decoder.Next();
    ASSERT_FALSE(next.ok());
    EXPECT_EQ(next.error().code, core::Errc::kInvalidArgument);
}

TEST(ZkTcpFrame, BadChecksumCostsOnlyItsOwnFrame) {
    Bytes bad = Frame(kPrepare);
    bad[kTcpWrapperSize + 2] ^= 0xFF;
    TcpFrameDecoder decoder;
    decoder.Feed(Concat({bad, Frame(kAck)}));
    const auto first = decoder.Next();
    ASSERT_FALSE(first.ok());
    EXPECT_EQ(first.error().code, core::Errc::kInvalidArgument);
    EXPECT_FALSE(decoder.failed());
    const auto second = decoder.Next();
    ASSERT_TRUE(second.ok()) << second.error().message;
    ASSERT_TRUE(second->has_value());
    EXPECT_EQ(**second, kAck);
}

TEST(ZkTcpFrame, IgnoreChecksumPolicyPassesABadChecksumThrough) {
    Bytes bad = Frame(kAck);
    bad[kTcpWrapperSize + 2] ^= 0xFF;
    TcpFrameDecoder decoder(kMaxTcpPacketSize, ChecksumPolicy::kIgnore);
    decoder.Feed(bad);
    const auto packets = Drain(decoder);
    ASSERT_EQ(packets.size(), 1u);
    EXPECT_EQ(packets[0], kAck);
    EXPECT_EQ(decoder.checksum_mismatches(), 1u);
}

TEST(ZkTcpFrame, IgnoreChecksumPolicyCountsOnlyTheFramesWithABadChecksum) {
    Bytes bad = Frame(kPrepare);
    bad[kTcpWrapperSize + 2] ^= 0xFF;
    TcpFrameDecoder decoder(kMaxTcpPacketSize, ChecksumPolicy::kIgnore);
    decoder.Feed(Concat({Frame(kAck), bad, Frame(kData), bad}));
    EXPECT_EQ(Drain(decoder).size(), 4u);
    EXPECT_EQ(decoder.checksum_mismatches(), 2u);
}

TEST(ZkTcpFrame, NodeStyleLengthFieldWithZeroHighBytesDecodes) {
    // node-zklib writes the length as u16 into bytes 4-5 and zeros into 6-7: the same bytes as a u32.
    TcpFrameDecoder decoder;
    decoder.Feed(Hex("50 50 82 7d 08 00 00 00 e8 03 17 fc 00 00 00 00"));
    const auto packets = Drain(decoder);
    ASSERT_EQ(packets.size(), 1u);
    EXPECT_EQ(packets[0].command, cmd::kConnect);
}

TEST(ZkTcpFrame, AThousandFramesInARowAllDecode) {
    TcpFrameDecoder decoder;
    const Bytes frame = Frame(kData);
    std::size_t decoded = 0;
    for (int i = 0; i < 1000; ++i) {
        decoder.Feed(frame);
        decoded += Drain(decoder).size();
        ASSERT_EQ(decoder.buffered_bytes(), 0u);
    }
    EXPECT_EQ(decoded, 1000u);
}

}  // namespace
}  // namespace rollcall::protocol::zk
