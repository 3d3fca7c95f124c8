#pragma once

// One client of a simulated terminal (a TCP connection, or a UDP peer address): the device side of the ZK
// protocol as a state machine from request packets to Steps. It knows the transport because the record layouts,
// the DATA packet size and the pacing depend on it (§10).

#include "protocol/zk/attendance_record.hpp"
#include "protocol/zk/bytes.hpp"
#include "protocol/zk/packet.hpp"
#include "protocol/zk/transfer.hpp"
#include "sim/zk_config.hpp"
#include "sim/zk_device.hpp"
#include "sim/zk_steps.hpp"

#include <cstdint>
#include <optional>

namespace rollcall::sim {

/// pyzk reads at most 1024 bytes for the UDP answer to 1503, so a direct CMD_DATA may carry no more (§6.3).
inline constexpr std::size_t kMaxDirectDatasetSize = 1016;

class ZkSession {
public:
    /// `device` must outlive the session.
    ZkSession(ZkDevice& device, Transport transport);

    /// The answer to one request; empty for packets a device never answers (a client's ACK_OK to an event).
    /// Replies echo the request's ids (§1.6); requests before CONNECT, or before CMD_AUTH when a comm key is set,
    /// are answered ACK_UNAUTH.
    Steps Handle(const protocol::zk::Packet& request);

    /// The realtime event announcing `record`, when this session registered for events (any non-zero mask counts,
    /// §10 item 13); std::nullopt otherwise or when the record cannot be put in the session's event layout.
    std::optional<protocol::zk::Packet> EventFor(const protocol::zk::AttendanceRecord& record) const;

    Transport transport() const { return transport_; }
    std::uint16_t session_id() const { return session_id_; }
    /// CONNECT was answered and, when a comm key is set, CMD_AUTH proved it.
    bool ready() const { return phase_ == Phase::kReady; }

private:
    enum class Phase { kNew, kUnauthenticated, kReady };

    Steps HandleReady(const protocol::zk::Packet& request);
    Steps Connect(const protocol::zk::Packet& request);
    Steps Authenticate(const protocol::zk::Packet& request);
    Steps PrepareBuffer(const protocol::zk::Packet& request);
    Steps ReadBuffer(const protocol::zk::Packet& request);
    Steps LegacyRead(const protocol::zk::Packet& request, protocol::zk::Dataset dataset);
    Steps ReadOption(const protocol::zk::Packet& request);
    Steps WriteOption(const protocol::zk::Packet& request);
    Steps GetTime(const protocol::zk::Packet& request);
    Steps SetTime(const protocol::zk::Packet& request);
    Steps RegisterEvents(const protocol::zk::Packet& request);
    Steps ClearData(const protocol::zk::Packet& request);
    Steps WriteUser(const protocol::zk::Packet& request);
    Steps DeleteUser(const protocol::zk::Packet& request);

    /// PREPARE_DATA, DATA..., ACK_OK for a chunk or a legacy read, in the transport's write pattern. `offset` is
    /// where `data` starts in its dataset; DATA packets carry at most `data_per_packet` bytes (by default one
    /// 64 KiB frame over TCP, one datagram over UDP).
    Steps Transfer(const protocol::zk::Packet& request,
                   protocol::zk::ByteView data,
                   std::uint32_t offset,
                   std::optional<std::size_t> data_per_packet = std::nullopt);
    Steps TcpTransfer(std::vector<protocol::zk::Packet> packets);
    Steps UdpTransfer(std::vector<protocol::zk::Packet> packets, std::uint32_t offset);

    /// A dataset (prefix + records) in the session's layouts.
    core::Result<protocol::zk::Bytes> EncodeDataset(protocol::zk::Dataset dataset) const;

    ZkDevice& device_;
    Transport transport_;
    Phase phase_ = Phase::kNew;
    std::uint16_t session_id_ = 0;
    std::uint32_t event_mask_ = 0;
    /// The dataset 1503 prepared, read by 1504 until FREE_DATA. A snapshot: punches and CLEAR_ATTLOG after 1503
    /// do not change a download in progress.
    std::optional<protocol::zk::Bytes> buffer_;
    /// DATA datagrams of UDP transfers so far, for the drop fault.
    std::uint64_t udp_data_packets_ = 0;
};

}  // namespace rollcall::sim
