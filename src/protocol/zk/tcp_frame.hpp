#pragma once

// TCP framing of ZK packets: each packet is preceded by the magic 50 50 82 7D and a u32 little-endian length
// of the packet (header + data). TCP is a stream, so a reply may arrive split over several reads and several
// packets may arrive in one read; TcpFrameDecoder turns arbitrary read boundaries back into packets.

#include "core/result.hpp"
#include "protocol/zk/bytes.hpp"
#include "protocol/zk/packet.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace rollcall::protocol::zk {

inline constexpr std::array<std::uint8_t, 4> kTcpMagic = {0x50, 0x50, 0x82, 0x7D};
inline constexpr std::size_t kTcpWrapperSize = 8;
/// node-zklib and zkteco-js read only the low 16 bits of the length, so no frame may carry more (§1.3).
inline constexpr std::size_t kMaxTcpPacketSize = 65535;
/// Old firmware answers a legacy read (§6.6) with the whole log in one frame, whatever its size, so the agent takes
/// frames up to the largest dataset it accepts (64 MiB) plus a header; the simulator can send them as a fault.
inline constexpr std::size_t kMaxWholeLogTcpPacketSize = (std::size_t{64} << 20) + 8;

/// Wrapper + packet. kPayloadTooLarge when the packet (8 + data bytes) exceeds `max_packet_size`.
core::Result<Bytes> EncodeTcpFrame(const Packet& packet, std::size_t max_packet_size = kMaxTcpPacketSize);

/// Incremental decoder for one TCP connection's byte stream. Usage: after every read, Feed() the bytes and
/// call Next() until it yields std::nullopt.
class TcpFrameDecoder {
public:
    explicit TcpFrameDecoder(std::size_t max_packet_size = kMaxTcpPacketSize,
                             ChecksumPolicy policy = ChecksumPolicy::kVerify);

    /// Appends received bytes; ignored once the stream has failed.
    void Feed(ByteView bytes);

    /// The next complete packet, or std::nullopt when more bytes are needed.
    /// A framing error (bad magic, length under 8 or over the maximum) means the stream can no longer be
    /// resynchronised: that error is returned from then on and the connection should be closed. A bad
    /// checksum costs only its own frame, which is consumed; the next call continues with the following frame.
    core::Result<std::optional<Packet>> Next();

    /// Bytes received but not yet returned as packets.
    std::size_t buffered_bytes() const { return buffer_.size() - start_; }
    bool failed() const { return failure_.has_value(); }
    /// With ChecksumPolicy::kIgnore, how many frames passed through with a wrong checksum: the simulator serves
    /// them but logs them (§1.4).
    std::uint64_t checksum_mismatches() const { return checksum_mismatches_; }

private:
    core::Error Fail(core::Error error);

    Bytes buffer_;
    std::size_t start_ = 0;  // consumed prefix of buffer_, compacted lazily to avoid shifting on every frame
    std::size_t max_packet_size_;
    ChecksumPolicy policy_;
    std::optional<core::Error> failure_;
    std::uint64_t checksum_mismatches_ = 0;
};

}  // namespace rollcall::protocol::zk
