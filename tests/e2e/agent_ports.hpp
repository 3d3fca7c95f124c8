#pragma once

// Addresses an agent test holds itself, so that nothing else can answer there: a server address that refuses
// connections, and a terminal's address behind which the test plugs a simulator, swaps it for another or takes it
// away. A test never assumes that a port it stopped using is still closed or free: it keeps holding it.
// Header-only (plain POSIX sockets) for the Linux e2e tests, the Windows tests under wine and the agent's unit tests.

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace rollcall::test {

/// A socket, closed with its owner.
class HeldSocket {
public:
    HeldSocket() = default;
    explicit HeldSocket(int fd) : fd_(fd) {}
    HeldSocket(HeldSocket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    HeldSocket& operator=(HeldSocket&& other) noexcept {
        std::swap(fd_, other.fd_);
        return *this;
    }
    ~HeldSocket() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    int fd() const { return fd_; }

    /// A socket of `type` bound to 127.0.0.1:`port` (0: any), or nullopt when that port is taken. No SO_REUSEADDR:
    /// while it is held, no other socket can bind the port, not even one that sets SO_REUSEADDR itself.
    static std::optional<HeldSocket> Bind(int type, std::uint16_t port) {
        HeldSocket s(::socket(AF_INET, type | SOCK_CLOEXEC, 0));
        if (s.fd_ < 0) {
            throw std::runtime_error("socket() failed");
        }
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(s.fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
            if (errno == EADDRINUSE) {
                return std::nullopt;
            }
            throw std::runtime_error("bind() failed");
        }
        return s;
    }
    std::uint16_t port() const {
        sockaddr_in addr{};
        socklen_t len = sizeof addr;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        return ntohs(addr.sin_port);
    }

private:
    int fd_ = -1;
};

/// A TCP port on 127.0.0.1 that refuses every connection ("connection refused", as a stopped server or a closed
/// port does) for as long as the test holds it: bound, never listened on, and never free for anyone else.
class RefusingPort {
public:
    RefusingPort() : socket_(*HeldSocket::Bind(SOCK_STREAM, 0)) {}
    /// Holds `port` if nobody has it now.
    static std::optional<RefusingPort> TryHold(std::uint16_t port) {
        auto s = HeldSocket::Bind(SOCK_STREAM, port);
        if (!s) {
            return std::nullopt;
        }
        return RefusingPort(std::move(*s));
    }
    std::uint16_t port() const { return socket_.port(); }
    /// A server URL on it: an agent pointed here finds the server down.
    std::string Url() const { return "http://127.0.0.1:" + std::to_string(port()); }

private:
    explicit RefusingPort(HeldSocket s) : socket_(std::move(s)) {}
    HeldSocket socket_;
};

/// A terminal's address (TCP and UDP on one port number, as a terminal's 4370) that the test holds. TCP
/// connections are relayed to the simulator the test plugged in, or closed at once when none is; UDP datagrams are
/// taken and never answered. So a terminal can be replaced behind a fixed address, or taken away, while the address
/// stays the test's: nobody else can start answering there.
class TerminalAddress {
public:
    TerminalAddress() {
        for (int attempt = 0; attempt < 100 && !udp_.has_value(); ++attempt) {
            listener_ = *HeldSocket::Bind(SOCK_STREAM, 0);
            udp_ = HeldSocket::Bind(SOCK_DGRAM, listener_.port());
        }
        if (!udp_ || ::listen(listener_.fd(), 16) != 0 || ::pipe2(wake_, O_CLOEXEC) != 0) {
            throw std::runtime_error("cannot hold a terminal address");
        }
        accepting_ = std::thread([this] { Accept(); });
    }
    ~TerminalAddress() {
        const char stop = 1;
        [[maybe_unused]] const ssize_t woken = ::write(wake_[1], &stop, 1);  // a full pipe wakes the poll too
        accepting_.join();
        std::lock_guard lock(mutex_);
        for (auto& link : links_) {
            ::shutdown(link.client.fd(), SHUT_RDWR);
            ::shutdown(link.terminal.fd(), SHUT_RDWR);
            link.pump.join();
        }
        ::close(wake_[0]);
        ::close(wake_[1]);
    }
    TerminalAddress(const TerminalAddress&) = delete;
    TerminalAddress& operator=(const TerminalAddress&) = delete;

    std::uint16_t port() const { return listener_.port(); }
    /// New connections go to the simulator on 127.0.0.1:`simulator_port`.
    void Plug(std::uint16_t simulator_port) { plugged_ = simulator_port; }
    /// New connections are closed at once (TCP) and datagrams go unanswered: the terminal is gone.
    void Unplug() { plugged_ = 0; }

private:
    struct Link {
        HeldSocket client;
        HeldSocket terminal;
        std::thread pump;
    };

    void Accept() {
        for (;;) {
            pollfd fds[2] = {{listener_.fd(), POLLIN, 0}, {wake_[0], POLLIN, 0}};
            if (::poll(fds, 2, -1) < 0 && errno != EINTR) {
                return;
            }
            if (fds[1].revents != 0) {
                return;
            }
            if ((fds[0].revents & POLLIN) == 0) {
                continue;
            }
            HeldSocket client(::accept4(listener_.fd(), nullptr, nullptr, SOCK_CLOEXEC));
            const std::uint16_t to = plugged_;
            if (client.fd() < 0 || to == 0) {
                continue;  // closed at once: nothing is there
            }
            HeldSocket terminal(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
            sockaddr_in addr{};
            addr.sin_family = AF_INET;
            addr.sin_port = htons(to);
            addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            if (::connect(terminal.fd(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
                continue;
            }
            std::lock_guard lock(mutex_);
            auto& link = links_.emplace_back(Link{std::move(client), std::move(terminal), {}});
            link.pump = std::thread([&link] { Pump(link.client.fd(), link.terminal.fd()); });
        }
    }

    /// Copies bytes both ways until either side ends, then ends both.
    static void Pump(int a, int b) {
        char buffer[16384];
        for (bool open = true; open;) {
            pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
            if (::poll(fds, 2, -1) < 0) {
                break;
            }
            for (int i = 0; i < 2 && open; ++i) {
                if (fds[i].revents == 0) {
                    continue;
                }
                const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
                open = n > 0 && WriteAll(fds[1 - i].fd, buffer, static_cast<std::size_t>(n));
            }
        }
        ::shutdown(a, SHUT_RDWR);
        ::shutdown(b, SHUT_RDWR);
    }
    static bool WriteAll(int fd, const char* data, std::size_t size) {
        while (size > 0) {
            const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
            if (n <= 0) {
                return false;
            }
            data += n;
            size -= static_cast<std::size_t>(n);
        }
        return true;
    }

    HeldSocket listener_;
    std::optional<HeldSocket> udp_;
    int wake_[2] = {-1, -1};
    std::atomic<std::uint16_t> plugged_{0};
    std::mutex mutex_;
    std::list<Link> links_;
    std::thread accepting_;
};

}  // namespace rollcall::test
