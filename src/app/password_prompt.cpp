#include "app/password_prompt.hpp"

#include <csignal>
#include <cstdio>
#include <iostream>
#include <stdexcept>

#include <termios.h>
#include <unistd.h>

namespace rollcall::app {
namespace {

// The terminal as it was before the prompt, for a signal handler: Ctrl-C at the prompt must not leave the
// admin's terminal without echo.
termios g_saved_terminal{};

extern "C" void RestoreTerminalAndDie(int sig) {
    tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_terminal);  // async-signal-safe
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

/// Turns the terminal's echo off for as long as it lives, so a password typed is never shown (nor left in the
/// scrollback); the terminal is restored when reading throws, and when a signal (Ctrl-C) ends the command.
class EchoOff {
public:
    explicit EchoOff(int fd) : fd_(fd) {
        if (tcgetattr(fd_, &saved_) == 0) {
            g_saved_terminal = saved_;
            for (const int sig : kStopSignals) {
                std::signal(sig, RestoreTerminalAndDie);
            }
            termios quiet = saved_;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            quiet.c_lflag |= ECHONL;  // the Enter still moves to the next line
            active_ = tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
        }
    }
    ~EchoOff() {
        if (active_) {
            tcsetattr(fd_, TCSAFLUSH, &saved_);
        }
        for (const int sig : kStopSignals) {
            std::signal(sig, SIG_DFL);
        }
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

private:
    int fd_;
    termios saved_{};
    bool active_ = false;
};

std::string ReadLine(std::istream& in) {
    std::string line;
    if (!std::getline(in, line)) {
        throw std::runtime_error("no password given: type it at the prompt, or give it on the first line of stdin");
    }
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();  // a line typed on Windows, or piped from a file saved there
    }
    return line;
}

}  // namespace

std::string ReadNewPassword(std::istream& in, const std::string& who) {
    if (isatty(STDIN_FILENO) == 0) {
        return ReadLine(in);
    }
    const EchoOff quiet(STDIN_FILENO);
    std::cerr << "New password for " << who << " (not shown): " << std::flush;
    auto first = ReadLine(in);
    std::cerr << "Type it again: " << std::flush;
    const auto second = ReadLine(in);
    if (first != second) {
        throw std::runtime_error("the two passwords differ; nothing changed");
    }
    return first;
}

}  // namespace rollcall::app
