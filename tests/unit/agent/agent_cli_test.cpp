// The agent's command line: the settings a school's IT person writes (flags or agent.toml), the mistakes it
// refuses with a reason, and --probe, which checks that this PC reaches a terminal (the real simulator, over
// real sockets).

#include "agent/agent_cli.hpp"

#include "support/temp_dir.hpp"
#include "unit/agent/sim_terminal.hpp"

#include <fstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace rollcall::agent {
namespace {

using namespace std::chrono_literals;

TEST(AgentCli, EveryOptionOfTheTableReachesTheAgent) {
    const auto o = ParseAgentArguments({"--server",
                                        "https://rollcall.example.org",
                                        "--token",
                                        "rca_abc",
                                        "--spool",
                                        "/var/lib/rollcall-agent",
                                        "--ca-file",
                                        "/etc/ssl/school-ca.pem",
                                        "--interval",
                                        "30",
                                        "--device-timeout-ms",
                                        "2500",
                                        "--upload-batch",
                                        "100",
                                        "--upload-attempts",
                                        "3",
                                        "--retry-base-ms",
                                        "250",
                                        "--clock-sync-threshold",
                                        "60",
                                        "--safe-clear-percent",
                                        "90",
                                        "--log-file",
                                        "agent.log",
                                        "--once"});
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->config.server, "https://rollcall.example.org");
    EXPECT_EQ(o->config.token, "rca_abc");
    EXPECT_EQ(o->config.spool, "/var/lib/rollcall-agent");
    EXPECT_EQ(o->config.ca_file, "/etc/ssl/school-ca.pem");
    EXPECT_EQ(o->config.interval, 30s);
    EXPECT_EQ(o->config.device_timeout, 2500ms);
    EXPECT_EQ(o->config.upload_batch, 100u);
    EXPECT_EQ(o->config.upload_attempts, 3);
    EXPECT_EQ(o->config.retry_base, 250ms);
    EXPECT_EQ(o->config.clock_sync_threshold_seconds, 60);
    EXPECT_DOUBLE_EQ(o->config.safe_clear_percent, 90.0);
    EXPECT_EQ(o->log_file, "agent.log");
    EXPECT_TRUE(o->once);
    EXPECT_EQ(ConfigProblem(o->config), "");
}

TEST(AgentCli, WithoutOptionsTheDefaultsOfTheDocumentationApply) {
    const auto o = ParseAgentArguments({});
    ASSERT_TRUE(o) << o.error().message;
    const AgentConfig defaults;
    EXPECT_EQ(o->config.spool, defaults.spool);
    EXPECT_EQ(o->config.interval, 60s);
    EXPECT_EQ(o->config.device_timeout, 5000ms);
    EXPECT_EQ(o->config.retry_base, 1000ms);
    EXPECT_EQ(o->config.upload_batch, 500u);
    EXPECT_EQ(o->config.upload_attempts, 6);
    EXPECT_FALSE(o->once);
    EXPECT_TRUE(o->probe.empty());
}

TEST(AgentCli, TheSettingsFileGivesWhatTheFlagsWouldAndAFlagOverridesIt) {
    const rollcall::test::TempDir dir;
    const auto file = dir.path() + "/agent.toml";
    std::ofstream(file) << "server = \"https://rollcall.example.org\"\ntoken = \"rca_file\"\ninterval = 120\n"
                           "upload-batch = 50\n";
    const auto o = ParseAgentArguments({"--config", file, "--upload-batch", "200"});
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->config.server, "https://rollcall.example.org");
    EXPECT_EQ(o->config.token, "rca_file");
    EXPECT_EQ(o->config.interval, 120s);
    EXPECT_EQ(o->config.upload_batch, 200u);
    EXPECT_EQ(ConfigProblem(o->config), "");
}

TEST(AgentCli, SettingsThatCannotWorkAreRefusedWithTheReason) {
    const auto no_token = ParseAgentArguments({"--server", "https://rollcall.example.org"});
    ASSERT_TRUE(no_token) << no_token.error().message;
    EXPECT_EQ(ConfigProblem(no_token->config), "--server and --token are required (or --probe HOST:PORT)");

    for (const std::vector<std::string>& args : {std::vector<std::string>{"--interval", "0"},
                                                 {"--device-timeout-ms", "50"},
                                                 {"--upload-batch", "6000"},
                                                 {"--safe-clear-percent", "101"},
                                                 {"--retry-base-ms", "abc"},
                                                 {"--no-such-option"}}) {
        const auto refused = ParseAgentArguments(args);
        ASSERT_FALSE(refused) << args[0];
        EXPECT_EQ(refused.error().code, core::Errc::kInvalidArgument);
        EXPECT_FALSE(refused.error().retryable);
        EXPECT_NE(refused.error().message.find(args[0]), std::string::npos) << refused.error().message;
    }
    const rollcall::test::TempDir dir;
    const auto missing = ParseAgentArguments({"--config", dir.path() + "/absent.toml"});
    EXPECT_FALSE(missing) << "a settings file that is not there is a mistake, not an empty file";
}

TEST(AgentCli, AProbeReadsATerminalAndSaysWhatItHolds) {
    sim::ZkDeviceConfig config;
    config.serial_number = "A8N5230560263";
    test::SimTerminal terminal(5, 40, config);
    const auto target = ProbeTarget("127.0.0.1:" + std::to_string(terminal.port()), 0, 30s);
    ASSERT_TRUE(target) << target.error().message;
    EXPECT_EQ(target->host, "127.0.0.1");
    EXPECT_EQ(target->port, terminal.port());
    const auto line = ProbeTerminal(*target);
    ASSERT_TRUE(line) << line.error().message;
    const auto found = boost::json::parse(*line).as_object();
    EXPECT_EQ(found.at("transport").as_string(), "tcp");
    EXPECT_EQ(found.at("serial").as_string(), "A8N5230560263");
    EXPECT_EQ(found.at("counted").as_int64(), 40);
    EXPECT_EQ(found.at("records").as_int64(), 40);
    EXPECT_EQ(found.at("skipped").as_int64(), 0);
    EXPECT_GT(found.at("peak_rss_kib").as_int64(), 0);
    EXPECT_TRUE(terminal.Enabled()) << "the probe leaves the terminal taking punches";
}

TEST(AgentCli, AProbeOfATerminalThatSendsFewerRecordsThanItCountsShowsBoth) {
    sim::ZkDeviceConfig config;
    config.faults.withhold_records = 40;
    test::SimTerminal terminal(5, 40, config);  // "40 records", none sent
    const auto line = ProbeTerminal(*ProbeTarget("127.0.0.1:" + std::to_string(terminal.port()), 0, 30s));
    ASSERT_TRUE(line) << line.error().message;
    const auto found = boost::json::parse(*line).as_object();
    EXPECT_EQ(found.at("counted").as_int64(), 40);
    EXPECT_EQ(found.at("records").as_int64(), 0);
}

TEST(AgentCli, AProbeOfSomethingThatIsNotHostAndPortIsAUsageError) {
    for (const std::string target : {"192.168.1.201", ":4370", "192.168.1.201:port", "192.168.1.201:70000"}) {
        const auto refused = ProbeTarget(target, 0, 1s);
        ASSERT_FALSE(refused) << target;
        EXPECT_EQ(refused.error().code, core::Errc::kInvalidArgument) << target;
        EXPECT_EQ(refused.error().message, "--probe: expected HOST:PORT");
    }
}

TEST(AgentCli, AProbeWithTheWrongCommKeySaysSo) {
    sim::ZkDeviceConfig config;
    config.comm_key = 1234;
    test::SimTerminal terminal(5, 5, config);
    const auto target = ProbeTarget("127.0.0.1:" + std::to_string(terminal.port()), 4321, 30s);
    ASSERT_TRUE(target) << target.error().message;
    const auto line = ProbeTerminal(*target);
    ASSERT_FALSE(line);
    EXPECT_EQ(line.error().code, core::Errc::kUnauthorized) << line.error().message;
    EXPECT_NE(line.error().message.find("wrong comm key"), std::string::npos) << line.error().message;
}

int RunProgram(std::vector<std::string> args) {
    args.insert(args.begin(), "rollcall-agent");
    std::vector<char*> argv;
    argv.reserve(args.size());
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    return RunAgentCli(static_cast<int>(argv.size()), argv.data());
}

TEST(AgentCli, WithoutServerAndTokenTheProgramExitsOneBeforeDoingAnything) {
    EXPECT_EQ(RunProgram({"--once"}), 1);
}

TEST(AgentCli, TheExitCodeOfAProbeTellsAMistypedTargetFromATerminalThatDoesNotAnswer) {
    test::SimTerminal terminal(3, 7);
    EXPECT_EQ(RunProgram({"--probe", "127.0.0.1:" + std::to_string(terminal.port())}), 0);
    EXPECT_EQ(RunProgram({"--probe", "192.168.1.201"}), 1);
    const rollcall::test::RefusingPort nobody;  // refuses TCP; nothing answers over UDP
    EXPECT_EQ(RunProgram({"--probe", "127.0.0.1:" + std::to_string(nobody.port()), "--device-timeout-ms", "100"}), 2);
}

}  // namespace
}  // namespace rollcall::agent
