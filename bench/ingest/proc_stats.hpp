#pragma once

// What /proc says about a process: RSS and CPU time, sampled while the load runs. Starting the server
// and running commands is tests/support/child_process.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

namespace rollcall::bench {

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
