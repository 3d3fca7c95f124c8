#pragma once

#include <string>
#include <vector>

#include <sys/types.h>

namespace rollcall::test {

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

/// Runs a program to completion with `input` on its stdin.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& input = "");

/// A `rollcall serve` child process; the port is read from its first stdout line.
class ServerProcess {
public:
    ServerProcess(const std::string& binary, const std::vector<std::string>& extra_args);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    int port() const { return port_; }
    /// Sends a signal and waits for the exit; returns the wait status.
    int Signal(int sig);

private:
    pid_t pid_ = -1;
    int port_ = 0;
    int out_fd_ = -1;
};

}  // namespace rollcall::test
