#include "sim/zk_server.hpp"

#include "protocol/zk/commands.hpp"
#include "protocol/zk/packet.hpp"
#include "protocol/zk/tcp_frame.hpp"
#include "sim/socket_queues.hpp"
#include "sim/zk_names.hpp"
#include "sim/zk_session.hpp"

#include <array>
#include <deque>
#include <exception>
#include <future>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

namespace rollcall::sim {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using udp = asio::ip::udp;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// A client that sends requests faster than it reads the answers (a pipelined download it abandoned) stops being
// read once this much output waits for it; over UDP further requests are dropped instead.
constexpr std::size_t kMaxQueuedBytes = std::size_t{8} * 1024 * 1024;
// Distinct UDP peer addresses with a session; the least recently heard one is forgotten beyond this.
constexpr std::size_t kMaxUdpPeers = 256;
// With port 0 the TCP port is chosen first; someone may already hold UDP on that number, so try a few.
constexpr int kBindAttempts = 20;
// Room for a burst of requests and for the client's own bursts of datagrams.
constexpr int kUdpSocketBufferSize = 1024 * 1024;
// How long an AwaitClient step waits for a client that does not read, and how often it looks.
constexpr auto kMaxClientWait = std::chrono::seconds(2);
constexpr auto kClientPoll = std::chrono::milliseconds(1);

template <class Endpoint>
std::string ProcNetAddressOf(const Endpoint& endpoint) {
    const auto address = endpoint.address();
    if (address.is_v4()) {
        return ProcNetAddress(address.to_v4().to_bytes(), endpoint.port());
    }
    return ProcNetAddress(address.to_v6().to_bytes(), endpoint.port());
}

/// The bytes of `packet` as the terminal puts them on the wire at `at` in `out`; with the bad-checksums fault its
/// checksum is wrong (flipped so that it is never the other one's-complement zero of the right one, §1.4).
void AppendWireBytes(zk::Bytes& out, const zk::Bytes& encoded, std::size_t packet_at, bool bad_checksum) {
    const std::size_t start = out.size();
    out.insert(out.end(), encoded.begin(), encoded.end());
    if (bad_checksum) {
        out[start + packet_at + 2] ^= 0x01;
        out[start + packet_at + 3] ^= 0x01;
    }
}

std::size_t StepBytes(const Step& step) {
    if (const auto* send = std::get_if<SendPackets>(&step)) {
        std::size_t n = 0;
        for (const auto& p : send->packets) {
            n += zk::kTcpWrapperSize + zk::kHeaderSize + p.data.size();
        }
        return n;
    }
    return 0;
}

// The ordered output of one session and the wake-ups between its reader and its writer coroutine. Both run on
// the io thread, so a cancelled timer is a condition variable without races.
struct Outbox {
    explicit Outbox(const asio::any_io_executor& executor)
        : wake(executor, asio::steady_timer::time_point::max()),
          drained(executor, asio::steady_timer::time_point::max()),
          pause(executor) {}

    void Push(Steps new_steps) {
        for (Step& step : new_steps) {
            queued_bytes += StepBytes(step);
            steps.push_back(std::move(step));
        }
        wake.cancel();
    }

    Step Pop() {
        Step step = std::move(steps.front());
        steps.pop_front();
        queued_bytes -= StepBytes(step);
        if (queued_bytes <= kMaxQueuedBytes) {
            drained.cancel();
        }
        return step;
    }

    void Cancel() {
        wake.cancel();
        drained.cancel();
        pause.cancel();
    }

    std::deque<Step> steps;
    std::size_t queued_bytes = 0;
    asio::steady_timer wake;     // the writer waits here while there is nothing to send
    asio::steady_timer drained;  // the reader waits here while too much is queued
    asio::steady_timer pause;    // Pause steps
};

struct TcpConnection {
    TcpConnection(tcp::socket s, ZkDevice& device)
        : socket(std::move(s)), session(device, Transport::kTcp), outbox(socket.get_executor()) {
        boost::system::error_code remote_error;
        boost::system::error_code local_error;
        const auto remote = socket.remote_endpoint(remote_error);
        const auto local = socket.local_endpoint(local_error);
        peer = remote_error ? "?" : remote.address().to_string() + ":" + std::to_string(remote.port());
        if (!remote_error && !local_error) {
            client_address = ProcNetAddressOf(remote);
            server_address = ProcNetAddressOf(local);
            proc_table = remote.address().is_v4() ? "/proc/net/tcp" : "/proc/net/tcp6";
        }
    }

    /// Whether the client has read everything written to it; std::nullopt when its socket is not on this host.
    std::optional<bool> ClientReadAll() {
        if (client_address.empty()) {
            return std::nullopt;
        }
        const auto client = ReadSocketQueues(proc_table, client_address, server_address);
        if (!client) {
            return std::nullopt;
        }
        // Bytes still in our send queue have not even reached the client's receive queue. Only the unsent ones
        // count: bytes the client read but has not acknowledged yet (its delayed ACK, 40 ms on Linux) are read.
        return UnsentBytes(socket.native_handle()).value_or(0) == 0 && client->rx == 0;
    }

    void Close() {
        if (closed) {
            return;
        }
        closed = true;
        boost::system::error_code ec;
        socket.close(ec);
        outbox.Cancel();
    }

    tcp::socket socket;
    ZkSession session;
    Outbox outbox;
    std::string peer;
    std::string client_address;  // as /proc/net/tcp prints it
    std::string server_address;
    std::string proc_table;
    bool closed = false;
};

struct UdpPeer {
    UdpPeer(udp::endpoint from, ZkDevice& device, const asio::any_io_executor& executor)
        : endpoint(std::move(from)),
          session(device, Transport::kUdp),
          outbox(executor),
          peer(endpoint.address().to_string() + ":" + std::to_string(endpoint.port())),
          client_address(ProcNetAddressOf(endpoint)),
          proc_table(endpoint.address().is_v4() ? "/proc/net/udp" : "/proc/net/udp6") {
        // Clients usually bind the wildcard address (node's dgram does), and then the table shows that address
        // instead of the one their datagrams come from.
        const std::array<std::uint8_t, 16> any{};
        wildcard_address = ProcNetAddress(std::span(any).first(endpoint.address().is_v4() ? 4 : 16), endpoint.port());
        wildcard_v6_address = ProcNetAddress(any, endpoint.port());
    }

    /// Whether the client has read every datagram sent to it; std::nullopt when its socket is not on this host.
    std::optional<bool> ClientReadAll() const {
        auto client = ReadSocketQueues(proc_table, client_address, "");
        if (!client) {
            client = ReadSocketQueues(proc_table, wildcard_address, "");
        }
        if (!client && endpoint.address().is_v4()) {
            client = ReadSocketQueues("/proc/net/udp6", wildcard_v6_address, "");
        }
        if (!client) {
            return std::nullopt;
        }
        return client->rx == 0;
    }

    void Close() {
        closed = true;
        outbox.Cancel();
    }

    udp::endpoint endpoint;
    ZkSession session;
    Outbox outbox;
    std::string peer;
    std::string client_address;  // as /proc/net/udp prints it
    std::string proc_table;
    std::string wildcard_address;
    std::string wildcard_v6_address;
    std::uint64_t last_heard = 0;
    bool closed = false;
};

// An AwaitClient step: polls until the client has read everything (or kMaxClientWait passed), or waits the fallback
// when the client's socket cannot be seen.
template <class Connection>
asio::awaitable<void> AwaitClientReads(Connection& c, std::chrono::milliseconds fallback) {
    const auto deadline = std::chrono::steady_clock::now() + kMaxClientWait;
    while (!c.closed) {
        const std::optional<bool> read_all = c.ClientReadAll();
        if (!read_all) {
            c.outbox.pause.expires_after(fallback);
            co_await c.outbox.pause.async_wait(kTuple);
            co_return;
        }
        if (*read_all) {
            co_return;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            spdlog::debug("zk {}: client has not read what was sent within {} s, sending on",
                          c.peer,
                          std::chrono::duration_cast<std::chrono::seconds>(kMaxClientWait).count());
            co_return;
        }
        c.outbox.pause.expires_after(kClientPoll);
        co_await c.outbox.pause.async_wait(kTuple);
    }
}

void LogRequest(const std::string& peer, const zk::Packet& request) {
    spdlog::debug("zk {} <- {} session {} reply {} ({} data bytes)",
                  peer,
                  zk::CommandName(request.command),
                  request.session_id,
                  request.reply_id,
                  request.data.size());
}

void LogFailure(const std::exception_ptr& e) {
    if (!e) {
        return;
    }
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        spdlog::error("zk simulator task failed: {}", ex.what());
    }
}

}  // namespace

struct ZkServer::Impl {
    Impl(ZkDevice& d, ZkServerOptions o)
        : device(d),
          options(std::move(o)),
          work(asio::make_work_guard(io)),
          acceptor(io),
          udp_socket(io),
          live_timer(io) {}

    core::Result<std::uint16_t> Bind();
    asio::awaitable<void> AcceptLoop();
    asio::awaitable<void> TcpRead(std::shared_ptr<TcpConnection> c);
    asio::awaitable<void> TcpWrite(std::shared_ptr<TcpConnection> c);
    asio::awaitable<void> UdpReceive();
    asio::awaitable<void> UdpWrite(std::shared_ptr<UdpPeer> p);
    asio::awaitable<void> LivePunches();
    std::shared_ptr<UdpPeer> PeerFor(const udp::endpoint& from);
    std::optional<zk::AttendanceRecord> PunchAndAnnounce();
    void CloseAll();

    // Before Start and after Stop no io thread runs, so the caller's thread is the only one.
    template <class F>
    auto OnIoThread(F fn) -> decltype(fn()) {
        if (!thread.joinable()) {
            return fn();
        }
        std::packaged_task<decltype(fn())()> task(std::move(fn));
        auto result = task.get_future();
        asio::post(io, [&task] { task(); });
        return result.get();
    }

    ZkDevice& device;
    ZkServerOptions options;
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work;
    tcp::acceptor acceptor;
    udp::socket udp_socket;
    asio::steady_timer live_timer;
    std::set<std::shared_ptr<TcpConnection>> tcp_connections;
    std::map<udp::endpoint, std::shared_ptr<UdpPeer>> udp_peers;
    std::uint64_t udp_datagrams = 0;
    std::thread thread;
    bool stopping = false;
};

core::Result<std::uint16_t> ZkServer::Impl::Bind() {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(options.host, ec);
    if (ec) {
        if (options.host != "localhost") {
            return core::MakeError(core::Errc::kInvalidArgument, "listen host must be an IP address: " + options.host);
        }
        address = asio::ip::address_v4::loopback();
    }
    const auto bind_udp = [&](std::uint16_t port) -> boost::system::error_code {
        boost::system::error_code e;
        udp_socket.open(address.is_v6() ? udp::v6() : udp::v4(), e);
        if (!e) {
            udp_socket.bind(udp::endpoint(address, port), e);
        }
        if (e) {
            boost::system::error_code ignored;
            udp_socket.close(ignored);
        }
        return e;
    };
    if (options.udp_only) {
        if (const auto e = bind_udp(options.port)) {
            return core::MakeError(
                core::Errc::kUnavailable,
                "cannot bind UDP " + options.host + ":" + std::to_string(options.port) + ": " + e.message());
        }
        return udp_socket.local_endpoint().port();
    }
    for (int attempt = 0; attempt < kBindAttempts; ++attempt) {
        boost::system::error_code e;
        acceptor.open(address.is_v6() ? tcp::v6() : tcp::v4(), e);
        if (!e) {
            acceptor.set_option(tcp::acceptor::reuse_address(true), e);
        }
        if (!e) {
            acceptor.bind(tcp::endpoint(address, options.port), e);
        }
        if (!e) {
            acceptor.listen(asio::socket_base::max_listen_connections, e);
        }
        if (e) {
            return core::MakeError(
                core::Errc::kUnavailable,
                "cannot bind TCP " + options.host + ":" + std::to_string(options.port) + ": " + e.message());
        }
        const std::uint16_t port = acceptor.local_endpoint().port();
        const auto udp_error = bind_udp(port);
        if (!udp_error) {
            return port;
        }
        acceptor.close(e);
        if (options.port != 0) {
            return core::MakeError(
                core::Errc::kUnavailable,
                "cannot bind UDP " + options.host + ":" + std::to_string(port) + ": " + udp_error.message());
        }
    }
    return core::MakeError(core::Errc::kUnavailable, "no port free for both TCP and UDP on " + options.host);
}

asio::awaitable<void> ZkServer::Impl::AcceptLoop() {
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(kTuple);
        if (ec) {
            if (stopping || ec == asio::error::operation_aborted) {
                co_return;
            }
            continue;
        }
        if (device.config().faults.reset_on_second_client) {
            for (const auto& old : tcp_connections) {
                spdlog::info("zk {}: reset by a second client", old->peer);
                // Linger 0 makes close send RST, which node-zklib reports as ECONNRESET.
                boost::system::error_code ignored;
                old->socket.set_option(tcp::socket::linger(true, 0), ignored);
                old->Close();
            }
        }
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        auto connection = std::make_shared<TcpConnection>(std::move(socket), device);
        spdlog::info("zk {} connected over TCP", connection->peer);
        tcp_connections.insert(connection);
        asio::co_spawn(io, TcpRead(connection), LogFailure);
        asio::co_spawn(io, TcpWrite(connection), LogFailure);
    }
}

asio::awaitable<void> ZkServer::Impl::TcpRead(std::shared_ptr<TcpConnection> c) {
    zk::TcpFrameDecoder decoder(zk::kMaxTcpPacketSize, zk::ChecksumPolicy::kIgnore);
    std::vector<std::uint8_t> buffer(std::size_t{64} * 1024);
    std::uint64_t mismatches = 0;
    while (!c->closed) {
        auto [ec, n] = co_await c->socket.async_read_some(asio::buffer(buffer), kTuple);
        if (ec) {
            // The client closed its side: what is queued is still written, then the connection closes.
            if (ec == asio::error::eof && !c->closed) {
                c->outbox.Push(Steps{CloseSession{}});
            } else {
                c->Close();
            }
            co_return;
        }
        decoder.Feed(zk::ByteView(buffer.data(), n));
        for (;;) {
            auto next = decoder.Next();
            if (!next.ok()) {
                spdlog::warn("zk {}: {}", c->peer, next.error().message);
                if (decoder.failed()) {
                    c->Close();
                    co_return;
                }
                continue;
            }
            if (!next->has_value()) {
                break;
            }
            if (decoder.checksum_mismatches() != mismatches) {
                mismatches = decoder.checksum_mismatches();
                spdlog::warn("zk {}: bad checksum on {}, served anyway", c->peer, zk::CommandName((*next)->command));
            }
            LogRequest(c->peer, **next);
            c->outbox.Push(c->session.Handle(**next));
        }
        while (!c->closed && c->outbox.queued_bytes > kMaxQueuedBytes) {
            co_await c->outbox.drained.async_wait(kTuple);
        }
    }
}

asio::awaitable<void> ZkServer::Impl::TcpWrite(std::shared_ptr<TcpConnection> c) {
    while (!c->closed) {
        if (c->outbox.steps.empty()) {
            co_await c->outbox.wake.async_wait(kTuple);
            continue;
        }
        const Step step = c->outbox.Pop();
        if (const auto* send = std::get_if<SendPackets>(&step)) {
            zk::Bytes bytes;
            for (const auto& packet : send->packets) {
                // The session keeps frames within 64 KiB (§10 item 10) unless a fault sends a whole log in one.
                auto frame = zk::EncodeTcpFrame(packet, zk::kMaxWholeLogTcpPacketSize);
                if (!frame.ok()) {
                    spdlog::error("zk {}: {}", c->peer, frame.error().message);
                    continue;
                }
                AppendWireBytes(bytes, *frame, zk::kTcpWrapperSize, device.config().faults.bad_checksums);
            }
            auto [ec, n] = co_await asio::async_write(c->socket, asio::buffer(bytes), kTuple);
            if (ec) {
                c->Close();
            }
        } else if (const auto* pause = std::get_if<Pause>(&step)) {
            c->outbox.pause.expires_after(pause->duration);
            co_await c->outbox.pause.async_wait(kTuple);
        } else if (const auto* await = std::get_if<AwaitClient>(&step)) {
            co_await AwaitClientReads(*c, await->fallback);
        } else {
            boost::system::error_code ignored;
            c->socket.shutdown(tcp::socket::shutdown_send, ignored);
            c->Close();
        }
    }
    spdlog::info("zk {} disconnected", c->peer);
    tcp_connections.erase(c);
}

std::shared_ptr<UdpPeer> ZkServer::Impl::PeerFor(const udp::endpoint& from) {
    if (const auto it = udp_peers.find(from); it != udp_peers.end()) {
        return it->second;
    }
    if (udp_peers.size() >= kMaxUdpPeers) {
        auto oldest = udp_peers.begin();
        for (auto it = udp_peers.begin(); it != udp_peers.end(); ++it) {
            if (it->second->last_heard < oldest->second->last_heard) {
                oldest = it;
            }
        }
        oldest->second->Close();
        udp_peers.erase(oldest);
    }
    auto peer = std::make_shared<UdpPeer>(from, device, io.get_executor());
    udp_peers.emplace(from, peer);
    asio::co_spawn(io, UdpWrite(peer), LogFailure);
    return peer;
}

asio::awaitable<void> ZkServer::Impl::UdpReceive() {
    std::vector<std::uint8_t> buffer(std::size_t{64} * 1024);
    for (;;) {
        udp::endpoint from;
        auto [ec, n] = co_await udp_socket.async_receive_from(asio::buffer(buffer), from, kTuple);
        if (ec) {
            if (stopping || ec == asio::error::operation_aborted || !udp_socket.is_open()) {
                co_return;
            }
            // Linux reports an ICMP "port unreachable" for an earlier datagram here; nothing to do.
            continue;
        }
        const zk::ByteView datagram(buffer.data(), n);
        auto packet = zk::DecodeDatagram(datagram, zk::ChecksumPolicy::kIgnore);
        if (!packet.ok()) {
            continue;
        }
        auto peer = PeerFor(from);
        peer->last_heard = ++udp_datagrams;
        if (!zk::HasValidChecksum(datagram)) {
            spdlog::warn("zk {}: bad checksum on {}, served anyway", peer->peer, zk::CommandName(packet->command));
        }
        if (peer->outbox.queued_bytes > kMaxQueuedBytes) {
            spdlog::warn("zk {}: output queue full, {} dropped", peer->peer, zk::CommandName(packet->command));
            continue;
        }
        LogRequest(peer->peer, *packet);
        peer->outbox.Push(peer->session.Handle(*packet));
    }
}

asio::awaitable<void> ZkServer::Impl::UdpWrite(std::shared_ptr<UdpPeer> p) {
    while (!p->closed) {
        if (p->outbox.steps.empty()) {
            co_await p->outbox.wake.async_wait(kTuple);
            continue;
        }
        const Step step = p->outbox.Pop();
        if (const auto* send = std::get_if<SendPackets>(&step)) {
            for (const auto& packet : send->packets) {
                zk::Bytes bytes;
                AppendWireBytes(bytes, zk::EncodePacket(packet), 0, device.config().faults.bad_checksums);
                auto [ec, n] = co_await udp_socket.async_send_to(asio::buffer(bytes), p->endpoint, kTuple);
                if (ec && (stopping || !udp_socket.is_open())) {
                    co_return;
                }
            }
        } else if (const auto* pause = std::get_if<Pause>(&step)) {
            p->outbox.pause.expires_after(pause->duration);
            co_await p->outbox.pause.async_wait(kTuple);
        } else if (const auto* await = std::get_if<AwaitClient>(&step)) {
            co_await AwaitClientReads(*p, await->fallback);
        } else {
            p->Close();
            if (const auto it = udp_peers.find(p->endpoint); it != udp_peers.end() && it->second == p) {
                udp_peers.erase(it);
            }
        }
    }
}

std::optional<zk::AttendanceRecord> ZkServer::Impl::PunchAndAnnounce() {
    auto record = device.AddLivePunch();
    if (!record) {
        return std::nullopt;
    }
    spdlog::debug("zk live punch: user {}", record->user_id);
    for (const auto& c : tcp_connections) {
        if (auto event = c->session.EventFor(*record)) {
            c->outbox.Push(Steps{SendPackets{{std::move(*event)}}});
        }
    }
    for (const auto& [endpoint, p] : udp_peers) {
        if (auto event = p->session.EventFor(*record)) {
            p->outbox.Push(Steps{SendPackets{{std::move(*event)}}});
        }
    }
    return record;
}

asio::awaitable<void> ZkServer::Impl::LivePunches() {
    for (;;) {
        live_timer.expires_after(options.live_punch_interval);
        auto [ec] = co_await live_timer.async_wait(kTuple);
        if (ec || stopping) {
            co_return;
        }
        PunchAndAnnounce();
    }
}

void ZkServer::Impl::CloseAll() {
    stopping = true;
    boost::system::error_code ignored;
    acceptor.close(ignored);
    udp_socket.close(ignored);
    live_timer.cancel();
    for (const auto& c : tcp_connections) {
        c->Close();
    }
    for (const auto& [endpoint, p] : udp_peers) {
        p->Close();
    }
    udp_peers.clear();
}

ZkServer::ZkServer(ZkDevice& device, ZkServerOptions options)
    : impl_(std::make_unique<Impl>(device, std::move(options))) {}

// Stop() throws only when the process is out of resources (an allocation, a thread join); terminating then is
// right, so the destructor stays noexcept.
ZkServer::~ZkServer() {  // NOLINT(bugprone-exception-escape)
    Stop();
}

core::Result<std::uint16_t> ZkServer::Start() {
    ROLLCALL_TRY(const std::uint16_t port, impl_->Bind());
    boost::system::error_code ignored;
    impl_->udp_socket.set_option(asio::socket_base::receive_buffer_size(kUdpSocketBufferSize), ignored);
    impl_->udp_socket.set_option(asio::socket_base::send_buffer_size(kUdpSocketBufferSize), ignored);
    if (impl_->acceptor.is_open()) {
        asio::co_spawn(impl_->io, impl_->AcceptLoop(), LogFailure);
    }
    asio::co_spawn(impl_->io, impl_->UdpReceive(), LogFailure);
    if (impl_->options.live_punch_interval.count() > 0) {
        asio::co_spawn(impl_->io, impl_->LivePunches(), LogFailure);
    }
    impl_->thread = std::thread([this] { impl_->io.run(); });
    return port;
}

void ZkServer::Stop() {
    if (!impl_->thread.joinable()) {
        return;
    }
    asio::post(impl_->io, [this] { impl_->CloseAll(); });
    // Once every socket is closed and every timer cancelled the coroutines end and run() returns.
    impl_->work.reset();
    impl_->thread.join();
}

std::optional<zk::AttendanceRecord> ZkServer::PunchNow() {
    return impl_->OnIoThread([this] { return impl_->PunchAndAnnounce(); });
}

void ZkServer::Run(const std::function<void(ZkDevice&)>& fn) {
    impl_->OnIoThread([&] { fn(impl_->device); });
}

std::size_t ZkServer::SessionCount() {
    return impl_->OnIoThread([this] { return impl_->tcp_connections.size() + impl_->udp_peers.size(); });
}

}  // namespace rollcall::sim
