#pragma once

// CMD_AUTH "comm key" scrambling (§3.2). A terminal with a communication password answers CONNECT with
// ACK_UNAUTH; the client then proves it knows the password by sending these 4 bytes, derived from the
// password, the session id and a "ticks" byte that travels in clear at byte 2.

#include "protocol/zk/bytes.hpp"

#include <array>
#include <cstdint>

namespace rollcall::protocol::zk {

/// pyzk always uses 50; ZKTeco4J draws a random byte. The device reads it back from the packet, so any works.
inline constexpr std::uint8_t kDefaultAuthTicks = 50;

/// The CMD_AUTH data for comm key `key` on session `session_id`.
std::array<std::uint8_t, 4> MakeCommKey(std::uint32_t key,
                                        std::uint16_t session_id,
                                        std::uint8_t ticks = kDefaultAuthTicks);

/// Device side: whether CMD_AUTH data proves knowledge of `key`. False unless exactly 4 bytes.
bool VerifyCommKey(ByteView auth_data, std::uint32_t key, std::uint16_t session_id);

}  // namespace rollcall::protocol::zk
