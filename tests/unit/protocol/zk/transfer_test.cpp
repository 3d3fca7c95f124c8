#include "protocol/zk/transfer.hpp"

#include "protocol/zk/attendance_record.hpp"
#include "protocol/zk/commands.hpp"
#include "protocol/zk/tcp_frame.hpp"
#include "support/hex.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace rollcall::protocol::zk {
namespace {

using testing::Hex;
using testing::ToHex;
using Progress = TransferAssembler::Progress;

const Packet kChunkRequest{cmd::kReadBuffer, 0x1234, 6, {}};

std::vector<Progress> FeedAll(TransferAssembler& assembler, const std::vector<Packet>& packets) {
    std::vector<Progress> out;
    for (const Packet& p : packets) {
        auto progress = assembler.Feed(p);
        EXPECT_TRUE(progress.ok()) << progress.error().message;
        if (!progress.ok()) {
            break;
        }
        out.push_back(*progress);
    }
    return out;
}

Bytes Pattern(std::size_t n) {
    Bytes out(n);
    for (std::size_t i = 0; i < n; ++i) {
        out[i] = static_cast<std::uint8_t>(i * 7 + 3);
    }
    return out;
}

TEST(ZkTransfer, PrepareBufferRequestsMatchTheReference) {
    EXPECT_EQ(ToHex(EncodePrepareBufferRequest(PrepareBufferRequestFor(Dataset::kAttendance))),
              "01 0d 00 00 00 00 00 00 00 00 00");
    EXPECT_EQ(ToHex(EncodePrepareBufferRequest(PrepareBufferRequestFor(Dataset::kUsers))),
              "01 09 00 05 00 00 00 00 00 00 00");
    EXPECT_EQ(ToHex(EncodePrepareBufferRequest(PrepareBufferRequestFor(Dataset::kFingerTemplates))),
              "01 07 00 02 00 00 00 00 00 00 00");
    EXPECT_EQ(ToHex(EncodePrepareBufferRequest(PrepareBufferRequestFor(Dataset::kOpLog))),
              "01 22 00 00 00 00 00 00 00 00 00");
}

TEST(ZkTransfer, DevicePicksTheDatasetByInnerCommandNotByFct) {
    const auto stock_pyzk = DecodePrepareBufferRequest(Hex("01 0d 00 00 00 00 00 00 00 00 00"));
    ASSERT_TRUE(stock_pyzk.ok());
    EXPECT_EQ(RequestedDataset(*stock_pyzk), Dataset::kAttendance);
    const auto with_fct = DecodePrepareBufferRequest(Hex("01 0d 00 01 00 00 00 00 00 00 00"));
    ASSERT_TRUE(with_fct.ok());
    EXPECT_EQ(RequestedDataset(*with_fct), Dataset::kAttendance);
    const auto users = DecodePrepareBufferRequest(Hex("01 09 00 05 00 00 00 00 00 00 00"));
    ASSERT_TRUE(users.ok());
    EXPECT_EQ(*users, (PrepareBufferRequest{cmd::kUserTempRrq, 5, 0}));
    EXPECT_EQ(RequestedDataset(*users), Dataset::kUsers);
    EXPECT_EQ(RequestedDataset(PrepareBufferRequest{cmd::kGetTime, 0, 0}), std::nullopt);
}

TEST(ZkTransfer, MalformedPrepareBufferRequestIsRejected) {
    EXPECT_FALSE(DecodePrepareBufferRequest(Hex("01 0d 00 00 00 00 00 00 00 00")).ok());
    EXPECT_FALSE(DecodePrepareBufferRequest(Hex("01 0d 00 00 00 00 00 00 00 00 00 00")).ok());
    EXPECT_FALSE(DecodePrepareBufferRequest(Hex("02 0d 00 00 00 00 00 00 00 00 00")).ok());
}

TEST(ZkTransfer, BufferStatReplyMatchesTheReferenceFrame) {
    const Packet request{cmd::kPrepareBuffer, 0x1234, 5, {}};
    const auto frame = EncodeTcpFrame(MakeBufferStatReply(request, 200004));
    ASSERT_TRUE(frame.ok());
    EXPECT_EQ(ToHex(*frame), "50 50 82 7d 15 00 00 00 d0 07 dc 57 34 12 05 00 00 44 0d 03 00 44 0d 03 00 00 00 00 00");
}

TEST(ZkTransfer, BufferedReplyGivesTheDatasetSize) {
    const auto reply =
        DecodePrepareBufferReply(Packet{cmd::kAckOk, 0x1234, 5, Hex("00 44 0d 03 00 44 0d 03 00 00 00 00 00")});
    ASSERT_TRUE(reply.ok()) << reply.error().message;
    ASSERT_TRUE(std::holds_alternative<BufferedDataset>(*reply));
    EXPECT_EQ(std::get<BufferedDataset>(*reply).size, 200004u);
}

TEST(ZkTransfer, DirectReplyCarriesTheWholeDataset) {
    const Bytes dataset = Hex("00 00 00 00");
    const auto reply = DecodePrepareBufferReply(MakeDirectDatasetReply(kChunkRequest, dataset));
    ASSERT_TRUE(reply.ok());
    ASSERT_TRUE(std::holds_alternative<DirectDataset>(*reply));
    EXPECT_EQ(std::get<DirectDataset>(*reply).dataset, dataset);
}

TEST(ZkTransfer, AckErrorTo1503MeansFallBackToTheLegacyRead) {
    const auto reply = DecodePrepareBufferReply(Packet{cmd::kAckError, 1, 5, {}});
    ASSERT_TRUE(reply.ok());
    EXPECT_TRUE(std::holds_alternative<BufferUnsupported>(*reply));
}

TEST(ZkTransfer, Bad1503RepliesAreErrors) {
    const auto unauth = DecodePrepareBufferReply(Packet{cmd::kAckUnauth, 1, 5, {}});
    ASSERT_FALSE(unauth.ok());
    EXPECT_EQ(unauth.error().code, core::Errc::kUnauthorized);
    const auto no_size = DecodePrepareBufferReply(Packet{cmd::kAckOk, 1, 5, Hex("00 44 0d 03")});
    ASSERT_FALSE(no_size.ok());
    EXPECT_EQ(no_size.error().code, core::Errc::kInvalidArgument);
    EXPECT_FALSE(DecodePrepareBufferReply(Packet{cmd::kPrepareData, 1, 5, {}}).ok());
}

TEST(ZkTransfer, ReadBufferRequestMatchesTheReferencePacket) {
    const ChunkRequest chunk{0, 65472};
    EXPECT_EQ(ToHex(EncodePacket(Packet{cmd::kReadBuffer, 0x1234, 6, EncodeReadBufferRequest(chunk)})),
              "e0 05 24 e8 34 12 06 00 00 00 00 00 c0 ff 00 00");
    const auto back = DecodeReadBufferRequest(Hex("00 00 00 00 c0 ff 00 00"));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, chunk);
}

TEST(ZkTransfer, MalformedReadBufferRequestIsRejected) {
    EXPECT_FALSE(DecodeReadBufferRequest(Hex("00 00 00 00 c0 ff 00")).ok());
    EXPECT_FALSE(DecodeReadBufferRequest(Hex("00 00 00 00 c0 ff 00 00 00")).ok());
}

TEST(ZkTransfer, ChunkPlanFor200004BytesMatchesTheReferenceSequence) {
    const auto chunks = PlanChunks(200004, kTcpChunkSize);
    ASSERT_TRUE(chunks.ok());
    EXPECT_EQ(*chunks, (std::vector<ChunkRequest>{{0, 65472}, {65472, 65472}, {130944, 65472}, {196416, 3588}}));
}

TEST(ZkTransfer, ChunkPlanEdgeCases) {
    EXPECT_EQ(*PlanChunks(0, kTcpChunkSize), std::vector<ChunkRequest>{});
    EXPECT_EQ(*PlanChunks(4, kTcpChunkSize), (std::vector<ChunkRequest>{{0, 4}}));
    EXPECT_EQ(*PlanChunks(2 * kUdpChunkSize, kUdpChunkSize),
              (std::vector<ChunkRequest>{{0, kUdpChunkSize}, {kUdpChunkSize, kUdpChunkSize}}));
    EXPECT_EQ(PlanChunks(0xFFFFFFFF, 0xFFFFFFFF)->size(), 1u);
    EXPECT_FALSE(PlanChunks(100, 0).ok());
}

TEST(ZkTransfer, SliceChunkChecksBoundsWithoutOverflow) {
    const Bytes dataset = Pattern(100);
    const auto tail = SliceChunk(dataset, {90, 10});
    ASSERT_TRUE(tail.ok());
    EXPECT_EQ(tail->size(), 10u);
    EXPECT_EQ((*tail)[0], dataset[90]);
    EXPECT_FALSE(SliceChunk(dataset, {90, 11}).ok());
    EXPECT_FALSE(SliceChunk(dataset, {0xFFFFFFFF, 2}).ok());
}

TEST(ZkTransfer, LegacyRequestsMatchTheReference) {
    EXPECT_EQ(*LegacyReadRequestFor(Dataset::kAttendance), (CommandRequest{cmd::kAttLogRrq, {}}));
    EXPECT_EQ(*LegacyReadRequestFor(Dataset::kUsers), (CommandRequest{cmd::kUserTempRrq, Hex("05")}));
    EXPECT_FALSE(LegacyReadRequestFor(Dataset::kOpLog).ok());
}

TEST(ZkTransfer, DeviceRecognisesLegacyReads) {
    EXPECT_EQ(LegacyReadDataset(Packet{cmd::kAttLogRrq, 1, 1, {}}), Dataset::kAttendance);
    EXPECT_EQ(LegacyReadDataset(Packet{cmd::kUserTempRrq, 1, 1, Hex("05")}), Dataset::kUsers);
    EXPECT_EQ(LegacyReadDataset(Packet{cmd::kUserTempRrq, 1, 1, {}}), std::nullopt);
    EXPECT_EQ(LegacyReadDataset(Packet{cmd::kGetTime, 1, 1, {}}), std::nullopt);
}

TEST(ZkTransfer, PrepareDataCarriesTheSizeThenFourZeroBytes) {
    EXPECT_EQ(ToHex(EncodePrepareData(65472)), "c0 ff 00 00 00 00 00 00");
    const auto capture = DecodePrepareData(Hex("7c000000 f0030000"));  // js_zklib#53
    ASSERT_TRUE(capture.ok());
    EXPECT_EQ(*capture, 124u);
    EXPECT_FALSE(DecodePrepareData(Hex("7c 00 00")).ok());
}

TEST(ZkTransfer, TcpRepliesAreOnePrepareOneDataOneAckAllEchoingTheRequest) {
    const Bytes chunk = Pattern(65472);
    const auto packets = MakeTransferReplies(kChunkRequest, chunk, kMaxTcpTransferData);
    ASSERT_TRUE(packets.ok());
    ASSERT_EQ(packets->size(), 3u);
    EXPECT_EQ((*packets)[0], (Packet{cmd::kPrepareData, 0x1234, 6, EncodePrepareData(65472)}));
    EXPECT_EQ((*packets)[1], (Packet{cmd::kData, 0x1234, 6, chunk}));
    EXPECT_EQ((*packets)[2], (Packet{cmd::kAckOk, 0x1234, 6, {}}));
    EXPECT_TRUE(EncodeTcpFrame((*packets)[1]).ok());
}

TEST(ZkTransfer, UdpRepliesSplitDataInto1024ByteDatagrams) {
    const auto packets = MakeTransferReplies(kChunkRequest, Pattern(2500), kMaxUdpTransferData);
    ASSERT_TRUE(packets.ok());
    ASSERT_EQ(packets->size(), 5u);
    EXPECT_EQ((*packets)[1].data.size(), 1024u);
    EXPECT_EQ((*packets)[2].data.size(), 1024u);
    EXPECT_EQ((*packets)[3].data.size(), 452u);
    for (const Packet& p : *packets) {
        EXPECT_EQ(p.reply_id, 6);
        EXPECT_TRUE(EncodeDatagram(p).ok());
    }
    EXPECT_FALSE(MakeTransferReplies(kChunkRequest, Pattern(10), 0).ok());
}

TEST(ZkTransfer, AssemblerCollectsAUdpChunk) {
    const Bytes chunk = Pattern(kUdpChunkSize);
    auto assembler = TransferAssembler::ForChunk({0, kUdpChunkSize});
    const auto progress = FeedAll(assembler, *MakeTransferReplies(kChunkRequest, chunk, kMaxUdpTransferData));
    ASSERT_EQ(progress.size(), 18u);  // PREPARE_DATA, 16 DATA, ACK_OK
    EXPECT_EQ(progress[15], Progress::kNeedMore);
    EXPECT_EQ(progress[16], Progress::kDataComplete);
    EXPECT_EQ(progress[17], Progress::kDone);
    EXPECT_EQ(assembler.data(), chunk);
    EXPECT_EQ(assembler.TakeData(), chunk);
}

TEST(ZkTransfer, AssemblerReportsALostDatagram) {
    auto packets = *MakeTransferReplies(kChunkRequest, Pattern(3000), kMaxUdpTransferData);
    packets.erase(packets.begin() + 2);
    auto assembler = TransferAssembler::ForChunk({0, 3000});
    core::Result<Progress> last = Progress::kNeedMore;
    for (const Packet& p : packets) {
        last = assembler.Feed(p);
        if (!last.ok()) {
            break;
        }
    }
    ASSERT_FALSE(last.ok());
    EXPECT_EQ(last.error().code, core::Errc::kUnavailable) << "lost in transit, not a protocol error: retry";
}

TEST(ZkTransfer, AssemblerRejectsDataBeyondTheAnnouncedSize) {
    auto assembler = TransferAssembler::ForChunk({0, 10});
    ASSERT_TRUE(assembler.Feed(Packet{cmd::kPrepareData, 0, 6, EncodePrepareData(10)}).ok());
    ASSERT_TRUE(assembler.Feed(Packet{cmd::kData, 0, 6, Pattern(6)}).ok());
    EXPECT_FALSE(assembler.Feed(Packet{cmd::kData, 0, 6, Pattern(6)}).ok());
}

TEST(ZkTransfer, AssemblerRejectsAChunkOfAnotherSize) {
    auto assembler = TransferAssembler::ForChunk({0, 65472});
    EXPECT_FALSE(assembler.Feed(Packet{cmd::kPrepareData, 0, 6, EncodePrepareData(65471)}).ok());
}

TEST(ZkTransfer, AssemblerRefusesALegacyReadOverTheLimit) {
    auto assembler = TransferAssembler::ForLegacyRead(1000);
    const auto progress = assembler.Feed(Packet{cmd::kPrepareData, 0, 6, EncodePrepareData(1001)});
    ASSERT_FALSE(progress.ok());
    EXPECT_EQ(progress.error().code, core::Errc::kPayloadTooLarge);
}

TEST(ZkTransfer, AssemblerTakesALegacyReadAnsweredWithABareDataPacket) {
    // Old firmware: no PREPARE_DATA, the whole dataset in one CMD_DATA (§6.6); an ACK_OK may or may not follow.
    const Bytes dataset = Pattern(70000);
    auto assembler = TransferAssembler::ForLegacyRead(1 << 20);
    const auto progress =
        FeedAll(assembler, {Packet{cmd::kData, 0x1234, 6, dataset}, Packet{cmd::kAckOk, 0x1234, 6, {}}});
    EXPECT_EQ(progress, (std::vector<Progress>{Progress::kDataComplete, Progress::kDone}));
    EXPECT_EQ(assembler.data(), dataset);
    EXPECT_EQ(assembler.announced_size(), 70000u);

    auto limited = TransferAssembler::ForLegacyRead(1000);
    const auto too_big = limited.Feed(Packet{cmd::kData, 0, 6, Pattern(1001)});
    ASSERT_FALSE(too_big.ok());
    EXPECT_EQ(too_big.error().code, core::Errc::kPayloadTooLarge);
}

TEST(ZkTransfer, AssemblerMapsDeviceRefusals) {
    auto refused = TransferAssembler::ForChunk({0, 10});
    const auto error = refused.Feed(Packet{cmd::kAckError, 0, 6, {}});
    ASSERT_FALSE(error.ok());
    EXPECT_EQ(error.error().code, core::Errc::kUnavailable);
    auto unauth = TransferAssembler::ForChunk({0, 10});
    const auto denied = unauth.Feed(Packet{cmd::kAckUnauth, 0, 6, {}});
    ASSERT_FALSE(denied.ok());
    EXPECT_EQ(denied.error().code, core::Errc::kUnauthorized);
}

TEST(ZkTransfer, AssemblerRejectsDataBeforePrepareDataAndStaysFailed) {
    auto assembler = TransferAssembler::ForChunk({0, 4});
    EXPECT_FALSE(assembler.Feed(Packet{cmd::kData, 0, 6, Pattern(4)}).ok());
    EXPECT_FALSE(assembler.Feed(Packet{cmd::kPrepareData, 0, 6, EncodePrepareData(4)}).ok());
}

TEST(ZkTransfer, AssemblerRejectsPacketsAfterTheTrailingAck) {
    auto assembler = TransferAssembler::ForChunk({0, 4});
    const auto progress = FeedAll(assembler, *MakeTransferReplies(kChunkRequest, Pattern(4), kMaxTcpTransferData));
    ASSERT_EQ(progress.back(), Progress::kDone);
    EXPECT_FALSE(assembler.Feed(Packet{cmd::kAckOk, 0, 6, {}}).ok());
}

TEST(ZkTransfer, AssemblerAcceptsAnEmptyTransfer) {
    auto assembler = TransferAssembler::ForLegacyRead(100);
    const auto progress = FeedAll(assembler, *MakeTransferReplies(kChunkRequest, ByteView(), kMaxTcpTransferData));
    EXPECT_EQ(progress, (std::vector<Progress>{Progress::kDataComplete, Progress::kDone}));
    EXPECT_TRUE(assembler.data().empty());
}

TEST(ZkTransfer, LegacyTcpCaptureReassemblesIntoThreeRecords) {
    // js_zklib#53: PREPARE_DATA (124, 0x3f0), DATA with session 0, trailing ACK_OK with session 0x007c.
    std::vector<AttendanceRecord> records(3);
    for (std::size_t i = 0; i < records.size(); ++i) {
        records[i].uid = static_cast<std::uint16_t>(i + 1);
        records[i].user_id = std::to_string(i + 1);
        records[i].packed_time = 0x2368B36B;
        records[i].verify = 1;
    }
    const Bytes dataset = *EncodeAttendanceDataset(records, AttendanceFormat::kExtended40);
    ASSERT_EQ(dataset.size(), 124u);
    auto assembler = TransferAssembler::ForLegacyRead(1 << 20);
    const auto progress = FeedAll(assembler,
                                  {Packet{cmd::kPrepareData, 0xC0C5, 2, Hex("7c000000 f0030000")},
                                   Packet{cmd::kData, 0x0000, 2, dataset},
                                   Packet{cmd::kAckOk, 0x007C, 2, {}}});
    EXPECT_EQ(progress, (std::vector<Progress>{Progress::kNeedMore, Progress::kDataComplete, Progress::kDone}));
    const auto decoded = DecodeAttendanceDataset(assembler.data(), AttendanceFormat::kExtended40);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(*decoded, records);
}

TEST(ZkTransfer, AgentAndSimulatorSidesAgreeOnA5000RecordDownloadOverTcp) {
    std::vector<AttendanceRecord> records(5000);
    for (std::size_t i = 0; i < records.size(); ++i) {
        records[i].uid = static_cast<std::uint16_t>(i % 300 + 1);
        records[i].user_id = std::to_string(i % 300 + 1000);
        records[i].packed_time = 0x2E5EF9B5 + static_cast<std::uint32_t>(i);
        records[i].verify = 1;
        records[i].state = static_cast<std::uint8_t>(i % 2);
    }
    // Simulator side: the dataset, the 1503 stat, and per 1504 request the reply packets as one TCP write.
    const Bytes dataset = *EncodeAttendanceDataset(records, AttendanceFormat::kExtended40);
    ASSERT_EQ(dataset.size(), 200004u);
    const Packet stat = MakeBufferStatReply(Packet{cmd::kPrepareBuffer, 0x1234, 4, {}}, 200004);

    // Agent side.
    const auto reply = DecodePrepareBufferReply(stat);
    ASSERT_TRUE(reply.ok());
    const std::uint32_t size = std::get<BufferedDataset>(*reply).size;
    Bytes downloaded;
    std::uint16_t reply_id = 5;
    TcpFrameDecoder stream;
    // Kept in locals: a range-for over `*Result()` would iterate a destroyed temporary.
    const auto chunks = PlanChunks(size, kTcpChunkSize);
    ASSERT_TRUE(chunks.ok());
    for (const ChunkRequest& chunk : *chunks) {
        const Packet request{cmd::kReadBuffer, 0x1234, reply_id, EncodeReadBufferRequest(chunk)};
        // ... the simulator answers it ...
        const auto asked = DecodeReadBufferRequest(request.data);
        ASSERT_TRUE(asked.ok());
        const auto piece = SliceChunk(dataset, *asked);
        ASSERT_TRUE(piece.ok());
        Bytes wire;
        const auto replies = MakeTransferReplies(request, *piece, kMaxTcpTransferData);
        ASSERT_TRUE(replies.ok());
        for (const Packet& p : *replies) {
            const Bytes frame = *EncodeTcpFrame(p);
            wire.insert(wire.end(), frame.begin(), frame.end());
        }
        // ... and the agent reads it in odd-sized pieces.
        auto assembler = TransferAssembler::ForChunk(chunk);
        Progress progress = Progress::kNeedMore;
        for (std::size_t at = 0; at < wire.size(); at += 4093) {
            stream.Feed(ByteView(wire).subspan(at, std::min<std::size_t>(4093, wire.size() - at)));
            for (;;) {
                auto next = stream.Next();
                ASSERT_TRUE(next.ok()) << next.error().message;
                if (!next->has_value()) {
                    break;
                }
                ASSERT_EQ((*next)->reply_id, reply_id);
                auto fed = assembler.Feed(**next);
                ASSERT_TRUE(fed.ok()) << fed.error().message;
                progress = *fed;
            }
        }
        ASSERT_EQ(progress, Progress::kDone);
        const Bytes part = assembler.TakeData();
        downloaded.insert(downloaded.end(), part.begin(), part.end());
        reply_id = NextReplyId(reply_id);
    }
    EXPECT_EQ(downloaded, dataset);
    const auto format = DetectAttendanceFormat(downloaded, 5000);
    ASSERT_TRUE(format.ok());
    EXPECT_EQ(*format, AttendanceFormat::kExtended40);
    const auto decoded = DecodeAttendanceDataset(downloaded, *format);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, records);
}

}  // namespace
}  // namespace rollcall::protocol::zk
