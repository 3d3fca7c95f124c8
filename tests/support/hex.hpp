#pragma once

// Hex literals for byte-exact codec tests: golden vectors are copied from captures and docs as
// "e8 03 17 fc", so tests read like their source.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rollcall::testing {

/// "e8 03 17fc" -> bytes; spaces are ignored. Throws on anything else, which fails the test that uses it.
inline std::vector<std::uint8_t> Hex(std::string_view text) {
    const auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw std::invalid_argument("bad hex digit in test vector: " + std::string(1, c));
    };
    std::vector<std::uint8_t> out;
    int high = -1;
    for (const char c : text) {
        if (c == ' ' || c == '\n') {
            continue;
        }
        const int v = nibble(c);
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<std::uint8_t>(high * 16 + v));
            high = -1;
        }
    }
    if (high >= 0) {
        throw std::invalid_argument("odd number of hex digits in test vector");
    }
    return out;
}

/// Bytes -> "e8 03 17 fc", for readable failure messages.
inline std::string ToHex(const std::vector<std::uint8_t>& bytes) {
    constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (const std::uint8_t b : bytes) {
        if (!out.empty()) {
            out.push_back(' ');
        }
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 0xF]);
    }
    return out;
}

}  // namespace rollcall::testing
