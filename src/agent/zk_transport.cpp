#include "agent/zk_transport.hpp"

#include "protocol/zk/tcp_frame.hpp"

#include <array>
#include <optional>

#ifndef _WIN32
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#endif

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/write.hpp>

#ifdef _WIN32
#include <mstcpip.h>  // after Asio's winsock2.h
#endif

namespace rollcall::agent {
namespace {

namespace asio = boost::asio;
using core::Errc;
using core::MakeError;

core::Error Unavailable(const std::string& what) {
    return MakeError(Errc::kUnavailable, what);
}

core::Error NoAnswer() {
    return MakeError(Errc::kTimeout, "timeout: no answer from the device");
}

/// Runs the io_context until `done` or the timeout; a timed-out operation is cancelled and drained.
template <class Socket>
bool RunWithDeadline(asio::io_context& ioc, Socket& socket, const bool& done, std::chrono::milliseconds timeout) {
    ioc.restart();
    ioc.run_for(timeout);
    if (!done) {
        boost::system::error_code ignored;
        socket.cancel(ignored);
        ioc.restart();
        ioc.run();
        return false;
    }
    return true;
}

class TcpTransport final : public ZkTransport {
public:
    explicit TcpTransport(asio::io_context& ioc) : ioc_(ioc), socket_(ioc) {}
    asio::ip::tcp::socket& socket() { return socket_; }

    core::Status Send(const zk::Packet& packet) override {
        ROLLCALL_TRY(const auto frame, zk::EncodeTcpFrame(packet));
        boost::system::error_code ec;
        asio::write(socket_, asio::buffer(frame), ec);
        if (ec) {
            return Unavailable("tcp send: " + ec.message());
        }
        return {};
    }

    core::Result<zk::Packet> Receive(std::chrono::milliseconds timeout) override {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            ROLLCALL_TRY(auto next, decoder_.Next());
            if (next) {
                return std::move(*next);
            }
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                return NoAnswer();
            }
            bool done = false;
            boost::system::error_code read_ec;
            std::size_t n = 0;
            socket_.async_read_some(asio::buffer(buffer_), [&](boost::system::error_code ec, std::size_t bytes) {
                read_ec = ec;
                n = bytes;
                done = true;
            });
            if (!RunWithDeadline(ioc_, socket_, done, left)) {
                return NoAnswer();
            }
            if (read_ec) {
                return Unavailable("tcp receive: " + read_ec.message());
            }
            decoder_.Feed(zk::ByteView(buffer_.data(), n));
            QuickAck();
        }
    }

    std::string Name() const override { return "tcp"; }
    std::uint64_t checksum_mismatches() const override { return decoder_.checksum_mismatches(); }

    /// Acknowledge at once. A terminal sends PREPARE_DATA, then the chunk in a second write that Nagle holds
    /// back until our ACK of the first; a delayed ACK (40 ms on Linux) would cost that much per chunk.
    void QuickAck() {
#ifdef TCP_QUICKACK
        const int on = 1;
        (void)setsockopt(socket_.native_handle(), IPPROTO_TCP, TCP_QUICKACK, &on, sizeof on);
#endif
    }

    /// Windows' counterpart of QuickAck, set once: its delayed ACK is up to 200 ms. Best effort (Windows 8+;
    /// wine does not have it).
    void AckEverySegment() {
#ifdef SIO_TCP_SET_ACK_FREQUENCY
        TCP_ACK_FREQUENCY_PARAMETERS every_segment{1};
        DWORD returned = 0;
        (void)WSAIoctl(socket_.native_handle(),
                       SIO_TCP_SET_ACK_FREQUENCY,
                       &every_segment,
                       sizeof every_segment,
                       nullptr,
                       0,
                       &returned,
                       nullptr,
                       nullptr);
#endif
    }

private:
    asio::io_context& ioc_;
    asio::ip::tcp::socket socket_;
    // Frames of any size up to a whole log: old firmware sends a legacy read's log in one (§6.6). A wrong checksum
    // is counted and the packet taken: TCP has already checked the bytes (ADR 0005).
    zk::TcpFrameDecoder decoder_{zk::kMaxWholeLogTcpPacketSize, zk::ChecksumPolicy::kIgnore};
    std::array<std::uint8_t, 65536> buffer_{};
};

class UdpTransport final : public ZkTransport {
public:
    explicit UdpTransport(asio::io_context& ioc) : ioc_(ioc), socket_(ioc) {}
    asio::ip::udp::socket& socket() { return socket_; }

    core::Status Send(const zk::Packet& packet) override {
        ROLLCALL_TRY(const auto datagram, zk::EncodeDatagram(packet));
        boost::system::error_code ec;
        socket_.send(asio::buffer(datagram), 0, ec);
        if (ec) {
            return Unavailable("udp send: " + ec.message());
        }
        return {};
    }

    core::Result<zk::Packet> Receive(std::chrono::milliseconds timeout) override {
        bool done = false;
        boost::system::error_code read_ec;
        std::size_t n = 0;
        socket_.async_receive(asio::buffer(buffer_), [&](boost::system::error_code ec, std::size_t bytes) {
            read_ec = ec;
            n = bytes;
            done = true;
        });
        if (!RunWithDeadline(ioc_, socket_, done, timeout)) {
            return NoAnswer();
        }
        if (read_ec) {
            return Unavailable("udp receive: " + read_ec.message());
        }
        return zk::DecodeDatagram(zk::ByteView(buffer_.data(), n));
    }

    std::string Name() const override { return "udp"; }

private:
    asio::io_context& ioc_;
    asio::ip::udp::socket socket_;
    std::array<std::uint8_t, 65536> buffer_{};
};

/// Owns the io_context its socket runs on (one per device connection; the agent reads one at a time).
template <class Transport>
class Owned final : public ZkTransport {
public:
    Owned() : transport_(ioc_) {}
    Transport& inner() { return transport_; }
    asio::io_context& ioc() { return ioc_; }
    core::Status Send(const zk::Packet& p) override { return transport_.Send(p); }
    core::Result<zk::Packet> Receive(std::chrono::milliseconds t) override { return transport_.Receive(t); }
    std::string Name() const override { return transport_.Name(); }
    std::uint64_t checksum_mismatches() const override { return transport_.checksum_mismatches(); }

private:
    asio::io_context ioc_;  // before transport_: the socket needs it
    Transport transport_;
};

}  // namespace

core::Result<std::unique_ptr<ZkTransport>> ConnectTcp(const std::string& host,
                                                      std::uint16_t port,
                                                      std::chrono::milliseconds timeout) {
    auto owned = std::make_unique<Owned<TcpTransport>>();
    boost::system::error_code ec;
    asio::ip::tcp::resolver resolver(owned->ioc());
    const auto endpoints = resolver.resolve(host, std::to_string(port), ec);
    if (ec) {
        return Unavailable("cannot resolve " + host + ": " + ec.message());
    }
    bool done = false;
    boost::system::error_code connect_ec;
    asio::async_connect(owned->inner().socket(), endpoints, [&](boost::system::error_code e, const auto&) {
        connect_ec = e;
        done = true;
    });
    if (!RunWithDeadline(owned->ioc(), owned->inner().socket(), done, timeout)) {
        return MakeError(Errc::kTimeout, "tcp connect to " + host + ":" + std::to_string(port) + " timed out");
    }
    if (connect_ec) {
        return Unavailable("tcp connect to " + host + ":" + std::to_string(port) + ": " + connect_ec.message());
    }
    owned->inner().socket().set_option(asio::ip::tcp::no_delay(true), ec);
    owned->inner().AckEverySegment();
    return std::unique_ptr<ZkTransport>(std::move(owned));
}

core::Result<std::unique_ptr<ZkTransport>> OpenUdp(const std::string& host, std::uint16_t port) {
    auto owned = std::make_unique<Owned<UdpTransport>>();
    boost::system::error_code ec;
    asio::ip::udp::resolver resolver(owned->ioc());
    const auto endpoints = resolver.resolve(host, std::to_string(port), ec);
    if (ec || endpoints.empty()) {
        return Unavailable("cannot resolve " + host + ": " + ec.message());
    }
    auto& socket = owned->inner().socket();
    socket.open(endpoints.begin()->endpoint().protocol(), ec);
    if (!ec) {
        // Bulk reads arrive as bursts of datagrams: a larger buffer loses fewer of them (§10 item 9).
        socket.set_option(asio::socket_base::receive_buffer_size(4 << 20), ec);
        ec.clear();
        socket.connect(endpoints.begin()->endpoint(), ec);
    }
    if (ec) {
        return Unavailable("udp socket to " + host + ": " + ec.message());
    }
    return std::unique_ptr<ZkTransport>(std::move(owned));
}

}  // namespace rollcall::agent
