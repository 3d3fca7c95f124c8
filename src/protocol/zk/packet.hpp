#pragma once

// The ZK packet ("command header" + data) shared by UDP and TCP: 8-byte header of u16 command, checksum,
// session id and reply id (all little-endian), then command-specific data. Over UDP one datagram carries
// exactly one packet; TCP adds a wrapper (tcp_frame.hpp). Pure: no sockets.

#include "core/result.hpp"
#include "protocol/zk/bytes.hpp"

#include <cstddef>
#include <cstdint>

namespace rollcall::protocol::zk {

inline constexpr std::size_t kHeaderSize = 8;
/// Clients read at most 8 + 1024 bytes per datagram, so a longer UDP reply would be cut (§1.2).
inline constexpr std::size_t kMaxUdpDatagramSize = 1032;

/// One packet without its checksum, which is derived from the other fields when encoding.
struct Packet {
    std::uint16_t command = 0;
    std::uint16_t session_id = 0;  ///< 0 before CONNECT is answered; the event code in realtime events
    std::uint16_t reply_id = 0;    ///< the request counter, echoed by the device in every answering packet
    Bytes data;

    friend bool operator==(const Packet&, const Packet&) = default;
};

/// A device's answer to `request`: the request's session and reply ids are echoed (§1.6).
Packet MakeReply(const Packet& request, std::uint16_t reply_code, Bytes data = {});

/// The client's next reply id. Peers count modulo 65535 (65534 -> 0), so 65535 is never used.
std::uint16_t NextReplyId(std::uint16_t reply_id);

/// One's-complement checksum of an encoded packet with its checksum field (bytes 2-3) taken as zero (§1.4).
std::uint16_t ComputeChecksum(ByteView packet);

/// One's-complement arithmetic has two zeros, so 0x0000 and 0xFFFF are the same checksum.
bool ChecksumsEqual(std::uint16_t a, std::uint16_t b);

/// Whether the checksum stored in an encoded packet matches its contents; false when shorter than a header.
bool HasValidChecksum(ByteView packet);

/// kIgnore is for the simulator, which logs a mismatch (HasValidChecksum) and still serves the request.
enum class ChecksumPolicy { kVerify, kIgnore };

Bytes EncodePacket(const Packet& packet);

/// kInvalidArgument when shorter than the header or, with kVerify, when the checksum does not match.
core::Result<Packet> DecodePacket(ByteView bytes, ChecksumPolicy policy = ChecksumPolicy::kVerify);

/// A UDP datagram is one encoded packet; kPayloadTooLarge when it exceeds `max_datagram_size`.
core::Result<Bytes> EncodeDatagram(const Packet& packet, std::size_t max_datagram_size = kMaxUdpDatagramSize);

inline core::Result<Packet> DecodeDatagram(ByteView datagram, ChecksumPolicy policy = ChecksumPolicy::kVerify) {
    return DecodePacket(datagram, policy);
}

}  // namespace rollcall::protocol::zk
