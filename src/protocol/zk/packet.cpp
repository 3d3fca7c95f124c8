#include "protocol/zk/packet.hpp"

#include <string>
#include <utility>

namespace rollcall::protocol::zk {
namespace {

using core::Errc;
using core::MakeError;

constexpr std::size_t kChecksumOffset = 2;

}  // namespace

Packet MakeReply(const Packet& request, std::uint16_t reply_code, Bytes data) {
    return Packet{reply_code, request.session_id, request.reply_id, std::move(data)};
}

std::uint16_t NextReplyId(std::uint16_t reply_id) {
    return reply_id >= 65534 ? 0 : static_cast<std::uint16_t>(reply_id + 1);
}

std::uint16_t ComputeChecksum(ByteView packet) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < packet.size(); i += 2) {
        if (i == kChecksumOffset) {
            continue;
        }
        const std::uint32_t low = packet[i];
        const std::uint32_t high = i + 1 < packet.size() ? packet[i + 1] : 0;
        sum += low | (high << 8);
        // Folding as we go keeps the accumulator from overflowing on any packet length.
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    while (sum > 0xFFFF) {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(~sum & 0xFFFF);
}

bool ChecksumsEqual(std::uint16_t a, std::uint16_t b) {
    const auto canonical = [](std::uint16_t c) { return c == 0xFFFF ? std::uint16_t{0} : c; };
    return canonical(a) == canonical(b);
}

bool HasValidChecksum(ByteView packet) {
    if (packet.size() < kHeaderSize) {
        return false;
    }
    return ChecksumsEqual(ReadU16(packet, kChecksumOffset), ComputeChecksum(packet));
}

Bytes EncodePacket(const Packet& packet) {
    Bytes out;
    out.reserve(kHeaderSize + packet.data.size());
    AppendU16(out, packet.command);
    AppendU16(out, 0);
    AppendU16(out, packet.session_id);
    AppendU16(out, packet.reply_id);
    out.insert(out.end(), packet.data.begin(), packet.data.end());
    WriteU16(out, kChecksumOffset, ComputeChecksum(out));
    return out;
}

core::Result<Packet> DecodePacket(ByteView bytes, ChecksumPolicy policy) {
    if (bytes.size() < kHeaderSize) {
        return MakeError(Errc::kInvalidArgument,
                         "packet of " + std::to_string(bytes.size()) + " bytes is shorter than the 8-byte header");
    }
    if (policy == ChecksumPolicy::kVerify) {
        const std::uint16_t stored = ReadU16(bytes, kChecksumOffset);
        const std::uint16_t computed = ComputeChecksum(bytes);
        if (!ChecksumsEqual(stored, computed)) {
            return MakeError(Errc::kInvalidArgument,
                             "bad packet checksum " + Hex16(stored) + ", expected " + Hex16(computed));
        }
    }
    return Packet{ReadU16(bytes, 0),
                  ReadU16(bytes, 4),
                  ReadU16(bytes, 6),
                  Bytes(bytes.begin() + static_cast<std::ptrdiff_t>(kHeaderSize), bytes.end())};
}

core::Result<Bytes> EncodeDatagram(const Packet& packet, std::size_t max_datagram_size) {
    if (kHeaderSize + packet.data.size() > max_datagram_size) {
        return MakeError(Errc::kPayloadTooLarge,
                         "datagram of " + std::to_string(kHeaderSize + packet.data.size()) + " bytes exceeds " +
                             std::to_string(max_datagram_size));
    }
    return EncodePacket(packet);
}

}  // namespace rollcall::protocol::zk
