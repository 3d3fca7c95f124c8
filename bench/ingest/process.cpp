#include "process.hpp"

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
namespace {

pid_t Spawn(const std::vector<std::string>& argv, int out_fd, int err_fd) {
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    const pid_t pid = fork();
    if (pid < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid == 0) {
        // Only async-signal-safe calls between fork and exec: the parent has threads.
        const int null_fd = open("/dev/null", O_RDONLY);
        dup2(null_fd, 0);
        dup2(out_fd, 1);
        dup2(err_fd, 2);
        execv(args[0], args.data());
        _exit(127);
    }
    return pid;
}

std::string ReadAllFd(int fd) {
    std::string out;
    char buf[4096];
    ssize_t n = 0;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

void MakePipe(int fds[2]) {
    // Close-on-exec so a child started later does not inherit (and hold open) another child's pipe.
    if (pipe2(fds, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
}

}  // namespace

CommandResult RunCommand(const std::vector<std::string>& argv) {
    int out[2];
    int err[2];
    MakePipe(out);
    MakePipe(err);
    const pid_t pid = Spawn(argv, out[1], err[1]);
    close(out[1]);
    close(err[1]);
    CommandResult r;
    std::thread err_reader([&] { r.err = ReadAllFd(err[0]); });
    r.out = ReadAllFd(out[0]);
    err_reader.join();
    close(out[0]);
    close(err[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

ServerProcess::ServerProcess(const std::string& binary, const std::vector<std::string>& extra_args) {
    int out[2];
    MakePipe(out);
    std::vector<std::string> argv{binary, "serve", "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    pid_ = Spawn(argv, out[1], 2);
    close(out[1]);
    out_fd_ = out[0];
    // "Rollcall is running at http://127.0.0.1:PORT ..." is the first line once the port is bound.
    std::string line;
    char c = 0;
    pollfd pfd{out_fd_, POLLIN, 0};
    while (line.find('\n') == std::string::npos) {
        if (poll(&pfd, 1, 30000) <= 0 || read(out_fd_, &c, 1) != 1) {
            Stop();
            throw std::runtime_error("server did not start: " + line);
        }
        line.push_back(c);
    }
    const auto at = line.find("127.0.0.1:");
    if (at == std::string::npos) {
        Stop();
        throw std::runtime_error("unexpected first server line: " + line);
    }
    port_ = static_cast<std::uint16_t>(std::stoi(line.substr(at + 10)));
    // Log lines (they start with the date) go to our stderr; the banner's help text is dropped.
    drain_ = std::thread([fd = out_fd_] {
        std::string pending;
        char buf[4096];
        ssize_t n = 0;
        while ((n = read(fd, buf, sizeof buf)) > 0) {
            pending.append(buf, static_cast<std::size_t>(n));
            std::size_t eol = 0;
            while ((eol = pending.find('\n')) != std::string::npos) {
                if (eol > 0 && pending[0] >= '0' && pending[0] <= '9') {
                    std::cerr << "server: " << pending.substr(0, eol) << "\n";
                }
                pending.erase(0, eol + 1);
            }
        }
    });
}

ServerProcess::~ServerProcess() {
    if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }
    if (drain_.joinable()) {
        drain_.join();
    }
    if (out_fd_ >= 0) {
        close(out_fd_);
    }
}

int ServerProcess::Stop() {
    if (pid_ <= 0) {
        return -1;
    }
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    // The server's end of the pipe is closed now, so the drain thread sees EOF.
    if (drain_.joinable()) {
        drain_.join();
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

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
    const auto seconds = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; };
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
