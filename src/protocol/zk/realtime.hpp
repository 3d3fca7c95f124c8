#pragma once

// Realtime events (§8): after CMD_REG_EVENT with a non-zero mask the device sends unsolicited packets with
// command 500, the event code in the session field and reply id 0. The attendance event (code 1) comes in
// several payload layouts told apart by length; the agent decodes them, the simulator encodes them.

#include "core/result.hpp"
#include "protocol/zk/bytes.hpp"
#include "protocol/zk/packet.hpp"
#include "protocol/zk/time_codec.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace rollcall::protocol::zk {

/// CMD_REG_EVENT data: the u32 mask of event:: bits; 0 stops the events.
Bytes EncodeEventMask(std::uint32_t mask);
/// kInvalidArgument when shorter than 4 bytes.
core::Result<std::uint32_t> DecodeEventMask(ByteView data);

/// Whether `packet` is an event rather than a reply: by command, never by reply id (CONNECT may use 0 too).
bool IsEvent(const Packet& packet);

/// The event code of an event packet (its session field), e.g. event::kAttLog.
inline std::uint16_t EventCode(const Packet& event) {
    return event.session_id;
}

/// The packet a device sends for an event.
Packet MakeEventPacket(std::uint16_t event_code, Bytes data);

/// What the SDK and pyzk answer to every event: ACK_OK with the session id and reply id 0. Devices must not
/// require it and must never answer it.
Packet MakeEventAck(std::uint16_t session_id);

/// Payload layouts of the attendance event, named after their length in bytes.
enum class AttendanceEventLayout {
    kShort10,    ///< u16 user id, verify, state, time (UDP / BW units; node-zklib's UDP path needs exactly this)
    kNumeric12,  ///< u32 user id, verify, state, time
    kShort14,    ///< as kShort10 plus 4 unknown bytes
    kText32,     ///< 24-byte text user id, verify, state, time (TCP / TFT units)
    kText36,     ///< as kText32 plus 4 unknown bytes
};

struct AttendanceEvent {
    std::string user_id;  ///< the PIN; numeric layouts carry it as a number, printed in decimal
    std::uint8_t verify = 0;
    std::uint8_t state = 0;
    DeviceTime time;

    friend bool operator==(const AttendanceEvent&, const AttendanceEvent&) = default;
};

/// Event payload -> attendance event. Lengths 10, 12, 14 and 32 or more (36, 37 and 52 are seen; the bytes
/// past 32 are not understood) are accepted, as pyzk does; kInvalidArgument for any other length or an
/// invalid time.
core::Result<AttendanceEvent> DecodeAttendanceEvent(ByteView data);

/// The payload for `layout`. kInvalidArgument when the user id does not fit (over 65535 or not a canonical
/// number in kShort10/kShort14, not a canonical u32 in kNumeric12, over 23 bytes in the text layouts) or
/// the time is invalid.
core::Result<Bytes> EncodeAttendanceEvent(const AttendanceEvent& event, AttendanceEventLayout layout);

}  // namespace rollcall::protocol::zk
