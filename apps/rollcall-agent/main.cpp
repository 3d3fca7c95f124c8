// rollcall-agent: reads a school's TCP/IP terminals over the ZK protocol and uploads to the server
// (product.md "Agent mode", docs/agent.md).

#include "agent/agent.hpp"
#include "agent/zk_client.hpp"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#ifdef _WIN32
#include "agent/windows_service.hpp"

// psapi.h needs windows.h first.
// clang-format off
#include <windows.h>
#include <psapi.h>
// clang-format on
#endif

#include <CLI/CLI.hpp>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace {

std::atomic<bool> g_stop{false};

void OnSignal(int) {
    g_stop = true;
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

/// `--probe HOST:PORT`: reads one terminal and prints what it found, without a server. For an IT person
/// checking that this PC reaches a terminal, and for bench/agent.
int Probe(const std::string& target, std::uint32_t comm_key, std::chrono::milliseconds timeout) {
    const auto colon = target.rfind(':');
    if (colon == std::string::npos) {
        std::cerr << "--probe: expected HOST:PORT\n";
        return 1;
    }
    rollcall::agent::ZkOptions options{target.substr(0, colon),
                                       static_cast<std::uint16_t>(std::stoi(target.substr(colon + 1))),
                                       comm_key,
                                       timeout,
                                       true};
    const auto started = std::chrono::steady_clock::now();
    auto client = rollcall::agent::ZkClient::Connect(options);
    if (!client) {
        std::cerr << "probe: " << client.error().message << "\n";
        return 2;
    }
    auto info = (*client)->ReadInfo();
    if (!info) {
        std::cerr << "probe: " << info.error().message << "\n";
        return 2;
    }
    std::size_t skipped = 0;
    std::optional<std::uint32_t> expected;
    if (info->sizes) {
        expected = info->sizes->records;
    }
    auto punches = (*client)->ReadAttendance(expected, skipped);
    if (!punches) {
        std::cerr << "probe: " << punches.error().message << "\n";
        return 2;
    }
    (*client)->Disconnect();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf(
        "{\"transport\":\"%s\",\"serial\":\"%s\",\"records\":%zu,\"skipped\":%zu,\"seconds\":%.3f,"
        "\"peak_rss_kib\":%ld}\n",
        (*client)->transport().c_str(),
        info->serial.c_str(),
        punches->size(),
        skipped,
        seconds,
        PeakRssKib());
    return 0;
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

/// `--once`: 0 only if every device was read and everything read was acknowledged.
int SyncOnce(const rollcall::agent::AgentConfig& config) {
    rollcall::agent::Agent agent(config);
    auto reports = agent.SyncOnce();
    if (!reports) {
        spdlog::error("cannot get the device list from {}: {}", config.server, reports.error().message);
        return 1;
    }
    bool all_done = true;
    for (const auto& r : *reports) {
        all_done = all_done && r.reachable && r.pending == 0;
    }
    return all_done ? 0 : 2;
}

/// What keeps these settings from working, or empty.
std::string ConfigProblem(const rollcall::agent::AgentConfig& config) {
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
void AnchorPaths(rollcall::agent::AgentConfig& config, std::string& log_file, const std::filesystem::path& dir) {
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
#endif

}  // namespace

int main(int argc, char** argv) {
    rollcall::agent::AgentConfig config;
    bool once = false;
    std::string log_file;
    std::int64_t device_timeout_ms = 5000;
    std::int64_t interval_seconds = 60;
    std::int64_t retry_base_ms = 1000;
    CLI::App cli{"rollcall-agent: reads TCP/IP attendance terminals and uploads their punches to Rollcall"};
    [[maybe_unused]] auto* config_option =
        cli.set_config("--config", "", "settings file (TOML or INI: server = \"...\", token = \"...\")");
    std::string probe;
    std::uint32_t probe_comm_key = 0;
    cli.add_option("--server", config.server, "server URL, e.g. https://rollcall.example.org");
    cli.add_option("--token", config.token, "the school's agent token (rollcall agent-token create)");
    cli.add_option("--probe", probe, "read one terminal at HOST:PORT, print what it holds and exit (no server)");
    cli.add_option("--comm-key", probe_comm_key, "the terminal's comm key, with --probe");
    cli.add_option("--spool", config.spool, "directory of the local spool (default ./spool)");
    cli.add_option("--ca-file",
                   config.ca_file,
                   "trust the CA certificates in this PEM file too, for an https server with a private certificate "
                   "(Linux; on Windows, add the CA to the Windows certificate store)");
    cli.add_flag("--once", once, "one full sync of every device, then exit (0 only if everything was acknowledged)");
    cli.add_option("--interval", interval_seconds, "seconds between full syncs (default 60)")
        ->check(CLI::Range(1, 86400));
    cli.add_option("--device-timeout-ms", device_timeout_ms, "wait for a terminal's answer (default 5000)")
        ->check(CLI::Range(100, 120000));
    cli.add_option("--upload-batch", config.upload_batch, "records per upload (default 500)")
        ->check(CLI::Range(1, 5000));
    cli.add_option("--upload-attempts", config.upload_attempts, "attempts per upload before giving up for this round")
        ->check(CLI::Range(1, 100));
    cli.add_option("--retry-base-ms", retry_base_ms, "first wait after a failed upload, doubling (default 1000)")
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
    cli.add_option("--log-file", log_file, "also write the log to this file");
#ifdef _WIN32
    std::string service_name = rollcall::agent::kDefaultServiceName;
    auto* install = cli.add_subcommand("install", "register the agent as a Windows service (with --config FILE)");
    auto* uninstall = cli.add_subcommand("uninstall", "stop and remove the Windows service");
    auto* service = cli.add_subcommand("service", "run as the Windows service (Windows starts it; not by hand)");
    for (auto* sub : {install, uninstall, service}) {
        sub->add_option("--name", service_name, "the service's name (default RollcallAgent)");
        sub->fallthrough();
    }
    cli.require_subcommand(0, 1);
#endif
    CLI11_PARSE(cli, argc, argv);
    config.device_timeout = std::chrono::milliseconds(device_timeout_ms);
    config.interval = std::chrono::seconds(interval_seconds);
    config.retry_base = std::chrono::milliseconds(retry_base_ms);
    if (!probe.empty()) {
        return Probe(probe, probe_comm_key, config.device_timeout);
    }
#ifdef _WIN32
    if (*uninstall) {
        if (auto removed = rollcall::agent::UninstallService(service_name); !removed) {
            std::cerr << "rollcall-agent: " << removed.error().message << "\n";
            return 1;
        }
        std::cout << "removed the service " << service_name << "\n";
        return 0;
    }
#endif
#ifdef _WIN32
    if (*install || *service) {
        if (config_option->count() == 0) {
            std::cerr << "rollcall-agent: the service reads its settings from a file: give --config FILE\n";
            return 1;
        }
        const auto config_path = std::filesystem::absolute(config_option->as<std::string>());
        if (*install) {
            if (const auto* extra = OptionBesidesConfigAndName(argc, argv)) {
                std::cerr << "rollcall-agent: install: " << extra
                          << " belongs in the settings file; the service reads only that file\n";
                return 1;
            }
            if (const auto problem = ConfigProblem(config); !problem.empty()) {
                std::cerr << "rollcall-agent: " << config_path.string() << ": " << problem << "\n";
                return 1;
            }
            if (auto installed = rollcall::agent::InstallService(service_name, config_path); !installed) {
                std::cerr << "rollcall-agent: " << installed.error().message << "\n";
                return 1;
            }
            const auto folder = config_path.parent_path();
            if (auto restricted = rollcall::agent::RestrictToAdministrators(folder); !restricted) {
                std::cerr << "rollcall-agent: warning: " << restricted.error().message
                          << "; make sure only administrators can read or write " << folder.string() << "\n";
            }
            std::cout << "installed the service " << service_name << " with " << config_path.string()
                      << "; start it with: sc start " << service_name << "\n";
            return 0;
        }
        // From here on the log file is the only voice the service has: problems with the settings go there.
        AnchorPaths(config, log_file, config_path.parent_path());
        SetUpLogging(log_file, false);
        auto served = rollcall::agent::RunAsService(service_name, [&](const std::atomic<bool>& stop) {
            if (const auto problem = ConfigProblem(config); !problem.empty()) {
                spdlog::error("service not started: {}: {}", config_path.string(), problem);
                return 1;
            }
            spdlog::info("service started: server {}, spool {}", config.server, config.spool);
            rollcall::agent::Agent(config).Run(stop);
            spdlog::info("service stopped");
            return 0;
        });
        if (!served) {
            std::cerr << "rollcall-agent: " << served.error().message << "\n";
            return 1;
        }
        return 0;
    }
#endif
    if (const auto problem = ConfigProblem(config); !problem.empty()) {
        std::cerr << "rollcall-agent: " << problem << "\n";
        return 1;
    }

    SetUpLogging(log_file, true);
    if (once) {
        return SyncOnce(config);
    }
    rollcall::agent::Agent agent(config);
    std::signal(SIGINT, OnSignal);
    std::signal(SIGTERM, OnSignal);
    agent.Run(g_stop);
    return 0;
}
