#pragma once

// The real `rollcall` binary as a child process, for the end-to-end tests and the benchmarks: commands
// run to completion, and `rollcall serve` on a port of its choosing.

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

namespace rollcall::test {

struct CommandResult {
    int exit_code = -1;  ///< the program's exit code; -1 when a signal ended it (see `signal`)
    int signal = 0;      ///< the signal that ended it (an abort, a sanitizer's crash), else 0
    std::string out;
    std::string err;
};

/// "exit 0", "exit 3" or "killed by signal 6 (Aborted)": how a wait status ended, for failure messages.
std::string DescribeExit(int wait_status);

/// True only when the process exited normally with `code`. A process killed by a signal never matches, even
/// though WEXITSTATUS of its status reads 0: an abort() or a sanitizer's death at exit is not a clean exit.
bool ExitedWith(int wait_status, int code);

/// Runs a program to completion with `input` on its stdin and collects its output.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& input = "");

/// Like RunCommand without input, but the output goes through files in `scratch_dir` and is read after the exit:
/// for programs that leave something holding their stdout open after they end (a wine session's server keeps
/// the stdio of the processes it ran until the session ends).
CommandResult RunCommandViaFiles(const std::vector<std::string>& argv, const std::string& scratch_dir);

/// `rollcall serve --listen 127.0.0.1:0 ...`; the port is read from its first stdout line, and later
/// stdout is drained so the server never blocks on a full pipe.
class ServerProcess {
public:
    ServerProcess(const std::string& binary, const std::vector<std::string>& extra_args);
    /// Any program that prints "... 127.0.0.1:PORT ..." as its first stdout line (rollcall-sim zk).
    explicit ServerProcess(const std::vector<std::string>& argv);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    pid_t pid() const { return pid_; }
    std::uint16_t port() const { return port_; }
    /// Sends `sig`, waits for the exit and returns the wait status.
    int Signal(int sig);
    /// SIGTERM, then waits; returns the wait status (check it with ExitedWith).
    int Stop();

private:
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    int out_fd_ = -1;
    std::thread drain_;
};

/// A long-running program whose stderr a test watches line by line (the agent's progress log).
class WatchedProcess {
public:
    explicit WatchedProcess(const std::vector<std::string>& argv);
    ~WatchedProcess();
    WatchedProcess(const WatchedProcess&) = delete;
    WatchedProcess& operator=(const WatchedProcess&) = delete;

    /// Reads stderr until a line contains `text` (true), or EOF or the deadline (false).
    bool WaitForLine(const std::string& text, int timeout_ms);
    /// Sends `sig`, waits for the exit and returns the wait status.
    int Signal(int sig);

private:
    pid_t pid_ = -1;
    int err_fd_ = -1;
    std::string pending_;
};

/// A program that runs until the test closes its stdin (wine's cmd.exe keeps a wine session, and with it the
/// services of the prefix, alive for a test). Output goes to /dev/null.
class StdinHeldProcess {
public:
    explicit StdinHeldProcess(const std::vector<std::string>& argv);
    /// Closes stdin and waits for the exit (SIGKILL after 30 s).
    ~StdinHeldProcess();
    StdinHeldProcess(const StdinHeldProcess&) = delete;
    StdinHeldProcess& operator=(const StdinHeldProcess&) = delete;

private:
    pid_t pid_ = -1;
    int in_fd_ = -1;
};

}  // namespace rollcall::test
