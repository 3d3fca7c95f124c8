#pragma once

// The agent end-to-end fixture: the real server, a school with an admin and an agent token, simulated
// terminals and the agent as processes over real sockets. Shared by tests/e2e (the Linux agent) and
// tests/windows (the Windows exe under wine); the including target defines ROLLCALL_BINARY,
// ROLLCALL_SIM_BINARY and ROLLCALL_AGENT_BINARY.

#include "e2e/agent_ports.hpp"
#include "support/child_process.hpp"
#include "support/exit_status.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/tls_proxy.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace rollcall::test {

namespace json = boost::json;
using Punches = std::set<std::pair<std::string, std::string>>;  // (user_id, timestamp)

/// What `rollcall-sim zk --export` wrote: the terminal's records.
inline Punches ReadExport(const std::string& path) {
    Punches out;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        const auto v = json::parse(line);
        if (!v.at("timestamp").is_string()) {
            continue;  // a record whose time the simulator corrupted on purpose
        }
        out.emplace(std::string(v.at("user_id").as_string()), std::string(v.at("timestamp").as_string()));
    }
    return out;
}

/// The records of terminals that exported to `paths`, all together.
inline Punches ReadExports(const std::vector<std::string>& paths) {
    Punches out;
    for (const auto& path : paths) {
        out.merge(ReadExport(path));
    }
    return out;
}

/// How many punches a set holds, by user.
inline std::map<std::string, std::int64_t> CountsByUser(const Punches& punches) {
    std::map<std::string, std::int64_t> out;
    for (const auto& [user, timestamp] : punches) {
        ++out[user];
    }
    return out;
}

class AgentEndToEnd : public ::testing::Test {
protected:
    TempDir dir_;
    std::unique_ptr<ServerProcess> server_ = StartServer();
    std::unique_ptr<HttpClient> http_ = std::make_unique<HttpClient>(server_->port());
    std::string admin_;
    std::int64_t school_ = 0;
    std::string agent_token_;
    std::string server_url_;  ///< when set, the agent's --server instead of the server's own http URL

    void SetUp() override {
        ASSERT_TRUE(Exited(Cli({"school", "create", "--name", "Agent School", "--timezone", "Africa/Nairobi"}), 0));
        ASSERT_TRUE(Exited(
            Cli({"user", "create", "--email", "root@example.org", "--role", "super_admin"}, "long enough pw\n"), 0));
        auto login = http_->Post("/api/v1/auth/login",
                                 json::object{{"email", "root@example.org"}, {"password", "long enough pw"}});
        admin_ = std::string(login.Json().at("token").as_string());
        school_ = 1;
        auto token = Cli({"agent-token", "create", "--school", "1"});
        ASSERT_TRUE(Exited(token, 0));
        agent_token_ = std::string(json::parse(token.out).at("token").as_string());
    }

    std::unique_ptr<ServerProcess> StartServer() {
        return std::make_unique<ServerProcess>(
            ROLLCALL_BINARY,
            std::vector<std::string>{"--data-dir", dir_.path() + "/server", "--set", "log.level=warn"});
    }
    CommandResult Cli(std::vector<std::string> args, const std::string& input = "") {
        args.insert(args.begin(), ROLLCALL_BINARY);
        args.emplace_back("--data-dir");
        args.emplace_back(dir_.path() + "/server");
        return RunCommand(args, input);
    }
    /// A simulated terminal; `export_path` receives the records it holds.
    std::unique_ptr<ServerProcess> StartSim(int records,
                                            int seed,
                                            const std::string& export_path,
                                            std::vector<std::string> extra = {},
                                            std::uint16_t port = 0) {
        std::vector<std::string> argv{ROLLCALL_SIM_BINARY,
                                      "zk",
                                      "--listen",
                                      "127.0.0.1:" + std::to_string(port),
                                      "--users",
                                      "50",
                                      "--records",
                                      std::to_string(records),
                                      "--seed",
                                      std::to_string(seed),
                                      "--export",
                                      export_path};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return std::make_unique<ServerProcess>(argv);
    }
    /// A simulated terminal the school has added as a device. A UDP-only one (`--udp-only`) has its port number
    /// held over TCP by the test: the agent's TCP attempt is refused there, as at a real UDP-only terminal, and
    /// cannot reach whoever else might take it.
    struct Terminal {
        std::unique_ptr<ServerProcess> sim;
        std::int64_t device = 0;
        std::string exported;  ///< the records the terminal holds (`--export`: at start and on a clean stop)
        std::optional<RefusingPort> tcp;
        std::uint16_t port() const { return sim->port(); }
        Punches Held() const { return ReadExport(exported); }
    };
    /// A terminal of `records` punches (`extra`: the simulator's faults), exporting to sim.jsonl.
    Terminal AddTerminal(int records, int seed, std::vector<std::string> extra = {}, const std::string& comm_key = "") {
        Terminal t;
        t.exported = dir_.path() + "/sim.jsonl";
        t.sim = StartSim(records, seed, t.exported, std::move(extra));
        t.device = AddDevice(t.port(), comm_key);
        return t;
    }
    Terminal AddUdpOnlyTerminal(int records, int seed, std::vector<std::string> extra = {}) {
        Terminal t;
        t.exported = dir_.path() + "/sim.jsonl";
        extra.emplace_back("--udp-only");
        while (!t.tcp) {
            t.sim = StartSim(records, seed, t.exported, extra);
            t.tcp = RefusingPort::TryHold(t.sim->port());
            // Without it, someone has that number over TCP: another simulator, then.
        }
        t.device = AddDevice(t.port());
        return t;
    }
    /// The server behind a school's TLS front whose self-signed certificate (for localhost and 127.0.0.1) the
    /// agent's platform does not trust unless told to.
    class HttpsFront {
    public:
        explicit HttpsFront(std::uint16_t server_port)
            : tls_(MakeSelfSignedCertificate(certs_.path())), proxy_(tls_, server_port) {}
        const std::string& certificate() const { return tls_.certificate; }
        std::string Url(const std::string& host) const {
            return "https://" + host + ":" + std::to_string(proxy_.port());
        }

    private:
        TempDir certs_;
        TlsFiles tls_;
        TlsProxy proxy_;
    };
    std::int64_t AddDevice(std::uint16_t port, const std::string& comm_key = "") {
        auto r = http_->Post("/api/v1/schools/1/devices",
                             json::object{{"name", "Old gate " + std::to_string(port)},
                                          {"sync_mode", "agent"},
                                          {"ip", "127.0.0.1"},
                                          {"port", port},
                                          {"comm_key", comm_key}},
                             admin_);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.Json().at("id").as_int64();
    }
    /// The agent program: the Linux binary here, the Windows exe under wine in tests/windows.
    virtual std::vector<std::string> AgentProgram() const { return {ROLLCALL_AGENT_BINARY}; }
    /// A path of the test's as the agent program spells it.
    virtual std::string AgentPath(const std::string& path) const { return path; }
    /// Runs the agent program to completion.
    virtual CommandResult RunAgentProgram(const std::vector<std::string>& argv) { return RunCommand(argv); }
    /// The agent program against this server, spooling in the test's directory, with `extra` options.
    std::vector<std::string> AgentArgs(const std::vector<std::string>& extra) const {
        auto argv = AgentProgram();
        const std::vector<std::string> options{
            "--server",
            server_url_.empty() ? "http://127.0.0.1:" + std::to_string(server_->port()) : server_url_,
            "--token",
            agent_token_,
            "--spool",
            AgentPath(dir_.path() + "/spool")};
        argv.insert(argv.end(), options.begin(), options.end());
        argv.insert(argv.end(), extra.begin(), extra.end());
        return argv;
    }
    /// `rollcall-agent --once` (retrying fast) to completion.
    CommandResult RunAgent(std::vector<std::string> extra = {}) {
        extra.insert(extra.begin(), {"--once", "--retry-base-ms", "50"});
        return RunAgentProgram(AgentArgs(extra));
    }
    /// Every punch of the device the server stored (at most 1,000, newest first).
    Punches Stored(std::int64_t device) {
        auto r = http_->Get(DevicePath(device) + "/logs?limit=1000", admin_);
        EXPECT_EQ(r.status, 200) << r.body;
        Punches out;
        const auto doc = r.Json();
        for (const auto& p : doc.at("items").as_array()) {
            out.emplace(std::string(p.at("user_id").as_string()), std::string(p.at("timestamp").as_string()));
        }
        return out;
    }
    /// How many punches the server stored for the device, by user.
    std::map<std::string, std::int64_t> StoredCounts(std::int64_t device) {
        auto r = http_->Get(DevicePath(device) + "/users", admin_);
        std::map<std::string, std::int64_t> out;
        const auto doc = r.Json();
        for (const auto& u : doc.at("items").as_array()) {
            out[std::string(u.at("user_id").as_string())] = u.at("punches").as_int64();
        }
        return out;
    }
    static std::string DevicePath(std::int64_t device) { return "/api/v1/schools/1/devices/" + std::to_string(device); }
    /// The device as the school's admin sees it.
    json::value Device(std::int64_t device) {
        auto r = http_->Get(DevicePath(device), admin_);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.Json();
    }
    json::value Status(std::int64_t device) { return Device(device).at("agent_status"); }
    std::string LastError(std::int64_t device) { return std::string(Status(device).at("last_error").as_string()); }
    /// The terminal's `records` punches, every one stored on the server once.
    void ExpectStoredOnce(const Terminal& terminal, std::size_t records) {
        const auto held = terminal.Held();
        EXPECT_EQ(held.size(), records);
        EXPECT_EQ(Stored(terminal.device), held);
    }
    /// How many punches the server stored for the device, all users together.
    std::int64_t StoredTotal(std::int64_t device) {
        std::int64_t total = 0;
        for (const auto& [user, n] : StoredCounts(device)) {
            total += n;
        }
        return total;
    }
    /// Points the device at another port (the server must be up).
    void MoveDevice(std::int64_t device, std::uint16_t port) {
        ASSERT_EQ(http_->Patch(DevicePath(device), json::object{{"port", port}}, admin_).status, 200);
    }

    // Scenarios both agents pass, whatever their platform: tests/e2e runs them with the Linux binary, tests/windows
    // with the exe under wine. A platform's own words come from the virtual functions above and below.

    /// How the agent's HTTP client words a refused connection.
    virtual std::string ConnectionRefusedWords() const { return "Connection refused"; }

    void OneSyncBringsEveryPunchOnceAndASecondSyncNothingNew() {
        const auto terminal = AddTerminal(300, 7);
        auto run = RunAgent();
        ASSERT_TRUE(Exited(run, 0));
        EXPECT_NE(run.err.find("reachable over tcp"), std::string::npos) << run.err;
        ExpectStoredOnce(terminal, 300);
        const auto status = Status(terminal.device);
        EXPECT_TRUE(status.at("reachable").as_bool());
        EXPECT_EQ(status.at("records").as_int64(), 300);
        EXPECT_FALSE(status.at("serial").as_string().empty());
        EXPECT_TRUE(status.at("read_through").is_string());
        // The spool is where the agent was told, and a second run finds nothing new in it.
        EXPECT_TRUE(std::filesystem::exists(dir_.path() + "/spool"));
        run = RunAgent();
        ASSERT_TRUE(Exited(run, 0));
        EXPECT_NE(run.err.find("new 0"), std::string::npos) << run.err;
        EXPECT_EQ(Stored(terminal.device), terminal.Held());
    }

    void AUdpOnlyTerminalIsReadOverUdp() {
        const auto terminal = AddUdpOnlyTerminal(500, 3);
        const auto run = RunAgent();
        ASSERT_TRUE(Exited(run, 0));
        EXPECT_NE(run.err.find("over udp"), std::string::npos) << run.err;
        EXPECT_EQ(Stored(terminal.device), terminal.Held());
    }

    void TheServerDownThenBackLosesNothing() {
        const auto terminal = AddTerminal(200, 5);
        {
            // The server is down: its address refuses connections (a port this test holds, never listened on).
            const RefusingPort down;
            server_url_ = down.Url();
            const auto run = RunAgent();
            EXPECT_TRUE(Exited(run, 1)) << "no device list without the server";
            EXPECT_NE(run.err.find(ConnectionRefusedWords()), std::string::npos) << run.err;
        }
        server_url_.clear();
        ASSERT_TRUE(Exited(RunAgent(), 0));
        EXPECT_EQ(Stored(terminal.device), terminal.Held());
    }

    /// A terminal of 20 punches that takes a live one every 300 ms.
    Terminal AddTerminalTakingLivePunches() { return AddTerminal(20, 4, {"--live-punch-interval-ms", "300"}); }
    /// An agent whose full reads are an hour apart: after the first, a punch can only come by a realtime event.
    std::vector<std::string> AgentReadingHourly() const { return AgentArgs({"--interval", "3600"}); }
    /// The running `agent` reads the terminal of AddTerminalTakingLivePunches() once in full, then the server
    /// acknowledges a live punch and stores more than the 20 of the full read.
    void ExpectALivePunchStored(WatchedProcess& agent, const Terminal& terminal) {
        ASSERT_TRUE(agent.WaitForLine("reachable over tcp", 120000)) << "the first full read";
        ASSERT_TRUE(agent.WaitForLine("live punch of user", 120000));
        ASSERT_TRUE(agent.WaitForLine("acknowledged 1 of 1", 120000));
        EXPECT_GT(StoredTotal(terminal.device), 20);
    }
};

}  // namespace rollcall::test
