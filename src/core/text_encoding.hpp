#pragma once

// Text as the server stores it: UTF-8, always. What arrives in another encoding is converted once at the edge
// (the people CSV of an older spreadsheet program, Windows-1252) or refused, so every answer is valid JSON and
// every report a valid XLSX file (docs/api.md "Text").

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace rollcall::core {

/// The offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629: no overlong forms,
/// no surrogates, nothing above U+10FFFF), or nullopt when all of `text` is UTF-8.
std::optional<std::size_t> FirstInvalidUtf8(std::string_view text);

inline bool IsValidUtf8(std::string_view text) {
    return !FirstInvalidUtf8(text).has_value();
}

/// Whether `text` has at least one multi-byte UTF-8 sequence (a non-ASCII character written as UTF-8).
bool HasUtf8Sequence(std::string_view text);

/// `text` read as Windows-1252 and written as UTF-8, or nullopt when it holds one of the five bytes that code
/// page leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D): such text is in neither encoding.
std::optional<std::string> Windows1252ToUtf8(std::string_view text);

/// Text a device stored without saying its encoding (a ZK terminal's user names), as UTF-8, never failing: UTF-8 as
/// it is, except that a character cut off at the very end (a fixed-width field cuts a long name anywhere) is
/// dropped; anything else as Windows-1252, each byte that code page leaves undefined becoming U+FFFD.
std::string DeviceTextToUtf8(std::string_view text);

/// `text` with its ASCII letters in lower case and every other byte as it was: for comparing names and column
/// headers without regard to case, never for display.
std::string AsciiLower(std::string text);

/// `text` without the spaces and tabs around it.
std::string_view TrimAscii(std::string_view text);

}  // namespace rollcall::core
