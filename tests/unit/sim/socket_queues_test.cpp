#include "sim/socket_queues.hpp"

#include <array>
#include <bit>

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace rollcall::sim
