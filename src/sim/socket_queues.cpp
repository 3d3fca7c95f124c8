#include "sim/socket_queues.hpp"

#include <bit>
#include <charconv>
#include <fstream>
#include <sstream>

#include <linux/sockios.h>
#include <sys/ioctl.h>

namespace rollcall::sim {
namespace {

void AppendHex(std::string& out, std::uint32_t value, int digits) {
    constexpr char kDigits[] = "0123456789ABCDEF";
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
        out.push_back(kDigits[(value >> shift) & 0xF]);
    }
}

std::optional<std::uint32_t> ParseHex(std::string_view text) {
    std::uint32_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
    if (ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

// The next space-separated field of `line` from `at`.
std::string_view NextField(std::string_view line, std::size_t& at) {
    while (at < line.size() && line[at] == ' ') {
        ++at;
    }
    const std::size_t start = at;
    while (at < line.size() && line[at] != ' ') {
        ++at;
    }
    return line.substr(start, at - start);
}

}  // namespace

std::string ProcNetAddress(std::span<const std::uint8_t> address, std::uint16_t port) {
    std::string out;
    for (std::size_t word = 0; word + 4 <= address.size(); word += 4) {
        // The kernel prints each 32-bit word of the network-order address as a native integer.
        std::uint32_t value = 0;
        for (std::size_t i = 0; i < 4; ++i) {
            const std::size_t byte = std::endian::native == std::endian::little ? 3 - i : i;
            value = (value << 8) | address[word + byte];
        }
        AppendHex(out, value, 8);
    }
    out.push_back(':');
    AppendHex(out, port, 4);
    return out;
}

std::optional<SocketQueues> FindSocketQueues(std::string_view table, std::string_view local, std::string_view remote) {
    std::optional<SocketQueues> found;
    std::size_t line_start = 0;
    while (line_start < table.size()) {
        std::size_t line_end = table.find('\n', line_start);
        if (line_end == std::string_view::npos) {
            line_end = table.size();
        }
        const std::string_view line = table.substr(line_start, line_end - line_start);
        line_start = line_end + 1;
        // "sl local_address rem_address st tx_queue:rx_queue ..."
        std::size_t at = 0;
        NextField(line, at);
        if (NextField(line, at) != local) {
            continue;
        }
        const std::string_view peer = NextField(line, at);
        if (!remote.empty() && peer != remote) {
            continue;
        }
        NextField(line, at);
        const std::string_view queues = NextField(line, at);
        const std::size_t colon = queues.find(':');
        if (colon == std::string_view::npos) {
            continue;
        }
        const auto tx = ParseHex(queues.substr(0, colon));
        const auto rx = ParseHex(queues.substr(colon + 1));
        if (!tx || !rx) {
            continue;
        }
        if (!found) {
            found = SocketQueues{};
        }
        found->tx += *tx;
        found->rx += *rx;
    }
    return found;
}

std::optional<SocketQueues> ReadSocketQueues(const std::string& path, std::string_view local, std::string_view remote) {
    std::ifstream file(path);
    if (!file) {
        return std::nullopt;
    }
    std::stringstream text;
    text << file.rdbuf();
    return FindSocketQueues(text.str(), local, remote);
}

std::optional<std::uint32_t> UnsentBytes(int fd) {
    int unsent = 0;
    if (ioctl(fd, SIOCOUTQNSD, &unsent) != 0 || unsent < 0) {
        return std::nullopt;
    }
    return static_cast<std::uint32_t>(unsent);
}

}  // namespace rollcall::sim
