#pragma once

// Gateways that fail in a known way, on ports the test holds for its whole life (no assumption that some
// port is closed, no race with another program taking it).

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace rollcall::test {

namespace tcp_faults_detail {

/// A TCP socket bound to 127.0.0.1 on a port the kernel picks; returns the fd and the port.
inline std::pair<int, std::uint16_t> BindLoopback() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        const std::string error = std::strerror(errno);
        ::close(fd);
        throw std::runtime_error("bind 127.0.0.1:0: " + error);
    }
    return {fd, ntohs(addr.sin_port)};
}

}  // namespace tcp_faults_detail

/// A port bound on 127.0.0.1 and never listened on: every connection to it is refused (the kernel answers
/// the SYN with a reset) for as long as this object lives, and nothing else can bind it meanwhile.
class RefusingPort {
public:
    RefusingPort() { std::tie(fd_, port_) = tcp_faults_detail::BindLoopback(); }
    ~RefusingPort() { ::close(fd_); }
    RefusingPort(const RefusingPort&) = delete;
    RefusingPort& operator=(const RefusingPort&) = delete;

    std::string Url(const std::string& path = "/hook") const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }

private:
    int fd_ = -1;
    std::uint16_t port_ = 0;
};

/// A gateway that accepts every connection and never answers: the connections are kept open, unread,
/// until this object is destroyed. A client waits for an answer that never comes, until its own timeout.
class SilentGateway {
public:
    SilentGateway() {
        std::tie(fd_, port_) = tcp_faults_detail::BindLoopback();
        if (::listen(fd_, 16) != 0 || ::pipe2(wake_, O_CLOEXEC) != 0) {
            const std::string error = std::strerror(errno);
            ::close(fd_);
            throw std::runtime_error("SilentGateway: " + error);
        }
        thread_ = std::thread([this] { AcceptLoop(); });
    }
    ~SilentGateway() {
        [[maybe_unused]] const ssize_t woken = ::write(wake_[1], "x", 1);  // a full pipe wakes the poll too
        thread_.join();
        for (const int c : connections_) {
            ::close(c);
        }
        ::close(wake_[0]);
        ::close(wake_[1]);
        ::close(fd_);
    }
    SilentGateway(const SilentGateway&) = delete;
    SilentGateway& operator=(const SilentGateway&) = delete;

    std::string Url(const std::string& path = "/hook") const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }
    /// Waits until `count` connections were accepted, or the deadline; returns how many were.
    std::size_t WaitForConnections(std::size_t count, std::chrono::milliseconds deadline = std::chrono::seconds(30)) {
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, deadline, [&] { return connections_.size() >= count; });
        return connections_.size();
    }

private:
    void AcceptLoop() {
        for (;;) {
            pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
            if (::poll(fds, 2, -1) < 0) {
                if (errno == EINTR) {
                    continue;
                }
                return;
            }
            if (fds[1].revents != 0) {
                return;
            }
            const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (c >= 0) {
                std::lock_guard lock(mu_);
                connections_.push_back(c);
                cv_.notify_all();
            }
        }
    }

    int fd_ = -1;
    int wake_[2] = {-1, -1};
    std::uint16_t port_ = 0;
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<int> connections_;
    std::thread thread_;
};

}  // namespace rollcall::test
