#pragma once

// User records (§7.5-§7.7): 72 bytes on TFT firmware (PIN as text), 28 bytes on BW firmware (PIN as u32).
// Read in bulk through 1503/1504 or the legacy USERTEMP_RRQ, written one at a time with CMD_USER_WRQ.

#include "core/result.hpp"
#include "protocol/zk/bytes.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace rollcall::protocol::zk {

/// The enumerator value is the record size in bytes.
enum class UserFormat : std::uint8_t { kCompact28 = 28, kExtended72 = 72 };

inline constexpr std::size_t RecordSize(UserFormat format) {
    return static_cast<std::size_t>(format);
}

/// Values of the privilege byte (pyzk's USER_* constants): bit 0 disables the user, bits 1-3 are the level.
namespace privilege {
inline constexpr std::uint8_t kUser = 0;
inline constexpr std::uint8_t kEnroller = 2;
inline constexpr std::uint8_t kManager = 6;
inline constexpr std::uint8_t kSuperAdmin = 14;
inline constexpr std::uint8_t kDisabledBit = 1;
}  // namespace privilege

struct User {
    std::uint16_t uid = 0;  ///< device-internal index, the key of DELETE_USER and of 8-byte attendance records
    std::uint8_t privilege = privilege::kUser;
    std::string password;  ///< 72: up to 7 bytes; 28: up to 5
    std::string name;      ///< 72: up to 23 bytes; 28: up to 8
    std::uint32_t card = 0;
    std::uint8_t group = 0;  ///< 72: byte 39 (adrobinoga); 28: byte 21
    /// 72 only: pyzk's group-id text at bytes 40-46 (up to 6 bytes); adrobinoga reads time-zone ids there.
    std::string group_id;
    std::int16_t time_zone = 0;  ///< 28 only
    std::string user_id;         ///< the PIN; 72: up to 23 bytes of text; 28: a u32 in decimal

    friend bool operator==(const User&, const User&) = default;
};

/// kInvalidArgument unless `bytes` is exactly one record of `format`.
core::Result<User> DecodeUser(ByteView bytes, UserFormat format);

/// Fields the layout has no room for are left out (group_id in 28; time_zone in 72). kInvalidArgument when a
/// carried field does not fit (text too long or containing NUL, user_id not a canonical u32 in 28).
core::Result<Bytes> EncodeUser(const User& user, UserFormat format);

/// A whole dataset (prefix + records) of one format.
core::Result<std::vector<User>> DecodeUserDataset(ByteView dataset, UserFormat format);
core::Result<Bytes> EncodeUserDataset(std::span<const User> users, UserFormat format);

/// §7.1 for users: candidates 72, 28; `expected_count` is FREE_SIZES' user count when known.
core::Result<UserFormat> DetectUserFormat(ByteView dataset, std::optional<std::uint32_t> expected_count);

}  // namespace rollcall::protocol::zk
