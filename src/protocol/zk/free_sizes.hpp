#pragma once

// CMD_GET_FREE_SIZES reply (§4.3): a table of little-endian int32 with the counts and capacities of the
// device. The agent needs the user and attendance counts to choose record sizes (§7.1).

#include "core/result.hpp"
#include "protocol/zk/bytes.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace rollcall::protocol::zk {

/// pyzk needs this much; the face fields follow in 12 more bytes on units that have them.
inline constexpr std::size_t kFreeSizesMinSize = 80;
inline constexpr std::size_t kFreeSizesFullSize = 92;

/// Only on units with a face reader (the last 12 bytes of the 92-byte table).
struct FaceSizes {
    std::uint32_t count = 0;
    std::uint32_t capacity = 0;

    friend bool operator==(const FaceSizes&, const FaceSizes&) = default;
};

struct FreeSizes {
    std::uint32_t users = 0;
    std::uint32_t fingers = 0;
    std::uint32_t records = 0;
    std::uint32_t oplogs = 0;
    std::uint32_t admins = 0;  ///< pyzk labels it "cards"
    std::uint32_t passwords = 0;
    std::uint32_t finger_capacity = 0;
    std::uint32_t user_capacity = 0;
    std::uint32_t record_capacity = 0;
    std::uint32_t fingers_free = 0;
    std::uint32_t users_free = 0;
    std::uint32_t records_free = 0;
    std::optional<FaceSizes> faces;  ///< present when the reply has the 92-byte table

    friend bool operator==(const FreeSizes&, const FreeSizes&) = default;
};

/// Reply data -> table. Small units (WL20) answer a single u32: that yields std::nullopt ("counts unknown",
/// which must not be read as "no records"). Longer tables (112 bytes on newer firmware) are read up to the
/// fields known here. kInvalidArgument for any other length under 80 bytes.
core::Result<std::optional<FreeSizes>> DecodeFreeSizes(ByteView data);

/// 92 bytes when `faces` is set, else 80; reserved slots are 0.
Bytes EncodeFreeSizes(const FreeSizes& sizes);

}  // namespace rollcall::protocol::zk
