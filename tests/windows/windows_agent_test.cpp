// The Windows agent (rollcall-agent.exe, cross-built with mingw-w64) under wine, against the real device
// simulator and the real server: WinHTTP for the uploads, Winsock for the terminal, the Windows service.
// The wine prefix is a CTest fixture (wine_prefix.sh); each test keeps a wine session open while it runs.

#include "e2e/agent_fixture.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

namespace rollcall::test {
namespace {

const std::string kWine = std::string(ROLLCALL_WINE_DIR) + "/wine64";

class WindowsAgent : public AgentEndToEnd {
protected:
    void SetUp() override {
        setenv("WINEPREFIX", ROLLCALL_WINE_PREFIX, 1);
        setenv("WINEDEBUG", "-all", 1);
        setenv("DISPLAY", "", 1);
        // Wine's WinHTTP takes a proxy from $http_proxy, which Windows never does: the tests go direct.
        for (const char* name : {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"}) {
            unsetenv(name);
        }
        // The wine session (and with it the prefix's service manager) lives while this cmd.exe waits on stdin.
        // Started here, after the environment names the test prefix.
        session_.emplace(std::vector<std::string>{kWine, "cmd.exe"});
        AgentEndToEnd::SetUp();
    }

    std::vector<std::string> AgentProgram() const override { return {kWine, ROLLCALL_WINDOWS_AGENT_EXE}; }
    /// Wine's drive Z: is the Unix root.
    std::string AgentPath(const std::string& path) const override {
        std::string windows = "Z:" + path;
        std::replace(windows.begin(), windows.end(), '/', '\\');
        return windows;
    }
    CommandResult RunAgentProgram(const std::vector<std::string>& argv) override {
        return RunCommandViaFiles(argv, dir_.path());
    }
    /// WinHTTP's error, in words.
    std::string ConnectionRefusedWords() const override { return "connection refused"; }

public:
    CommandResult Wine(std::vector<std::string> args) {
        args.insert(args.begin(), kWine);
        return RunCommandViaFiles(args, dir_.path());
    }

protected:
    /// Writes a settings file for the service into `dir` and returns its path.
    std::string WriteSettings(const std::string& dir, const std::string& content) {
        std::filesystem::create_directories(dir);
        std::ofstream(dir + "/agent.toml") << content;
        return dir + "/agent.toml";
    }

    std::optional<StdinHeldProcess> session_;
};

TEST_F(WindowsAgent, OneSyncBringsEveryPunchOnceAndASecondSyncNothingNew) {
    OneSyncBringsEveryPunchOnceAndASecondSyncNothingNew();
}

TEST_F(WindowsAgent, AUdpOnlyTerminalIsReadOverUdp) {
    AUdpOnlyTerminalIsReadOverUdp();
}

TEST_F(WindowsAgent, TheServerDownIsReportedThenEverythingArrivesOnceItIsBack) {
    TheServerDownThenBackLosesNothing();
}

TEST_F(WindowsAgent, RealtimeEventsBringALivePunchWithoutAFullRead) {
    const auto terminal = AddTerminalTakingLivePunches();
    WatchedProcess agent(AgentReadingHourly());
    ExpectALivePunchStored(agent, terminal);
}

TEST_F(WindowsAgent, AnHttpsServerIsReachedOnceItsCaIsInTheWindowsStore) {
    const auto terminal = AddTerminal(120, 13);
    const HttpsFront https(server_->port());
    // localhost, not 127.0.0.1: wine matches a certificate's host names but not its IP addresses.
    server_url_ = https.Url("localhost");
    // Wine's own words go into a failure's message: WinHTTP's code behind "the handshake failed", and whether
    // GnuTLS (wine's TLS) or crypt32 complained.
    setenv("WINEDEBUG", "-all,warn+winhttp,err+winediag,err+secur32,err+crypt", 1);
    auto run = RunAgent();
    EXPECT_TRUE(Exited(run, 1));
    EXPECT_NE(run.err.find("TLS: the handshake failed: the server's certificate is not trusted"), std::string::npos)
        << run.err;
    EXPECT_TRUE(Stored(terminal.device).empty());
    // Refused because Windows does not know the CA (CERT_TRUST_IS_UNTRUSTED_ROOT), as the check of a chain says.
    auto unknown = Wine({ROLLCALL_WINDOWS_TRUST_TOOL, "--check", AgentPath(https.certificate())});
    EXPECT_TRUE(Exited(unknown, 1));
    EXPECT_NE(unknown.err.find("(CERT_TRUST status 0x20)"), std::string::npos) << unknown.err;
    // --ca-file is for Linux; on Windows the answer says where the CA goes instead.
    run = RunAgent({"--ca-file", AgentPath(https.certificate())});
    EXPECT_TRUE(Exited(run, 1));
    EXPECT_NE(run.err.find("Trusted Root Certification Authorities"), std::string::npos) << run.err;
    // What a school's IT does: the CA into the local computer's Root store (certutil -addstore Root FILE).
    auto trusted = Wine({ROLLCALL_WINDOWS_TRUST_TOOL, AgentPath(https.certificate())});
    ASSERT_TRUE(Exited(trusted, 0));
    // The next process finds it there too (wine keeps the registry in its server, shared by the session).
    auto checked = Wine({ROLLCALL_WINDOWS_TRUST_TOOL, "--check", AgentPath(https.certificate())});
    EXPECT_TRUE(Exited(checked, 0));
    ASSERT_TRUE(Exited(RunAgent(), 0));
    EXPECT_EQ(Stored(terminal.device), terminal.Held());
}

TEST_F(WindowsAgent, AsAServiceItRunsUntilStoppedAndUninstallRemovesIt) {
    const auto terminal = AddTerminal(150, 9);
    const auto service_dir = dir_.path() + "/service";
    const auto settings = WriteSettings(service_dir,
                                        "server = \"http://127.0.0.1:" + std::to_string(server_->port()) +
                                            "\"\ntoken = \"" + agent_token_ + "\"\ninterval = 3600\n");
    const std::string name = "RollcallAgentTest" + std::to_string(server_->port());
    auto installed = Wine({ROLLCALL_WINDOWS_AGENT_EXE, "--config", AgentPath(settings), "install", "--name", name});
    ASSERT_TRUE(Exited(installed, 0));
    // Whatever happens below, the prefix is left without this service.
    struct Uninstall {
        WindowsAgent* test;
        std::string name;
        ~Uninstall() { test->Wine({ROLLCALL_WINDOWS_AGENT_EXE, "uninstall", "--name", name}); }
    } uninstall_at_the_end{this, name};
    EXPECT_NE(installed.out.find("installed the service " + name), std::string::npos) << installed.out;
    auto again = Wine({ROLLCALL_WINDOWS_AGENT_EXE, "--config", AgentPath(settings), "install", "--name", name});
    EXPECT_TRUE(Exited(again, 1));
    EXPECT_NE(again.err.find("already installed"), std::string::npos) << again.err;

    auto started = Wine({"sc", "start", name});
    ASSERT_TRUE(Exited(started, 0)) << started.out;
    // The service reads the terminal and uploads on its own; the server says when everything is there.
    const auto expected = terminal.Held();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (Stored(terminal.device) != expected && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));  // polling the server, not a synchronisation
    }
    EXPECT_EQ(Stored(terminal.device), expected);

    auto stopped = Wine({"sc", "stop", name});
    EXPECT_TRUE(Exited(stopped, 0)) << stopped.out;
    auto removed = Wine({ROLLCALL_WINDOWS_AGENT_EXE, "uninstall", "--name", name});
    ASSERT_TRUE(Exited(removed, 0));
    auto query = Wine({"sc", "query", name});
    EXPECT_NE(query.exit_code, 0) << "the service is gone: " << query.out;
    EXPECT_EQ(query.signal, 0) << "sc itself ran to its end";

    std::ifstream log_file(service_dir + "/agent.log");
    const std::string log((std::istreambuf_iterator<char>(log_file)), std::istreambuf_iterator<char>());
    EXPECT_NE(log.find("service started"), std::string::npos) << log;
    EXPECT_NE(log.find("acknowledged 150 of 150"), std::string::npos) << log;
    EXPECT_NE(log.find("service stopped"), std::string::npos) << "sc stop ends the service cleanly: " << log;
    EXPECT_TRUE(std::filesystem::exists(service_dir + "/spool")) << "the spool is beside the settings file";
}

TEST_F(WindowsAgent, AServiceWithBadSettingsSaysSoInItsLogAndStops) {
    const RefusingPort nowhere;  // a server address nothing answers at, should the service ever try it
    const auto service_dir = dir_.path() + "/service";
    const auto settings = WriteSettings(service_dir, "server = \"" + nowhere.Url() + "\"\ntoken = \"x\"\n");
    const std::string name = "RollcallAgentBad" + std::to_string(server_->port());
    auto installed = Wine({ROLLCALL_WINDOWS_AGENT_EXE, "--config", AgentPath(settings), "install", "--name", name});
    ASSERT_TRUE(Exited(installed, 0));
    // The settings lose their token after the install: the service can only say so in its log.
    WriteSettings(service_dir, "server = \"" + nowhere.Url() + "\"\n");
    auto started = Wine({"sc", "start", name});
    EXPECT_TRUE(Exited(started, 0)) << started.out;
    auto query = Wine({"sc", "query", name});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (query.out.find("STOPPED") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));  // polling the service manager
        query = Wine({"sc", "query", name});
    }
    EXPECT_NE(query.out.find("STOPPED"), std::string::npos) << query.out;
    EXPECT_NE(query.out.find("1066"), std::string::npos) << "a service-specific exit code: " << query.out;
    std::ifstream log_file(service_dir + "/agent.log");
    const std::string log((std::istreambuf_iterator<char>(log_file)), std::istreambuf_iterator<char>());
    EXPECT_NE(log.find("service not started"), std::string::npos) << log;
    EXPECT_NE(log.find("--server and --token are required"), std::string::npos) << log;
    auto removed = Wine({ROLLCALL_WINDOWS_AGENT_EXE, "uninstall", "--name", name});
    EXPECT_TRUE(Exited(removed, 0));
}

TEST_F(WindowsAgent, TheServiceCommandsExplainWhatIsMissing) {
    const RefusingPort nowhere;  // a server address nothing answers at, should a command ever try it
    auto without_config = Wine({ROLLCALL_WINDOWS_AGENT_EXE, "--server", nowhere.Url(), "--token", "x", "install"});
    EXPECT_TRUE(Exited(without_config, 1));
    EXPECT_NE(without_config.err.find("give --config FILE"), std::string::npos) << without_config.err;
    const auto settings = WriteSettings(dir_.path(), "server = \"" + nowhere.Url() + "\"\ntoken = \"x\"\n");
    auto dropped_option = Wine(
        {ROLLCALL_WINDOWS_AGENT_EXE, "--config", AgentPath(settings), "install", "--name", "Never", "--interval", "5"});
    EXPECT_TRUE(Exited(dropped_option, 1));
    EXPECT_NE(dropped_option.err.find("--interval belongs in the settings file"), std::string::npos)
        << dropped_option.err;
    auto not_installed = Wine({ROLLCALL_WINDOWS_AGENT_EXE, "uninstall", "--name", "NoSuchRollcallAgent"});
    EXPECT_TRUE(Exited(not_installed, 1));
    EXPECT_NE(not_installed.err.find("no service of this name"), std::string::npos) << not_installed.err;
    auto by_hand = Wine({ROLLCALL_WINDOWS_AGENT_EXE, "--config", AgentPath(settings), "service"});
    EXPECT_TRUE(Exited(by_hand, 1));
    EXPECT_NE(by_hand.err.find("not started by the service control manager"), std::string::npos) << by_hand.err;
}

}  // namespace
}  // namespace rollcall::test
