// libFuzzer target for the ZK codec: arbitrary bytes go through every decoder a device or a client can make
// us run (TCP stream, datagram, records, users, free sizes, transfers, events, options). Besides crashes and
// sanitizer reports it checks the round trips: whatever decodes and re-encodes must decode to the same value.

#include "protocol/zk/attendance_record.hpp"
#include "protocol/zk/comm_key.hpp"
#include "protocol/zk/dataset.hpp"
#include "protocol/zk/free_sizes.hpp"
#include "protocol/zk/options.hpp"
#include "protocol/zk/packet.hpp"
#include "protocol/zk/realtime.hpp"
#include "protocol/zk/tcp_frame.hpp"
#include "protocol/zk/time_codec.hpp"
#include "protocol/zk/transfer.hpp"
#include "protocol/zk/user_record.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace zk = rollcall::protocol::zk;

namespace {

// A broken invariant is a bug: stop so libFuzzer saves the input.
void Require(bool condition) {
    if (!condition) {
        __builtin_trap();
    }
}

void FuzzPacket(zk::ByteView in) {
    const auto loose = zk::DecodePacket(in, zk::ChecksumPolicy::kIgnore);
    Require(loose.ok() == (in.size() >= zk::kHeaderSize));
    if (!loose.ok()) {
        return;
    }
    const zk::Bytes encoded = zk::EncodePacket(*loose);
    const auto again = zk::DecodePacket(encoded);
    Require(again.ok() && *again == *loose);
    const auto strict = zk::DecodePacket(in);
    Require(strict.ok() == zk::HasValidChecksum(in));
}

void FuzzTransfer(const zk::Packet& packet, zk::TransferAssembler& assembler) {
    (void)assembler.Feed(packet);
    Require(assembler.received_size() <= assembler.announced_size());
    (void)zk::DecodePrepareBufferReply(packet);
    if (const auto request = zk::DecodePrepareBufferRequest(packet.data); request.ok()) {
        Require(*zk::DecodePrepareBufferRequest(zk::EncodePrepareBufferRequest(*request)) == *request);
        (void)zk::RequestedDataset(*request);
    }
    if (const auto chunk = zk::DecodeReadBufferRequest(packet.data); chunk.ok()) {
        Require(*zk::DecodeReadBufferRequest(zk::EncodeReadBufferRequest(*chunk)) == *chunk);
        (void)zk::SliceChunk(packet.data, *chunk);
    }
    (void)zk::LegacyReadDataset(packet);
}

void FuzzTcpStream(zk::ByteView in) {
    if (in.empty()) {
        return;
    }
    // The first byte picks the read size, so frames get split and coalesced in every way.
    const std::size_t step = std::size_t{in[0]} % 64 + 1;
    zk::TcpFrameDecoder decoder(4096);
    auto assembler = zk::TransferAssembler::ForLegacyRead(1 << 20);
    for (std::size_t at = 1; at < in.size(); at += step) {
        decoder.Feed(in.subspan(at, std::min(step, in.size() - at)));
        for (int guard = 0; guard < 1024; ++guard) {
            const auto next = decoder.Next();
            if (!next.ok()) {
                if (decoder.failed()) {
                    return;
                }
                continue;  // a bad checksum costs one frame
            }
            if (!next->has_value()) {
                break;
            }
            const zk::Packet& packet = **next;
            Require(packet.data.size() + zk::kHeaderSize <= 4096);
            const auto frame = zk::EncodeTcpFrame(packet);
            Require(frame.ok());
            FuzzTransfer(packet, assembler);
        }
    }
}

void FuzzAttendance(zk::ByteView in) {
    for (const auto format : {zk::AttendanceFormat::kCompact8,
                              zk::AttendanceFormat::kNumeric16,
                              zk::AttendanceFormat::kExtended40,
                              zk::AttendanceFormat::kExtended49}) {
        const auto records = zk::DecodeAttendanceDataset(in, format);
        if (!records.ok()) {
            continue;
        }
        for (const zk::AttendanceRecord& record : *records) {
            const auto encoded = zk::EncodeAttendanceRecord(record, format);
            if (encoded.ok()) {
                const auto back = zk::DecodeAttendanceRecord(*encoded, format);
                Require(back.ok() && *back == record);
            }
            if (const auto time = zk::DecodePackedTime(record.packed_time); time.ok()) {
                const auto packed = zk::EncodePackedTime(*time);
                Require(packed.ok() && *packed == record.packed_time);
            }
        }
    }
    (void)zk::DetectAttendanceFormat(in, std::nullopt);
    if (in.size() >= 4) {
        (void)zk::DetectAttendanceFormat(in, zk::ReadU32(in, 0) % 1000);
    }
}

void FuzzUsers(zk::ByteView in) {
    for (const auto format : {zk::UserFormat::kCompact28, zk::UserFormat::kExtended72}) {
        const auto users = zk::DecodeUserDataset(in, format);
        if (!users.ok()) {
            continue;
        }
        for (const zk::User& user : *users) {
            const auto encoded = zk::EncodeUser(user, format);
            if (encoded.ok()) {
                const auto back = zk::DecodeUser(*encoded, format);
                Require(back.ok() && *back == user);
            }
        }
    }
    (void)zk::DetectUserFormat(in, std::nullopt);
}

void FuzzSmallPayloads(zk::ByteView in) {
    if (const auto sizes = zk::DecodeFreeSizes(in); sizes.ok() && sizes->has_value()) {
        const auto back = zk::DecodeFreeSizes(zk::EncodeFreeSizes(**sizes));
        Require(back.ok() && back->has_value() && **back == **sizes);
    }
    if (const auto event = zk::DecodeAttendanceEvent(in); event.ok()) {
        if (const auto encoded = zk::EncodeAttendanceEvent(*event, zk::AttendanceEventLayout::kText36); encoded.ok()) {
            const auto back = zk::DecodeAttendanceEvent(*encoded);
            Require(back.ok() && *back == *event);
        }
    }
    if (in.size() >= 6) {
        if (const auto time = zk::DecodeEventTime(in.first(6)); time.ok()) {
            const auto bytes = zk::EncodeEventTime(*time);
            Require(bytes.ok() && std::equal(bytes->begin(), bytes->end(), in.begin()));
        }
    }
    (void)zk::DecodeTimeData(in);
    (void)zk::DecodeEventMask(in);
    (void)zk::DecodePrepareData(in);
    if (const auto option = zk::DecodeOptionValue(in); option.ok()) {
        if (const auto encoded = zk::EncodeOptionValue(*option); encoded.ok()) {
            const auto back = zk::DecodeOptionValue(*encoded);
            Require(back.ok() && *back == *option);
        }
    }
    (void)zk::DecodeOptionRequest(in);
    (void)zk::DecodeText(in);
    if (in.size() >= 6) {
        (void)zk::VerifyCommKey(in.first(4), zk::ReadU32(in, 0), zk::ReadU16(in, 4));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const zk::ByteView in(data, size);
    FuzzPacket(in);
    FuzzTcpStream(in);
    FuzzAttendance(in);
    FuzzUsers(in);
    FuzzSmallPayloads(in);
    return 0;
}
