#pragma once

// Byte buffers and little-endian field access shared by the ZK codec files. Every multi-byte integer of the
// protocol is little-endian and many fields sit at unaligned offsets (the 40-byte record's time at 27), so
// fields are assembled byte by byte instead of through casts or memcpy into host integers.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rollcall::protocol::zk {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

/// Callers must have checked that `at + 2 <= bytes.size()`.
inline std::uint16_t ReadU16(ByteView bytes, std::size_t at) {
    return static_cast<std::uint16_t>(bytes[at] | (bytes[at + 1] << 8));
}

/// Callers must have checked that `at + 4 <= bytes.size()`.
inline std::uint32_t ReadU32(ByteView bytes, std::size_t at) {
    return static_cast<std::uint32_t>(bytes[at]) | (static_cast<std::uint32_t>(bytes[at + 1]) << 8) |
           (static_cast<std::uint32_t>(bytes[at + 2]) << 16) | (static_cast<std::uint32_t>(bytes[at + 3]) << 24);
}

inline void WriteU16(std::span<std::uint8_t> bytes, std::size_t at, std::uint16_t value) {
    bytes[at] = static_cast<std::uint8_t>(value & 0xFF);
    bytes[at + 1] = static_cast<std::uint8_t>(value >> 8);
}

inline void WriteU32(std::span<std::uint8_t> bytes, std::size_t at, std::uint32_t value) {
    for (std::size_t i = 0; i < 4; ++i) {
        bytes[at + i] = static_cast<std::uint8_t>((value >> (8 * i)) & 0xFF);
    }
}

inline void AppendU16(Bytes& out, std::uint16_t value) {
    out.push_back(static_cast<std::uint8_t>(value & 0xFF));
    out.push_back(static_cast<std::uint8_t>(value >> 8));
}

inline void AppendU32(Bytes& out, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) {
        out.push_back(static_cast<std::uint8_t>((value >> (8 * i)) & 0xFF));
    }
}

/// Text of a fixed-width or trailing field: up to the first NUL, or the whole field when there is none.
/// Devices leave junk after the NUL (passwords), so nothing past it is looked at.
inline std::string ReadText(ByteView field) {
    std::size_t n = 0;
    while (n < field.size() && field[n] != 0) {
        ++n;
    }
    return std::string(reinterpret_cast<const char*>(field.data()), n);
}

inline Bytes ToBytes(std::string_view text) {
    return Bytes(text.begin(), text.end());
}

/// "0x1a2b", for error messages about codes and checksums.
inline std::string Hex16(std::uint16_t value) {
    constexpr char kDigits[] = "0123456789abcdef";
    std::string out = "0x";
    for (int shift = 12; shift >= 0; shift -= 4) {
        out.push_back(kDigits[(value >> shift) & 0xF]);
    }
    return out;
}

}  // namespace rollcall::protocol::zk
