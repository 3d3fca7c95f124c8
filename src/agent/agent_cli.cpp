#include "agent/agent_cli.hpp"

#include "agent/zk_client.hpp"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/fmt/fmt.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#ifdef _WIN32
#include "agent/windows_service.hpp"

// psapi.h needs windows.h first; both after Asio's winsock2.h.
// clang-format off
#include <windows.h>
#include <psapi.h>
// clang-format on
#endif

namespace rollcall::agent {
namespace {

using core::Errc;
using core::MakeError;

/// Flags as CLI11 reads them, before the durations are made of them.
struct RawAgentFlags {
    AgentCliOptions options;
    std::int64_t device_timeout_ms = 5000;
    std::int64_t interval_seconds = 60;
    std::int64_t retry_base_ms = 1000;
};

/// The options of every mode; returns the --config option (the service needs to know the file).
CLI::Option* AddAgentFlags(CLI::App& cli, RawAgentFlags& f) {
    auto* config_option =
        cli.set_config("--config", "", "settings file (TOML or INI: server = \"...\", token = \"...\")");
    AgentConfig& config = f.options.config;
    cli.add_option("--server", config.server, "server URL, e.g. https://rollcall.example.org");
    cli.add_option("--token", config.token, "the school's agent token (rollcall agent-token create)");
    cli.add_option(
        "--probe", f.options.probe, "read one terminal at HOST:PORT, print what it holds and exit (no server)");
    cli.add_option("--comm-key", f.options.probe_comm_key, "the terminal's comm key, with --probe");
    cli.add_option("--spool", config.spool, "directory of the local spool (default ./spool)");
    cli.add_option("--ca-file",
                   config.ca_file,
                   "trust the CA certificates in this PEM file too, for an https server with a private certificate "
                   "(Linux; on Windows, add the CA to the Windows certificate store)");
    cli.add_flag(
        "--once", f.options.once, "one full sync of every device, then exit (0 only if everything was acknowledged)");
    cli.add_option("--interval", f.interval_seconds, "seconds between full syncs (default 60)")
        ->check(CLI::Range(1, 86400));
    cli.add_option("--device-timeout-ms", f.device_timeout_ms, "wait for a terminal's answer (default 5000)")
        ->check(CLI::Range(100, 120000));
    cli.add_option("--upload-batch", config.upload_batch, "records per upload (default 500)")
        ->check(CLI::Range(1, 5000));
    cli.add_option("--upload-attempts", config.upload_attempts, "attempts per upload before giving up for this round")
        ->check(CLI::Range(1, 100));
    cli.add_option("--retry-base-ms", f.retry_base_ms, "first wait after a failed upload, doubling (default 1000)")
        ->check(CLI::Range(1, 600000));
    cli.add_option("--clock-sync-threshold",
                   config.clock_sync_threshold_seconds,
                   "set a terminal's clock when it is off by more than this many seconds (default 0: never)")
        ->check(CLI::Range(0, 86400 * 366));
    cli.add_option("--safe-clear-percent",
                   config.safe_clear_percent,
                   "clear a terminal's log once it is this full (percent of capacity) and the server has "
                   "acknowledged every record (default 0: never)")
        ->check(CLI::Range(0.0, 100.0));
    cli.add_option("--log-file", f.options.log_file, "also write the log to this file");
    return config_option;
}

AgentCliOptions Convert(RawAgentFlags f) {
    f.options.config.device_timeout = std::chrono::milliseconds(f.device_timeout_ms);
    f.options.config.interval = std::chrono::seconds(f.interval_seconds);
    f.options.config.retry_base = std::chrono::milliseconds(f.retry_base_ms);
    return std::move(f.options);
}

/// Peak resident memory of this process, for `--probe` and bench/agent.
long PeakRssKib() {
#ifdef _WIN32
    PROCESS_MEMORY_COUNTERS counters{};
    if (GetProcessMemoryInfo(GetCurrentProcess(), &counters, sizeof counters)) {
        return static_cast<long>(counters.PeakWorkingSetSize / 1024);
    }
    return -1;
#endif
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("VmHWM:", 0) == 0) {
            return std::stol(line.substr(6));
        }
    }
    return -1;
}

void SetUpLogging(const std::string& log_file, bool console) {
    std::vector<spdlog::sink_ptr> sinks;
    if (console) {
        sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    }
    if (!log_file.empty()) {
        // 5 files of 10 MiB: months of a school's rounds, and never a full disk on the PC.
        sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(log_file, 10 * 1024 * 1024, 5));
    }
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("agent", sinks.begin(), sinks.end()));
    spdlog::flush_on(spdlog::level::info);
}

/// `--once`: 0 only if every device was read completely and everything read was acknowledged.
int SyncOnce(const AgentConfig& config) {
    Agent agent(config);
    auto reports = agent.SyncOnce();
    if (!reports) {
        spdlog::error("cannot get the device list from {}: {}", config.server, reports.error().message);
        return 1;
    }
    bool all_done = true;
    for (const auto& r : *reports) {
        all_done = all_done && r.complete && r.pending == 0;
    }
    return all_done ? 0 : 2;
}

/// The long-running mode from a terminal or systemd: rounds until SIGTERM or SIGINT. Asio takes the signal
/// (its handler only writes to a pipe) and stops the agent from a thread of its own, where that is safe.
int RunUntilSignalled(const AgentConfig& config) {
    Agent agent(config);
    boost::asio::io_context signal_context;
    boost::asio::signal_set signals(signal_context, SIGINT, SIGTERM);
    signals.async_wait([&agent](const boost::system::error_code& ec, int) {
        if (!ec) {
            agent.Stop();
        }
    });
    std::thread signal_thread([&signal_context] { signal_context.run(); });
    agent.Run();
    signal_context.stop();
    signal_thread.join();
    return 0;
}

#ifdef _WIN32
/// `install` takes the settings file and the service's name only: any other option would be dropped silently,
/// since the service reads only the file.
const char* OptionBesidesConfigAndName(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.rfind("--", 0) == 0 && arg != "--config" && arg != "--name" && arg.rfind("--config=", 0) != 0 &&
            arg.rfind("--name=", 0) != 0) {
            return argv[i];
        }
    }
    return nullptr;
}

/// A service starts in C:\Windows\System32: a relative spool or log path in its settings file is taken
/// relative to that file, and the log goes beside it unless one is set.
void AnchorPaths(AgentConfig& config, std::string& log_file, const std::filesystem::path& dir) {
    if (std::filesystem::path(config.spool).is_relative()) {
        config.spool = (dir / config.spool).lexically_normal().string();
    }
    if (log_file.empty()) {
        log_file = "agent.log";
    }
    if (std::filesystem::path(log_file).is_relative()) {
        log_file = (dir / log_file).lexically_normal().string();
    }
}

int Uninstall(const std::string& service_name) {
    if (auto removed = UninstallService(service_name); !removed) {
        std::cerr << "rollcall-agent: " << removed.error().message << "\n";
        return 1;
    }
    std::cout << "removed the service " << service_name << "\n";
    return 0;
}

int Install(const std::string& service_name,
            const std::filesystem::path& config_path,
            const AgentConfig& config,
            int argc,
            char** argv) {
    if (const auto* extra = OptionBesidesConfigAndName(argc, argv)) {
        std::cerr << "rollcall-agent: install: " << extra
                  << " belongs in the settings file; the service reads only that file\n";
        return 1;
    }
    if (const auto problem = ConfigProblem(config); !problem.empty()) {
        std::cerr << "rollcall-agent: " << config_path.string() << ": " << problem << "\n";
        return 1;
    }
    if (auto installed = InstallService(service_name, config_path); !installed) {
        std::cerr << "rollcall-agent: " << installed.error().message << "\n";
        return 1;
    }
    const auto folder = config_path.parent_path();
    if (auto restricted = RestrictToAdministrators(folder); !restricted) {
        std::cerr << "rollcall-agent: warning: " << restricted.error().message
                  << "; make sure only administrators can read or write " << folder.string() << "\n";
    }
    std::cout << "installed the service " << service_name << " with " << config_path.string()
              << "; start it with: sc start " << service_name << "\n";
    return 0;
}

int Serve(const std::string& service_name, const std::filesystem::path& config_path, AgentCliOptions options) {
    // From here on the log file is the only voice the service has: problems with the settings go there.
    AnchorPaths(options.config, options.log_file, config_path.parent_path());
    SetUpLogging(options.log_file, false);
    Agent agent(options.config);
    auto served = RunAsService(
        service_name,
        [&] {
            if (const auto problem = ConfigProblem(options.config); !problem.empty()) {
                spdlog::error("service not started: {}: {}", config_path.string(), problem);
                return 1;
            }
            spdlog::info("service started: server {}, spool {}", options.config.server, options.config.spool);
            agent.Run();
            spdlog::info("service stopped");
            return 0;
        },
        [&agent] { agent.Stop(); });
    if (!served) {
        std::cerr << "rollcall-agent: " << served.error().message << "\n";
        return 1;
    }
    return 0;
}
#endif

}  // namespace

core::Result<AgentCliOptions> ParseAgentArguments(const std::vector<std::string>& args) {
    CLI::App cli{"rollcall-agent"};
    RawAgentFlags flags;
    AddAgentFlags(cli, flags);
    std::vector<const char*> argv{"rollcall-agent"};
    for (const auto& a : args) {
        argv.push_back(a.c_str());
    }
    try {
        cli.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError& e) {
        return MakeError(Errc::kInvalidArgument, e.what());
    }
    return Convert(std::move(flags));
}

std::string ConfigProblem(const AgentConfig& config) {
    if (config.server.empty() || config.token.empty()) {
        return "--server and --token are required (or --probe HOST:PORT)";
    }
#ifdef _WIN32
    if (!config.ca_file.empty()) {
        // WinHTTP trusts the Windows certificate store only; a second trust list beside it would be ours to get
        // right, so the CA goes where Windows looks (docs/agent.md "HTTPS").
        return "--ca-file is not used on Windows: add the CA to the local computer's Trusted Root Certification "
               "Authorities (certlm.msc, or certutil -addstore Root FILE)";
    }
#endif
    return {};
}

core::Result<ZkOptions> ProbeTarget(const std::string& target,
                                    std::uint32_t comm_key,
                                    std::chrono::milliseconds timeout) {
    const auto colon = target.rfind(':');
    unsigned long port = 0;
    try {
        port = colon == std::string::npos ? 0 : std::stoul(target.substr(colon + 1));
    } catch (const std::exception&) {
        port = 0;
    }
    if (colon == std::string::npos || colon == 0 || port == 0 || port > 65535) {
        return MakeError(Errc::kInvalidArgument, "--probe: expected HOST:PORT");
    }
    return ZkOptions{target.substr(0, colon), static_cast<std::uint16_t>(port), comm_key, timeout, true};
}

core::Result<std::string> ProbeTerminal(const ZkOptions& terminal) {
    const auto started = std::chrono::steady_clock::now();
    ROLLCALL_TRY(auto client, ZkClient::Connect(terminal));
    ROLLCALL_TRY(const auto info, client->ReadInfo());
    std::size_t skipped = 0;
    std::optional<std::uint32_t> expected;
    if (info.sizes) {
        expected = info.sizes->records;
    }
    ROLLCALL_TRY(const auto punches, client->ReadAttendance(expected, skipped));
    client->Disconnect();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    // What the terminal counts beside what it sent: a shortfall is what keeps its absences pending (R16).
    return fmt::format(
        "{{\"transport\":\"{}\",\"serial\":\"{}\",\"counted\":{},\"records\":{},\"skipped\":{},"
        "\"seconds\":{:.3f},\"peak_rss_kib\":{}}}",
        client->transport(),
        info.serial,
        expected ? std::to_string(*expected) : "null",
        punches.size(),
        skipped,
        seconds,
        PeakRssKib());
}

int RunAgentCli(int argc, char** argv) {
    RawAgentFlags flags;
    CLI::App cli{"rollcall-agent: reads TCP/IP attendance terminals and uploads their punches to Rollcall"};
    [[maybe_unused]] auto* config_option = AddAgentFlags(cli, flags);
#ifdef _WIN32
    std::string service_name = kDefaultServiceName;
    auto* install = cli.add_subcommand("install", "register the agent as a Windows service (with --config FILE)");
    auto* uninstall = cli.add_subcommand("uninstall", "stop and remove the Windows service");
    auto* service = cli.add_subcommand("service", "run as the Windows service (Windows starts it; not by hand)");
    for (auto* sub : {install, uninstall, service}) {
        sub->add_option("--name", service_name, "the service's name (default RollcallAgent)");
        sub->fallthrough();
    }
    cli.require_subcommand(0, 1);
#endif
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e);
    }
    auto options = Convert(std::move(flags));
    if (!options.probe.empty()) {
        const auto terminal = ProbeTarget(options.probe, options.probe_comm_key, options.config.device_timeout);
        if (!terminal) {
            std::cerr << terminal.error().message << "\n";
            return 1;
        }
        const auto found = ProbeTerminal(*terminal);
        if (!found) {
            std::cerr << "probe: " << found.error().message << "\n";
            return 2;
        }
        std::printf("%s\n", found->c_str());
        return 0;
    }
#ifdef _WIN32
    if (*uninstall) {
        return Uninstall(service_name);
    }
    if (*install || *service) {
        if (config_option->count() == 0) {
            std::cerr << "rollcall-agent: the service reads its settings from a file: give --config FILE\n";
            return 1;
        }
        const auto config_path = std::filesystem::absolute(config_option->as<std::string>());
        if (*install) {
            return Install(service_name, config_path, options.config, argc, argv);
        }
        return Serve(service_name, config_path, std::move(options));
    }
#endif
    if (const auto problem = ConfigProblem(options.config); !problem.empty()) {
        std::cerr << "rollcall-agent: " << problem << "\n";
        return 1;
    }
    SetUpLogging(options.log_file, true);
    if (options.once) {
        return SyncOnce(options.config);
    }
    return RunUntilSignalled(options.config);
}

}  // namespace rollcall::agent
