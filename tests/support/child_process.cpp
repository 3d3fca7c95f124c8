#include "support/child_process.hpp"

#include <atomic>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace rollcall::test {
namespace {

pid_t Spawn(const std::vector<std::string>& argv, int in_fd, int out_fd, int err_fd) {
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
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
        dup2(in_fd, 0);
        dup2(out_fd, 1);
        dup2(err_fd, 2);
        execv(args[0], args.data());
        _exit(127);
    }
    return pid;
}

/// Sends `sig` to the child `pid` (if it still has one) and reaps it: its wait status, or -1 without a child.
int SignalAndReap(pid_t& pid, int sig) {
    if (pid <= 0) {
        return -1;
    }
    kill(pid, sig);
    int status = 0;
    waitpid(pid, &status, 0);
    pid = -1;
    return status;
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

CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& input) {
    int in[2];
    int out[2];
    int err[2];
    MakePipe(in);
    MakePipe(out);
    MakePipe(err);
    const pid_t pid = Spawn(argv, in[0], out[1], err[1]);
    close(in[0]);
    close(out[1]);
    close(err[1]);
    if (!input.empty()) {
        // A child that exits without reading its input fails its own test; the write's count adds nothing.
        [[maybe_unused]] const ssize_t written = write(in[1], input.data(), input.size());
    }
    close(in[1]);
    CommandResult r;
    std::thread err_reader([&] { r.err = ReadAllFd(err[0]); });
    r.out = ReadAllFd(out[0]);
    err_reader.join();
    close(out[0]);
    close(err[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return r;
}

CommandResult RunCommandViaFiles(const std::vector<std::string>& argv, const std::string& scratch_dir) {
    static std::atomic<int> counter{0};
    const auto stem = scratch_dir + "/command-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
    const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    const int out_fd = open((stem + ".out").c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const int err_fd = open((stem + ".err").c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (null_fd < 0 || out_fd < 0 || err_fd < 0) {
        for (const int fd : {null_fd, out_fd, err_fd}) {
            if (fd >= 0) {
                close(fd);
            }
        }
        throw std::runtime_error("cannot create output files in " + scratch_dir);
    }
    const pid_t pid = Spawn(argv, null_fd, out_fd, err_fd);
    close(null_fd);
    int status = 0;
    waitpid(pid, &status, 0);
    CommandResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    lseek(out_fd, 0, SEEK_SET);
    lseek(err_fd, 0, SEEK_SET);
    r.out = ReadAllFd(out_fd);
    r.err = ReadAllFd(err_fd);
    close(out_fd);
    close(err_fd);
    return r;
}

ServerProcess::ServerProcess(const std::string& binary, const std::vector<std::string>& extra_args)
    : ServerProcess([&] {
          std::vector<std::string> argv{binary, "serve", "--listen", "127.0.0.1:0"};
          argv.insert(argv.end(), extra_args.begin(), extra_args.end());
          return argv;
      }()) {}

ServerProcess::ServerProcess(const std::vector<std::string>& argv) {
    int out[2];
    MakePipe(out);
    const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    pid_ = Spawn(argv, null_fd, out[1], 2);
    close(null_fd);
    close(out[1]);
    out_fd_ = out[0];
    // "Rollcall is running at http://127.0.0.1:PORT ..." is the first line once the port is bound.
    std::string line;
    char c = 0;
    pollfd pfd{out_fd_, POLLIN, 0};
    while (line.find('\n') == std::string::npos) {
        if (poll(&pfd, 1, 30000) <= 0 || read(out_fd_, &c, 1) != 1) {
            Signal(SIGKILL);
            throw std::runtime_error("server did not start: " + line);
        }
        line.push_back(c);
    }
    const auto at = line.find("127.0.0.1:");
    if (at == std::string::npos) {
        Signal(SIGKILL);
        throw std::runtime_error("unexpected first server line: " + line);
    }
    port_ = static_cast<std::uint16_t>(std::stoi(line.substr(at + 10)));
    drain_ = std::thread([fd = out_fd_] {
        char buf[4096];
        while (read(fd, buf, sizeof buf) > 0) {
        }
    });
}

ServerProcess::~ServerProcess() {
    if (pid_ > 0) {
        Signal(SIGKILL);
    }
    if (drain_.joinable()) {
        drain_.join();
    }
    if (out_fd_ >= 0) {
        close(out_fd_);
    }
}

int ServerProcess::Signal(int sig) {
    const int status = SignalAndReap(pid_, sig);
    // The server's end of the pipe is closed now, so the drain thread sees EOF.
    if (drain_.joinable()) {
        drain_.join();
    }
    return status;
}

WatchedProcess::WatchedProcess(const std::vector<std::string>& argv) {
    int err[2];
    MakePipe(err);
    const int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    pid_ = Spawn(argv, null_fd, null_fd, err[1]);
    close(null_fd);
    close(err[1]);
    err_fd_ = err[0];
}

WatchedProcess::~WatchedProcess() {
    if (pid_ > 0) {
        Signal(SIGKILL);
    }
    if (err_fd_ >= 0) {
        close(err_fd_);
    }
}

bool WatchedProcess::WaitForLine(const std::string& text, int timeout_ms) {
    pollfd pfd{err_fd_, POLLIN, 0};
    char buf[4096];
    for (;;) {
        for (auto nl = pending_.find('\n'); nl != std::string::npos; nl = pending_.find('\n')) {
            const auto line = pending_.substr(0, nl);
            pending_.erase(0, nl + 1);
            if (line.find(text) != std::string::npos) {
                return true;
            }
        }
        if (poll(&pfd, 1, timeout_ms) <= 0) {
            return false;
        }
        const auto n = read(err_fd_, buf, sizeof buf);
        if (n <= 0) {
            return false;
        }
        pending_.append(buf, static_cast<std::size_t>(n));
    }
}

int WatchedProcess::Signal(int sig) {
    return SignalAndReap(pid_, sig);
}

StdinHeldProcess::StdinHeldProcess(const std::vector<std::string>& argv) {
    int in[2];
    MakePipe(in);
    const int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    pid_ = Spawn(argv, in[0], null_fd, null_fd);
    close(null_fd);
    close(in[0]);
    in_fd_ = in[1];
}

StdinHeldProcess::~StdinHeldProcess() {
    close(in_fd_);
    // It ends on EOF; one that does not within 30 s is killed rather than hanging the test run.
    int status = 0;
    for (int i = 0; i < 600; ++i) {
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            return;
        }
        usleep(50 * 1000);
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
}

int ServerProcess::Stop() {
    return Signal(SIGTERM);
}

std::string DescribeExit(int wait_status) {
    if (wait_status < 0) {
        return "not waited for (no process)";
    }
    if (WIFEXITED(wait_status)) {
        return "exit " + std::to_string(WEXITSTATUS(wait_status));
    }
    if (WIFSIGNALED(wait_status)) {
        const int sig = WTERMSIG(wait_status);
        const char* name = strsignal(sig);
        return "killed by signal " + std::to_string(sig) + " (" + (name != nullptr ? name : "?") + ")";
    }
    return "wait status " + std::to_string(wait_status);
}

bool ExitedWith(int wait_status, int code) {
    return wait_status >= 0 && WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == code;
}

}  // namespace rollcall::test
