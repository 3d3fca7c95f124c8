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

#include <fstream>
#include <map>
#include <memory>
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
    /// A terminal that speaks UDP only (`--udp-only`), with its port number held over TCP by the test: the agent's
    /// TCP attempt is refused there, as at a real UDP-only terminal, and cannot reach whoever else might take it.
    struct UdpOnlyTerminal {
        std::unique_ptr<ServerProcess> sim;
        RefusingPort tcp;
        std::uint16_t port() const { return sim->port(); }
    };
    UdpOnlyTerminal StartUdpOnlySim(int records,
                                    int seed,
                                    const std::string& export_path,
                                    std::vector<std::string> extra = {}) {
        extra.emplace_back("--udp-only");
        for (;;) {
            auto sim = StartSim(records, seed, export_path, extra);
            if (auto tcp = RefusingPort::TryHold(sim->port())) {
                return UdpOnlyTerminal{std::move(sim), std::move(*tcp)};
            }
            // Someone has that number over TCP: another simulator, then.
        }
    }
    std::int64_t AddDevice(std::uint16_t port, const std::string& comm_key = "") {
        auto r = http_->Post("/api/v1/schools/1/devices",
                             json::object{{"name", "Old gate"},
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
        auto r = http_->Get("/api/v1/schools/1/devices/" + std::to_string(device) + "/logs?limit=1000", admin_);
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
        auto r = http_->Get("/api/v1/schools/1/devices/" + std::to_string(device) + "/users", admin_);
        std::map<std::string, std::int64_t> out;
        const auto doc = r.Json();
        for (const auto& u : doc.at("items").as_array()) {
            out[std::string(u.at("user_id").as_string())] = u.at("punches").as_int64();
        }
        return out;
    }
    /// The device as the school's admin sees it.
    json::value Device(std::int64_t device) {
        auto r = http_->Get("/api/v1/schools/1/devices/" + std::to_string(device), admin_);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.Json();
    }
    json::value Status(std::int64_t device) { return Device(device).at("agent_status"); }
    /// Points the device at another port (the server must be up).
    void MoveDevice(std::int64_t device, std::uint16_t port) {
        ASSERT_EQ(
            http_->Patch("/api/v1/schools/1/devices/" + std::to_string(device), json::object{{"port", port}}, admin_)
                .status,
            200);
    }
};

}  // namespace rollcall::test
