// The device simulator in-process on port 0, talked to over real TCP and UDP sockets with the agent-side codec.

#include "core/clock.hpp"
#include "protocol/zk/comm_key.hpp"
#include "protocol/zk/commands.hpp"
#include "protocol/zk/free_sizes.hpp"
#include "protocol/zk/options.hpp"
#include "protocol/zk/realtime.hpp"
#include "protocol/zk/tcp_frame.hpp"
#include "protocol/zk/transfer.hpp"
#include "sim/zk_device.hpp"
#include "sim/zk_names.hpp"
#include "sim/zk_server.hpp"
#include "support/value_of.hpp"

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <stdexcept>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace rollcall::sim {
namespace {

// Generous: the simulator may run under ASan on a loaded machine.
constexpr int kTimeoutMs = 30000;

/// A blocking ZK client over a real socket: what the agent will do, minus its robustness.
class TestClient {
public:
    TestClient(Transport transport, std::uint16_t port) : transport_(transport) {
        fd_ = socket(AF_INET, transport == Transport::kTcp ? SOCK_STREAM : SOCK_DGRAM, 0);
        if (fd_ < 0) {
            throw std::runtime_error("socket failed");
        }
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        // A connected UDP socket receives only from the device's address and port.
        if (connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
            close(fd_);
            throw std::runtime_error("connect failed");
        }
        if (transport == Transport::kUdp) {
            const int size = 4 * 1024 * 1024;
            setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
        }
    }
    ~TestClient() {
        if (fd_ >= 0) {
            close(fd_);
        }
    }
    TestClient(const TestClient&) = delete;
    TestClient& operator=(const TestClient&) = delete;

    /// Sends a request with the next reply id and returns that id.
    std::uint16_t Send(std::uint16_t command, Bytes data = {}) {
        reply_id_ = zk::NextReplyId(reply_id_);
        SendRaw(Encode(Packet{command, session_id_, reply_id_, std::move(data)}));
        return reply_id_;
    }

    void SendRaw(const Bytes& bytes) const {
        if (send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(bytes.size())) {
            throw std::runtime_error("send failed");
        }
    }

    Bytes Encode(const Packet& p) const {
        return transport_ == Transport::kTcp ? *zk::EncodeTcpFrame(p) : zk::EncodePacket(p);
    }

    /// The next packet that is not an event (events are kept for NextEvent); std::nullopt on timeout or close.
    std::optional<Packet> NextReply(std::uint16_t reply_id) {
        for (;;) {
            auto p = NextPacket(kTimeoutMs);
            if (!p) {
                return std::nullopt;
            }
            if (zk::IsEvent(*p)) {
                events_.push_back(std::move(*p));
                continue;
            }
            if (p->reply_id == reply_id) {
                return p;
            }
        }
    }

    Packet Ask(std::uint16_t command, Bytes data = {}) {
        const std::uint16_t id = Send(command, std::move(data));
        auto reply = NextReply(id);
        if (!reply) {
            throw std::runtime_error("no reply to " + std::string(zk::CommandName(command)));
        }
        return *reply;
    }

    /// CONNECT and, when asked for, CMD_AUTH with `key`; returns the answer to the last of them.
    std::uint16_t Connect(std::uint32_t key = 0) {
        reply_id_ = 65534;  // the next id is 0, as pyzk sends CONNECT
        session_id_ = 0;
        const Packet reply = Ask(cmd::kConnect);
        session_id_ = reply.session_id;
        if (reply.command != cmd::kAckUnauth) {
            return reply.command;
        }
        const auto auth = zk::MakeCommKey(key, session_id_);
        return Ask(cmd::kAuth, Bytes(auth.begin(), auth.end())).command;
    }

    /// One PREPARE_DATA, DATA..., ACK_OK stream answering request `reply_id`.
    Bytes ReadTransfer(std::uint16_t reply_id, zk::TransferAssembler assembler) {
        for (;;) {
            auto p = NextReply(reply_id);
            if (!p) {
                throw std::runtime_error("transfer timed out after " + std::to_string(assembler.received_size()));
            }
            const auto progress = assembler.Feed(*p);
            if (!progress.ok()) {
                throw std::runtime_error(progress.error().message);
            }
            if (*progress == zk::TransferAssembler::Progress::kDone) {
                return assembler.TakeData();
            }
        }
    }

    /// 1503, then 1504 chunks (sequential, or all requested at once as node-zklib does), then FREE_DATA.
    Bytes ReadDataset(zk::Dataset dataset, std::uint32_t chunk_size, bool pipelined = false) {
        const auto reply = zk::DecodePrepareBufferReply(
            Ask(cmd::kPrepareBuffer, zk::EncodePrepareBufferRequest(zk::PrepareBufferRequestFor(dataset))));
        if (!reply.ok() || !std::holds_alternative<zk::BufferedDataset>(*reply)) {
            throw std::runtime_error("1503 was not answered with a buffered dataset");
        }
        const auto plan = zk::PlanChunks(std::get<zk::BufferedDataset>(*reply).size, chunk_size);
        Bytes out;
        std::vector<std::uint16_t> ids;
        for (const auto& chunk : *plan) {
            ids.push_back(Send(cmd::kReadBuffer, zk::EncodeReadBufferRequest(chunk)));
            if (!pipelined) {
                const Bytes data = ReadTransfer(ids.back(), zk::TransferAssembler::ForChunk(chunk));
                out.insert(out.end(), data.begin(), data.end());
            }
        }
        if (pipelined) {
            for (std::size_t i = 0; i < ids.size(); ++i) {
                const Bytes data = ReadTransfer(ids[i], zk::TransferAssembler::ForChunk((*plan)[i]));
                out.insert(out.end(), data.begin(), data.end());
            }
        }
        if (Ask(cmd::kFreeData).command != cmd::kAckOk) {
            throw std::runtime_error("FREE_DATA refused");
        }
        return out;
    }

    std::optional<Packet> NextEvent(int timeout_ms = kTimeoutMs) {
        if (!events_.empty()) {
            Packet p = std::move(events_.front());
            events_.pop_front();
            return p;
        }
        for (;;) {
            auto p = NextPacket(timeout_ms);
            if (!p || zk::IsEvent(*p)) {
                return p;
            }
        }
    }

    /// Whether the device closed or reset the connection within the timeout.
    bool ClosedByPeer() {
        pollfd pfd{fd_, POLLIN, 0};
        if (poll(&pfd, 1, kTimeoutMs) <= 0) {
            return false;
        }
        std::uint8_t byte = 0;
        return recv(fd_, &byte, 1, 0) <= 0;
    }

    std::uint16_t session_id() const { return session_id_; }

private:
    std::optional<Packet> NextPacket(int timeout_ms) {
        for (;;) {
            if (transport_ == Transport::kTcp) {
                auto next = decoder_.Next();
                if (!next.ok()) {
                    throw std::runtime_error(next.error().message);
                }
                if (next->has_value()) {
                    return std::move(**next);
                }
            }
            pollfd pfd{fd_, POLLIN, 0};
            if (poll(&pfd, 1, timeout_ms) <= 0) {
                return std::nullopt;
            }
            std::vector<std::uint8_t> buffer(70000);
            const ssize_t n = recv(fd_, buffer.data(), buffer.size(), 0);
            if (n <= 0) {
                return std::nullopt;
            }
            const zk::ByteView bytes(buffer.data(), static_cast<std::size_t>(n));
            if (transport_ == Transport::kUdp) {
                EXPECT_LE(bytes.size(), zk::kMaxUdpDatagramSize);
                auto packet = zk::DecodeDatagram(bytes);
                if (!packet.ok()) {
                    throw std::runtime_error(packet.error().message);
                }
                return std::move(*packet);
            }
            decoder_.Feed(bytes);
        }
    }

    Transport transport_;
    int fd_ = -1;
    zk::TcpFrameDecoder decoder_;
    std::uint16_t session_id_ = 0;
    std::uint16_t reply_id_ = 0;
    std::deque<Packet> events_;
};

/// A simulator on 127.0.0.1:0 holding `users` users and `records` records.
struct Sim {
    Sim(std::uint32_t users, std::uint32_t records, ZkDeviceConfig config = {}, ZkServerOptions options = {})
        : population(*GeneratePopulation({users, records, 3, 0})),
          device(std::move(config), population, clock),
          server(device, WithPort0(std::move(options))) {
        const auto bound = server.Start();
        if (!bound.ok()) {
            throw std::runtime_error(bound.error().message);
        }
        port = *bound;
    }

    static ZkServerOptions WithPort0(ZkServerOptions options) {
        options.host = "127.0.0.1";
        options.port = 0;
        return options;
    }

    std::unique_ptr<TestClient> Client(Transport transport) { return std::make_unique<TestClient>(transport, port); }
    /// A client whose CONNECT the simulator accepted.
    std::unique_ptr<TestClient> Connected(Transport transport) {
        auto client = Client(transport);
        EXPECT_EQ(client->Connect(), cmd::kAckOk);
        return client;
    }

    core::SystemClock clock;
    ZkPopulation population;
    ZkDevice device;
    ZkServer server;
    std::uint16_t port = 0;
};

std::vector<zk::AttendanceRecord> Records(const Bytes& dataset, zk::AttendanceFormat format) {
    return testing::ValueOf(zk::DecodeAttendanceDataset(dataset, format));
}

TEST(ZkSim, TcpAndUdpAnswerOnTheSamePort) {
    Sim sim(3, 10);
    auto tcp = sim.Client(Transport::kTcp);
    auto udp = sim.Client(Transport::kUdp);
    EXPECT_EQ(tcp->Connect(), cmd::kAckOk);
    EXPECT_EQ(udp->Connect(), cmd::kAckOk);
    EXPECT_NE(tcp->session_id(), udp->session_id());
    EXPECT_EQ(zk::DecodeText(tcp->Ask(cmd::kGetVersion).data), "Ver 6.60 Apr 28 2015");
    EXPECT_EQ(zk::DecodeText(udp->Ask(cmd::kGetVersion).data), "Ver 6.60 Apr 28 2015");
    EXPECT_EQ(sim.server.SessionCount(), 2u);
}

TEST(ZkSim, CommKeyRightAndWrongOverBothTransports) {
    ZkDeviceConfig config;
    config.comm_key = 999999;
    Sim sim(3, 10, config);
    for (const Transport t : {Transport::kTcp, Transport::kUdp}) {
        auto right = sim.Client(t);
        EXPECT_EQ(right->Connect(999999), cmd::kAckOk);
        EXPECT_EQ(right->Ask(cmd::kGetFreeSizes).command, cmd::kAckOk);
        auto wrong = sim.Client(t);
        EXPECT_EQ(wrong->Connect(123456), cmd::kAckUnauth);
        EXPECT_EQ(wrong->Ask(cmd::kGetFreeSizes).command, cmd::kAckUnauth);
    }
}

TEST(ZkSim, FreeSizesCountUsersAndRecords) {
    Sim sim(12, 345);
    auto c = sim.Connected(Transport::kTcp);
    const auto sizes = zk::DecodeFreeSizes(c->Ask(cmd::kGetFreeSizes).data);
    ASSERT_TRUE(sizes.ok() && sizes->has_value());
    EXPECT_EQ((*sizes)->users, 12u);
    EXPECT_EQ((*sizes)->records, 345u);
}

TEST(ZkSim, ChunkedTcpReadOf5000RecordsEqualsWhatWasGenerated) {
    Sim sim(25, 5000);
    auto c = sim.Connected(Transport::kTcp);
    const Bytes dataset = c->ReadDataset(zk::Dataset::kAttendance, zk::kTcpChunkSize);
    EXPECT_EQ(Records(dataset, zk::AttendanceFormat::kExtended40), sim.population.records);
}

TEST(ZkSim, PipelinedChunkRequestsAreAnsweredInOrder) {
    Sim sim(25, 5000);
    auto c = sim.Connected(Transport::kTcp);
    const Bytes dataset = c->ReadDataset(zk::Dataset::kAttendance, 8184, true);
    EXPECT_EQ(Records(dataset, zk::AttendanceFormat::kExtended40), sim.population.records);
}

TEST(ZkSim, ChunkedUdpReadOf5000RecordsEqualsWhatWasGenerated) {
    Sim sim(25, 5000);
    auto c = sim.Connected(Transport::kUdp);
    const auto records =
        Records(c->ReadDataset(zk::Dataset::kAttendance, zk::kUdpChunkSize), zk::AttendanceFormat::kNumeric16);
    ASSERT_EQ(records.size(), sim.population.records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        ASSERT_EQ(records[i].user_id, sim.population.records[i].user_id) << i;
        ASSERT_EQ(records[i].packed_time, sim.population.records[i].packed_time) << i;
    }
}

TEST(ZkSim, UsersOverTcpAndUdp) {
    Sim sim(40, 0);
    auto tcp = sim.Connected(Transport::kTcp);
    EXPECT_EQ(
        zk::DecodeUserDataset(tcp->ReadDataset(zk::Dataset::kUsers, zk::kTcpChunkSize), zk::UserFormat::kExtended72)
            .value(),
        sim.population.users);
    auto udp = sim.Connected(Transport::kUdp);
    const auto users =
        zk::DecodeUserDataset(udp->ReadDataset(zk::Dataset::kUsers, zk::kUdpChunkSize), zk::UserFormat::kCompact28);
    ASSERT_TRUE(users.ok());
    ASSERT_EQ(users->size(), 40u);
    EXPECT_EQ(users->back().user_id, "1040");
}

TEST(ZkSim, LegacyReadWhen1503IsRefused) {
    ZkDeviceConfig config;
    config.faults.no_buffered_read = true;
    Sim sim(10, 3000, config);
    auto c = sim.Connected(Transport::kTcp);
    const auto refused = zk::DecodePrepareBufferReply(c->Ask(
        cmd::kPrepareBuffer, zk::EncodePrepareBufferRequest(zk::PrepareBufferRequestFor(zk::Dataset::kAttendance))));
    ASSERT_TRUE(refused.ok());
    ASSERT_TRUE(std::holds_alternative<zk::BufferUnsupported>(*refused));
    // 120,004 bytes: more than one TCP frame can carry.
    const std::uint16_t id = c->Send(cmd::kAttLogRrq);
    const Bytes dataset = c->ReadTransfer(id, zk::TransferAssembler::ForLegacyRead(1 << 22));
    EXPECT_EQ(Records(dataset, zk::AttendanceFormat::kExtended40), sim.population.records);
}

TEST(ZkSim, RealtimeEventOnALivePunch) {
    Sim sim(5, 0);
    auto tcp = sim.Connected(Transport::kTcp);
    auto udp = sim.Connected(Transport::kUdp);
    auto quiet = sim.Connected(Transport::kTcp);
    EXPECT_EQ(tcp->Ask(cmd::kRegEvent, zk::EncodeEventMask(zk::event::kAttLog)).command, cmd::kAckOk);
    EXPECT_EQ(udp->Ask(cmd::kRegEvent, zk::EncodeEventMask(zk::event::kAttLog)).command, cmd::kAckOk);
    const auto punch = sim.server.PunchNow();
    ASSERT_TRUE(punch.has_value());
    for (auto* c : {tcp.get(), udp.get()}) {
        const auto event = c->NextEvent();
        ASSERT_TRUE(event.has_value());
        EXPECT_EQ(event->session_id, zk::event::kAttLog);
        EXPECT_EQ(event->reply_id, 0);
        const auto decoded = zk::DecodeAttendanceEvent(event->data);
        ASSERT_TRUE(decoded.ok());
        EXPECT_EQ(decoded->user_id, punch->user_id);
    }
    EXPECT_EQ(tcp->Encode(zk::MakeEventAck(tcp->session_id())).size(), 16u);
    tcp->SendRaw(tcp->Encode(zk::MakeEventAck(tcp->session_id())));
    // The acknowledgement is not answered: the next reply is the version's.
    EXPECT_EQ(zk::DecodeText(tcp->Ask(cmd::kGetVersion).data), "Ver 6.60 Apr 28 2015");
    // The session that did not register gets nothing: its next packet is its own reply.
    EXPECT_EQ(quiet->Ask(cmd::kGetVersion).command, cmd::kAckOk);
    sim.server.Run([&](ZkDevice& d) { EXPECT_EQ(d.records().size(), 1u); });
}

TEST(ZkSim, LivePunchesOnATimer) {
    ZkServerOptions options;
    options.live_punch_interval = std::chrono::milliseconds(20);
    Sim sim(5, 0, {}, options);
    auto c = sim.Connected(Transport::kTcp);
    c->Ask(cmd::kRegEvent, zk::EncodeEventMask(zk::event::kAttLog));
    for (int i = 0; i < 3; ++i) {
        const auto event = c->NextEvent();
        ASSERT_TRUE(event.has_value());
        EXPECT_TRUE(zk::DecodeAttendanceEvent(event->data).ok());
    }
}

TEST(ZkSim, DisabledDeviceTakesNoPunches) {
    Sim sim(5, 0);
    auto c = sim.Connected(Transport::kTcp);
    EXPECT_EQ(c->Ask(cmd::kDisableDevice, Bytes(4, 0)).command, cmd::kAckOk);
    EXPECT_FALSE(sim.server.PunchNow().has_value());
    EXPECT_EQ(c->Ask(cmd::kEnableDevice).command, cmd::kAckOk);
    EXPECT_TRUE(sim.server.PunchNow().has_value());
}

TEST(ZkSim, ClearAttLogEmptiesTheLog) {
    Sim sim(5, 200);
    auto c = sim.Connected(Transport::kTcp);
    EXPECT_EQ(c->Ask(cmd::kClearAttLog).command, cmd::kAckOk);
    const auto sizes = zk::DecodeFreeSizes(c->Ask(cmd::kGetFreeSizes).data);
    EXPECT_EQ((*sizes)->records, 0u);
    EXPECT_EQ(c->ReadDataset(zk::Dataset::kAttendance, zk::kTcpChunkSize), Bytes(4, 0));
    sim.server.Run([](ZkDevice& d) { EXPECT_TRUE(d.records().empty()); });
}

TEST(ZkSim, RequestsSplitAcrossWritesOrCoalescedInOneAreAllServed) {
    Sim sim(2, 0);
    auto c = sim.Client(Transport::kTcp);
    // CONNECT byte by byte.
    const Bytes connect = c->Encode(Packet{cmd::kConnect, 0, 1, {}});
    for (const std::uint8_t b : connect) {
        c->SendRaw(Bytes{b});
    }
    const auto reply = c->NextReply(1);
    ASSERT_TRUE(reply.has_value());
    // Two requests in one write.
    Bytes two = c->Encode(Packet{cmd::kGetVersion, reply->session_id, 2, {}});
    const Bytes time = c->Encode(Packet{cmd::kGetTime, reply->session_id, 3, {}});
    two.insert(two.end(), time.begin(), time.end());
    c->SendRaw(two);
    EXPECT_EQ(c->NextReply(2)->command, cmd::kAckOk);
    EXPECT_EQ(c->NextReply(3)->data.size(), 4u);
}

TEST(ZkSim, BadChecksumIsServedAnyway) {
    Sim sim(2, 0);
    auto c = sim.Client(Transport::kUdp);
    Bytes connect = zk::EncodePacket(Packet{cmd::kConnect, 0, 7, {}});
    connect[2] ^= 0x55;
    c->SendRaw(connect);
    const auto reply = c->NextReply(7);
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->command, cmd::kAckOk);
}

TEST(ZkSim, EmptyProbeConnectionIsTolerated) {
    Sim sim(2, 0);
    { auto probe = sim.Client(Transport::kTcp); }
    auto c = sim.Client(Transport::kTcp);
    EXPECT_EQ(c->Connect(), cmd::kAckOk);
}

TEST(ZkSim, ExitClosesTheTcpConnectionAndForgetsTheUdpPeer) {
    Sim sim(2, 0);
    auto tcp = sim.Connected(Transport::kTcp);
    auto udp = sim.Connected(Transport::kUdp);
    EXPECT_EQ(tcp->Ask(cmd::kExit).command, cmd::kAckOk);
    EXPECT_TRUE(tcp->ClosedByPeer());
    EXPECT_EQ(udp->Ask(cmd::kExit).command, cmd::kAckOk);
    // A new request from the same address starts a fresh session: it must CONNECT again.
    EXPECT_EQ(udp->Ask(cmd::kGetVersion).command, cmd::kAckUnauth);
}

TEST(ZkSim, SecondClientResetsTheFirstWhenAsked) {
    ZkDeviceConfig config;
    config.faults.reset_on_second_client = true;
    Sim sim(2, 0, config);
    auto first = sim.Connected(Transport::kTcp);
    auto second = sim.Client(Transport::kTcp);
    EXPECT_EQ(second->Connect(), cmd::kAckOk);
    EXPECT_TRUE(first->ClosedByPeer());
}

TEST(ZkSim, UdpOnlyHasNoTcpListener) {
    ZkServerOptions options;
    options.udp_only = true;
    Sim sim(2, 5, {}, options);
    EXPECT_THROW(sim.Client(Transport::kTcp), std::runtime_error);
    auto udp = sim.Client(Transport::kUdp);
    EXPECT_EQ(udp->Connect(), cmd::kAckOk);
}

TEST(ZkSim, ManyClientsAtOnceKeepTheirOwnTransfers) {
    Sim sim(10, 4000);
    auto a = sim.Connected(Transport::kTcp);
    auto b = sim.Connected(Transport::kTcp);
    auto u = sim.Connected(Transport::kUdp);
    // All three prepare before any reads, so each session's buffer must stay its own.
    const auto prepare = [](TestClient& c, zk::Dataset d) {
        return zk::ReadU32(
            c.Ask(cmd::kPrepareBuffer, zk::EncodePrepareBufferRequest(zk::PrepareBufferRequestFor(d))).data, 1);
    };
    const std::uint32_t a_size = prepare(*a, zk::Dataset::kAttendance);
    const std::uint32_t b_size = prepare(*b, zk::Dataset::kUsers);
    const std::uint32_t u_size = prepare(*u, zk::Dataset::kAttendance);
    EXPECT_EQ(a_size, 4u + 4000 * 40);
    EXPECT_EQ(b_size, 4u + 10 * 72);
    EXPECT_EQ(u_size, 4u + 4000 * 16);
    const Bytes users = b->ReadTransfer(b->Send(cmd::kReadBuffer, zk::EncodeReadBufferRequest({0, b_size})),
                                        zk::TransferAssembler::ForChunk({0, b_size}));
    EXPECT_EQ(zk::DecodeUserDataset(users, zk::UserFormat::kExtended72).value(), sim.population.users);
    EXPECT_EQ(Records(a->ReadDataset(zk::Dataset::kAttendance, 20000), zk::AttendanceFormat::kExtended40),
              sim.population.records);
}

}  // namespace
}  // namespace rollcall::sim
