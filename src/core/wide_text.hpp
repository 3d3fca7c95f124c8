#pragma once

// UTF-8 to UTF-16 for the Windows API (WinHTTP, the service manager). Windows only.

#include <string>

#include <windows.h>

namespace rollcall::core {

inline std::wstring Widen(const std::string& text) {
    if (text.empty()) {
        return {};
    }
    const int n = MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0);
    std::wstring wide(static_cast<std::size_t>(n), L'\0');
    MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), wide.data(), n);
    return wide;
}

}  // namespace rollcall::core
