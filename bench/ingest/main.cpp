// bench_ingest: push ingestion through the real `rollcall` binary, each figure beside a raw SQLite
// insert of the same rows measured in the same run.
//   (a)  50 devices, keep-alive, sequential 500-punch batches   vs (a') the rows in 500-row transactions
//                                                                and (a'') in transactions of the server's
//                                                                measured group-commit size
//   (b)  64 connections, single-punch pushes back-to-back       vs (b') one commit per row: the disk's
//                                                                fsync rate, which bounds (b)
// plus the server's RSS (sampled every 100 ms, and VmHWM). The raw baselines use the server's schema (its
// own migrations) and its writer's pragmas, cache size included. Every answer must be 200 with the expected
// "inserted", and after the run the database must hold exactly the punches sent.
// Each comparison runs in kRounds alternating rounds (a slice of the baseline, then the same slice through the
// server) and the median round's ratio is judged: a machine whose load changes during the run moves both sides
// of a round alike, where one baseline measured before the whole server run could land in a quiet or a busy
// moment alone.
// Exit status: 0 when every check and goal holds, 1 on a MISS, 2 when a request or check failed.

#include "common/outcome.hpp"
#include "http_load.hpp"
#include "proc_stats.hpp"
#include "raw_sqlite.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "workload.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/parse.hpp>

#include <unistd.h>

namespace rollcall::bench {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using test::RunCommand;
using test::ServerProcess;

// Judged goals: ratios against a baseline of the same run, and memory.
constexpr double kGoalBatchRatio = 0.9;  // (a) against the raw 500-row-transaction rate (a')
// (b) against one commit per row (b'), the disk's fsync rate: group commit must serve clearly more requests per
// second than the disk does fsyncs.
constexpr double kGoalSingleRatio = 1.5;
constexpr double kGoalRssMib = 64;
constexpr int kRounds = 5;  // odd, so the median is one round's ratio
// What a quiet machine of the project's kind meets; printed, not judged (a busy machine halves them).
constexpr double kQuietBatchRate = 100'000;  // punches/s
constexpr double kQuietSingleRate = 10'000;  // requests/s

struct DeviceCred {
    std::int64_t id = 0;
    std::string token;
};

/// The server binary is built beside this one (CMAKE_RUNTIME_OUTPUT_DIRECTORY).
std::string ServerBinary() {
    const auto self = fs::read_symlink("/proc/self/exe");
    const auto binary = self.parent_path() / "rollcall";
    if (access(binary.c_str(), X_OK) != 0) {
        throw std::runtime_error(binary.string() + " not found: build the rollcall target");
    }
    return binary.string();
}

json::object CliJson(const std::string& binary, std::vector<std::string> args, const fs::path& data_dir) {
    args.insert(args.begin(), binary);
    args.emplace_back("--data-dir");
    args.emplace_back(data_dir.string());
    const auto r = RunCommand(args);
    if (r.exit_code != 0) {
        throw std::runtime_error("`rollcall " + args[1] + " " + args[2] + "` failed: " + r.err);
    }
    return json::parse(r.out).as_object();
}

std::string BatchBody(int batch) {
    std::string body = "{\"logs\":[";
    for (int i = 0; i < kBatchSize; ++i) {
        const auto p = BatchPunch(batch, i);
        body += (i == 0 ? "{\"user_id\":\"" : ",{\"user_id\":\"") + p.user_id + "\",\"timestamp\":\"" + p.timestamp +
                "\",\"status\":0}";
    }
    return body + "]}";
}

std::string SingleBody(int k) {
    const auto p = SinglePunch(k);
    return "{\"logs\":[{\"user_id\":\"" + p.user_id + "\",\"timestamp\":\"" + p.timestamp + "\",\"status\":0}]}";
}

/// The writer's group-commit counters from the server's /metrics.
struct CommitCounters {
    double commits = 0;
    double seconds = 0;
    double rows = 0;
};

CommitCounters ReadCommitCounters(std::uint16_t port) {
    const std::string text = HttpGet(port, "/metrics");
    const auto value = [&](const std::string& name) {
        const auto at = text.find("\n" + name + " ");
        return at == std::string::npos ? 0.0 : std::strtod(text.c_str() + at + name.size() + 2, nullptr);
    };
    return {value("rollcall_commit_seconds_count"),
            value("rollcall_commit_seconds_sum"),
            value("rollcall_committed_rows_total")};
}

/// The middle value (kRounds is odd).
double Median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

double Mib(long kib) {
    return static_cast<double>(kib) / 1024.0;
}

/// A phase's rate, its requests' median and 99th-percentile times, and the rate a quiet machine reaches:
/// "<rate> <unit> (p50 <ms> ms, p99 <ms> ms<per>; quiet-machine goal >= <quiet_rate>/s)".
std::string RateAndLatencies(double rate, const char* unit, LoadResult& phase, const char* per, double quiet_rate) {
    char text[256];
    std::snprintf(text,
                  sizeof text,
                  "%.0f %s (p50 %.1f ms, p99 %.1f ms%s; quiet-machine goal >= %.0f/s)",
                  rate,
                  unit,
                  Quantile(phase.latencies_ms, 0.5),
                  Quantile(phase.latencies_ms, 0.99),
                  per,
                  quiet_rate);
    return text;
}

int Run() {
    const std::string binary = ServerBinary();
    const test::TempDir tmp_dir;
    const fs::path tmp(tmp_dir.path());
    const auto data_dir = tmp / "data";
    fs::create_directories(data_dir);
    std::printf("bench_ingest: %u CPUs, loopback, SQLite WAL + synchronous=FULL, files in %s\n",
                std::thread::hardware_concurrency(),
                tmp.c_str());

    // Setup through the real CLI, as an operator would: create the database, then the school and its devices.
    if (const auto init = RunCommand({binary, "init", "--data-dir", data_dir.string()}); init.exit_code != 0) {
        throw std::runtime_error("`rollcall init` failed: " + init.err);
    }
    CliJson(binary, {"school", "create", "--name", "B", "--timezone", "UTC"}, data_dir);
    std::vector<DeviceCred> devices;
    for (int d = 0; d < std::max(kBatchDevices, kSingleConnections); ++d) {
        const auto o = CliJson(
            binary,
            {"device", "create", "--school", "1", "--name", "gate" + std::to_string(d + 1), "--sync-mode", "push"},
            data_dir);
        devices.push_back({o.at("id").as_int64(), std::string(o.at("api_token").as_string())});
    }

    // Everything sent or inserted is built before any clock starts. Both sides take the rows in the
    // order the server sees them: batch k of every device, device after device. Round r holds its slice.
    static_assert(kBatchesPerDevice % kRounds == 0 && kPushesPerConnection % kRounds == 0 &&
                  kRawSingleRows % kRounds == 0);
    using Requests = std::vector<std::vector<std::string>>;  // per connection
    std::vector<std::vector<RawRow>> raw_batch_rows(kRounds);
    std::vector<Requests> batch_requests(kRounds, Requests(kBatchDevices));
    for (int k = 0; k < kBatchesPerDevice; ++k) {
        const int r = k / (kBatchesPerDevice / kRounds);
        const std::string body = BatchBody(k);  // same punches for every device; the device differs
        for (int d = 0; d < kBatchDevices; ++d) {
            batch_requests[r][d].push_back(PushRequest(devices[d].token, body));
            for (int i = 0; i < kBatchSize; ++i) {
                raw_batch_rows[r].push_back({devices[d].id, BatchPunch(k, i)});
            }
        }
    }
    std::vector<Requests> single_requests(kRounds, Requests(kSingleConnections));
    for (int d = 0; d < kSingleConnections; ++d) {
        for (int k = 0; k < kPushesPerConnection; ++k) {
            single_requests[k / (kPushesPerConnection / kRounds)][d].push_back(
                PushRequest(devices[d].token, SingleBody(k)));
        }
    }
    // (b'): rows of (b) in arrival order (the connections take turns), each round's from that round's pushes.
    std::vector<std::vector<RawRow>> raw_single_rows(kRounds);
    for (int i = 0; i < kRawSingleRows; ++i) {
        const int r = i / (kRawSingleRows / kRounds);
        const int k = r * (kPushesPerConnection / kRounds) + (i % (kRawSingleRows / kRounds)) / kSingleConnections;
        raw_single_rows[r].push_back({devices[i % kSingleConnections].id, SinglePunch(k)});
    }

    ServerProcess server(binary,
                         {"--data-dir",
                          data_dir.string(),
                          "--set",
                          "log.level=warn",
                          // The per-device limits guard against a runaway device; here they would only
                          // measure the limiter.
                          "--set",
                          "push.rate_per_second=1000000",
                          "--set",
                          "push.rate_burst=1000000"});
    RssSampler rss(server.pid());
    const long idle_rss_kib = rss.TakePeakKib();

    // CPU seconds per phase show which side of the 2 cores the time went to; the commit counters show
    // how well the writer grouped requests and how long it spent committing.
    const auto run_phase = [&](const char* name, const std::vector<std::vector<std::string>>& load, int inserted) {
        const double server_cpu = ProcCpuSeconds(server.pid());
        const double client_cpu = SelfCpuSeconds();
        const auto before = ReadCommitCounters(server.port());
        auto result = RunLoad(server.port(), load, inserted);
        const auto after = ReadCommitCounters(server.port());
        const double commits = after.commits - before.commits;
        std::printf(
            "  %s: %zu requests in %.2f s, %zu failed; CPU: server %.2f s, client %.2f s; "
            "%.0f commits, %.1f rows and %.2f ms each (writer committing %.0f%% of the time)\n",
            name,
            result.requests + result.failures,
            result.seconds,
            result.failures,
            ProcCpuSeconds(server.pid()) - server_cpu,
            SelfCpuSeconds() - client_cpu,
            commits,
            (after.rows - before.rows) / std::max(commits, 1.0),
            (after.seconds - before.seconds) * 1000 / std::max(commits, 1.0),
            (after.seconds - before.seconds) * 100 / result.seconds);
        std::fflush(stdout);
        return result;
    };
    // The baselines go to their own file, (b') after (a') as (b) lands in a server database holding (a). The
    // server sits idle while a baseline runs.
    RawSqlite raw((tmp / "raw.db").string());
    std::vector<double> a_ratios;
    std::vector<double> b_ratios;
    LoadResult a;
    LoadResult b;
    double raw_batch_seconds = 0;
    double raw_single_seconds = 0;
    std::size_t raw_batch_count = 0;
    std::size_t raw_single_count = 0;
    const auto add = [](LoadResult& total, LoadResult round) {
        total.requests += round.requests;
        total.failures += round.failures;
        total.seconds += round.seconds;
        total.latencies_ms.insert(total.latencies_ms.end(), round.latencies_ms.begin(), round.latencies_ms.end());
        if (total.first_error.empty()) {
            total.first_error = round.first_error;
        }
    };
    const auto a_before = ReadCommitCounters(server.port());
    for (int r = 0; r < kRounds; ++r) {
        const double raw_seconds = raw.Insert(raw_batch_rows[r], kBatchSize);
        raw_batch_seconds += raw_seconds;
        raw_batch_count += raw_batch_rows[r].size();
        const std::string name = "(a) round " + std::to_string(r + 1);
        auto round = run_phase(name.c_str(), batch_requests[r], kBatchSize);
        const double rate = static_cast<double>(round.requests) * kBatchSize / round.seconds;
        const double raw_rate = static_cast<double>(raw_batch_rows[r].size()) / raw_seconds;
        a_ratios.push_back(rate / raw_rate);
        std::printf("    %.0f punches/s vs raw (a') %.0f rows/s: ratio %.2f\n", rate, raw_rate, a_ratios.back());
        add(a, std::move(round));
    }
    const auto a_after = ReadCommitCounters(server.port());
    const long a_rss_kib = rss.TakePeakKib();
    for (int r = 0; r < kRounds; ++r) {
        const double raw_seconds = raw.Insert(raw_single_rows[r], 1);
        raw_single_seconds += raw_seconds;
        raw_single_count += raw_single_rows[r].size();
        const std::string name = "(b) round " + std::to_string(r + 1);
        auto round = run_phase(name.c_str(), single_requests[r], 1);
        const double rate = static_cast<double>(round.requests) / round.seconds;
        const double raw_rate = static_cast<double>(raw_single_rows[r].size()) / raw_seconds;
        b_ratios.push_back(rate / raw_rate);
        std::printf("    %.0f req/s vs raw (b') %.0f commits/s: ratio %.2f\n", rate, raw_rate, b_ratios.back());
        add(b, std::move(round));
    }
    const long b_rss_kib = rss.TakePeakKib();

    const long hwm_kib = ProcStatusKib(server.pid(), "VmHWM:");  // before the process is reaped
    const int server_exit = server.Stop();

    // The work, checked: the database holds exactly the punches sent, each device its own.
    const std::size_t expected_rows =
        raw_batch_count + static_cast<std::size_t>(kSingleConnections) * static_cast<std::size_t>(kPushesPerConnection);
    const std::size_t stored_rows = CountRows((data_dir / "rollcall.db").string(), "punches");

    // (a''): the same rows in transactions of the size the server's group commit reached during (a), on a fresh
    // file, now that the server is gone: what SQLite alone does with the server's commit pattern.
    const auto group_rows =
        static_cast<std::size_t>((a_after.rows - a_before.rows) / std::max(a_after.commits - a_before.commits, 1.0));
    double raw_group_rate = 0;
    {
        RawSqlite raw_group((tmp / "raw-group.db").string());
        double seconds = 0;
        for (const auto& rows : raw_batch_rows) {
            seconds += raw_group.Insert(rows, std::max<std::size_t>(group_rows, 1));
        }
        raw_group_rate = static_cast<double>(raw_batch_count) / seconds;
        std::printf("  raw (a''): %zu rows in %zu-row txns (the server's mean group in (a)): %.2f s\n",
                    raw_batch_count,
                    group_rows,
                    seconds);
    }

    const double a_rate = static_cast<double>(a.requests) * kBatchSize / a.seconds;
    const double raw_batch_rate = static_cast<double>(raw_batch_count) / raw_batch_seconds;
    const double a_ratio = Median(a_ratios);
    const double a_group_ratio = a_rate / raw_group_rate;
    const double b_rate = static_cast<double>(b.requests) / b.seconds;
    const double raw_single_rate = static_cast<double>(raw_single_count) / raw_single_seconds;
    const double b_ratio = Median(b_ratios);
    const long peak_kib = std::max({idle_rss_kib, a_rss_kib, b_rss_kib});
    const double rss_judged = Mib(std::max(peak_kib, hwm_kib));  // VmHWM also sees between-sample peaks

    std::printf("\n");
    std::printf(
        "(a) %d devices x %d-punch batches, keep-alive: %s\n"
        "    vs raw SQLite in %d-row txns: %.0f rows/s | median round's ratio %.2f [goal >= %.2f: %s]\n"
        "    vs raw SQLite in the server's %zu-row groups: %.0f rows/s | ratio %.2f (what HTTP, JSON and the queue "
        "cost)\n",
        kBatchDevices,
        kBatchSize,
        RateAndLatencies(a_rate, "punches/s", a, " per batch", kQuietBatchRate).c_str(),
        kBatchSize,
        raw_batch_rate,
        a_ratio,
        kGoalBatchRatio,
        Verdict(a_ratio >= kGoalBatchRatio),
        group_rows,
        raw_group_rate,
        a_group_ratio);
    std::printf(
        "(b) %d connections x single-punch pushes: %s\n"
        "    vs raw SQLite, one commit per row, i.e. this disk's fsync rate: %.0f/s | median round's ratio %.1f "
        "[goal >= %.1f: "
        "%s]\n",
        kSingleConnections,
        RateAndLatencies(b_rate, "req/s", b, "", kQuietSingleRate).c_str(),
        raw_single_rate,
        b_ratio,
        kGoalSingleRatio,
        Verdict(b_ratio >= kGoalSingleRatio));
    std::printf(
        "server peak RSS: %.1f MiB (idle %.1f, during (a) %.1f, during (b) %.1f; VmHWM %.1f MiB) "
        "[goal < %.0f MiB: %s]\n",
        Mib(peak_kib),
        Mib(idle_rss_kib),
        Mib(a_rss_kib),
        Mib(b_rss_kib),
        Mib(hwm_kib),
        kGoalRssMib,
        Verdict(rss_judged < kGoalRssMib));
    std::printf("stored: %zu punches in the server's database, %zu sent\n", stored_rows, expected_rows);

    bool wrong = false;
    for (const auto* phase : {&a, &b}) {
        if (phase->failures > 0) {
            std::printf("FAILED: %s: %zu requests failed; first: %s\n",
                        phase == &a ? "(a)" : "(b)",
                        phase->failures,
                        phase->first_error.c_str());
            wrong = true;
        }
    }
    if (stored_rows != expected_rows) {
        std::printf("FAILED: the database holds %zu punches, %zu were acknowledged\n", stored_rows, expected_rows);
        wrong = true;
    }
    if (!test::ExitedWith(server_exit, 0)) {
        std::printf("FAILED: the server ended with %s after SIGTERM\n", test::DescribeExit(server_exit).c_str());
        wrong = true;
    }
    if (wrong) {
        return 2;
    }
    const bool pass = a_ratio >= kGoalBatchRatio && b_ratio >= kGoalSingleRatio && rss_judged < kGoalRssMib;
    return pass ? 0 : 1;
}

}  // namespace
}  // namespace rollcall::bench

int main() {
    return rollcall::bench::RunBench("bench_ingest", rollcall::bench::Run);
}
