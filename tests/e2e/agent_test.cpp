// The agent end to end: the real server, the real device simulator and the real agent, as processes over
// real sockets. In every scenario every punch the terminal holds arrives exactly once.

#include "e2e/agent_fixture.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include <signal.h>
#include <sys/wait.h>

namespace rollcall::test {
namespace {

TEST_F(AgentEndToEnd, OneSyncBringsEveryPunchOnceAndASecondSyncNothingNew) {
    OneSyncBringsEveryPunchOnceAndASecondSyncNothingNew();
}

TEST_F(AgentEndToEnd, AWrongCommKeyIsReportedAsSuch) {
    const auto terminal = AddTerminal(5, 1, {"--comm-key", "1234"}, "999");
    EXPECT_TRUE(Exited(RunAgent(), 2));
    const auto status = Status(terminal.device);
    EXPECT_FALSE(status.at("reachable").as_bool());
    EXPECT_NE(std::string(status.at("last_error").as_string()).find("wrong comm key"), std::string::npos) << status;
    EXPECT_TRUE(Stored(terminal.device).empty());
    // With the right key, everything arrives.
    ASSERT_EQ(http_->Patch(DevicePath(terminal.device), json::object{{"comm_key", "1234"}}, admin_).status, 200);
    ASSERT_TRUE(Exited(RunAgent(), 0));
    EXPECT_EQ(Stored(terminal.device), terminal.Held());
}

TEST_F(AgentEndToEnd, AUdpOnlyTerminalIsReadOverUdp) {
    AUdpOnlyTerminalIsReadOverUdp();
}

TEST_F(AgentEndToEnd, TheServerDownThenBackLosesNothing) {
    TheServerDownThenBackLosesNothing();
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
    EXPECT_EQ(Stored(device), ReadExports({first_export, second_export}));
}

TEST_F(AgentEndToEnd, ARunningAgentTakesAFixedCommKeyAtOnceAndStopsReadingADroppedDevice) {
    const auto terminal = AddTerminal(5, 41, {"--comm-key", "1234"}, "999");
    WatchedProcess agent(AgentArgs({"--interval", "1"}));
    ASSERT_TRUE(agent.WaitForLine("wrong comm key", 60000));
    const auto path = DevicePath(terminal.device);
    ASSERT_EQ(http_->Patch(path, json::object{{"comm_key", "1234"}}, admin_).status, 200);
    ASSERT_TRUE(agent.WaitForLine("acknowledged 5 of 5", 60000)) << "the new key, without a restart";
    EXPECT_EQ(Stored(terminal.device), terminal.Held());
    ASSERT_EQ(http_->Patch(path, json::object{{"status", "inactive"}}, admin_).status, 200);
    EXPECT_TRUE(agent.WaitForLine("no longer on the server's list", 60000));
    EXPECT_TRUE(Exited(agent.Signal(SIGTERM), 0));
}

TEST_F(AgentEndToEnd, AnHttpsServerWithAPrivateCaIsReachedWithCaFileAndRefusedWithout) {
    const auto terminal = AddTerminal(120, 13);
    const HttpsFront https(server_->port());
    server_url_ = https.Url("127.0.0.1");
    const auto run = RunAgent();
    EXPECT_TRUE(Exited(run, 1)) << "an unknown certificate is not trusted";
    EXPECT_NE(run.err.find("certificate verify failed"), std::string::npos) << run.err;
    EXPECT_TRUE(Stored(terminal.device).empty());
    ASSERT_TRUE(Exited(RunAgent({"--ca-file", https.certificate()}), 0));
    EXPECT_EQ(Stored(terminal.device), terminal.Held());
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
    MoveDevice(device, cleared->port());
    ASSERT_TRUE(Exited(RunAgent(), 0));
    EXPECT_EQ(Stored(device), ReadExports({first_export, second_export}));
}

/// The users a simulator exported (`--export-users`): user id -> name.
std::map<std::string, std::string> ExportedUsers(const std::string& path) {
    std::map<std::string, std::string> out;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        const auto user = json::parse(line);
        out.emplace(std::string(user.at("user_id").as_string()), std::string(user.at("name").as_string()));
    }
    return out;
}

TEST_F(AgentEndToEnd, TheNamesTheTerminalHoldsArriveOnTheDevicesUsers) {
    const auto users_file = dir_.path() + "/users.jsonl";
    const auto terminal = AddTerminal(80, 17, {"--export-users", users_file});
    const auto run = RunAgent();
    ASSERT_TRUE(Exited(run, 0)) << run.err;
    EXPECT_NE(run.err.find("terminal users 50"), std::string::npos) << run.err;
    const auto held = ExportedUsers(users_file);
    ASSERT_EQ(held.size(), 50U);
    auto r = http_->Get(DevicePath(terminal.device) + "/users", admin_);
    ASSERT_EQ(r.status, 200) << r.body;
    std::map<std::string, std::string> shown;
    const auto doc = r.Json();
    for (const auto& u : doc.at("items").as_array()) {
        EXPECT_TRUE(u.at("in_terminal").as_bool()) << u;
        shown.emplace(std::string(u.at("user_id").as_string()), std::string(u.at("name").as_string()));
    }
    EXPECT_EQ(shown, held) << "every user of the terminal, by the name it holds, punched or not";
    EXPECT_EQ(Stored(terminal.device), terminal.Held()) << "and the punches as ever";
}

TEST_F(AgentEndToEnd, ATerminalThatRefusesItsUserTableStillHasItsPunchesUploaded) {
    const auto terminal = AddTerminal(60, 19, {"--refuse-user-read"});
    const auto run = RunAgent();
    ASSERT_TRUE(Exited(run, 0)) << "the punches are all acknowledged: " << run.err;
    EXPECT_NE(run.err.find("its user table was not read"), std::string::npos) << run.err;
    EXPECT_EQ(Stored(terminal.device), terminal.Held());
    EXPECT_NE(LastError(terminal.device).find("user table not read"), std::string::npos);
}

TEST_F(AgentEndToEnd, CorruptTimestampsAreSkippedAndReportedAndTheRestArrives) {
    const auto terminal = AddTerminal(50, 9, {"--corrupt-timestamps", "3"});
    ASSERT_TRUE(Exited(RunAgent(), 0));
    ExpectStoredOnce(terminal, 47);
    EXPECT_NE(LastError(terminal.device).find("3 records"), std::string::npos);
}

TEST_F(AgentEndToEnd, TheAgentKilledMidUploadAndRestartedSendsEverythingExactlyOnce) {
    const auto terminal = AddTerminal(50000, 21);
    // Small batches make the upload long; the agent is killed once the server has some of it.
    const auto argv = AgentArgs({"--upload-batch", "100", "--interval", "3600"});
    WatchedProcess agent(argv);
    // The agent logs each acknowledged batch; kill it mid-upload, after the third.
    ASSERT_TRUE(agent.WaitForLine("acknowledged 300 of", 120000)) << "the agent never got that far";
    agent.Signal(SIGKILL);
    const auto stored = StoredTotal(terminal.device);
    EXPECT_GE(stored, 300);
    EXPECT_LT(stored, 50000) << "the kill came after the upload had finished";

    ASSERT_TRUE(Exited(RunAgent(), 0));
    EXPECT_EQ(StoredCounts(terminal.device), CountsByUser(terminal.Held()));
}

TEST_F(AgentEndToEnd, RealtimeEventsBringALivePunchWithinSecondsWithoutAFullRead) {
    const auto terminal = AddTerminalTakingLivePunches();
    WatchedProcess agent(AgentReadingHourly());
    ASSERT_NO_FATAL_FAILURE(ExpectALivePunchStored(agent, terminal));
    EXPECT_TRUE(Exited(agent.Signal(SIGTERM), 0));
    // What the server has is what the terminal holds (its export on exit), never more.
    EXPECT_TRUE(Exited(terminal.sim->Signal(SIGTERM), 0));
    auto expected = CountsByUser(terminal.Held());
    for (const auto& [user, n] : StoredCounts(terminal.device)) {
        EXPECT_LE(n, expected[user]) << "user " << user << " stored more often than the terminal has them";
    }
}

TEST_F(AgentEndToEnd, ADriftingTerminalClockIsReportedAndSetWhenAskedTo) {
    // The simulated terminal keeps UTC plus 10 minutes; the school is in Nairobi (UTC+3).
    const auto terminal = AddTerminal(5, 2, {"--clock-drift-seconds", "600"});
    const auto device = terminal.device;
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
    const auto terminal = AddTerminal(200, 6);
    const auto device = terminal.device;
    const auto expected = terminal.Held();
    // Below the threshold: nothing is cleared.
    ASSERT_TRUE(Exited(RunAgent({"--safe-clear-percent", "90"}), 0));
    ASSERT_EQ(Status(device).at("records").as_int64(), 200);
    // Above it (200 records are over 0.01 % of any capacity): everything is uploaded, then cleared.
    const auto run = RunAgent({"--safe-clear-percent", "0.01"});
    ASSERT_TRUE(Exited(run, 0));
    EXPECT_NE(run.err.find("log cleared"), std::string::npos) << run.err;
    EXPECT_EQ(Stored(device), expected);
    ASSERT_TRUE(Exited(RunAgent(), 0));
    EXPECT_EQ(Status(device).at("records").as_int64(), 0);
    // The terminal says so too: its log, written on exit, is empty.
    EXPECT_TRUE(Exited(terminal.sim->Signal(SIGTERM), 0));
    EXPECT_TRUE(terminal.Held().empty());
    EXPECT_EQ(Stored(device), expected);
}

TEST_F(AgentEndToEnd, SafeClearNeverClearsWhatTheServerDidNotAcknowledge) {
    const auto terminal = AddTerminal(50, 8, {"--corrupt-timestamps", "2"});
    const auto run = RunAgent({"--safe-clear-percent", "0.01"});
    ASSERT_TRUE(Exited(run, 0));
    EXPECT_EQ(run.err.find("log cleared"), std::string::npos) << "two records could not be uploaded";
    ASSERT_TRUE(Exited(RunAgent(), 0));
    EXPECT_EQ(Status(terminal.device).at("records").as_int64(), 50);
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
    const auto terminal = AddTerminal(1000, 14, {"--no-buffered-read"});
    ASSERT_TRUE(Exited(RunAgent(), 0));
    ExpectStoredOnce(terminal, 1000);
    EXPECT_TRUE(Status(terminal.device).at("read_through").is_string());
    ASSERT_TRUE(Exited(RunAgent(), 0));
    EXPECT_EQ(Stored(terminal.device), terminal.Held()) << "read again, stored once";
}

TEST_F(AgentEndToEnd, LostUdpDatagramsCostARetryOfTheirChunkNotAPunch) {
    // 1,000 records of 40 bytes are three chunks of at most 16 datagrams: the 25th and the 50th datagram of the
    // read are lost, each in a different chunk, and each chunk's second attempt comes through whole.
    const auto terminal = AddUdpOnlyTerminal(1000, 15, {"--record-format", "40", "--drop-udp-every", "25"});
    const auto run = RunAgent();
    ASSERT_TRUE(Exited(run, 0));
    EXPECT_NE(run.err.find("over udp"), std::string::npos) << run.err;
    ExpectStoredOnce(terminal, 1000);
}

TEST_F(AgentEndToEnd, ATransferAckArrivingLateIsNotTakenForTheAnswerToTheNextRequest) {
    // The transfer's closing ACK_OK comes 300 ms after its data, when the agent has sent its next request.
    const auto terminal = AddTerminal(1000, 16, {"--late-ack-ms", "300"});
    ASSERT_TRUE(Exited(RunAgent(), 0));
    ExpectStoredOnce(terminal, 1000);
    const auto status = Status(terminal.device);
    EXPECT_EQ(status.at("records").as_int64(), 1000);
    EXPECT_EQ(status.at("last_error").as_string(), "");
}

TEST_F(AgentEndToEnd, R16_AReadThatFailsMidwayClaimsNothingAndClearsNothing) {
    // Every data datagram is lost: the read fails after the terminal was disabled and the transfer announced.
    const auto terminal = AddUdpOnlyTerminal(300, 18, {"--drop-udp-every", "1"});
    const auto device = terminal.device;
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
    EXPECT_EQ(terminal.Held().size(), 300U);
}

// R16 from the school's side: a terminal that says it holds 100 records and sends 70. The 70 reach the server (a
// punch is evidence), but the day is not taken as heard from: nobody without a punch is declared absent, the
// register says which gate it waits for, and the device page says why. Once the terminal is read whole, the day is
// final.
TEST_F(AgentEndToEnd, R16_ATerminalThatCountsMoreThanItSendsLeavesTheDayPendingAndSaysWhy) {
    // The school sets up its gate reader on Wednesday 11 March 2026 (a device counts for R16 from the day after it
    // is added), and the agent reads it on the evening of Thursday the 12th, past the day's cutoff (10:00 in
    // Nairobi). The agent's read time comes from this machine's clock, later still: the server takes its own now.
    const auto restart_at = [&](const std::string& clock) {
        server_.reset();
        server_ = std::make_unique<ServerProcess>(
            ROLLCALL_BINARY,
            std::vector<std::string>{
                "--data-dir", dir_.path() + "/server", "--set", "log.level=warn", "--set", "clock.fixed=" + clock});
        http_ = std::make_unique<HttpClient>(server_->port());
        auto login = http_->Post("/api/v1/auth/login",
                                 json::object{{"email", "root@example.org"}, {"password", "long enough pw"}});
        ASSERT_EQ(login.status, 200) << login.body;
        admin_ = std::string(login.Json().at("token").as_string());
    };
    restart_at("2026-03-11T15:00:00Z");
    const std::string school = "/api/v1/schools/1";
    ASSERT_EQ(http_
                  ->Put(school + "/settings/attendance",
                        json::object{{"effective_from", "2026-01-05"}, {"school_start_time", "08:00"}},
                        admin_)
                  .status,
              200);
    // A pupil whose user id the terminal never saw: no punch on the 12th, absent once the day is final.
    auto person = http_->Post(school + "/people", json::object{{"name", "Amina Njeri"}, {"kind", "student"}}, admin_);
    ASSERT_EQ(person.status, 201) << person.body;
    const auto amina = person.Json().at("id").as_int64();
    ASSERT_EQ(
        http_->Post(school + "/mappings", json::object{{"user_id", "99999"}, {"person_id", amina}}, admin_).status,
        201);
    const auto register_of_the_12th = [&] {
        auto r = http_->Get(school + "/attendance?date=2026-03-12", admin_);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.Json();
    };
    const auto status_of_amina = [&](const json::value& reg) {
        for (const auto& row : reg.at("rows").as_array()) {
            if (row.at("person_id").as_int64() == amina) {
                return std::string(row.at("status").as_string());
            }
        }
        return std::string("(no row)");
    };

    const auto terminal = AddTerminal(100, 21, {"--withhold-records", "30"});
    restart_at("2026-03-12T15:00:00Z");
    const auto run = RunAgent();
    EXPECT_TRUE(Exited(run, 2)) << "the terminal was not read whole: " << run.err;
    EXPECT_NE(run.err.find("incomplete read"), std::string::npos) << run.err;
    EXPECT_EQ(StoredTotal(terminal.device), 70) << "what the terminal sent is stored";
    const auto status = Status(terminal.device);
    EXPECT_TRUE(status.at("reachable").as_bool()) << status;
    EXPECT_TRUE(status.at("read_through").is_null()) << status;
    EXPECT_NE(std::string(status.at("last_error").as_string())
                  .find("incomplete read: the terminal counts 100 records but sent 70"),
              std::string::npos)
        << status;
    auto reg = register_of_the_12th();
    EXPECT_FALSE(reg.at("final").as_bool()) << reg;
    ASSERT_EQ(reg.at("silent_devices").as_array().size(), 1U) << reg;
    EXPECT_EQ(reg.at("silent_devices").as_array().at(0).at("id").as_int64(), terminal.device) << reg;
    EXPECT_EQ(status_of_amina(reg), "pending") << reg;

    // The terminal's whole log, read in full: now the day is final and Amina is absent.
    const auto whole = StartSim(100, 21, dir_.path() + "/whole.jsonl");
    MoveDevice(terminal.device, whole->port());
    const auto complete = RunAgent();
    ASSERT_TRUE(Exited(complete, 0)) << complete.err;
    EXPECT_EQ(StoredTotal(terminal.device), 100);
    EXPECT_TRUE(Status(terminal.device).at("read_through").is_string());
    reg = register_of_the_12th();
    EXPECT_TRUE(reg.at("final").as_bool()) << reg;
    EXPECT_TRUE(reg.at("silent_devices").as_array().empty()) << reg;
    EXPECT_EQ(status_of_amina(reg), "absent") << reg;
}

}  // namespace
}  // namespace rollcall::test
