#include "sim/socket_queues.hpp"

#include <array>
#include <bit>
#include <vector>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace rollcall::sim {
namespace {

constexpr std::string_view kTcp =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 0100007F:10E2 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0\n"
    "   1: 0100007F:10E2 0100007F:D431 01 0000FFD8:00000000 00:00000000 00000000     0        0 2 1 0 20 4 30 10 -1\n"
    "   2: 0100007F:D431 0100007F:10E2 01 00000000:0000A000 00:00000000 00000000     0        0 3 1 0 20 4 30 10 -1\n";

TEST(SocketQueues, AddressesArePrintedAsTheKernelDoes) {
    if constexpr (std::endian::native != std::endian::little) {
        GTEST_SKIP() << "the reference strings come from a little-endian host";
    }
    const std::array<std::uint8_t, 4> loopback{127, 0, 0, 1};
    EXPECT_EQ(ProcNetAddress(loopback, 4322), "0100007F:10E2");
    std::array<std::uint8_t, 16> v6_loopback{};
    v6_loopback[15] = 1;
    EXPECT_EQ(ProcNetAddress(v6_loopback, 4370), "00000000000000000000000001000000:1112");
}

TEST(SocketQueues, FindsTheClientSideOfAConnection) {
    const auto client = FindSocketQueues(kTcp, "0100007F:D431", "0100007F:10E2");
    ASSERT_TRUE(client.has_value());
    EXPECT_EQ(client->rx, 0xA000u);
    EXPECT_EQ(client->tx, 0u);
    const auto server = FindSocketQueues(kTcp, "0100007F:10E2", "0100007F:D431");
    ASSERT_TRUE(server.has_value());
    EXPECT_EQ(server->tx, 0xFFD8u);
}

TEST(SocketQueues, AnEmptyRemoteMatchesAnyPeer) {
    const auto any = FindSocketQueues(kTcp, "0100007F:D431", "");
    ASSERT_TRUE(any.has_value());
    EXPECT_EQ(any->rx, 0xA000u);
}

TEST(SocketQueues, UnknownSocketsAreNotFound) {
    EXPECT_FALSE(FindSocketQueues(kTcp, "0100007F:0001", "").has_value());
    EXPECT_FALSE(FindSocketQueues("", "0100007F:D431", "").has_value());
    EXPECT_FALSE(ReadSocketQueues("/nonexistent/tcp", "0100007F:D431", "").has_value());
}

/// A socket, closed with its owner.
struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

/// A connected pair over loopback: `server` is the simulator's end, `client` the client's.
struct LoopbackPair {
    Fd listener{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    Fd client{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    Fd server;
    LoopbackPair() {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        EXPECT_EQ(::bind(listener.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
        EXPECT_EQ(::listen(listener.fd, 1), 0);
        EXPECT_EQ(::getsockname(listener.fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
        EXPECT_EQ(::connect(client.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
        server.fd = ::accept4(listener.fd, nullptr, nullptr, SOCK_CLOEXEC);
        EXPECT_GE(server.fd, 0);
    }
};

// The simulator waits for a client to read what it sent before the next part of a transfer. A client that read
// everything but delays its ACK (Linux holds it up to 40 ms, Windows 200 ms) has read everything: the wait must not
// last until its ACK, which no real terminal waits for. So only unsent bytes count, never unacknowledged ones.
TEST(SocketQueues, BytesTheClientReadButHasNotAcknowledgedAreNotUnsent) {
    LoopbackPair pair;
    // The client acknowledges late, as pyzk's socket and most clients do once a connection is interactive.
    const int off = 0;
    ASSERT_EQ(::setsockopt(pair.client.fd, IPPROTO_TCP, TCP_QUICKACK, &off, sizeof off), 0);
    const std::vector<char> sent(1000, 'z');
    ASSERT_EQ(::send(pair.server.fd, sent.data(), sent.size(), 0), static_cast<ssize_t>(sent.size()));
    std::vector<char> received(sent.size());
    std::size_t got = 0;
    while (got < received.size()) {
        const ssize_t n = ::recv(pair.client.fd, received.data() + got, received.size() - got, 0);
        ASSERT_GT(n, 0);
        got += static_cast<std::size_t>(n);
    }
    EXPECT_EQ(UnsentBytes(pair.server.fd), std::optional<std::uint32_t>(0u));
}

TEST(SocketQueues, UnsentBytesOfSomethingThatIsNotATcpSocketAreUnknown) {
    Fd udp{::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
    EXPECT_EQ(UnsentBytes(udp.fd), std::nullopt);
    EXPECT_EQ(UnsentBytes(-1), std::nullopt);
}

}  // namespace
}  // namespace rollcall::sim
