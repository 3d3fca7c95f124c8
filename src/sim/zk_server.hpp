#pragma once

// A simulated ZK terminal on the network: TCP and UDP on one port number (§10 item 1), a ZkSession per TCP
// connection and per UDP peer address, realtime events to the sessions that registered, and optional live punches
// on a timer. Everything runs on one io thread, so the device needs no locks; Asio stays behind this interface.

#include "core/result.hpp"
#include "protocol/zk/attendance_record.hpp"
#include "sim/zk_device.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace rollcall::sim {

struct ZkServerOptions {
    std::string host = "127.0.0.1";
    /// 0 picks a free port (TCP first, then UDP is bound on the same number).
    std::uint16_t port = 4370;
    /// No TCP listener, so node-zklib's TCP connect is refused and it falls back to UDP.
    bool udp_only = false;
    /// When non-zero, someone punches this often (if the device accepts punches) and registered sessions get the
    /// event.
    std::chrono::milliseconds live_punch_interval{0};
};

class ZkServer {
public:
    /// `device` must outlive the server; while the server runs only its io thread may touch it (use Run).
    ZkServer(ZkDevice& device, ZkServerOptions options);
    ~ZkServer();  // NOLINT(bugprone-exception-escape): see the definition
    ZkServer(const ZkServer&) = delete;
    ZkServer& operator=(const ZkServer&) = delete;

    /// Binds and starts the io thread; returns the bound port. kInvalidArgument for a bad host, kUnavailable when
    /// the port cannot be bound.
    core::Result<std::uint16_t> Start();
    /// Closes every socket and joins the io thread. Idempotent.
    void Stop();

    /// Someone punches now: the record that was added and announced, std::nullopt when the device took no
    /// punch (disabled, no users). Thread-safe.
    std::optional<protocol::zk::AttendanceRecord> PunchNow();
    /// Runs `fn` on the io thread and waits for it, for reading or changing the device while the server runs.
    void Run(const std::function<void(ZkDevice&)>& fn);

    /// TCP connections and UDP peers with a session. Thread-safe.
    std::size_t SessionCount();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace rollcall::sim
