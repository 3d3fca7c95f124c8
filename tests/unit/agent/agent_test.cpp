// The agent's rounds (Agent::SyncOnce, Agent::Run) with the real server (TestServer, on port 0, fixed clock) and the
// simulator in this process, over real HTTP and ZK sockets: what reaches the server, what the spool keeps, and what
// the agent claims about a terminal it could not read (R16).

#include "agent/agent.hpp"

#include "agent/spool.hpp"
#include "support/test_server.hpp"
#include "unit/agent/sim_terminal.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <map>
#include <thread>

#include <gtest/gtest.h>

namespace rollcall::agent {
namespace {

namespace json = boost::json;
using rollcall::test::HttpClient;
using test::Punch;
using test::SimTerminal;
using namespace std::chrono_literals;

/// Batches of at most 50 records reach this server; a larger one is refused with 413, as by a server whose
/// push.max_records is lower than the agent's --upload-batch.
constexpr std::size_t kServerMaxRecords = 50;

class AgentRounds : public ::testing::Test {
protected:
    rollcall::test::TestServer server_{{{"push.max_records", std::to_string(kServerMaxRecords)}}};
    rollcall::test::SchoolFixture school_ = rollcall::test::MakeSchool(server_);
    HttpClient http_{server_.port()};
    rollcall::test::TempDir spool_;
    std::string token_ = NewAgentToken();

    std::string School() const { return "/api/v1/schools/" + std::to_string(school_.school_id); }
    std::string NewAgentToken() {
        auto r = http_.Post(School() + "/agent-tokens", json::object{}, school_.admin_token);
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(r.Json().at("token").as_string());
    }
    std::int64_t AddDevice(std::uint16_t port) {
        auto r = http_.Post(School() + "/devices",
                            json::object{{"name", "Old gate " + std::to_string(port)},
                                         {"sync_mode", "agent"},
                                         {"ip", "127.0.0.1"},
                                         {"port", port}},
                            school_.admin_token);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.Json().at("id").as_int64();
    }
    void MoveDevice(std::int64_t device, std::uint16_t port) {
        ASSERT_EQ(
            http_
                .Patch(
                    School() + "/devices/" + std::to_string(device), json::object{{"port", port}}, school_.admin_token)
                .status,
            200);
    }
    AgentConfig Config() const {
        AgentConfig config;
        config.server = "http://127.0.0.1:" + std::to_string(server_.port());
        config.token = token_;
        config.spool = spool_.path();
        config.upload_batch = kServerMaxRecords;
        config.retry_base = 10ms;
        config.upload_attempts = 3;
        return config;
    }
    /// Batches of twice what the server takes: it refuses each with 413.
    AgentConfig TooBigBatches() const {
        auto config = Config();
        config.upload_batch = 2 * kServerMaxRecords;
        return config;
    }
    /// One round; the device list must come.
    std::vector<DeviceSyncReport> SyncOnce(const AgentConfig& config) {
        auto reports = Agent(config).SyncOnce();
        EXPECT_TRUE(reports) << reports.error().message;
        return reports ? *reports : std::vector<DeviceSyncReport>{};
    }
    json::value Device(std::int64_t device) {
        auto r = http_.Get(School() + "/devices/" + std::to_string(device), school_.admin_token);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.Json();
    }
    /// Every punch of the device the server stored (at most 1,000).
    std::set<Punch> Stored(std::int64_t device) {
        auto r = http_.Get(School() + "/devices/" + std::to_string(device) + "/logs?limit=1000", school_.admin_token);
        EXPECT_EQ(r.status, 200) << r.body;
        std::set<Punch> out;
        const auto doc = r.Json();
        for (const auto& p : doc.at("items").as_array()) {
            out.emplace(std::string(p.at("user_id").as_string()), std::string(p.at("timestamp").as_string()));
        }
        return out;
    }
    /// The device's spool as the next start of the agent finds it on disk.
    Spool SpoolOnDisk(std::int64_t device) {
        auto spool = Spool::Open(spool_.path(), device);
        EXPECT_TRUE(spool) << spool.error().message;
        return std::move(*spool);
    }
};

TEST_F(AgentRounds, OneRoundUploadsEveryPunchOnceAndReportsTheTerminal) {
    SimTerminal terminal(20, 120);
    const auto device = AddDevice(terminal.port());
    auto reports = SyncOnce(Config());
    ASSERT_EQ(reports.size(), 1U);
    const auto& r = reports[0];
    EXPECT_TRUE(r.reachable) << r.error;
    EXPECT_EQ(r.transport, "tcp");
    EXPECT_EQ(r.read, 120U);
    EXPECT_EQ(r.new_records, 120U);
    EXPECT_EQ(r.uploaded, 120U);
    EXPECT_EQ(r.pending, 0U);
    EXPECT_EQ(r.error, "");
    EXPECT_EQ(Stored(device), terminal.Punches());
    const auto d = Device(device);
    const auto& status = d.at("agent_status");
    EXPECT_TRUE(status.at("reachable").as_bool());
    EXPECT_EQ(status.at("records").as_int64(), 120);
    EXPECT_TRUE(status.at("read_through").is_string());
    EXPECT_TRUE(d.at("last_seen").is_string()) << "the terminal was heard from";
    EXPECT_EQ(SpoolOnDisk(device).acknowledged(), 120U);

    reports = SyncOnce(Config());
    ASSERT_EQ(reports.size(), 1U);
    EXPECT_EQ(reports[0].new_records, 0U);
    EXPECT_EQ(reports[0].uploaded, 0U);
    EXPECT_EQ(Stored(device), terminal.Punches());
}

TEST_F(AgentRounds, ARecordIsMarkedSentOnlyOnceTheServerAcceptedIt) {
    SimTerminal terminal(20, 120);
    const auto device = AddDevice(terminal.port());
    auto reports = SyncOnce(TooBigBatches());
    ASSERT_EQ(reports.size(), 1U);
    EXPECT_TRUE(reports[0].reachable);
    EXPECT_EQ(reports[0].new_records, 120U);
    EXPECT_EQ(reports[0].uploaded, 0U);
    EXPECT_EQ(reports[0].pending, 120U);
    EXPECT_NE(reports[0].error.find("HTTP 413"), std::string::npos) << reports[0].error;
    EXPECT_TRUE(Stored(device).empty());
    {
        const auto spool = SpoolOnDisk(device);
        EXPECT_EQ(spool.size(), 120U);
        EXPECT_EQ(spool.acknowledged(), 0U) << "nothing the server refused is marked sent";
    }
    // Until it has them all, the server is not told the terminal was read (R16).
    EXPECT_TRUE(Device(device).at("agent_status").at("read_through").is_null());
    EXPECT_TRUE(Device(device).at("last_seen").is_null());

    reports = SyncOnce(Config());
    ASSERT_EQ(reports.size(), 1U);
    EXPECT_EQ(reports[0].new_records, 0U);
    EXPECT_EQ(reports[0].uploaded, 120U);
    EXPECT_EQ(reports[0].pending, 0U);
    EXPECT_EQ(Stored(device), terminal.Punches());
    EXPECT_EQ(SpoolOnDisk(device).acknowledged(), 120U);
}

TEST_F(AgentRounds, WhatTheServerNeverAnsweredStaysUnsentInTheSpoolAndGoesUpWhenItIsBack) {
    rollcall::test::TerminalAddress address;  // the terminal's address, held by the test
    const auto device = AddDevice(address.port());
    auto config = Config();
    config.device_timeout = 1s;
    // A first round with the terminal switched off keeps the device list.
    ASSERT_EQ(SyncOnce(config).size(), 1U);
    // The server is unreachable; the terminal is on and read from the kept list, the uploads fail.
    SimTerminal terminal(20, 80);
    address.Plug(terminal.port());
    const rollcall::test::RefusingPort down;
    auto offline = config;
    offline.server = down.Url();
    auto reports = SyncOnce(offline);
    ASSERT_EQ(reports.size(), 1U);
    EXPECT_TRUE(reports[0].reachable) << reports[0].error;
    EXPECT_EQ(reports[0].new_records, 80U);
    EXPECT_EQ(reports[0].uploaded, 0U);
    EXPECT_EQ(reports[0].pending, 80U);
    {
        const auto spool = SpoolOnDisk(device);
        EXPECT_EQ(spool.size(), 80U);
        EXPECT_EQ(spool.acknowledged(), 0U) << "nothing is marked sent without the server's answer";
    }
    // The server is back; the terminal is gone: the spool alone brings the punches.
    address.Unplug();
    reports = SyncOnce(config);
    ASSERT_EQ(reports.size(), 1U);
    EXPECT_FALSE(reports[0].reachable);
    EXPECT_EQ(reports[0].uploaded, 80U);
    EXPECT_EQ(Stored(device), terminal.Punches());
}

TEST_F(AgentRounds, R16_AFailedReadClaimsNothingEvenWhenItUploadsWhatWasSpooledBefore) {
    SimTerminal terminal(20, 120);
    const auto device = AddDevice(terminal.port());
    // A first round reads the terminal but cannot upload (batches too big): 120 records wait in the spool.
    ASSERT_EQ(SyncOnce(TooBigBatches()).size(), 1U);
    ASSERT_EQ(SpoolOnDisk(device).size(), 120U);
    // The terminal's next read fails midway: every data datagram of a UDP-only terminal is lost.
    sim::ZkDeviceConfig config;
    config.faults.drop_udp_every = 1;
    sim::ZkServerOptions udp_only;
    udp_only.udp_only = true;
    SimTerminal failing(20, 130, config, udp_only);
    MoveDevice(device, failing.port());
    auto reports = SyncOnce(Config());
    ASSERT_EQ(reports.size(), 1U);
    const auto& r = reports[0];
    EXPECT_FALSE(r.reachable);
    EXPECT_NE(r.error.find("transfer ended"), std::string::npos) << r.error;
    EXPECT_EQ(r.uploaded, 120U) << "what was spooled before goes up";
    EXPECT_EQ(Stored(device), terminal.Punches());
    // ... but the server hears nothing about how far the terminal was read: its absences stay provisional.
    const auto d = Device(device);
    EXPECT_FALSE(d.at("agent_status").at("reachable").as_bool()) << d;
    EXPECT_TRUE(d.at("agent_status").at("read_through").is_null()) << d;
    EXPECT_TRUE(d.at("last_seen").is_null()) << "the terminal was not heard from: " << d;
    EXPECT_TRUE(failing.Enabled());
}

TEST_F(AgentRounds, R16_ATerminalThatSendsFewerRecordsThanItCountsIsNotReportedAsRead) {
    sim::ZkDeviceConfig config;
    config.faults.withhold_records = 30;  // it counts 120 records and sends the first 90
    SimTerminal terminal(20, 120, config);
    const auto device = AddDevice(terminal.port());
    auto reports = SyncOnce(Config());
    ASSERT_EQ(reports.size(), 1U);
    const auto& r = reports[0];
    EXPECT_TRUE(r.reachable);
    EXPECT_TRUE(r.log_read);
    EXPECT_FALSE(r.complete);
    EXPECT_EQ(r.read, 90U);
    EXPECT_EQ(r.uploaded, 90U) << "every punch it did send goes up: punches are evidence";
    EXPECT_EQ(r.pending, 0U);
    EXPECT_NE(r.error.find("incomplete read: the terminal counts 120 records but sent 90"), std::string::npos)
        << r.error;
    EXPECT_EQ(Stored(device).size(), 90U);
    // ... but the server is not told the terminal was read: its absences stay pending (R16).
    const auto d = Device(device);
    const auto& status = d.at("agent_status");
    EXPECT_TRUE(status.at("reachable").as_bool()) << d;
    EXPECT_EQ(status.at("records").as_int64(), 120) << d;
    EXPECT_TRUE(status.at("read_through").is_null()) << d;
    EXPECT_NE(std::string(status.at("last_error").as_string()).find("incomplete read"), std::string::npos) << d;
    EXPECT_TRUE(d.at("last_seen").is_null()) << "no upload claimed a read either: " << d;
}

TEST_F(AgentRounds, AWrongChecksumOverUdpIsReportedAsAProtocolErrorNotAsUnreachable) {
    sim::ZkDeviceConfig config;
    config.faults.bad_checksums = true;
    sim::ZkServerOptions udp_only;
    udp_only.udp_only = true;
    SimTerminal terminal(20, 120, config, udp_only);
    const auto device = AddDevice(terminal.port());
    auto reports = SyncOnce(Config());
    ASSERT_EQ(reports.size(), 1U);
    EXPECT_TRUE(reports[0].reachable) << "the terminal answered";
    EXPECT_FALSE(reports[0].complete);
    EXPECT_EQ(reports[0].error.rfind("protocol error: bad packet checksum", 0), 0U) << reports[0].error;
    const auto d = Device(device);
    const auto& status = d.at("agent_status");
    EXPECT_TRUE(status.at("reachable").as_bool()) << d;
    EXPECT_EQ(std::string(status.at("last_error").as_string()).rfind("protocol error", 0), 0U) << d;
    EXPECT_TRUE(status.at("read_through").is_null()) << d;
    EXPECT_TRUE(d.at("last_seen").is_null()) << d;
}

TEST_F(AgentRounds, WrongChecksumsOverTcpAreTakenWithAWarningAndTheReadCounts) {
    sim::ZkDeviceConfig config;
    config.faults.bad_checksums = true;
    SimTerminal terminal(20, 120, config);
    const auto device = AddDevice(terminal.port());
    auto reports = SyncOnce(Config());
    ASSERT_EQ(reports.size(), 1U);
    EXPECT_TRUE(reports[0].complete) << reports[0].error;
    EXPECT_EQ(reports[0].transport, "tcp");
    EXPECT_EQ(Stored(device), terminal.Punches());
    const auto d = Device(device);
    const auto& status = d.at("agent_status");
    EXPECT_TRUE(status.at("read_through").is_string()) << d;
    EXPECT_NE(std::string(status.at("last_error").as_string()).find("wrong checksum (accepted over TCP"),
              std::string::npos)
        << d;
}

TEST_F(AgentRounds, ARevokedTokenEndsTheReadingAlsoOfTheKeptList) {
    SimTerminal terminal(5, 10);
    AddDevice(terminal.port());
    ASSERT_EQ(SyncOnce(Config()).size(), 1U);
    auto tokens = http_.Get(School() + "/agent-tokens", school_.admin_token);
    ASSERT_EQ(tokens.status, 200);
    const auto id = tokens.Json().at("items").as_array().at(0).at("id").as_int64();
    ASSERT_EQ(http_.Delete(School() + "/agent-tokens/" + std::to_string(id), school_.admin_token).status, 204);
    auto reports = Agent(Config()).SyncOnce();
    ASSERT_FALSE(reports) << "the school took this agent off";
    EXPECT_NE(reports.error().message.find("HTTP 401"), std::string::npos) << reports.error().message;
    // The IT person reads the server's own words (its error body, wire::ErrorBody), not just a status.
    EXPECT_NE(reports.error().message.find("unknown or revoked agent token"), std::string::npos)
        << reports.error().message;
}

TEST_F(AgentRounds, ARunningAgentBringsALivePunchWithoutWaitingForTheNextFullRead) {
    SimTerminal terminal(5, 20);
    const auto device = AddDevice(terminal.port());
    auto config = Config();
    config.interval = std::chrono::hours(1);  // a punch that arrives now can only come by its realtime event
    Agent agent(config);
    std::thread running([&] { agent.Run(); });
    struct StopOnExit {
        Agent& agent;
        std::thread& running;
        ~StopOnExit() {
            agent.Stop();
            running.join();
        }
    } stop_on_exit{agent, running};
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    const auto wait_for = [&](auto done) {
        while (!done() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(50ms);  // polling the server, not a synchronisation
        }
        return done();
    };
    const auto read = terminal.Punches();
    ASSERT_TRUE(wait_for([&] { return Stored(device) == read; })) << "the first full read";
    // People punch until one of them reaches the server: the agent listens for events after its full read.
    std::set<Punch> live;
    ASSERT_TRUE(wait_for([&] {
        terminal.server().PunchNow();
        const auto stored = Stored(device);
        live.clear();
        std::set_difference(stored.begin(), stored.end(), read.begin(), read.end(), std::inserter(live, live.begin()));
        return !live.empty();
    }));
    const auto held = terminal.Punches();
    for (const auto& p : live) {
        EXPECT_TRUE(held.contains(p)) << p.first << " " << p.second << " is not in the terminal's log";
    }
}

/// The device's users as the admin sees them: user id -> the item.
std::map<std::string, json::object> UsersOf(HttpClient& http, const std::string& path, const std::string& token) {
    auto r = http.Get(path, token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::map<std::string, json::object> out;
    const auto doc = r.Json();
    for (const auto& u : doc.at("items").as_array()) {
        out.emplace(std::string(u.at("user_id").as_string()), u.as_object());
    }
    return out;
}

TEST_F(AgentRounds, ARoundBringsTheTerminalsUserTableWithItsNamesCardsAndPrivileges) {
    SimTerminal terminal(12, 30);
    terminal.Enrol(200, "1200", "Zo\xEB M\xFCller", 4000200);
    const auto device = AddDevice(terminal.port());
    auto reports = SyncOnce(Config());
    ASSERT_EQ(reports.size(), 1U);
    EXPECT_EQ(reports[0].error, "");
    EXPECT_EQ(reports[0].terminal_users, 13U);
    EXPECT_TRUE(reports[0].users_uploaded);
    const auto users = UsersOf(http_, School() + "/devices/" + std::to_string(device) + "/users", school_.admin_token);
    for (const auto& u : terminal.Users()) {
        ASSERT_TRUE(users.contains(u.user_id)) << u.user_id;
        EXPECT_TRUE(users.at(u.user_id).at("in_terminal").as_bool());
        if (u.user_id != "1200") {
            EXPECT_EQ(users.at(u.user_id).at("name").as_string(), u.name);
        }
    }
    EXPECT_EQ(users.at("1200").at("name").as_string(), "Zoë Müller") << "Windows-1252 on the terminal";
    EXPECT_EQ(users.at("1200").at("card").as_int64(), 4000200);
    EXPECT_EQ(users.at("1200").at("punches").as_int64(), 0) << "enrolled, never punched";
    EXPECT_EQ(users.at("1001").at("privilege").as_int64(), 14) << "the terminal's super admin";
}

TEST_F(AgentRounds, ATerminalThatRefusesItsUserTableStillHasEveryPunchUploadedAndSaysWhyTheNamesAreMissing) {
    sim::ZkDeviceConfig config;
    config.faults.refuse_user_read = true;
    SimTerminal terminal(12, 40, config);
    const auto device = AddDevice(terminal.port());
    auto reports = SyncOnce(Config());
    ASSERT_EQ(reports.size(), 1U);
    EXPECT_TRUE(reports[0].reachable);
    EXPECT_TRUE(reports[0].complete);
    EXPECT_EQ(reports[0].uploaded, 40U);
    EXPECT_FALSE(reports[0].terminal_users);
    EXPECT_NE(reports[0].error.find("user table not read"), std::string::npos) << reports[0].error;
    EXPECT_EQ(Stored(device), terminal.Punches());
    const auto d = Device(device);
    EXPECT_TRUE(d.at("last_seen").is_string()) << "the read counts: the log came whole";
    EXPECT_NE(std::string(d.at("agent_status").at("last_error").as_string()).find("user table not read"),
              std::string::npos);
    for (const auto& [id, u] :
         UsersOf(http_, School() + "/devices/" + std::to_string(device) + "/users", school_.admin_token)) {
        EXPECT_FALSE(u.at("in_terminal").as_bool()) << id;
        EXPECT_EQ(u.at("name").as_string(), "") << id;
    }
}

}  // namespace
}  // namespace rollcall::agent
