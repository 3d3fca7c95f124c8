#pragma once

// Checks and writers for the fixed-width fields of ZK records, shared by the record codecs. Encoding refuses
// what decoding could not give back (text too long for its field, an embedded NUL, a non-numeric PIN where the
// layout stores a number), so that encode -> decode is always the identity.

#include "core/result.hpp"
#include "protocol/zk/bytes.hpp"

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rollcall::protocol::zk {

/// OK when `text` fits a field read by ReadText: at most `max_length` bytes and no NUL inside.
inline core::Status CheckTextField(std::string_view text, std::size_t max_length, std::string_view field) {
    if (text.size() > max_length) {
        return core::MakeError(core::Errc::kInvalidArgument,
                               std::string(field) + " longer than " + std::to_string(max_length) + " bytes");
    }
    if (text.find('\0') != std::string_view::npos) {
        return core::MakeError(core::Errc::kInvalidArgument, std::string(field) + " contains a NUL byte");
    }
    return {};
}

/// Copies `text` into a zero-filled field; the caller has checked it with CheckTextField.
inline void WriteText(std::span<std::uint8_t> field, std::string_view text) {
    for (std::size_t i = 0; i < field.size(); ++i) {
        field[i] = i < text.size() ? static_cast<std::uint8_t>(text[i]) : 0;
    }
}

/// Canonical decimal only ("0", "101", never "0101" or "+1"), so that the number prints back as the same text.
inline std::optional<std::uint32_t> ParseCanonicalU32(std::string_view text) {
    if (text.empty() || (text.size() > 1 && text[0] == '0')) {
        return std::nullopt;
    }
    std::uint32_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

/// A PIN for a layout that stores it as a u32 (16-byte records, 28-byte users, short realtime events).
inline core::Result<std::uint32_t> NumericUserId(std::string_view user_id, std::uint32_t max_value = 0xFFFFFFFF) {
    const auto value = ParseCanonicalU32(user_id);
    if (!value || *value > max_value) {
        return core::MakeError(core::Errc::kInvalidArgument,
                               "user_id \"" + std::string(user_id) + "\" is not a number from 0 to " +
                                   std::to_string(max_value) + " (numeric layout)");
    }
    return *value;
}

/// Whether a PIN field has the shape devices write: non-empty printable ASCII, then only zeros. A record
/// read at the wrong size rarely passes, which is what the record-size choice relies on.
inline bool LooksLikeUserId(ByteView field) {
    std::size_t n = 0;
    while (n < field.size() && field[n] != 0) {
        if (field[n] < 0x21 || field[n] > 0x7E) {
            return false;
        }
        ++n;
    }
    if (n == 0) {
        return false;
    }
    for (std::size_t i = n; i < field.size(); ++i) {
        if (field[i] != 0) {
            return false;
        }
    }
    return true;
}

}  // namespace rollcall::protocol::zk
