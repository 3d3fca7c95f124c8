// The agent's ZK client against the simulator in this process, over real sockets: a terminal's info and its whole
// log over TCP and UDP, and every fault of real terminals the simulator plays (docs/simulator.md) costing at most a
// retry, never a punch, and never a terminal left disabled at the gate.

#include "agent/zk_client.hpp"

#include "unit/agent/sim_terminal.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <thread>

#include <gtest/gtest.h>

namespace rollcall::agent {
namespace {

using test::AsSet;
using test::SimTerminal;
using namespace std::chrono_literals;

/// The log as the agent reads it: the info first, its record count telling the record layout apart.
core::Result<std::vector<DevicePunch>> ReadLog(ZkClient& client,
                                               std::size_t& skipped,
                                               const ZkClient::ClearIf& clear_if = {},
                                               bool* cleared = nullptr) {
    ROLLCALL_TRY(const auto info, client.ReadInfo());
    std::optional<std::uint32_t> expected;
    if (info.sizes) {
        expected = info.sizes->records;
    }
    return client.ReadAttendance(expected, skipped, clear_if, cleared);
}

/// Reads the terminal's whole log over a fresh connection and checks it is exactly what the terminal holds.
void ExpectWholeLogRead(SimTerminal& terminal, const std::string& transport, std::size_t records) {
    auto client = terminal.Connect();
    EXPECT_EQ(client->transport(), transport);
    std::size_t skipped = 0;
    auto punches = ReadLog(*client, skipped);
    ASSERT_TRUE(punches) << punches.error().message;
    EXPECT_EQ(punches->size(), records);
    EXPECT_EQ(skipped, 0U);
    EXPECT_EQ(AsSet(*punches), terminal.Punches());
    EXPECT_TRUE(terminal.Enabled()) << "the gate takes punches again after the read";
}

sim::ZkServerOptions UdpOnly() {
    sim::ZkServerOptions options;
    options.udp_only = true;
    return options;
}

TEST(ZkClient, ReadsWhatTheTerminalSaysAboutItself) {
    sim::ZkDeviceConfig config;
    config.serial_number = "A8N5230560263";
    config.faults.clock_drift_seconds = 600;
    SimTerminal terminal(12, 345, config);
    auto client = terminal.Connect();
    const auto before = core::SystemClock().NowUnix();
    auto info = client->ReadInfo();
    ASSERT_TRUE(info) << info.error().message;
    EXPECT_EQ(info->serial, "A8N5230560263");
    EXPECT_EQ(info->firmware, "Ver 6.60 Apr 28 2015");
    ASSERT_TRUE(info->sizes);
    EXPECT_EQ(info->sizes->users, 12U);
    EXPECT_EQ(info->sizes->records, 345U);
    EXPECT_GT(info->sizes->record_capacity, 345U);
    ASSERT_TRUE(info->device_time);
    // The simulated clock is the host's UTC, ten minutes fast.
    EXPECT_NEAR(info->device_time->seconds, before + 600, 5);
}

TEST(ZkClient, SetsTheTerminalsClock) {
    sim::ZkDeviceConfig config;
    config.faults.clock_drift_seconds = -3600;
    SimTerminal terminal(2, 0, config);
    auto client = terminal.Connect();
    const auto right = *core::ParseLocalDateTime("2026-03-12 13:00:00");
    ASSERT_TRUE(client->SetTime(right));
    auto info = client->ReadInfo();
    ASSERT_TRUE(info && info->device_time);
    EXPECT_NEAR(info->device_time->seconds, right.seconds, 5);
}

TEST(ZkClient, ReadsTheWholeLogOverTcpInChunks) {
    SimTerminal terminal(25, 5000);  // 200 KB of 40-byte records: four chunks
    ExpectWholeLogRead(terminal, "tcp", 5000);
}

TEST(ZkClient, FallsBackToUdpWhenTcpIsRefusedAndReadsTheSameLog) {
    SimTerminal terminal(25, 3000, {}, UdpOnly());
    ExpectWholeLogRead(terminal, "udp", 3000);
}

TEST(ZkClient, AWrongCommKeyIsRefusedAsSuchOverTcpAndOverUdp) {
    sim::ZkDeviceConfig config;
    config.comm_key = 1234;
    for (const bool udp_only : {false, true}) {
        SimTerminal terminal(3, 10, config, udp_only ? UdpOnly() : sim::ZkServerOptions{});
        auto wrong = ZkClient::Connect(terminal.Options(30s, 999));
        ASSERT_FALSE(wrong) << (udp_only ? "udp" : "tcp");
        EXPECT_EQ(wrong.error().code, core::Errc::kUnauthorized) << wrong.error().message;
        EXPECT_NE(wrong.error().message.find("wrong comm key"), std::string::npos) << wrong.error().message;
        auto right = ZkClient::Connect(terminal.Options(30s, 1234));
        ASSERT_TRUE(right) << right.error().message;
        std::size_t skipped = 0;
        auto punches = ReadLog(**right, skipped);
        ASSERT_TRUE(punches) << punches.error().message;
        EXPECT_EQ(punches->size(), 10U);
    }
}

TEST(ZkClient, ALogWithImpossibleTimesIsReadAndTheirRecordsCountedNotGuessed) {
    SimTerminal terminal(10, 50, {}, {}, 3, 4);
    auto client = terminal.Connect();
    std::size_t skipped = 0;
    auto punches = ReadLog(*client, skipped);
    ASSERT_TRUE(punches) << punches.error().message;
    EXPECT_EQ(skipped, 4U);
    EXPECT_EQ(punches->size(), 46U);
    EXPECT_EQ(AsSet(*punches), terminal.Punches());
}

TEST(ZkClient, TheTerminalIsDisabledWhileItsLogIsReadAndEnabledAfter) {
    SimTerminal terminal(5, 100);
    auto client = terminal.Connect();
    std::optional<bool> enabled_during;
    std::optional<bool> punch_during;
    std::size_t skipped = 0;
    auto punches = ReadLog(*client, skipped, [&](const std::vector<DevicePunch>&, std::size_t) {
        enabled_during = terminal.Enabled();
        punch_during = terminal.server().PunchNow().has_value();
        return false;
    });
    ASSERT_TRUE(punches) << punches.error().message;
    EXPECT_EQ(enabled_during, false) << "nobody punches into a log being read";
    EXPECT_EQ(punch_during, false);
    EXPECT_TRUE(terminal.Enabled());
    EXPECT_TRUE(terminal.server().PunchNow().has_value()) << "the gate takes punches again";
}

// docs/simulator.md's faults, one by one.

TEST(ZkClient, TerminalsWithoutBufferedReadsAreReadWithTheLegacyReadOverTcp) {
    sim::ZkDeviceConfig config;
    config.faults.no_buffered_read = true;
    SimTerminal terminal(10, 3000, config);  // 120 KB: more than one TCP packet carries
    ExpectWholeLogRead(terminal, "tcp", 3000);
}

TEST(ZkClient, TerminalsWithoutBufferedReadsAreReadWithTheLegacyReadOverUdp) {
    sim::ZkDeviceConfig config;
    config.faults.no_buffered_read = true;
    SimTerminal terminal(10, 2000, config, UdpOnly());
    ExpectWholeLogRead(terminal, "udp", 2000);
}

TEST(ZkClient, ALegacyReadAnsweredWithABareDataPacketIsReadWholeInOneFrameOver64KiB) {
    // Old firmware: no PREPARE_DATA, the whole log in one CMD_DATA, here 120 KB in one TCP frame (§6.6, §1.3).
    sim::ZkDeviceConfig config;
    config.faults.no_buffered_read = true;
    config.faults.legacy_bare_data = true;
    SimTerminal terminal(10, 3000, config);
    ExpectWholeLogRead(terminal, "tcp", 3000);
}

TEST(ZkClient, ALegacyReadAnsweredWithABareDataPacketIsReadOverUdp) {
    sim::ZkDeviceConfig config;
    config.faults.no_buffered_read = true;
    config.faults.legacy_bare_data = true;
    SimTerminal terminal(10, 60, config, UdpOnly());  // 964 bytes of 16-byte records: one datagram
    ExpectWholeLogRead(terminal, "udp", 60);
}

TEST(ZkClient, ALegacyReadSendingTheWholeLogInOneFrameOver64KiBIsReadWhole) {
    sim::ZkDeviceConfig config;
    config.faults.no_buffered_read = true;
    config.faults.legacy_one_frame = true;
    SimTerminal terminal(25, 5000, config);  // PREPARE_DATA, one DATA frame of 200 KB, ACK_OK
    ExpectWholeLogRead(terminal, "tcp", 5000);
}

TEST(ZkClient, WrongChecksumsOverTcpAreTakenAndCounted) {
    // TCP has checked every byte already: a ZK checksum that disagrees is the firmware's arithmetic (ADR 0005).
    sim::ZkDeviceConfig config;
    config.faults.bad_checksums = true;
    SimTerminal terminal(10, 300, config);
    auto client = terminal.Connect();
    ASSERT_EQ(client->transport(), "tcp") << "no fallback to UDP";
    std::size_t skipped = 0;
    auto punches = ReadLog(*client, skipped);
    ASSERT_TRUE(punches) << punches.error().message;
    EXPECT_EQ(AsSet(*punches), terminal.Punches());
    EXPECT_GT(client->checksum_mismatches(), 0U);
}

TEST(ZkClient, AWrongChecksumOverUdpIsAProtocolErrorNotSilence) {
    sim::ZkDeviceConfig config;
    config.faults.bad_checksums = true;
    SimTerminal terminal(10, 300, config, UdpOnly());
    auto client = ZkClient::Connect(terminal.Options(5s));
    ASSERT_FALSE(client);
    EXPECT_TRUE(IsProtocolError(client.error())) << client.error().message;
    EXPECT_NE(client.error().message.find("checksum"), std::string::npos) << client.error().message;
}

TEST(ZkClient, ASmallLogSentDirectlyInAnswerToTheBufferRequestIsRead) {
    sim::ZkDeviceConfig config;
    config.faults.direct_small_datasets = true;
    SimTerminal terminal(5, 20, config);  // 804 bytes fit the direct answer
    ExpectWholeLogRead(terminal, "tcp", 20);
}

TEST(ZkClient, ATerminalThatDoesNotCountItsRecordsIsStillReadWhole) {
    sim::ZkDeviceConfig config;
    config.faults.short_free_sizes = true;
    SimTerminal terminal(8, 300, config);
    auto client = terminal.Connect();
    auto info = client->ReadInfo();
    ASSERT_TRUE(info) << info.error().message;
    EXPECT_FALSE(info->sizes) << "counts unknown";
    std::size_t skipped = 0;
    auto punches = client->ReadAttendance(std::nullopt, skipped);
    ASSERT_TRUE(punches) << punches.error().message;
    EXPECT_EQ(AsSet(*punches), terminal.Punches());
    EXPECT_EQ(punches->size(), 300U);
}

TEST(ZkClient, ATerminalSlowToBuildItsBufferIsWaitedForWithinTheTimeout) {
    sim::ZkDeviceConfig config;
    config.faults.slow_buffer = 500ms;
    SimTerminal terminal(8, 1000, config);
    ExpectWholeLogRead(terminal, "tcp", 1000);
}

TEST(ZkClient, ATransferAckArrivingLateIsNotTakenForTheAnswerToTheNextRequest) {
    sim::ZkDeviceConfig config;
    config.faults.late_ack = 200ms;
    SimTerminal terminal(25, 5000, config);  // four chunks, each ACK_OK after the next request went out
    auto client = terminal.Connect();
    std::size_t skipped = 0;
    auto punches = ReadLog(*client, skipped);
    ASSERT_TRUE(punches) << punches.error().message;
    EXPECT_EQ(AsSet(*punches), terminal.Punches());
    EXPECT_TRUE(terminal.Enabled());
    // The connection is still in step: the next exchange gets its own answer.
    auto info = client->ReadInfo();
    ASSERT_TRUE(info && info->sizes);
    EXPECT_EQ(info->sizes->records, 5000U);
}

TEST(ZkClient, LostUdpDatagramsCostARetryOfTheirChunkNotARecord) {
    sim::ZkDeviceConfig config;
    config.faults.drop_udp_every = 25;
    // 80 KB of 16-byte records: five chunks of 16 datagrams, of which the 25th, 50th, 75th... are lost.
    SimTerminal terminal(25, 5000, config, UdpOnly());
    ExpectWholeLogRead(terminal, "udp", 5000);
}

TEST(ZkClient, AReadThatFailsMidwayLeavesTheTerminalEnabledAndItsLogWhole) {
    sim::ZkDeviceConfig config;
    config.faults.drop_udp_every = 1;  // every data datagram is lost: each attempt ends short
    SimTerminal terminal(10, 500, config, UdpOnly());
    auto client = terminal.Connect();
    ASSERT_EQ(client->transport(), "udp");
    bool asked_to_clear = false;
    bool cleared = true;
    std::size_t skipped = 0;
    auto punches = ReadLog(
        *client,
        skipped,
        [&](const std::vector<DevicePunch>&, std::size_t) {
            asked_to_clear = true;
            return true;
        },
        &cleared);
    ASSERT_FALSE(punches);
    EXPECT_NE(punches.error().message.find("transfer ended after 0 of"), std::string::npos) << punches.error().message;
    EXPECT_FALSE(asked_to_clear) << "a failed read never leads to a clear";
    EXPECT_FALSE(cleared);
    // Checked on the same connection: a new one would enable the terminal by itself.
    EXPECT_TRUE(terminal.Enabled()) << "a terminal left disabled stops taking punches at the gate";
    EXPECT_TRUE(terminal.server().PunchNow().has_value());
    EXPECT_EQ(terminal.RecordCount(), 501U);
}

TEST(ZkClient, SafeClearEmptiesTheLogOnlyWhileNobodyCouldPunch) {
    SimTerminal terminal(5, 200);
    auto client = terminal.Connect();
    std::size_t skipped = 0;
    bool cleared = false;
    std::size_t offered = 0;
    auto punches = ReadLog(
        *client,
        skipped,
        [&](const std::vector<DevicePunch>& read, std::size_t) {
            offered = read.size();
            return true;
        },
        &cleared);
    ASSERT_TRUE(punches) << punches.error().message;
    EXPECT_EQ(offered, 200U);
    EXPECT_TRUE(cleared);
    EXPECT_EQ(terminal.RecordCount(), 0U);
    EXPECT_TRUE(terminal.Enabled());
}

TEST(ZkClient, SafeClearKeepsTheLogWhenATerminalTookAPunchWhileDisabled) {
    sim::ZkDeviceConfig config;
    config.faults.ignore_disable = true;  // firmware that takes punches while disabled
    SimTerminal terminal(5, 200, config);
    auto client = terminal.Connect();
    std::size_t skipped = 0;
    bool cleared = true;
    std::optional<std::string> latecomer;
    auto punches = ReadLog(
        *client,
        skipped,
        [&](const std::vector<DevicePunch>&, std::size_t) {
            // Someone punches between the read and the clear: that punch is in no read.
            if (auto p = terminal.server().PunchNow()) {
                latecomer = p->user_id;
            }
            return true;
        },
        &cleared);
    ASSERT_TRUE(punches) << punches.error().message;
    ASSERT_TRUE(latecomer.has_value());
    EXPECT_FALSE(cleared) << "the record count changed since the read";
    EXPECT_EQ(terminal.RecordCount(), 201U);
    EXPECT_TRUE(terminal.Enabled());
}

TEST(ZkClient, AConnectionResetByASecondClientIsAnErrorAndTheNextConnectReadsAgain) {
    sim::ZkDeviceConfig config;
    config.faults.reset_on_second_client = true;  // "another device is connecting"
    SimTerminal terminal(5, 300, config);
    auto first = terminal.Connect(5s);
    auto second = terminal.Connect();  // the vendor's software, say: the first connection is reset
    std::size_t skipped = 0;
    auto cut = ReadLog(*first, skipped);
    ASSERT_FALSE(cut);
    EXPECT_EQ(cut.error().code, core::Errc::kUnavailable) << "a reset is seen at once: " << cut.error().message;
    first.reset();
    second.reset();
    ExpectWholeLogRead(terminal, "tcp", 300);
}

TEST(ZkClient, ATerminalLeftDisabledByASessionThatDiedIsEnabledByTheNextConnect) {
    SimTerminal terminal(5, 50);
    auto reader = terminal.Connect();
    std::optional<bool> enabled_by_next_connect;
    std::size_t skipped = 0;
    auto punches = ReadLog(*reader, skipped, [&](const std::vector<DevicePunch>&, std::size_t) {
        // The terminal is disabled now, as a reader that crashed at this point would leave it.
        auto next = terminal.Connect();
        enabled_by_next_connect = terminal.Enabled();
        return false;
    });
    ASSERT_TRUE(punches) << punches.error().message;
    EXPECT_EQ(enabled_by_next_connect, true);
}

TEST(ZkClient, RealtimeEventsBringEachPunchAsItHappens) {
    SimTerminal terminal(5, 0);
    auto client = terminal.Connect();
    ASSERT_TRUE(client->RegisterEvents());
    auto quiet = client->WaitEvent(200ms);
    ASSERT_FALSE(quiet);
    EXPECT_EQ(quiet.error().code, core::Errc::kTimeout) << quiet.error().message;
    EXPECT_TRUE(quiet.error().retryable);
    const auto punch = terminal.server().PunchNow();
    ASSERT_TRUE(punch.has_value());
    auto event = client->WaitEvent(30s);
    ASSERT_TRUE(event) << event.error().message;
    ASSERT_TRUE(event->has_value());
    EXPECT_EQ((*event)->user_id, punch->user_id);
    EXPECT_EQ(AsSet({**event}), terminal.Punches());
    // The event was acknowledged and the connection is still in step.
    auto info = client->ReadInfo();
    ASSERT_TRUE(info && info->sizes);
    EXPECT_EQ(info->sizes->records, 1U);
}

TEST(ZkClient, DisconnectEndsTheSessionOnTheTerminal) {
    SimTerminal terminal(2, 0);
    auto client = terminal.Connect();
    EXPECT_EQ(terminal.server().SessionCount(), 1U);
    client->Disconnect();
    // The terminal closes the connection after answering EXIT; its io thread notices on its own time.
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (terminal.server().SessionCount() != 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);  // polling the terminal, not a synchronisation
    }
    EXPECT_EQ(terminal.server().SessionCount(), 0U);
}

/// The terminal's user table as the agent reads it after its info.
core::Result<std::vector<protocol::zk::User>> ReadUserTable(ZkClient& client) {
    ROLLCALL_TRY(const auto info, client.ReadInfo());
    std::optional<std::uint32_t> expected;
    if (info.sizes) {
        expected = info.sizes->users;
    }
    return client.ReadUsers(expected);
}

TEST(ZkClient, ReadsTheUserTableWithNamesCardsAndPrivilegesOverTcpAndUdp) {
    for (const bool udp_only : {false, true}) {
        SimTerminal terminal(40, 10, {}, udp_only ? UdpOnly() : sim::ZkServerOptions{});
        auto client = terminal.Connect();
        auto users = ReadUserTable(*client);
        ASSERT_TRUE(users) << users.error().message;
        // TCP serves 72-byte users, UDP 28-byte ones: the layout is told apart by the terminal's count.
        EXPECT_EQ(*users, terminal.Users()) << (udp_only ? "udp" : "tcp");
        EXPECT_FALSE(users->front().name.empty()) << "the simulated users have names";
        EXPECT_TRUE(terminal.Enabled()) << "reading users never disables the gate";
    }
}

TEST(ZkClient, ReadsTheUserTableOfOldFirmwareThroughTheLegacyRead) {
    sim::ZkDeviceConfig config;
    config.faults.no_buffered_read = true;
    SimTerminal terminal(30, 5, config);
    terminal.Enrol(31, "4242", "Zo\xEB M\xFCller", 77);
    auto client = terminal.Connect();
    auto users = ReadUserTable(*client);
    ASSERT_TRUE(users) << users.error().message;
    EXPECT_EQ(*users, terminal.Users());
    EXPECT_EQ(users->back().name, "Zo\xEB M\xFCller") << "the bytes as the terminal keeps them";
}

TEST(ZkClient, ATerminalThatRefusesItsUserTableSaysSoAndItsLogIsStillRead) {
    sim::ZkDeviceConfig config;
    config.faults.refuse_user_read = true;
    SimTerminal terminal(10, 60, config);
    auto client = terminal.Connect();
    auto users = ReadUserTable(*client);
    ASSERT_FALSE(users);
    EXPECT_NE(users.error().message.find("refused"), std::string::npos) << users.error().message;
    std::size_t skipped = 0;
    auto punches = client->ReadAttendance(std::nullopt, skipped);
    ASSERT_TRUE(punches) << punches.error().message;
    EXPECT_EQ(AsSet(*punches), terminal.Punches()) << "the same connection reads the log afterwards";
}

}  // namespace
}  // namespace rollcall::agent
