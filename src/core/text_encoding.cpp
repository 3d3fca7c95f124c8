#include "core/text_encoding.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace rollcall::core {
namespace {

/// The length of the well-formed UTF-8 sequence at `text[i]`, 0 when there is none (Unicode 15, table 3-7).
std::size_t SequenceLength(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
    const auto lead = byte(i);
    if (lead < 0x80) {
        return 1;
    }
    std::size_t length = 0;
    std::uint8_t low = 0x80;  // the range of the second byte, narrower after some leads
    std::uint8_t high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        low = lead == 0xE0 ? 0xA0 : 0x80;   // no overlong forms
        high = lead == 0xED ? 0x9F : 0xBF;  // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        low = lead == 0xF0 ? 0x90 : 0x80;   // no overlong forms
        high = lead == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
    } else {
        return 0;
    }
    if (text.size() - i < length) {
        return 0;
    }
    if (byte(i + 1) < low || byte(i + 1) > high) {
        return 0;
    }
    for (std::size_t k = 2; k < length; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) {
            return 0;
        }
    }
    return length;
}

// Windows-1252's 0x80..0x9F, where it differs from Latin-1; 0 marks the five bytes it leaves undefined.
constexpr std::array<char16_t, 32> kHighControls = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                                    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                                    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                                    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void AppendUtf8(std::string& out, char16_t code) {
    if (code < 0x80) {
        out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (code >> 6)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xE0 | (code >> 12)));
        out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
}

}  // namespace

std::optional<std::size_t> FirstInvalidUtf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto length = SequenceLength(text, i);
        if (length == 0) {
            return i;
        }
        i += length;
    }
    return std::nullopt;
}

bool HasUtf8Sequence(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (SequenceLength(text, i) > 1) {
            return true;
        }
    }
    return false;
}

std::optional<std::string> Windows1252ToUtf8(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 4);
    for (const char c : text) {
        const auto byte = static_cast<std::uint8_t>(c);
        char16_t code = byte;
        if (byte >= 0x80 && byte <= 0x9F) {
            code = kHighControls.at(byte - 0x80U);
            if (code == 0) {
                return std::nullopt;
            }
        }
        AppendUtf8(out, code);
    }
    return out;
}

std::string DeviceTextToUtf8(std::string_view text) {
    const auto invalid = FirstInvalidUtf8(text);
    if (!invalid) {
        return std::string(text);
    }
    // A UTF-8 name cut short by a fixed-width field: the valid text before the cut, the partial character dropped.
    const auto tail = text.substr(*invalid);
    const auto lead = static_cast<std::uint8_t>(tail.front());
    const std::size_t wanted = lead >= 0xC2 && lead <= 0xDF   ? 2
                               : lead >= 0xE0 && lead <= 0xEF ? 3
                               : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                              : 0;
    const bool continues =
        std::all_of(tail.begin() + 1, tail.end(), [](char c) { return (static_cast<std::uint8_t>(c) & 0xC0) == 0x80; });
    if (wanted > tail.size() && continues) {
        return std::string(text.substr(0, *invalid));
    }
    // Otherwise a single-byte code page, read as Windows-1252; a byte it leaves undefined is U+FFFD.
    std::string out;
    out.reserve(text.size() + text.size() / 2);
    for (const char c : text) {
        if (auto converted = Windows1252ToUtf8(std::string_view(&c, 1))) {
            out += *converted;
        } else {
            out += "\xEF\xBF\xBD";
        }
    }
    return out;
}

std::string AsciiLower(std::string text) {
    for (auto& c : text) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return text;
}

std::string_view TrimAscii(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace rollcall::core
