#pragma once

// The real `rollcall` binary as a child process: CLI commands run to completion, and the server with
// its RSS sampled from /proc while the load runs.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

namespace rollcall::bench {

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

/// Runs a program to completion (stdin is /dev/null) and collects its output.
CommandResult RunCommand(const std::vector<std::string>& argv);

/// `rollcall serve --listen 127.0.0.1:0 ...`; the port is read from its first stdout line.
class ServerProcess {
public:
    ServerProcess(const std::string& binary, const std::vector<std::string>& extra_args);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    pid_t pid() const { return pid_; }
    std::uint16_t port() const { return port_; }
    /// SIGTERM, then waits; returns the exit code (-1 if killed by a signal).
    int Stop();

private:
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    int out_fd_ = -1;
    std::thread drain_;  // keeps reading stdout so the server never blocks on a full pipe
};

/// A "VmRSS:"-style field of /proc/PID/status in KiB, or -1 if absent.
long ProcStatusKib(pid_t pid, const char* field);

/// User + system CPU seconds a process has used so far (/proc/PID/stat), or -1.
double ProcCpuSeconds(pid_t pid);

/// User + system CPU seconds this process has used so far.
double SelfCpuSeconds();

/// Samples a process's VmRSS every 100 ms on its own thread and keeps the peak.
class RssSampler {
public:
    explicit RssSampler(pid_t pid);
    ~RssSampler();
    RssSampler(const RssSampler&) = delete;
    RssSampler& operator=(const RssSampler&) = delete;

    /// Peak since construction or the previous call, in KiB; samples once more first.
    long TakePeakKib();

private:
    void Sample();

    pid_t pid_;
    std::atomic<long> peak_kib_{0};
    std::mutex mu_;
    std::condition_variable cv_;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace rollcall::bench
