#include "sim/sim_cli.hpp"

#include "core/clock.hpp"
#include "sim/zk_device.hpp"
#include "sim/zk_export.hpp"

#include <csignal>
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace rollcall::sim {
namespace {

using core::Errc;
using core::MakeError;
using protocol::zk::AttendanceEventLayout;
using protocol::zk::AttendanceFormat;
using protocol::zk::UserFormat;

/// Flags as CLI11 reads them, before they are checked and turned into ZkSimOptions.
struct RawZkFlags {
    std::string listen = "127.0.0.1:4370";
    std::uint32_t users = 0;
    std::uint32_t records = 0;
    std::uint64_t seed = 1;
    std::uint32_t comm_key = 0;
    std::string serial;
    std::string export_file;
    std::string export_users_file;
    int record_format = 0;
    int user_format = 0;
    int event_bytes = 0;
    bool udp_only = false;
    std::int64_t live_punch_interval_ms = 0;
    std::int64_t tcp_prepare_pause_ms = -1;
    std::int64_t tcp_transfer_pause_ms = -1;
    std::uint32_t udp_burst = 0;
    std::int64_t udp_burst_pause_ms = -1;
    std::int64_t udp_slowdown_per_mib_ms = -1;
    std::int64_t slow_buffer_ms = 0;
    std::int64_t late_ack_ms = 0;
    std::uint32_t corrupt_timestamps = 0;
    bool verbose = false;
    /// The faults CLI11 writes as they are; the two given in milliseconds (slow_buffer_ms, late_ack_ms above) are
    /// checked and converted before they join these.
    ZkFaults faults;
};

void AddZkFlags(CLI::App& zk, RawZkFlags& f) {
    zk.add_option("--listen", f.listen, "HOST:PORT for TCP and UDP (default 127.0.0.1:4370; port 0 picks one)");
    zk.add_option("--users", f.users, "users the terminal holds (at most 60000)");
    zk.add_option("--records", f.records, "attendance records it holds (at most 100000)");
    zk.add_option("--seed", f.seed, "seed of the generated users, records, live punches and session ids (default 1)");
    zk.add_option("--comm-key", f.comm_key, "communication password; CONNECT then needs CMD_AUTH (default none)");
    zk.add_option("--serial", f.serial, "serial number (~SerialNumber; default RCSIM + the seed)");
    zk.add_option("--export", f.export_file, "write the records as JSON lines to FILE");
    zk.add_option("--export-users", f.export_users_file, "write the users as JSON lines to FILE");
    zk.add_option("--record-format", f.record_format, "attendance record size 8|16|40|49 (default TCP 40, UDP 16)");
    zk.add_option("--user-format", f.user_format, "user record size 28|72 (default TCP 72, UDP 28)");
    zk.add_option("--event-bytes", f.event_bytes, "realtime event payload 10|12|14|32|36 (default 32; 10 for 16)");
    zk.add_flag("--udp-only", f.udp_only, "no TCP listener (node-zklib then falls back to UDP)");
    zk.add_option("--live-punch-interval-ms", f.live_punch_interval_ms, "someone punches every N ms (default never)");
    zk.add_option("--tcp-prepare-pause-ms", f.tcp_prepare_pause_ms, "pause after PREPARE_DATA on TCP (default 10)");
    zk.add_option("--tcp-transfer-pause-ms", f.tcp_transfer_pause_ms, "pause after a TCP transfer (default 20)");
    zk.add_option("--udp-burst", f.udp_burst, "UDP DATA datagrams per burst (default 4)");
    zk.add_option("--udp-burst-pause-ms", f.udp_burst_pause_ms, "pause between UDP bursts (default 2)");
    zk.add_option("--udp-slowdown-per-mib-ms",
                  f.udp_slowdown_per_mib_ms,
                  "added to that pause per MiB already sent of the dataset (default 32)");
    zk.add_option("--slow-buffer-ms", f.slow_buffer_ms, "fault: answer 1503 after N ms");
    zk.add_flag("--no-buffered-read", f.faults.no_buffered_read, "fault: ACK_ERROR to 1503 (forces the legacy read)");
    zk.add_flag(
        "--direct-small-datasets", f.faults.direct_small_datasets, "answer 1503 with CMD_DATA up to 1016 bytes");
    zk.add_flag("--short-free-sizes", f.faults.short_free_sizes, "fault: GET_FREE_SIZES answers 4 bytes (WL20)");
    zk.add_option("--late-ack-ms", f.late_ack_ms, "fault: send a transfer's trailing ACK_OK N ms after the data");
    zk.add_option("--drop-udp-every", f.faults.drop_udp_every, "fault: drop every Nth DATA datagram of UDP transfers");
    zk.add_flag("--ignore-disable", f.faults.ignore_disable, "fault: live punches continue while disabled");
    zk.add_option("--corrupt-timestamps", f.corrupt_timestamps, "fault: N records get a raw 0 or 31-Feb time");
    zk.add_flag(
        "--reset-on-second-client", f.faults.reset_on_second_client, "fault: a new TCP client resets the others");
    zk.add_option(
        "--clock-drift-seconds", f.faults.clock_drift_seconds, "fault: device clock starts N s off the host's");
    zk.add_option("--withhold-records",
                  f.faults.withhold_records,
                  "fault: downloads leave out the last N records, which GET_FREE_SIZES still counts");
    zk.add_flag(
        "--legacy-bare-data", f.faults.legacy_bare_data, "fault: a legacy read is one bare CMD_DATA (no PREPARE_DATA)");
    zk.add_flag(
        "--legacy-one-frame", f.faults.legacy_one_frame, "fault: a legacy read over TCP sends the log in one frame");
    zk.add_flag("--bad-checksums", f.faults.bad_checksums, "fault: every packet sent has a wrong checksum");
    zk.add_flag("--refuse-user-read", f.faults.refuse_user_read, "fault: ACK_ERROR to every read of the user table");
    zk.add_flag("--verbose", f.verbose, "log every request on stderr");
}

core::Result<std::chrono::milliseconds> Milliseconds(std::int64_t value, const char* flag) {
    if (value < 0) {
        return MakeError(Errc::kInvalidArgument, std::string(flag) + " must not be negative");
    }
    return std::chrono::milliseconds(value);
}

// Pacing flags default to -1, meaning "keep ZkPacing's default".
core::Status ApplyPause(std::int64_t value, const char* flag, std::chrono::milliseconds& target) {
    if (value == -1) {
        return {};
    }
    ROLLCALL_TRY(target, Milliseconds(value, flag));
    return {};
}

core::Result<ZkSimOptions> Convert(const RawZkFlags& f) {
    ZkSimOptions o;
    ROLLCALL_CHECK(ParseListen(f.listen, o.server));
    o.population = {f.users, f.records, f.seed, f.corrupt_timestamps};
    if (f.users > kMaxUsers || f.records > kMaxRecords) {
        return MakeError(Errc::kInvalidArgument,
                         "--users is at most " + std::to_string(kMaxUsers) + " and --records at most " +
                             std::to_string(kMaxRecords));
    }
    ZkDeviceConfig& d = o.device;
    d.seed = f.seed;
    d.comm_key = f.comm_key;
    if (!f.serial.empty()) {
        d.serial_number = f.serial;
    } else {
        char serial[32];
        std::snprintf(serial, sizeof serial, "RCSIM%08llu", static_cast<unsigned long long>(f.seed % 100000000));
        d.serial_number = serial;
    }
    switch (f.record_format) {
        case 0:
            break;
        case 8:
        case 16:
        case 40:
        case 49:
            d.attendance_format = static_cast<AttendanceFormat>(f.record_format);
            break;
        default:
            return MakeError(Errc::kInvalidArgument, "--record-format must be 8, 16, 40 or 49");
    }
    switch (f.user_format) {
        case 0:
            break;
        case 28:
        case 72:
            d.user_format = static_cast<UserFormat>(f.user_format);
            break;
        default:
            return MakeError(Errc::kInvalidArgument, "--user-format must be 28 or 72");
    }
    switch (f.event_bytes) {
        case 0:
            break;
        case 10:
            d.event_layout = AttendanceEventLayout::kShort10;
            break;
        case 12:
            d.event_layout = AttendanceEventLayout::kNumeric12;
            break;
        case 14:
            d.event_layout = AttendanceEventLayout::kShort14;
            break;
        case 32:
            d.event_layout = AttendanceEventLayout::kText32;
            break;
        case 36:
            d.event_layout = AttendanceEventLayout::kText36;
            break;
        default:
            return MakeError(Errc::kInvalidArgument, "--event-bytes must be 10, 12, 14, 32 or 36");
    }
    o.server.udp_only = f.udp_only;
    ROLLCALL_TRY(o.server.live_punch_interval, Milliseconds(f.live_punch_interval_ms, "--live-punch-interval-ms"));
    ROLLCALL_CHECK(ApplyPause(f.tcp_prepare_pause_ms, "--tcp-prepare-pause-ms", d.pacing.tcp_prepare_pause));
    ROLLCALL_CHECK(ApplyPause(f.tcp_transfer_pause_ms, "--tcp-transfer-pause-ms", d.pacing.tcp_transfer_pause));
    ROLLCALL_CHECK(ApplyPause(f.udp_burst_pause_ms, "--udp-burst-pause-ms", d.pacing.udp_burst_pause));
    ROLLCALL_CHECK(ApplyPause(f.udp_slowdown_per_mib_ms, "--udp-slowdown-per-mib-ms", d.pacing.udp_slowdown_per_mib));
    if (f.udp_burst != 0) {
        d.pacing.udp_burst = f.udp_burst;
    }
    ZkFaults& faults = d.faults;
    faults = f.faults;
    ROLLCALL_TRY(faults.slow_buffer, Milliseconds(f.slow_buffer_ms, "--slow-buffer-ms"));
    ROLLCALL_TRY(faults.late_ack, Milliseconds(f.late_ack_ms, "--late-ack-ms"));
    o.export_file = f.export_file;
    o.export_users_file = f.export_users_file;
    o.verbose = f.verbose;
    return o;
}

core::Status WriteExports(const ZkSimOptions& o, const ZkDevice& device) {
    if (!o.export_file.empty()) {
        ROLLCALL_CHECK(WriteFileAtomically(o.export_file, RecordsAsJsonLines(device.records())));
    }
    if (!o.export_users_file.empty()) {
        ROLLCALL_CHECK(WriteFileAtomically(o.export_users_file, UsersAsJsonLines(device.users())));
    }
    return {};
}

int RunZk(const ZkSimOptions& o) {
    auto population = GeneratePopulation(o.population);
    if (!population.ok()) {
        std::cerr << "rollcall-sim: " << population.error().message << "\n";
        return 2;
    }
    core::SystemClock clock;
    ZkDevice device(o.device, std::move(*population), clock);
    if (auto s = WriteExports(o, device); !s) {
        std::cerr << "rollcall-sim: " << s.error().message << "\n";
        return 1;
    }
    // Blocked before the io thread starts, so only sigwait below receives them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    ZkServer server(device, o.server);
    const auto port = server.Start();
    if (!port.ok()) {
        std::cerr << "rollcall-sim: " << port.error().message << "\n";
        return 1;
    }
    spdlog::info("zk terminal {}: {} users, {} records{}",
                 o.device.serial_number,
                 device.users().size(),
                 device.records().size(),
                 o.server.udp_only ? ", UDP only" : "");
    std::cout << "rollcall-sim zk listening on " << o.server.host << ":" << *port << std::endl;
    int sig = 0;
    sigwait(&signals, &sig);
    server.Stop();
    if (auto s = WriteExports(o, device); !s) {
        std::cerr << "rollcall-sim: " << s.error().message << "\n";
        return 1;
    }
    return 0;
}

}  // namespace

core::Status ParseListen(const std::string& text, ZkServerOptions& server) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
        return MakeError(Errc::kInvalidArgument, "--listen expects HOST:PORT, got '" + text + "'");
    }
    std::string host = text.substr(0, colon);
    if (host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    const std::string port_text = text.substr(colon + 1);
    unsigned long port = 0;
    try {
        std::size_t used = 0;
        port = std::stoul(port_text, &used);
        if (used != port_text.size()) {
            throw std::invalid_argument(port_text);
        }
    } catch (const std::exception&) {
        return MakeError(Errc::kInvalidArgument, "--listen port is not a number: '" + port_text + "'");
    }
    if (port > 65535) {
        return MakeError(Errc::kInvalidArgument, "--listen port over 65535");
    }
    server.host = host;
    server.port = static_cast<std::uint16_t>(port);
    return {};
}

core::Result<ZkSimOptions> ParseZkArguments(const std::vector<std::string>& args) {
    CLI::App app{"rollcall-sim zk"};
    RawZkFlags flags;
    AddZkFlags(app, flags);
    std::vector<const char*> argv{"zk"};
    for (const auto& a : args) {
        argv.push_back(a.c_str());
    }
    try {
        app.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError& e) {
        return MakeError(Errc::kInvalidArgument, e.what());
    }
    return Convert(flags);
}

int RunSimCli(int argc, char** argv) {
    CLI::App cli{"rollcall-sim: simulated attendance terminals for tests, demos and people without hardware"};
    cli.require_subcommand(1);
    RawZkFlags flags;
    auto* zk = cli.add_subcommand("zk", "a ZK terminal on TCP and UDP (the binary protocol of port 4370)");
    AddZkFlags(*zk, flags);
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e);
    }
    auto options = Convert(flags);
    if (!options.ok()) {
        std::cerr << "rollcall-sim: " << options.error().message << "\n";
        return 2;
    }
    // stdout carries only the listening line a test reads; logs go to stderr.
    auto logger = spdlog::stderr_color_mt("rollcall-sim");
    logger->set_level(options->verbose ? spdlog::level::debug : spdlog::level::info);
    spdlog::set_default_logger(logger);
    return RunZk(*options);
}

}  // namespace rollcall::sim
