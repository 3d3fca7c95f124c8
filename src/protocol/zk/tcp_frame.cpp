#include "protocol/zk/tcp_frame.hpp"

#include <algorithm>
#include <string>

namespace rollcall::protocol::zk {
namespace {

using core::Errc;
using core::MakeError;

// Shifting the buffer costs a copy of what is left, so it is only done once this much has been consumed.
constexpr std::size_t kCompactThreshold = std::size_t{64} * 1024;

}  // namespace

core::Result<Bytes> EncodeTcpFrame(const Packet& packet, std::size_t max_packet_size) {
    const std::size_t packet_size = kHeaderSize + packet.data.size();
    if (packet_size > max_packet_size) {
        return MakeError(
            Errc::kPayloadTooLarge,
            "TCP packet of " + std::to_string(packet_size) + " bytes exceeds " + std::to_string(max_packet_size));
    }
    Bytes out(kTcpMagic.begin(), kTcpMagic.end());
    out.reserve(kTcpWrapperSize + packet_size);
    AppendU32(out, static_cast<std::uint32_t>(packet_size));
    const Bytes body = EncodePacket(packet);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

TcpFrameDecoder::TcpFrameDecoder(std::size_t max_packet_size, ChecksumPolicy policy)
    : max_packet_size_(max_packet_size), policy_(policy) {}

void TcpFrameDecoder::Feed(ByteView bytes) {
    if (failure_) {
        return;
    }
    if (start_ == buffer_.size()) {
        buffer_.clear();
        start_ = 0;
    } else if (start_ >= kCompactThreshold) {
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start_));
        start_ = 0;
    }
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

core::Error TcpFrameDecoder::Fail(core::Error error) {
    failure_ = error;
    buffer_.clear();
    start_ = 0;
    return error;
}

core::Result<std::optional<Packet>> TcpFrameDecoder::Next() {
    if (failure_) {
        return *failure_;
    }
    const ByteView pending = ByteView(buffer_).subspan(start_);
    // The magic is checked on a partial wrapper too, so a peer speaking something else is refused at once
    // instead of after it has sent a full 8 bytes.
    const std::size_t magic_seen = std::min(pending.size(), kTcpMagic.size());
    if (!std::equal(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(magic_seen), kTcpMagic.begin())) {
        return Fail(MakeError(Errc::kInvalidArgument, "TCP frame does not start with the magic 50 50 82 7d"));
    }
    if (pending.size() < kTcpWrapperSize) {
        return std::optional<Packet>();
    }
    const std::uint32_t length = ReadU32(pending, 4);
    if (length < kHeaderSize) {
        return Fail(MakeError(Errc::kInvalidArgument,
                              "TCP frame length " + std::to_string(length) + " is shorter than a packet header"));
    }
    if (length > max_packet_size_) {
        return Fail(
            MakeError(Errc::kPayloadTooLarge,
                      "TCP frame length " + std::to_string(length) + " exceeds " + std::to_string(max_packet_size_)));
    }
    if (pending.size() - kTcpWrapperSize < length) {
        return std::optional<Packet>();
    }
    const ByteView packet_bytes = pending.subspan(kTcpWrapperSize, length);
    start_ += kTcpWrapperSize + length;
    if (policy_ == ChecksumPolicy::kIgnore && !HasValidChecksum(packet_bytes)) {
        ++checksum_mismatches_;
    }
    ROLLCALL_TRY(auto packet, DecodePacket(packet_bytes, policy_));
    return std::optional<Packet>(std::move(packet));
}

}  // namespace rollcall::protocol::zk
