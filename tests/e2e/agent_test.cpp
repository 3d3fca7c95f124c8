// The agent end to end: the real server, the real device simulator and the real agent, as processes over
// real sockets. In every scenario every punch the terminal holds arrives exactly once.

#include "e2e/agent_fixture.hpp"
#include "support/tls_proxy.hpp"

#include <filesystem>
#include <optional>

#include <signal.h>
#include <sys/wait.h>

namespace rollcall::test {
namespace {

TEST_F(AgentEndToEnd, OneSyncBringsEveryPunchOnceAndASecondSyncNothingNew) {
    const auto exported = dir_.path() + "/sim.jsonl";
    auto sim = StartSim(300, 7, exported);
    const auto device = AddDevice(sim->port());
    auto run = RunAgent();
    ASSERT_TRUE(Exited(run, 0));
    const auto expected = ReadExport(exported);
    ASSERT_EQ(expected.size(), 300U);
    EXPECT_EQ(Stored(device), expected);
    const auto status = Status(device);
    EXPECT_TRUE(status.at("reachable").as_bool());
    EXPECT_EQ(status.at("records").as_int64(), 300);
    EXPECT_FALSE(status.at("serial").as_string().empty());
    EXPECT_TRUE(status.at("read_through").is_string());

    run = RunAgent();
    ASSERT_TRUE(Exited(run, 0));
    EXPECT_EQ(Stored(device), expected);
}

TEST_F(AgentEndToEnd, AWrongCommKeyIsReportedAsSuch) {
    const auto exported = dir_.path() + "/sim.jsonl";
    auto sim = StartSim(5, 1, exported, {"--comm-key", "1234"});
    const auto device = AddDevice(sim->port(), "999");
    auto run = RunAgent();
    EXPECT_TRUE(Exited(run, 2));
    const auto status = Status(device);
    EXPECT_FALSE(status.at("reachable").as_bool());
    EXPECT_NE(std::string(status.at("last_error").as_string()).find("wrong comm key"), std::string::npos) << status;
    EXPECT_TRUE(Stored(device).empty());
    // With the right key, everything arrives.
    ASSERT_EQ(
        http_->Patch("/api/v1/schools/1/devices/" + std::to_string(device), json::object{{"comm_key", "1234"}}, admin_)
            .status,
        200);
    run = RunAgent();
    ASSERT_TRUE(Exited(run, 0));
    EXPECT_EQ(Stored(device), ReadExport(exported));
}

TEST_F(AgentEndToEnd, AUdpOnlyTerminalIsReadOverUdp) {
    const auto exported = dir_.path() + "/sim.jsonl";
    const auto terminal = StartUdpOnlySim(500, 3, exported);
    const auto device = AddDevice(terminal.port());
    auto run = RunAgent();
    ASSERT_TRUE(Exited(run, 0));
    EXPECT_NE(run.err.find("over udp"), std::string::npos) << run.err;
    EXPECT_EQ(Stored(device), ReadExport(exported));
}

TEST_F(AgentEndToEnd, TheServerDownThenBackLosesNothing) {
    const auto exported = dir_.path() + "/sim.jsonl";
    auto sim = StartSim(200, 5, exported);
    const auto device = AddDevice(sim->port());
    {
        // The server is down: its address refuses connections (a port this test holds, never listened on).
        const RefusingPort down;
        server_url_ = down.Url();
        auto run = RunAgent();
        EXPECT_TRUE(Exited(run, 1)) << "no device list without the server";
        EXPECT_NE(run.err.find("Connection refused"), std::string::npos) << run.err;
    }
    server_url_.clear();
    auto run = RunAgent();
    ASSERT_TRUE(Exited(run, 0));
    EXPECT_EQ(Stored(device), ReadExport(exported));
}

TEST_F(AgentEndToEnd, TerminalsAreReadWhileTheServerIsDownAndWhatWasReadArrivesLater) {
    // The terminal's address at the school is the test's: what answers there changes during the test.
    TerminalAddress address;
    const auto first_export = dir_.path() + "/first.jsonl";
    auto sim = StartSim(60, 31, first_export);
    address.Plug(sim->port());
    const auto device = AddDevice(address.port());
    ASSERT_TRUE(Exited(RunAgent(), 0)) << "the list is kept in the spool";
    // The server goes down; meanwhile the terminal's log is cleared and takes other punches.
    const RefusingPort down;
    server_url_ = down.Url();
    const auto second_export = dir_.path() + "/second.jsonl";
    auto refilled = StartSim(40, 32, second_export);
    address.Plug(refilled->port());
    auto run = RunAgent();
    EXPECT_TRUE(Exited(run, 2)) << "read, but nothing acknowledged";
    EXPECT_NE(run.err.find("reading the 1 device(s) of the last list"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("new 40"), std::string::npos) << run.err;
    // The terminal is gone by the time the server is back: the spool alone brings its punches.
    address.Unplug();
    server_url_.clear();
    run = RunAgent({"--device-timeout-ms", "1000"});
    EXPECT_TRUE(Exited(run, 2)) << "the terminal is unreachable";
    EXPECT_NE(run.err.find("UNREACHABLE"), std::string::npos) << run.err;
    auto expected = ReadExport(first_export);
    const auto more = ReadExport(second_export);
    expected.insert(more.begin(), more.end());
    EXPECT_EQ(Stored(device), expected);
}

TEST_F(AgentEndToEnd, ARunningAgentTakesAFixedCommKeyAtOnceAndStopsReadingADroppedDevice) {
    const auto exported = dir_.path() + "/sim.jsonl";
    auto sim = StartSim(5, 41, exported, {"--comm-key", "1234"});
    const auto device = AddDevice(sim->port(), "999");
    WatchedProcess agent(AgentArgs({"--interval", "1"}));
    ASSERT_TRUE(agent.WaitForLine("wrong comm key", 60000));
    const auto path = "/api/v1/schools/1/devices/" + std::to_string(device);
    ASSERT_EQ(http_->Patch(path, json::object{{"comm_key", "1234"}}, admin_).status, 200);
    ASSERT_TRUE(agent.WaitForLine("acknowledged 5 of 5", 60000)) << "the new key, without a restart";
    EXPECT_EQ(Stored(device), ReadExport(exported));
    ASSERT_EQ(http_->Patch(path, json::object{{"status", "inactive"}}, admin_).status, 200);
    EXPECT_TRUE(agent.WaitForLine("no longer on the server's list", 60000));
    EXPECT_TRUE(Exited(agent.Signal(SIGTERM), 0));
}

TEST_F(AgentEndToEnd, AnHttpsServerWithAPrivateCaIsReachedWithCaFileAndRefusedWithout) {
    const auto exported = dir_.path() + "/sim.jsonl";
    auto sim = StartSim(120, 13, exported);
    const auto device = AddDevice(sim->port());
    TempDir certs;
    const auto tls = MakeSelfSignedCertificate(certs.path());
    TlsProxy proxy(tls, server_->port());
    server_url_ = "https://127.0.0.1:" + std::to_string(proxy.port());
    auto run = RunAgent();
    EXPECT_TRUE(Exited(run, 1)) << "an unknown certificate is not trusted";
    EXPECT_NE(run.err.find("certificate verify failed"), std::string::npos) << run.err;
    EXPECT_TRUE(Stored(device).empty());
    run = RunAgent({"--ca-file", tls.certificate});
    ASSERT_TRUE(Exited(run, 0));
    EXPECT_EQ(Stored(device), ReadExport(exported));
}

TEST_F(AgentEndToEnd, TheLogClearedOnTheTerminalAndNewPunchesLaterAllArriveOnce) {
    const auto first_export = dir_.path() + "/first.jsonl";
    auto sim = StartSim(100, 11, first_export);
    const auto device = AddDevice(sim->port());
    ASSERT_TRUE(Exited(RunAgent(), 0));
    // Someone cleared the terminal's log; it has taken other punches since.
    sim.reset();
    const auto second_export = dir_.path() + "/second.jsonl";
    auto cleared = StartSim(40, 12, second_export);
    ASSERT_EQ(
        http_
            ->Patch(
                "/api/v1/schools/1/devices/" + std::to_string(device), json::object{{"port", cleared->port()}}, admin_)
            .status,
        200);
    auto run = RunAgent();
    ASSERT_TRUE(Exited(run, 0));
    auto expected = ReadExport(first_export);
    const auto more = ReadExport(second_export);
    expected.insert(more.begin(), more.end());
    EXPECT_EQ(Stored(device), expected);
}

TEST_F(AgentEndToEnd, CorruptTimestampsAreSkippedAndReportedAndTheRestArrives) {
    const auto exported = dir_.path() + "/sim.jsonl";
    auto sim = StartSim(50, 9, exported, {"--corrupt-timestamps", "3"});
    const auto device = AddDevice(sim->port());
    auto run = RunAgent();
    ASSERT_TRUE(Exited(run, 0));
    const auto stored = Stored(device);
    const auto expected = ReadExport(exported);
    ASSERT_EQ(expected.size(), 47U);
    EXPECT_EQ(stored, expected);
    EXPECT_NE(std::string(Status(device).at("last_error").as_string()).find("3 records"), std::string::npos);
}

TEST_F(AgentEndToEnd, TheAgentKilledMidUploadAndRestartedSendsEverythingExactlyOnce) {
    const auto exported = dir_.path() + "/sim.jsonl";
    auto sim = StartSim(50000, 21, exported);
    const auto device = AddDevice(sim->port());
    // Small batches make the upload long; the agent is killed once the server has some of it.
    const auto argv = AgentArgs({"--upload-batch", "100", "--interval", "3600"});
    WatchedProcess agent(argv);
    // The agent logs each acknowledged batch; kill it mid-upload, after the third.
    ASSERT_TRUE(agent.WaitForLine("acknowledged 300 of", 120000)) << "the agent never got that far";
    agent.Signal(SIGKILL);
    std::int64_t stored = 0;
    for (const auto& [user, n] : StoredCounts(device)) {
        stored += n;
    }
    EXPECT_GE(stored, 300);
    EXPECT_LT(stored, 50000) << "the kill came after the upload had finished";

    auto run = RunAgent();
    ASSERT_TRUE(Exited(run, 0));
    std::map<std::string, std::int64_t> expected;
    for (const auto& [user, ts] : ReadExport(exported)) {
        ++expected[user];
    }
    EXPECT_EQ(StoredCounts(device), expected);
}

TEST_F(AgentEndToEnd, RealtimeEventsBringALivePunchWithinSecondsWithoutAFullRead) {
    const auto exported = dir_.path() + "/sim.jsonl";
    auto sim = StartSim(20, 4, exported, {"--live-punch-interval-ms", "300"});
    const auto device = AddDevice(sim->port());
    // A full read only every hour: a punch that arrives now can only come by the realtime event.
    WatchedProcess agent(AgentArgs({"--interval", "3600"}));
    ASSERT_TRUE(agent.WaitForLine("reachable over tcp", 120000)) << "the first full read";
    ASSERT_TRUE(agent.WaitForLine("live punch of user", 120000));
    ASSERT_TRUE(agent.WaitForLine("acknowledged 1 of 1", 120000));
    std::int64_t stored = 0;
    for (const auto& [user, n] : StoredCounts(device)) {
        stored += n;
    }
    EXPECT_GT(stored, 20);
    EXPECT_TRUE(Exited(agent.Signal(SIGTERM), 0));
    // What the server has is what the terminal holds (its export on exit), never more.
    EXPECT_TRUE(Exited(sim->Signal(SIGTERM), 0));
    const auto held = ReadExport(exported);
    std::map<std::string, std::int64_t> expected;
    for (const auto& [user, ts] : held) {
        ++expected[user];
    }
    auto counts = StoredCounts(device);
    for (const auto& [user, n] : counts) {
        EXPECT_LE(n, expected[user]) << "user " << user << " stored more often than the terminal has them";
    }
}

TEST_F(AgentEndToEnd, ADriftingTerminalClockIsReportedAndSetWhenAskedTo) {
    const auto exported = dir_.path() + "/sim.jsonl";
    // The simulated terminal keeps UTC plus 10 minutes; the school is in Nairobi (UTC+3).
    auto sim = StartSim(5, 2, exported, {"--clock-drift-seconds", "600"});
    const auto device = AddDevice(sim->port());
    ASSERT_TRUE(Exited(RunAgent(), 0));
    const auto before = Status(device).at("clock_drift_seconds").as_int64();
    EXPECT_NEAR(before, -3 * 3600 + 600, 5);
    auto run = RunAgent({"--clock-sync-threshold", "60"});
    ASSERT_TRUE(Exited(run, 0));
    EXPECT_NE(run.err.find("clock was"), std::string::npos) << run.err;
    EXPECT_NEAR(Status(device).at("clock_drift_seconds").as_int64(), 0, 5);
    // The terminal keeps the time it was given: the next plain read finds it right.
    ASSERT_TRUE(Exited(RunAgent(), 0));
    EXPECT_NEAR(Status(device).at("clock_drift_seconds").as_int64(), 0, 5);
}

TEST_F(AgentEndToEnd, SafeClearEmptiesAFullTerminalOnlyAfterTheServerHasEverything) {
    const auto exported = dir_.path() + "/sim.jsonl";
    auto sim = StartSim(200, 6, exported);
    const auto device = AddDevice(sim->port());
    const auto expected = ReadExport(exported);
    // Below the threshold: nothing is cleared.
    ASSERT_TRUE(Exited(RunAgent({"--safe-clear-percent", "90"}), 0));
    ASSERT_EQ(Status(device).at("records").as_int64(), 200);
    // Above it (200 records are over 0.01 % of any capacity): everything is uploaded, then cleared.
    auto run = RunAgent({"--safe-clear-percent", "0.01"});
    ASSERT_TRUE(Exited(run, 0));
    EXPECT_NE(run.err.find("log cleared"), std::string::npos) << run.err;
    EXPECT_EQ(Stored(device), expected);
    ASSERT_TRUE(Exited(RunAgent(), 0));
    EXPECT_EQ(Status(device).at("records").as_int64(), 0);
    // The terminal says so too: its log, written on exit, is empty.
    EXPECT_TRUE(Exited(sim->Signal(SIGTERM), 0));
    EXPECT_TRUE(ReadExport(exported).empty());
    EXPECT_EQ(Stored(device), expected);
}

TEST_F(AgentEndToEnd, SafeClearNeverClearsWhatTheServerDidNotAcknowledge) {
    const auto exported = dir_.path() + "/sim.jsonl";
    auto sim = StartSim(50, 8, exported, {"--corrupt-timestamps", "2"});
    const auto device = AddDevice(sim->port());
    auto run = RunAgent({"--safe-clear-percent", "0.01"});
    ASSERT_TRUE(Exited(run, 0));
    EXPECT_EQ(run.err.find("log cleared"), std::string::npos) << "two records could not be uploaded";
    ASSERT_TRUE(Exited(RunAgent(), 0));
    EXPECT_EQ(Status(device).at("records").as_int64(), 50);
}

TEST_F(AgentEndToEnd, SigtermStopsARunningAgentAtOnceAndCleanlyAndTheSpoolKeepsWhatItHadNotUploaded) {
    TerminalAddress address;
    const auto device = AddDevice(address.port());
    // A first round with the terminal switched off: the device list is kept, nothing is read.
    ASSERT_TRUE(Exited(RunAgent({"--device-timeout-ms", "1000"}), 2));
    // The server goes down and the terminal comes on: the running agent reads it into the spool, then waits ten
    // minutes before it tries the upload again.
    const auto exported = dir_.path() + "/sim.jsonl";
    auto sim = StartSim(80, 17, exported);
    address.Plug(sim->port());
    std::optional<RefusingPort> down;
    down.emplace();
    server_url_ = down->Url();
    WatchedProcess agent(AgentArgs({"--interval", "3600", "--retry-base-ms", "600000"}));
    ASSERT_TRUE(agent.WaitForLine("retrying in 600000 ms", 120000));
    // systemd's stop: the agent ends the wait at once and exits 0 (not by a signal, not by abort()).
    EXPECT_TRUE(Exited(agent.Signal(SIGTERM), 0));
    down.reset();
    server_url_.clear();
    auto run = RunAgent();
    ASSERT_TRUE(Exited(run, 0));
    EXPECT_NE(run.err.find("new 0"), std::string::npos) << "everything was in the spool already: " << run.err;
    EXPECT_EQ(Stored(device), ReadExport(exported));
}

// The simulator's faults of real terminals (docs/simulator.md): each costs at most a retry, never a punch.

TEST_F(AgentEndToEnd, ATerminalWithoutBufferedReadsIsReadWithTheLegacyReadWhole) {
    const auto exported = dir_.path() + "/sim.jsonl";
    auto sim = StartSim(1000, 14, exported, {"--no-buffered-read"});
    const auto device = AddDevice(sim->port());
    auto run = RunAgent();
    ASSERT_TRUE(Exited(run, 0));
    const auto expected = ReadExport(exported);
    ASSERT_EQ(expected.size(), 1000U);
    EXPECT_EQ(Stored(device), expected);
    EXPECT_TRUE(Status(device).at("read_through").is_string());
    ASSERT_TRUE(Exited(RunAgent(), 0));
    EXPECT_EQ(Stored(device), expected) << "read again, stored once";
}

TEST_F(AgentEndToEnd, LostUdpDatagramsCostARetryOfTheirChunkNotAPunch) {
    const auto exported = dir_.path() + "/sim.jsonl";
    // 1,000 records of 40 bytes are three chunks of at most 16 datagrams: the 25th and the 50th datagram of the
    // read are lost, each in a different chunk, and each chunk's second attempt comes through whole.
    const auto terminal = StartUdpOnlySim(1000, 15, exported, {"--record-format", "40", "--drop-udp-every", "25"});
    const auto device = AddDevice(terminal.port());
    auto run = RunAgent();
    ASSERT_TRUE(Exited(run, 0));
    EXPECT_NE(run.err.find("over udp"), std::string::npos) << run.err;
    const auto expected = ReadExport(exported);
    ASSERT_EQ(expected.size(), 1000U);
    EXPECT_EQ(Stored(device), expected);
}

TEST_F(AgentEndToEnd, ATransferAckArrivingLateIsNotTakenForTheAnswerToTheNextRequest) {
    const auto exported = dir_.path() + "/sim.jsonl";
    // The transfer's closing ACK_OK comes 300 ms after its data, when the agent has sent its next request.
    auto sim = StartSim(1000, 16, exported, {"--late-ack-ms", "300"});
    const auto device = AddDevice(sim->port());
    auto run = RunAgent();
    ASSERT_TRUE(Exited(run, 0));
    const auto expected = ReadExport(exported);
    ASSERT_EQ(expected.size(), 1000U);
    EXPECT_EQ(Stored(device), expected);
    const auto status = Status(device);
    EXPECT_EQ(status.at("records").as_int64(), 1000);
    EXPECT_EQ(status.at("last_error").as_string(), "");
}

TEST_F(AgentEndToEnd, R16_AReadThatFailsMidwayClaimsNothingAndClearsNothing) {
    const auto exported = dir_.path() + "/sim.jsonl";
    // Every data datagram is lost: the read fails after the terminal was disabled and the transfer announced.
    const auto terminal = StartUdpOnlySim(300, 18, exported, {"--drop-udp-every", "1"});
    const auto device = AddDevice(terminal.port());
    // Safe clear on: a failed read must never lead to a clear.
    auto run = RunAgent({"--safe-clear-percent", "0.01"});
    EXPECT_TRUE(Exited(run, 2)) << "the terminal was not read";
    EXPECT_EQ(run.err.find("log cleared"), std::string::npos) << run.err;
    const auto status = Status(device);
    EXPECT_FALSE(status.at("reachable").as_bool()) << status;
    EXPECT_TRUE(status.at("read_through").is_null()) << "a failed read says nothing about absences: " << status;
    EXPECT_NE(std::string(status.at("last_error").as_string()).find("transfer ended"), std::string::npos) << status;
    EXPECT_TRUE(Device(device).at("last_seen").is_null()) << "the terminal was not heard from";
    EXPECT_TRUE(Stored(device).empty());
    // The terminal still holds its whole log (its export, written on a clean stop).
    EXPECT_TRUE(Exited(terminal.sim->Signal(SIGTERM), 0));
    EXPECT_EQ(ReadExport(exported).size(), 300U);
}

}  // namespace
}  // namespace rollcall::test
