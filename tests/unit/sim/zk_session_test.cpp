#include "sim/zk_session.hpp"

#include "core/clock.hpp"
#include "protocol/zk/attendance_record.hpp"
#include "protocol/zk/comm_key.hpp"
#include "protocol/zk/commands.hpp"
#include "protocol/zk/dataset.hpp"
#include "protocol/zk/free_sizes.hpp"
#include "protocol/zk/options.hpp"
#include "protocol/zk/realtime.hpp"
#include "protocol/zk/tcp_frame.hpp"
#include "protocol/zk/time_codec.hpp"
#include "protocol/zk/transfer.hpp"
#include "sim/zk_names.hpp"
#include "support/hex.hpp"
#include "support/value_of.hpp"
#include "unit/sim/device_at_now.hpp"

#include <memory>

#include <gtest/gtest.h>

namespace rollcall::sim {
namespace {

using testing::Hex;
using testing::ValueOf;

using Device = test::DeviceAtNow<5, 50>;

std::vector<Packet> Sent(const Steps& steps) {
    std::vector<Packet> out;
    for (const Step& step : steps) {
        if (const auto* send = std::get_if<SendPackets>(&step)) {
            out.insert(out.end(), send->packets.begin(), send->packets.end());
        }
    }
    return out;
}

/// The one packet a simple command is answered with.
Packet Reply(const Steps& steps) {
    EXPECT_EQ(steps.size(), 1u);
    const auto packets = Sent(steps);
    EXPECT_EQ(packets.size(), 1u);
    return packets.empty() ? Packet{} : packets.front();
}

/// The CMD_AUTH data for comm key `key` on session `session_id`.
Bytes AuthData(std::uint32_t key, std::uint16_t session_id, std::uint8_t ticks = zk::kDefaultAuthTicks) {
    const auto data = zk::MakeCommKey(key, session_id, ticks);
    return {data.begin(), data.end()};
}

class Client {
public:
    Client(ZkDevice& device, Transport transport) : session(device, transport) {}

    Steps Send(std::uint16_t command, Bytes data = {}) {
        reply_id = zk::NextReplyId(reply_id);
        return session.Handle(Packet{command, session.session_id(), reply_id, std::move(data)});
    }
    Packet Ask(std::uint16_t command, Bytes data = {}) { return Reply(Send(command, std::move(data))); }

    /// CONNECT, and CMD_AUTH with `key` when the device answers ACK_UNAUTH.
    void Connect(std::uint32_t key = 0) {
        const Packet reply = Ask(cmd::kConnect);
        if (reply.command == cmd::kAckUnauth) {
            ASSERT_EQ(Ask(cmd::kAuth, AuthData(key, reply.session_id)).command, cmd::kAckOk);
        }
    }

    /// A whole dataset through 1503 and sequential 1504 chunks, reassembled with the agent-side codec.
    Bytes Read(zk::Dataset dataset, std::uint32_t chunk_size) {
        const Packet stat =
            Ask(cmd::kPrepareBuffer, zk::EncodePrepareBufferRequest(zk::PrepareBufferRequestFor(dataset)));
        const auto decoded = zk::DecodePrepareBufferReply(stat);
        EXPECT_TRUE(decoded.ok());
        const auto* buffered = decoded.ok() ? std::get_if<zk::BufferedDataset>(&*decoded) : nullptr;
        EXPECT_NE(buffered, nullptr);
        if (buffered == nullptr) {
            return {};
        }
        Bytes out;
        const auto plan = zk::PlanChunks(buffered->size, chunk_size);
        for (const auto& chunk : *plan) {
            auto assembler = zk::TransferAssembler::ForChunk(chunk);
            for (const Packet& p : Sent(Send(cmd::kReadBuffer, zk::EncodeReadBufferRequest(chunk)))) {
                EXPECT_EQ(p.reply_id, reply_id);
                EXPECT_TRUE(assembler.Feed(p).ok());
            }
            out.insert(out.end(), assembler.data().begin(), assembler.data().end());
        }
        EXPECT_EQ(Ask(cmd::kFreeData).command, cmd::kAckOk);
        return out;
    }

    ZkSession session;
    std::uint16_t reply_id = 0;
};

constexpr std::uint32_t kCommKey = 12345;

/// A device that asks its clients for comm key `key`.
ZkDeviceConfig WithCommKey(std::uint32_t key) {
    ZkDeviceConfig config;
    config.comm_key = key;
    return config;
}

/// A device and one client that has connected to it: where most tests start.
struct Connected : Device {
    explicit Connected(Transport transport,
                       ZkDeviceConfig config = {},
                       std::uint32_t users = 5,
                       std::uint32_t records = 50)
        : Device(std::move(config), users, records), client(device, transport) {
        client.Connect();
    }
    Client client;
};

/// 1503 for the attendance log (inner command 0x0d) as the clients send it.
const Bytes kPrepareAttendance = Hex("01 0d 00 00 00 00 00 00 00 00 00");

TEST(ZkSession, ConnectAssignsANonZeroSessionAndEchoesTheReplyId) {
    Device d;
    ZkSession session(d.device, Transport::kTcp);
    const Packet reply = Reply(session.Handle(Packet{cmd::kConnect, 0, 1, {}}));
    EXPECT_EQ(reply.command, cmd::kAckOk);
    EXPECT_NE(reply.session_id, 0);
    EXPECT_EQ(reply.reply_id, 1);
    EXPECT_TRUE(reply.data.empty());
    EXPECT_EQ(session.session_id(), reply.session_id);
    EXPECT_TRUE(session.ready());
}

TEST(ZkSession, EverySessionGetsItsOwnId) {
    Device d;
    Client a(d.device, Transport::kTcp);
    Client b(d.device, Transport::kUdp);
    a.Connect();
    b.Connect();
    EXPECT_NE(a.session.session_id(), b.session.session_id());
}

TEST(ZkSession, RequestsBeforeConnectAreUnauthorized) {
    Device d;
    Client c(d.device, Transport::kTcp);
    EXPECT_EQ(c.Ask(cmd::kGetFreeSizes).command, cmd::kAckUnauth);
}

TEST(ZkSession, CommKeyRequiresAuthBeforeAnythingElse) {
    Device d(WithCommKey(kCommKey));
    Client c(d.device, Transport::kTcp);
    const Packet connect = c.Ask(cmd::kConnect);
    EXPECT_EQ(connect.command, cmd::kAckUnauth);
    EXPECT_NE(connect.session_id, 0);
    EXPECT_FALSE(c.session.ready());
    EXPECT_EQ(c.Ask(cmd::kGetFreeSizes).command, cmd::kAckUnauth);
    EXPECT_EQ(c.Ask(cmd::kAuth, AuthData(kCommKey, connect.session_id)).command, cmd::kAckOk);
    EXPECT_TRUE(c.session.ready());
    EXPECT_EQ(c.Ask(cmd::kGetFreeSizes).command, cmd::kAckOk);
}

TEST(ZkSession, WrongCommKeyStaysUnauthorized) {
    Device d(WithCommKey(kCommKey));
    Client c(d.device, Transport::kTcp);
    const Packet connect = c.Ask(cmd::kConnect);
    EXPECT_EQ(c.Ask(cmd::kAuth, AuthData(54321, connect.session_id)).command, cmd::kAckUnauth);
    EXPECT_EQ(c.Ask(cmd::kGetVersion).command, cmd::kAckUnauth);
    // ZKTeco4J draws the ticks byte at random: the device reads it from the packet.
    EXPECT_EQ(c.Ask(cmd::kAuth, AuthData(kCommKey, connect.session_id, 0xA7)).command, cmd::kAckOk);
}

TEST(ZkSession, AuthWithoutACommKeyIsAccepted) {
    Connected t(Transport::kUdp);
    EXPECT_EQ(t.client.Ask(cmd::kAuth, Hex("61 7d 32 6b")).command, cmd::kAckOk);
}

TEST(ZkSession, RepliesEchoTheRequestIds) {
    Device d;
    ZkSession session(d.device, Transport::kTcp);
    const std::uint16_t id = Reply(session.Handle(Packet{cmd::kConnect, 0, 0, {}})).session_id;
    const Packet reply = Reply(session.Handle(Packet{cmd::kGetVersion, id, 65534, {}}));
    EXPECT_EQ(reply.session_id, id);
    EXPECT_EQ(reply.reply_id, 65534);
}

TEST(ZkSession, ExitAcknowledgesThenCloses) {
    Connected t(Transport::kTcp);
    const Steps steps = t.client.Send(cmd::kExit);
    ASSERT_EQ(steps.size(), 2u);
    EXPECT_EQ(Sent(steps).front().command, cmd::kAckOk);
    EXPECT_TRUE(std::holds_alternative<CloseSession>(steps[1]));
    EXPECT_FALSE(t.client.session.ready());
}

TEST(ZkSession, ClientAcknowledgementsAreNeverAnswered) {
    Connected t(Transport::kTcp);
    EXPECT_TRUE(t.client.session.Handle(zk::MakeEventAck(t.client.session.session_id())).empty());
}

TEST(ZkSession, UnknownCommandsGetAckUnknown) {
    Connected t(Transport::kTcp);
    EXPECT_EQ(t.client.Ask(4242).command, cmd::kAckUnknown);
}

TEST(ZkSession, HeaderOnlyRepliesForCommandsWithoutData) {
    Connected t(Transport::kTcp);
    for (const std::uint16_t command : {cmd::kEnableDevice,
                                        cmd::kRefreshData,
                                        cmd::kFreeData,
                                        cmd::kCancelCapture,
                                        cmd::kStartVerify,
                                        cmd::kClearAttLog}) {
        const Packet reply = t.client.Ask(command);
        EXPECT_EQ(reply.command, cmd::kAckOk) << command;
        EXPECT_TRUE(reply.data.empty()) << command;
    }
    EXPECT_EQ(t.client.Ask(cmd::kDisableDevice, Bytes(4, 0)).data.size(), 0u);
}

TEST(ZkSession, FreeSizesCountWhatTheDatasetsHold) {
    Connected t(Transport::kTcp, {}, 7, 123);
    const Packet reply = t.client.Ask(cmd::kGetFreeSizes);
    ASSERT_EQ(reply.data.size(), zk::kFreeSizesFullSize);
    const auto sizes = zk::DecodeFreeSizes(reply.data);
    ASSERT_TRUE(sizes.ok() && sizes->has_value());
    EXPECT_EQ((*sizes)->users, 7u);
    EXPECT_EQ((*sizes)->records, 123u);
    EXPECT_EQ((*sizes)->record_capacity, 100000u);
    EXPECT_EQ((*sizes)->records_free, 100000u - 123u);
    // node-zklib reads the counts at these offsets of the packet including its header.
    const Bytes packet = zk::EncodePacket(reply);
    EXPECT_EQ(zk::ReadU32(packet, 24), 7u);
    EXPECT_EQ(zk::ReadU32(packet, 40), 123u);
    EXPECT_EQ(zk::ReadU32(packet, 72), 100000u);
}

TEST(ZkSession, ShortFreeSizesFaultAnswersOneWord) {
    ZkDeviceConfig config;
    config.faults.short_free_sizes = true;
    Connected t(Transport::kTcp, config);
    const auto sizes = zk::DecodeFreeSizes(t.client.Ask(cmd::kGetFreeSizes).data);
    ASSERT_TRUE(sizes.ok());
    EXPECT_FALSE(sizes->has_value());
}

TEST(ZkSession, OptionsAnswerNameEqualsValueWithOrWithoutNul) {
    ZkDeviceConfig config;
    config.serial_number = "AIOR192960031";
    Connected t(Transport::kTcp, config);
    const Packet with_nul = t.client.Ask(cmd::kOptionsRrq, *zk::EncodeOptionRequest("~SerialNumber"));
    EXPECT_EQ(with_nul.command, cmd::kAckOk);
    EXPECT_EQ(with_nul.data, zk::ToBytes(std::string_view("~SerialNumber=AIOR192960031\0", 28)));
    // zkteco-js sends the name without its NUL.
    const Packet without_nul = t.client.Ask(cmd::kOptionsRrq, zk::ToBytes("~DeviceName"));
    const auto option = zk::DecodeOptionValue(without_nul.data);
    ASSERT_TRUE(option.ok());
    EXPECT_EQ(option->name, "~DeviceName");
    EXPECT_FALSE(option->value.empty());
    for (const char* name : {"~Platform", "~ZKFPVersion", "~OEMVendor", "MAC", "~PIN2Width", "~OS", "WorkCode"}) {
        EXPECT_EQ(t.client.Ask(cmd::kOptionsRrq, *zk::EncodeOptionRequest(name)).command, cmd::kAckOk) << name;
    }
}

TEST(ZkSession, UnknownOptionIsAnError) {
    Connected t(Transport::kTcp);
    EXPECT_EQ(t.client.Ask(cmd::kOptionsRrq, *zk::EncodeOptionRequest("~NoSuchThing")).command, cmd::kAckError);
}

TEST(ZkSession, WrittenOptionsReadBack) {
    Connected t(Transport::kTcp);
    EXPECT_EQ(t.client.Ask(cmd::kOptionsWrq, *zk::EncodeOptionValue({"SDKBuild", "1"})).command, cmd::kAckOk);
    EXPECT_EQ(t.client.Ask(cmd::kOptionsRrq, *zk::EncodeOptionRequest("SDKBuild")).data,
              *zk::EncodeOptionValue({"SDKBuild", "1"}));
}

TEST(ZkSession, VersionIsANulTerminatedFirmwareString) {
    Connected t(Transport::kTcp);
    const Packet reply = t.client.Ask(cmd::kGetVersion);
    EXPECT_EQ(zk::DecodeText(reply.data), "Ver 6.60 Apr 28 2015");
    EXPECT_EQ(reply.data.back(), 0);
}

TEST(ZkSession, TimeIsTheHostClockUntilSetAndFollowsItAfterwards) {
    Connected t(Transport::kTcp);
    EXPECT_EQ(ValueOf(zk::DecodeTimeData(t.client.Ask(cmd::kGetTime).data)), (zk::DeviceTime{2026, 11, 25, 10, 0, 0}));
    // zkteco-js pads SET_TIME to 32 bytes.
    Bytes set = *zk::EncodeTimeData({2024, 3, 15, 8, 30, 45});
    set.resize(32, 0);
    EXPECT_EQ(t.client.Ask(cmd::kSetTime, set).command, cmd::kAckOk);
    t.clock.Advance(15);
    EXPECT_EQ(ValueOf(zk::DecodeTimeData(t.client.Ask(cmd::kGetTime).data)), (zk::DeviceTime{2024, 3, 15, 8, 31, 0}));
}

TEST(ZkSession, ClockDriftFaultOffsetsTheClock) {
    ZkDeviceConfig config;
    config.faults.clock_drift_seconds = -90;
    Connected t(Transport::kTcp, config);
    EXPECT_EQ(ValueOf(zk::DecodeTimeData(t.client.Ask(cmd::kGetTime).data)), (zk::DeviceTime{2026, 11, 25, 9, 58, 30}));
}

TEST(ZkSession, SetTimeRefusesAnImpossibleTime) {
    Connected t(Transport::kTcp);
    EXPECT_EQ(t.client.Ask(cmd::kSetTime, Bytes(4, 0)).command, cmd::kAckError);
}

TEST(ZkSession, BufferedReadAnnouncesTheDatasetSizeWithTheDataStat) {
    Connected t(Transport::kTcp, {}, 3, 10);
    const Packet stat = t.client.Ask(cmd::kPrepareBuffer, kPrepareAttendance);
    EXPECT_EQ(stat.command, cmd::kAckOk);
    ASSERT_EQ(stat.data.size(), 13u);
    EXPECT_EQ(zk::ReadU32(stat.data, 1), 4u + 10 * 40);
    EXPECT_EQ(zk::ReadU32(stat.data, 5), 4u + 10 * 40);
}

TEST(ZkSession, TcpReadReturnsTheRecordsInFortyByteLayout) {
    Connected t(Transport::kTcp, {}, 20, 5000);
    const Bytes dataset = t.client.Read(zk::Dataset::kAttendance, zk::kTcpChunkSize);
    EXPECT_EQ(dataset.size(), 4u + 5000 * 40);
    EXPECT_EQ(ValueOf(zk::DecodeAttendanceDataset(dataset, zk::AttendanceFormat::kExtended40)), t.device.records());
}

TEST(ZkSession, UdpReadReturnsSixteenByteRecordsAndTwentyEightByteUsers) {
    Connected t(Transport::kUdp, {}, 20, 3000);
    const auto records = zk::DecodeAttendanceDataset(t.client.Read(zk::Dataset::kAttendance, zk::kUdpChunkSize),
                                                     zk::AttendanceFormat::kNumeric16);
    ASSERT_TRUE(records.ok());
    ASSERT_EQ(records->size(), 3000u);
    for (std::size_t i = 0; i < records->size(); ++i) {
        EXPECT_EQ((*records)[i].user_id, t.device.records()[i].user_id);
        EXPECT_EQ((*records)[i].packed_time, t.device.records()[i].packed_time);
    }
    const auto users =
        zk::DecodeUserDataset(t.client.Read(zk::Dataset::kUsers, zk::kUdpChunkSize), zk::UserFormat::kCompact28);
    ASSERT_TRUE(users.ok());
    ASSERT_EQ(users->size(), 20u);
    EXPECT_EQ((*users)[19].user_id, "1020");
}

TEST(ZkSession, ConfiguredFormatsApplyToBothTransports) {
    ZkDeviceConfig config;
    config.attendance_format = zk::AttendanceFormat::kExtended49;
    config.user_format = zk::UserFormat::kCompact28;
    Device d(config, 4, 30);
    for (const Transport t : {Transport::kTcp, Transport::kUdp}) {
        Client c(d.device, t);
        c.Connect();
        EXPECT_EQ(c.Read(zk::Dataset::kAttendance, 1000).size(), 4u + 30 * 49);
        EXPECT_EQ(c.Read(zk::Dataset::kUsers, 1000).size(), 4u + 4 * 28);
    }
}

TEST(ZkSession, EightByteRecordsCarryTheUid) {
    ZkDeviceConfig config;
    config.attendance_format = zk::AttendanceFormat::kCompact8;
    Connected t(Transport::kTcp, config, 4, 30);
    const auto records =
        zk::DecodeAttendanceDataset(t.client.Read(zk::Dataset::kAttendance, 1000), zk::AttendanceFormat::kCompact8);
    ASSERT_TRUE(records.ok());
    ASSERT_EQ(records->size(), 30u);
    EXPECT_EQ((*records)[0].uid, t.device.records()[0].uid);
}

TEST(ZkSession, UsersInSeventyTwoByteLayoutOverTcp) {
    Connected t(Transport::kTcp, {}, 12, 0);
    EXPECT_EQ(ValueOf(zk::DecodeUserDataset(t.client.Read(zk::Dataset::kUsers, zk::kTcpChunkSize),
                                            zk::UserFormat::kExtended72)),
              t.device.users());
}

TEST(ZkSession, ZeroRecordsIsThePrefixAloneServedBuffered) {
    Connected t(Transport::kTcp, {}, 2, 0);
    const Packet stat = t.client.Ask(cmd::kPrepareBuffer, kPrepareAttendance);
    EXPECT_EQ(stat.command, cmd::kAckOk);
    EXPECT_EQ(zk::ReadU32(stat.data, 1), 4u);
    EXPECT_EQ(t.client.Read(zk::Dataset::kAttendance, zk::kTcpChunkSize), Hex("00 00 00 00"));
}

TEST(ZkSession, TemplatesAndOpLogAreEmptyDatasets) {
    Connected t(Transport::kTcp);
    EXPECT_EQ(t.client.Read(zk::Dataset::kFingerTemplates, 1000), Hex("00 00 00 00"));
    EXPECT_EQ(t.client.Read(zk::Dataset::kOpLog, 1000), Hex("00 00 00 00"));
}

TEST(ZkSession, TcpChunkIsPrepareAloneThenDataWithTheAckEachReadBeforeTheNext) {
    Connected t(Transport::kTcp, {}, 5, 2000);
    t.client.Ask(cmd::kPrepareBuffer, kPrepareAttendance);
    const Steps steps = t.client.Send(cmd::kReadBuffer, zk::EncodeReadBufferRequest({0, zk::kTcpChunkSize}));
    ASSERT_EQ(steps.size(), 4u);
    const auto& prepare = std::get<SendPackets>(steps[0]).packets;
    ASSERT_EQ(prepare.size(), 1u);
    EXPECT_EQ(prepare[0].command, cmd::kPrepareData);
    EXPECT_EQ(ValueOf(zk::DecodePrepareData(prepare[0].data)), zk::kTcpChunkSize);
    EXPECT_EQ(std::get<AwaitClient>(steps[1]).fallback, std::chrono::milliseconds(10));
    const auto& data_and_ack = std::get<SendPackets>(steps[2]).packets;
    ASSERT_EQ(data_and_ack.size(), 2u);
    EXPECT_EQ(data_and_ack[0].command, cmd::kData);
    EXPECT_EQ(data_and_ack[0].data.size(), zk::kTcpChunkSize);
    EXPECT_EQ(data_and_ack[1].command, cmd::kAckOk);
    EXPECT_TRUE(data_and_ack[1].data.empty());
    EXPECT_EQ(std::get<AwaitClient>(steps[3]).fallback, std::chrono::milliseconds(20));
}

TEST(ZkSession, LateAckFaultSendsTheAckOnItsOwnAfterAPause) {
    ZkDeviceConfig config;
    config.faults.late_ack = std::chrono::milliseconds(300);
    Connected t(Transport::kTcp, config, 5, 20);
    t.client.Ask(cmd::kPrepareBuffer, kPrepareAttendance);
    const Steps steps = t.client.Send(cmd::kReadBuffer, zk::EncodeReadBufferRequest({0, 804}));
    ASSERT_EQ(steps.size(), 6u);
    EXPECT_EQ(std::get<SendPackets>(steps[2]).packets.size(), 1u);
    EXPECT_EQ(std::get<SendPackets>(steps[2]).packets.at(0).command, cmd::kData);
    EXPECT_EQ(std::get<Pause>(steps[3]).duration, std::chrono::milliseconds(300));
    EXPECT_EQ(std::get<SendPackets>(steps[4]).packets.at(0).command, cmd::kAckOk);
    EXPECT_TRUE(std::holds_alternative<AwaitClient>(steps[5]));
}

TEST(ZkSession, UdpChunkIsBurstsOfDatagramsOfAtMost1024BytesEachReadBeforeTheNext) {
    ZkDeviceConfig config;
    config.pacing.udp_burst = 4;
    config.pacing.udp_burst_pause = std::chrono::milliseconds(2);
    config.pacing.udp_slowdown_per_mib = std::chrono::milliseconds(1024);
    Connected t(Transport::kUdp, config, 5, 3000);
    t.client.Ask(cmd::kPrepareBuffer, kPrepareAttendance);
    const Steps steps = t.client.Send(cmd::kReadBuffer, zk::EncodeReadBufferRequest({16384, zk::kUdpChunkSize}));
    // PREPARE_DATA, 16 DATA in 4 bursts each followed by a wait, ACK_OK and a wait before the next chunk.
    ASSERT_EQ(steps.size(), 1u + 4 * 2 + 1 + 1);
    std::size_t data = 0;
    for (std::size_t i = 1; i <= 8; i += 2) {
        for (const Packet& p : std::get<SendPackets>(steps[i]).packets) {
            EXPECT_EQ(p.command, cmd::kData);
            EXPECT_EQ(p.data.size(), zk::kMaxUdpTransferData);
            EXPECT_LE(zk::EncodePacket(p).size(), zk::kMaxUdpDatagramSize);
            ++data;
        }
        // The fallback pause grows by 1 ms per KiB already sent: 16 KiB before this chunk, 4 more per burst.
        const auto expected = std::chrono::milliseconds(2 + 16 + 4 * (i + 1) / 2);
        EXPECT_EQ(std::get<AwaitClient>(steps[i + 1]).fallback, expected);
    }
    EXPECT_EQ(data, 16u);
    EXPECT_EQ(std::get<SendPackets>(steps[9]).packets.at(0).command, cmd::kAckOk);
    EXPECT_EQ(std::get<AwaitClient>(steps[10]).fallback, std::chrono::milliseconds(2 + 32));
}

TEST(ZkSession, DropUdpFaultLeavesOutEveryNthDatagram) {
    ZkDeviceConfig config;
    config.faults.drop_udp_every = 5;
    Connected t(Transport::kUdp, config, 5, 2000);
    t.client.Ask(cmd::kPrepareBuffer, kPrepareAttendance);
    std::size_t data = 0;
    for (const Packet& p : Sent(t.client.Send(cmd::kReadBuffer, zk::EncodeReadBufferRequest({0, zk::kUdpChunkSize})))) {
        data += p.command == cmd::kData ? 1 : 0;
    }
    EXPECT_EQ(data, 16u - 3);
    auto assembler = zk::TransferAssembler::ForChunk({0, zk::kUdpChunkSize});
    bool failed = false;
    for (const Packet& p : Sent(t.client.Send(cmd::kReadBuffer, zk::EncodeReadBufferRequest({0, zk::kUdpChunkSize})))) {
        failed = failed || !assembler.Feed(p).ok();
    }
    EXPECT_TRUE(failed) << "the client must see the loss";
}

TEST(ZkSession, SlowBufferFaultPausesBeforeThe1503Answer) {
    ZkDeviceConfig config;
    config.faults.slow_buffer = std::chrono::milliseconds(2500);
    Connected t(Transport::kTcp, config);
    const Steps steps = t.client.Send(cmd::kPrepareBuffer, kPrepareAttendance);
    ASSERT_EQ(steps.size(), 2u);
    EXPECT_EQ(std::get<Pause>(steps[0]).duration, std::chrono::milliseconds(2500));
    EXPECT_EQ(std::get<SendPackets>(steps[1]).packets.at(0).command, cmd::kAckOk);
}

TEST(ZkSession, NoBufferedReadFaultRefuses1503AndTheLegacyReadServesTheLog) {
    ZkDeviceConfig config;
    config.faults.no_buffered_read = true;
    Connected t(Transport::kUdp, config, 5, 40);
    const auto refused = zk::DecodePrepareBufferReply(t.client.Ask(cmd::kPrepareBuffer, kPrepareAttendance));
    ASSERT_TRUE(refused.ok());
    EXPECT_TRUE(std::holds_alternative<zk::BufferUnsupported>(*refused));

    const auto request = *zk::LegacyReadRequestFor(zk::Dataset::kAttendance);
    auto assembler = zk::TransferAssembler::ForLegacyRead(1 << 20);
    zk::TransferAssembler::Progress progress{};
    for (const Packet& p : Sent(t.client.Send(request.command, request.data))) {
        progress = *assembler.Feed(p);
    }
    EXPECT_EQ(progress, zk::TransferAssembler::Progress::kDone);
    const auto records = zk::DecodeAttendanceDataset(assembler.data(), zk::AttendanceFormat::kNumeric16);
    ASSERT_TRUE(records.ok());
    EXPECT_EQ(records->size(), 40u);
}

TEST(ZkSession, LegacyUserReadOverTcpServesSeventyTwoByteUsers) {
    Connected t(Transport::kTcp, {}, 9, 0);
    const auto request = *zk::LegacyReadRequestFor(zk::Dataset::kUsers);
    auto assembler = zk::TransferAssembler::ForLegacyRead(1 << 20);
    for (const Packet& p : Sent(t.client.Send(request.command, request.data))) {
        EXPECT_TRUE(assembler.Feed(p).ok());
    }
    EXPECT_EQ(ValueOf(zk::DecodeUserDataset(assembler.data(), zk::UserFormat::kExtended72)), t.device.users());
}

TEST(ZkSession, DirectSmallDatasetsComeAsOneDataPacket) {
    ZkDeviceConfig config;
    config.faults.direct_small_datasets = true;
    Connected t(Transport::kTcp, config, 3, 10);
    const auto users =
        zk::DecodePrepareBufferReply(t.client.Ask(cmd::kPrepareBuffer, Hex("01 09 00 05 00 00 00 00 00 00 00")));
    ASSERT_TRUE(users.ok());
    ASSERT_TRUE(std::holds_alternative<zk::DirectDataset>(*users));
    EXPECT_EQ(std::get<zk::DirectDataset>(*users).dataset.size(), 4u + 3 * 72);
    // 4 + 10 * 40 bytes fit 1016 too; 4 + 30 * 40 would not.
    const Packet records = t.client.Ask(cmd::kPrepareBuffer, kPrepareAttendance);
    EXPECT_EQ(records.command, cmd::kData);
}

/// The packets a legacy read of the attendance log is answered with.
std::vector<Packet> LegacyAttendanceRead(Client& client) {
    const auto request = *zk::LegacyReadRequestFor(zk::Dataset::kAttendance);
    return Sent(client.Send(request.command, request.data));
}

/// Reassembles a legacy read with the agent-side codec.
Bytes Assemble(const std::vector<Packet>& packets) {
    auto assembler = zk::TransferAssembler::ForLegacyRead(1 << 24);
    for (const Packet& p : packets) {
        EXPECT_TRUE(assembler.Feed(p).ok()) << zk::CommandName(p.command);
    }
    return assembler.data();
}

TEST(ZkSession, WithholdFaultCountsEveryRecordButLeavesTheLastOutOfEveryDownload) {
    ZkDeviceConfig config;
    config.faults.withhold_records = 30;
    Connected t(Transport::kTcp, config, 5, 100);
    const auto sizes = zk::DecodeFreeSizes(t.client.Ask(cmd::kGetFreeSizes).data);
    ASSERT_TRUE(sizes.ok() && sizes->has_value());
    EXPECT_EQ((*sizes)->records, 100u) << "the terminal says it holds them all";
    const auto served = std::vector<zk::AttendanceRecord>(t.device.records().begin(), t.device.records().end() - 30);
    const auto buffered = t.client.Read(zk::Dataset::kAttendance, zk::kTcpChunkSize);
    EXPECT_EQ(ValueOf(zk::DecodeAttendanceDataset(buffered, zk::AttendanceFormat::kExtended40)), served);
    const auto legacy = Assemble(LegacyAttendanceRead(t.client));
    EXPECT_EQ(ValueOf(zk::DecodeAttendanceDataset(legacy, zk::AttendanceFormat::kExtended40)), served);

    ZkDeviceConfig all;
    all.faults.withhold_records = 1000;
    Connected none(Transport::kTcp, all, 5, 100);
    EXPECT_TRUE(ValueOf(zk::DatasetRecords(none.client.Read(zk::Dataset::kAttendance, zk::kTcpChunkSize))).empty())
        << "more withheld than held: nothing is sent";
}

TEST(ZkSession, LegacyBareDataFaultAnswersWithTheWholeLogInOneDataPacket) {
    ZkDeviceConfig config;
    config.faults.legacy_bare_data = true;
    Connected t(Transport::kTcp, config, 5, 2000);
    const auto packets = LegacyAttendanceRead(t.client);
    ASSERT_EQ(packets.size(), 1u) << "no PREPARE_DATA, no ACK_OK";
    EXPECT_EQ(packets[0].command, cmd::kData);
    EXPECT_EQ(packets[0].data.size(), 4u + 2000 * 40) << "over TCP whatever its size: one frame over 64 KiB";
    EXPECT_EQ(packets[0].data,
              ValueOf(zk::EncodeAttendanceDataset(t.device.records(), zk::AttendanceFormat::kExtended40)));
    // Over UDP only what fits one datagram comes bare; a larger log comes the usual way.
    Connected small(Transport::kUdp, config, 5, 60);
    const auto one = LegacyAttendanceRead(small.client);
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0].command, cmd::kData);
    EXPECT_LE(zk::EncodePacket(one[0]).size(), zk::kMaxUdpDatagramSize);
    Connected large(Transport::kUdp, config, 5, 100);
    const auto stream = LegacyAttendanceRead(large.client);
    EXPECT_EQ(stream.front().command, cmd::kPrepareData);
    EXPECT_EQ(stream.back().command, cmd::kAckOk);
}

TEST(ZkSession, LegacyOneFrameFaultSendsTheWholeLogInOneDataFrame) {
    ZkDeviceConfig config;
    config.faults.legacy_one_frame = true;
    Connected t(Transport::kTcp, config, 5, 2000);
    const auto packets = LegacyAttendanceRead(t.client);
    ASSERT_EQ(packets.size(), 3u);
    EXPECT_EQ(packets[0].command, cmd::kPrepareData);
    EXPECT_EQ(packets[1].command, cmd::kData);
    EXPECT_EQ(packets[1].data.size(), 4u + 2000 * 40);
    EXPECT_GT(zk::kHeaderSize + packets[1].data.size(), zk::kMaxTcpPacketSize);
    EXPECT_EQ(packets[2].command, cmd::kAckOk);
    // The buffered read keeps its 64 KiB frames.
    for (const Packet& p : Sent(t.client.Send(cmd::kPrepareBuffer, kPrepareAttendance))) {
        EXPECT_LE(zk::kHeaderSize + p.data.size(), zk::kMaxTcpPacketSize);
    }
    const Steps chunk = t.client.Send(cmd::kReadBuffer, zk::EncodeReadBufferRequest({0, zk::kTcpChunkSize}));
    for (const Packet& p : Sent(chunk)) {
        EXPECT_LE(zk::kHeaderSize + p.data.size(), zk::kMaxTcpPacketSize);
    }
}

TEST(ZkSession, ChunkRequestsOutsideThePreparedBufferAreRefused) {
    Connected t(Transport::kTcp, {}, 3, 10);
    EXPECT_EQ(t.client.Ask(cmd::kReadBuffer, zk::EncodeReadBufferRequest({0, 4})).command, cmd::kAckError);
    t.client.Ask(cmd::kPrepareBuffer, kPrepareAttendance);
    EXPECT_EQ(t.client.Ask(cmd::kReadBuffer, zk::EncodeReadBufferRequest({400, 5})).command, cmd::kAckError);
    EXPECT_EQ(t.client.Ask(cmd::kReadBuffer, zk::EncodeReadBufferRequest({0xFFFFFFFF, 2})).command, cmd::kAckError);
    t.client.Ask(cmd::kFreeData);
    EXPECT_EQ(t.client.Ask(cmd::kReadBuffer, zk::EncodeReadBufferRequest({0, 4})).command, cmd::kAckError);
}

TEST(ZkSession, UnknownInnerCommandOf1503IsAnError) {
    Connected t(Transport::kTcp);
    EXPECT_EQ(t.client.Ask(cmd::kPrepareBuffer, Hex("01 63 00 00 00 00 00 00 00 00 00")).command, cmd::kAckError);
    EXPECT_EQ(t.client.Ask(cmd::kPrepareBuffer, Hex("01 0d 00")).command, cmd::kAckError);
}

TEST(ZkSession, ADownloadInProgressIsNotChangedByClearAttLog) {
    Device d({}, 3, 10);
    Client reader(d.device, Transport::kTcp);
    Client admin(d.device, Transport::kTcp);
    reader.Connect();
    admin.Connect();
    const Packet stat = reader.Ask(cmd::kPrepareBuffer, kPrepareAttendance);
    EXPECT_EQ(admin.Ask(cmd::kClearAttLog).command, cmd::kAckOk);
    EXPECT_TRUE(d.device.records().empty());
    const auto chunk = Sent(reader.Send(cmd::kReadBuffer, zk::EncodeReadBufferRequest({0, zk::ReadU32(stat.data, 1)})));
    EXPECT_EQ(chunk.at(1).data.size(), 404u);
    EXPECT_EQ(admin.Read(zk::Dataset::kAttendance, 1000), Hex("00 00 00 00"));
}

TEST(ZkSession, ClearDataByType) {
    Connected t(Transport::kTcp, {}, 3, 10);
    EXPECT_EQ(t.client.Ask(cmd::kClearData, Bytes{zk::clear_data::kAttendance}).command, cmd::kAckOk);
    EXPECT_TRUE(t.device.records().empty());
    EXPECT_EQ(t.device.users().size(), 3u);
    EXPECT_EQ(t.client.Ask(cmd::kClearData, Bytes{zk::clear_data::kUsers}).command, cmd::kAckOk);
    EXPECT_TRUE(t.device.users().empty());
}

TEST(ZkSession, UsersCanBeWrittenAndDeleted) {
    Connected t(Transport::kTcp, {}, 2, 0);
    zk::User user;
    user.uid = 7;
    user.name = "New Pupil";
    user.user_id = "7777";
    EXPECT_EQ(t.client.Ask(cmd::kUserWrq, *zk::EncodeUser(user, zk::UserFormat::kExtended72)).command, cmd::kAckOk);
    ASSERT_EQ(t.device.users().size(), 3u);
    EXPECT_EQ(t.device.users().back(), user);
    Bytes remove(72, 0);
    zk::WriteU16(remove, 0, 7);
    EXPECT_EQ(t.client.Ask(cmd::kDeleteUser, remove).command, cmd::kAckOk);
    EXPECT_EQ(t.device.users().size(), 2u);
}

TEST(ZkSession, StateIsReportedInTheSessionField) {
    Connected t(Transport::kTcp);
    const Packet reply = t.client.Ask(cmd::kStateRrq);
    EXPECT_EQ(reply.command, cmd::kAckOk);
    EXPECT_EQ(reply.session_id, zk::machine_state::kIdle);
}

TEST(ZkSession, RegisteredTcpSessionGetsThirtyTwoByteEvents) {
    Connected t(Transport::kTcp, {}, 3, 0);
    const auto punch = t.device.AddLivePunch();
    ASSERT_TRUE(punch.has_value());
    EXPECT_FALSE(t.client.session.EventFor(*punch).has_value()) << "not registered yet";
    EXPECT_EQ(t.client.Ask(cmd::kRegEvent, zk::EncodeEventMask(zk::event::kAttLog)).command, cmd::kAckOk);
    const auto event = t.client.session.EventFor(*punch);
    ASSERT_TRUE(event.has_value());
    EXPECT_EQ(event->command, cmd::kRegEvent);
    EXPECT_EQ(event->session_id, zk::event::kAttLog);
    EXPECT_EQ(event->reply_id, 0);
    ASSERT_EQ(event->data.size(), 32u);
    const auto decoded = zk::DecodeAttendanceEvent(event->data);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded->user_id, punch->user_id);
    EXPECT_EQ(decoded->time, (zk::DeviceTime{2026, 11, 25, 10, 0, 0}));
    EXPECT_EQ(t.client.Ask(cmd::kRegEvent, zk::EncodeEventMask(0)).command, cmd::kAckOk);
    EXPECT_FALSE(t.client.session.EventFor(*punch).has_value());
}

TEST(ZkSession, UdpSessionGetsTenByteEventsAnyNonZeroMaskCounts) {
    Connected t(Transport::kUdp, {}, 3, 0);
    EXPECT_EQ(t.client.Ask(cmd::kRegEvent, Hex("ff ff 00 00")).command, cmd::kAckOk);
    const auto event = t.client.session.EventFor(*t.device.AddLivePunch());
    ASSERT_TRUE(event.has_value());
    // node-zklib's UDP path accepts exactly an 18-byte datagram.
    EXPECT_EQ(zk::EncodePacket(*event).size(), 18u);
}

TEST(ZkSession, ConfiguredEventLayoutWins) {
    ZkDeviceConfig config;
    config.event_layout = zk::AttendanceEventLayout::kText36;
    Connected t(Transport::kUdp, config, 3, 0);
    t.client.Ask(cmd::kRegEvent, zk::EncodeEventMask(1));
    EXPECT_EQ(t.client.session.EventFor(*t.device.AddLivePunch())->data.size(), 36u);
}

}  // namespace
}  // namespace rollcall::sim
