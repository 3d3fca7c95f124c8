#pragma once

#include "core/result.hpp"
#include "protocol/zk/packet.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace rollcall::agent {

/// The agent speaks one protocol; its sources call it by this short name.
namespace zk = protocol::zk;

/// One connection to a terminal's port 4370, TCP (framed, §1.3) or UDP (a datagram per packet, §1.2).
/// Every wait has a deadline: a terminal that stops answering costs a timeout, never a hang.
class ZkTransport {
public:
    virtual ~ZkTransport() = default;
    virtual core::Status Send(const zk::Packet& packet) = 0;
    /// The next packet from the device; kTimeout when none came in time, kUnavailable when the connection failed,
    /// kInvalidArgument or kPayloadTooLarge when the device sent what the protocol does not allow (a protocol error:
    /// a wrong checksum over UDP, a TCP stream that is not ZK frames).
    virtual core::Result<zk::Packet> Receive(std::chrono::milliseconds timeout) = 0;
    virtual std::string Name() const = 0;  ///< "tcp" or "udp"
    /// Packets that came with a wrong checksum and were taken anyway: over TCP, whose own checksum and framing
    /// already protect the bytes (ADR 0005); a UDP datagram with a wrong checksum is a protocol error instead.
    virtual std::uint64_t checksum_mismatches() const { return 0; }
};

/// kUnavailable when the port refuses, kTimeout when it does not answer within `timeout`.
core::Result<std::unique_ptr<ZkTransport>> ConnectTcp(const std::string& host,
                                                      std::uint16_t port,
                                                      std::chrono::milliseconds timeout);
core::Result<std::unique_ptr<ZkTransport>> OpenUdp(const std::string& host, std::uint16_t port);

}  // namespace rollcall::agent
