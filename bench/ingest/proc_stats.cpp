#include "proc_stats.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace rollcall::bench {

long ProcStatusKib(pid_t pid, const char* field) {
    const std::string path = "/proc/" + std::to_string(pid) + "/status";
    FILE* f = std::fopen(path.c_str(), "r");
    if (f == nullptr) {
        return -1;
    }
    long kib = -1;
    char line[256];
    const std::size_t len = std::strlen(field);
    while (std::fgets(line, sizeof line, f) != nullptr) {
        if (std::strncmp(line, field, len) == 0) {
            kib = std::strtol(line + len, nullptr, 10);
            break;
        }
    }
    std::fclose(f);
    return kib;
}

double ProcCpuSeconds(pid_t pid) {
    const std::string path = "/proc/" + std::to_string(pid) + "/stat";
    FILE* f = std::fopen(path.c_str(), "r");
    if (f == nullptr) {
        return -1;
    }
    char buf[1024];
    const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    buf[n] = '\0';
    // Fields 14 and 15 (utime, stime) follow the ")" that ends the command name, which may hold spaces.
    const char* p = std::strrchr(buf, ')');
    unsigned long utime = 0;
    unsigned long stime = 0;
    if (p == nullptr ||
        std::sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2) {
        return -1;
    }
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double SelfCpuSeconds() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    const auto seconds = [](const timeval& tv) {
        return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
    };
    return seconds(ru.ru_utime) + seconds(ru.ru_stime);
}

RssSampler::RssSampler(pid_t pid) : pid_(pid) {
    Sample();
    thread_ = std::thread([this] {
        std::unique_lock lock(mu_);
        while (!cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stop_; })) {
            Sample();
        }
    });
}

RssSampler::~RssSampler() {
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
}

void RssSampler::Sample() {
    const long kib = ProcStatusKib(pid_, "VmRSS:");
    long seen = peak_kib_.load();
    while (kib > seen && !peak_kib_.compare_exchange_weak(seen, kib)) {
    }
}

long RssSampler::TakePeakKib() {
    Sample();
    return peak_kib_.exchange(0);
}

}  // namespace rollcall::bench
