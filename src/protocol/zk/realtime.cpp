#include "protocol/zk/realtime.hpp"

#include "protocol/zk/commands.hpp"
#include "protocol/zk/fields.hpp"

#include <string>

namespace rollcall::protocol::zk {
namespace {

using core::Errc;
using core::MakeError;

constexpr std::size_t kTextUserIdWidth = 24;
constexpr std::size_t kTimeSize = 6;

// verify, state and time follow the user id in every layout.
core::Result<AttendanceEvent> DecodeTail(std::string user_id, ByteView tail) {
    ROLLCALL_TRY(const DeviceTime time, DecodeEventTime(tail.subspan(2, kTimeSize)));
    return AttendanceEvent{std::move(user_id), tail[0], tail[1], time};
}

}  // namespace

Bytes EncodeEventMask(std::uint32_t mask) {
    Bytes out;
    AppendU32(out, mask);
    return out;
}

core::Result<std::uint32_t> DecodeEventMask(ByteView data) {
    if (data.size() < 4) {
        return MakeError(Errc::kInvalidArgument, "event mask of " + std::to_string(data.size()) + " bytes, expected 4");
    }
    return ReadU32(data, 0);
}

bool IsEvent(const Packet& packet) {
    return packet.command == cmd::kRegEvent;
}

Packet MakeEventPacket(std::uint16_t event_code, Bytes data) {
    return Packet{cmd::kRegEvent, event_code, 0, std::move(data)};
}

Packet MakeEventAck(std::uint16_t session_id) {
    return Packet{cmd::kAckOk, session_id, 0, {}};
}

core::Result<AttendanceEvent> DecodeAttendanceEvent(ByteView data) {
    switch (data.size()) {
        case 10:
        case 14:
            return DecodeTail(std::to_string(ReadU16(data, 0)), data.subspan(2));
        case 12:
            return DecodeTail(std::to_string(ReadU32(data, 0)), data.subspan(4));
        default:
            break;
    }
    if (data.size() >= 32) {
        return DecodeTail(ReadText(data.first(kTextUserIdWidth)), data.subspan(kTextUserIdWidth));
    }
    return MakeError(Errc::kInvalidArgument,
                     "attendance event of " + std::to_string(data.size()) + " bytes has no known layout");
}

core::Result<Bytes> EncodeAttendanceEvent(const AttendanceEvent& event, AttendanceEventLayout layout) {
    ROLLCALL_TRY(const auto time, EncodeEventTime(event.time));
    Bytes out;
    std::size_t extra = 0;
    switch (layout) {
        case AttendanceEventLayout::kShort10:
        case AttendanceEventLayout::kShort14: {
            ROLLCALL_TRY(const std::uint32_t id, NumericUserId(event.user_id, 0xFFFF));
            AppendU16(out, static_cast<std::uint16_t>(id));
            extra = layout == AttendanceEventLayout::kShort14 ? 4 : 0;
            break;
        }
        case AttendanceEventLayout::kNumeric12: {
            ROLLCALL_TRY(const std::uint32_t id, NumericUserId(event.user_id));
            AppendU32(out, id);
            break;
        }
        case AttendanceEventLayout::kText32:
        case AttendanceEventLayout::kText36:
            // One byte is kept for the NUL: node-zklib reads the PIN as a C string.
            ROLLCALL_CHECK(CheckTextField(event.user_id, kTextUserIdWidth - 1, "user_id"));
            out.resize(kTextUserIdWidth, 0);
            WriteText(out, event.user_id);
            extra = layout == AttendanceEventLayout::kText36 ? 4 : 0;
            break;
    }
    out.push_back(event.verify);
    out.push_back(event.state);
    out.insert(out.end(), time.begin(), time.end());
    out.resize(out.size() + extra, 0);
    return out;
}

}  // namespace rollcall::protocol::zk
