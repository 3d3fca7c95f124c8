// The agent's connection to a terminal's port 4370: packets both ways over TCP and UDP with the simulator in this
// process, and every way a port can fail to be a terminal (refused, silent, closed, something else) costing an
// error within its deadline, never a hang.

#include "agent/zk_transport.hpp"

#include "protocol/zk/commands.hpp"
#include "protocol/zk/transfer.hpp"
#include "unit/agent/sim_terminal.hpp"

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace rollcall::agent {
namespace {

namespace cmd = zk::cmd;
using test::SimTerminal;
using namespace std::chrono_literals;

constexpr auto kPatience = 30s;  // generous: the simulator may run under ASan on a loaded machine

/// CONNECT over `transport` and the terminal's answer.
zk::Packet Hello(ZkTransport& transport) {
    EXPECT_TRUE(transport.Send(zk::Packet{cmd::kConnect, 0, 0, {}}));
    auto reply = transport.Receive(kPatience);
    EXPECT_TRUE(reply) << reply.error().message;
    return reply ? *reply : zk::Packet{};
}

/// Runs `what` and says how long it took.
template <class F>
std::chrono::milliseconds Timed(F&& what) {
    const auto start = std::chrono::steady_clock::now();
    what();
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

/// CONNECT over `transport` to a peer that never answers: the wait for the answer costs its timeout of 300 ms, no
/// less (to the millisecond, rounded) and not much more.
void ExpectAHelloCostsItsTimeout(ZkTransport& transport) {
    ASSERT_TRUE(transport.Send(zk::Packet{cmd::kConnect, 0, 0, {}}));
    const auto took = Timed([&] {
        auto reply = transport.Receive(300ms);
        ASSERT_FALSE(reply);
        EXPECT_EQ(reply.error().code, core::Errc::kTimeout) << reply.error().message;
    });
    EXPECT_GE(took, 250ms) << "it waited for an answer";
    EXPECT_LT(took, kPatience);
}

TEST(ZkTransport, TcpCarriesARequestAndItsAnswerToARealTerminal) {
    SimTerminal terminal(3, 10);
    auto tcp = ConnectTcp("127.0.0.1", terminal.port(), kPatience);
    ASSERT_TRUE(tcp) << tcp.error().message;
    EXPECT_EQ((*tcp)->Name(), "tcp");
    const auto reply = Hello(**tcp);
    EXPECT_EQ(reply.command, cmd::kAckOk);
    EXPECT_NE(reply.session_id, 0) << "the terminal gives the session its id";
    EXPECT_EQ(terminal.server().SessionCount(), 1U);
}

TEST(ZkTransport, UdpCarriesARequestAndItsAnswerToARealTerminal) {
    SimTerminal terminal(3, 10);
    auto udp = OpenUdp("127.0.0.1", terminal.port());
    ASSERT_TRUE(udp) << udp.error().message;
    EXPECT_EQ((*udp)->Name(), "udp");
    const auto reply = Hello(**udp);
    EXPECT_EQ(reply.command, cmd::kAckOk);
    EXPECT_NE(reply.session_id, 0);
}

TEST(ZkTransport, ATransferWrittenInOneGoComesOutPacketByPacket) {
    SimTerminal terminal(5, 100);
    auto tcp = ConnectTcp("127.0.0.1", terminal.port(), kPatience);
    ASSERT_TRUE(tcp) << tcp.error().message;
    const auto session = Hello(**tcp).session_id;
    ASSERT_TRUE((*tcp)->Send(
        zk::Packet{cmd::kPrepareBuffer,
                   session,
                   1,
                   zk::EncodePrepareBufferRequest(zk::PrepareBufferRequestFor(zk::Dataset::kAttendance))}));
    auto stat = (*tcp)->Receive(kPatience);
    ASSERT_TRUE(stat) << stat.error().message;
    const auto prepared = zk::DecodePrepareBufferReply(*stat);
    ASSERT_TRUE(prepared.ok() && std::holds_alternative<zk::BufferedDataset>(*prepared));
    const auto size = std::get<zk::BufferedDataset>(*prepared).size;
    EXPECT_EQ(size, 4U + 100 * 40);
    // The terminal writes PREPARE_DATA, then the data and the closing ACK_OK together.
    ASSERT_TRUE((*tcp)->Send(zk::Packet{cmd::kReadBuffer, session, 2, zk::EncodeReadBufferRequest({0, size})}));
    std::vector<std::uint16_t> commands;
    for (int i = 0; i < 3; ++i) {
        auto p = (*tcp)->Receive(kPatience);
        ASSERT_TRUE(p) << p.error().message;
        EXPECT_EQ(p->reply_id, 2);
        commands.push_back(p->command);
    }
    EXPECT_EQ(commands, (std::vector<std::uint16_t>{cmd::kPrepareData, cmd::kData, cmd::kAckOk}));
}

TEST(ZkTransport, ARefusedPortIsUnavailableAtOnceAndSaysWhere) {
    const rollcall::test::RefusingPort closed;
    const auto took = Timed([&] {
        auto tcp = ConnectTcp("127.0.0.1", closed.port(), kPatience);
        ASSERT_FALSE(tcp);
        EXPECT_EQ(tcp.error().code, core::Errc::kUnavailable);
        EXPECT_NE(tcp.error().message.find("tcp connect to 127.0.0.1:" + std::to_string(closed.port())),
                  std::string::npos)
            << tcp.error().message;
    });
    EXPECT_LT(took, kPatience) << "a refusal is not a timeout";
}

TEST(ZkTransport, APortThatAcceptsButNeverAnswersCostsItsTimeoutNotAHang) {
    // A listener of the test's that never accepts: the kernel completes the connection, nobody ever answers.
    auto silent = rollcall::test::HeldSocket::Bind(SOCK_STREAM, 0);
    ASSERT_TRUE(silent);
    ASSERT_EQ(::listen(silent->fd(), 4), 0);
    auto tcp = ConnectTcp("127.0.0.1", silent->port(), kPatience);
    ASSERT_TRUE(tcp) << tcp.error().message;
    ExpectAHelloCostsItsTimeout(**tcp);
}

TEST(ZkTransport, AConnectionThePeerClosesIsAnErrorAtOnceNotATimeout) {
    rollcall::test::TerminalAddress nothing_behind;  // accepts, and closes at once
    auto tcp = ConnectTcp("127.0.0.1", nothing_behind.port(), kPatience);
    ASSERT_TRUE(tcp) << tcp.error().message;
    ASSERT_TRUE((*tcp)->Send(zk::Packet{cmd::kConnect, 0, 0, {}}));
    const auto took = Timed([&] {
        auto reply = (*tcp)->Receive(kPatience);
        ASSERT_FALSE(reply);
        EXPECT_EQ(reply.error().code, core::Errc::kUnavailable) << reply.error().message;
        EXPECT_TRUE(reply.error().message.starts_with("tcp receive")) << reply.error().message;
    });
    EXPECT_LT(took, kPatience);
}

TEST(ZkTransport, UdpToAPortWhereNobodyAnswersCostsItsTimeout) {
    rollcall::test::TerminalAddress nothing_behind;  // its UDP socket takes datagrams and never answers
    auto udp = OpenUdp("127.0.0.1", nothing_behind.port());
    ASSERT_TRUE(udp) << udp.error().message;
    ExpectAHelloCostsItsTimeout(**udp);
}

TEST(ZkTransport, SomethingOtherThanATerminalOnThePortIsAnErrorNotAHang) {
    // The IP on the device page is another machine's: an SSH server, which greets first.
    struct SshServer {
        rollcall::test::HeldSocket listener = *rollcall::test::HeldSocket::Bind(SOCK_STREAM, 0);
        std::thread thread;
        SshServer() {
            if (::listen(listener.fd(), 4) != 0) {
                throw std::runtime_error("listen failed");
            }
            thread = std::thread([fd = listener.fd()] {
                const rollcall::test::HeldSocket client(::accept(fd, nullptr, nullptr));
                const std::string banner = "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n";
                // What the agent reads (or fails to) is the test; the counts here add nothing.
                [[maybe_unused]] const ssize_t sent = ::send(client.fd(), banner.data(), banner.size(), MSG_NOSIGNAL);
                char byte = 0;
                [[maybe_unused]] const ssize_t got = ::recv(client.fd(), &byte, 1, 0);  // until the agent's side closes
            });
        }
        ~SshServer() {
            ::shutdown(listener.fd(), SHUT_RDWR);  // ends a wait in accept() when nobody came
            thread.join();
        }
    } ssh;
    auto tcp = ConnectTcp("127.0.0.1", ssh.listener.port(), kPatience);
    ASSERT_TRUE(tcp) << tcp.error().message;
    ASSERT_TRUE((*tcp)->Send(zk::Packet{cmd::kConnect, 0, 0, {}}));
    auto reply = (*tcp)->Receive(kPatience);
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().code, core::Errc::kInvalidArgument) << reply.error().message;
}

}  // namespace
}  // namespace rollcall::agent
