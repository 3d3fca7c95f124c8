#pragma once

// How many bytes a socket on this host has not yet read (or sent), from the kernel's /proc/net/{tcp,udp}[6]
// tables. The simulator uses it to pace transfers to a client on the same machine by what the client has
// actually read: the npm clients lose data when a socket read spans packets they expect apart, and a real
// terminal is slower than any client. Clients on other hosts are not in the tables; callers then fall back to
// fixed pauses.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rollcall::sim {

/// A socket address as the tables print it: the address as native-endian 32-bit words in hex, a colon and the
/// port in hex ("0100007F:1F90" for 127.0.0.1:8080 on a little-endian host). `address` is 4 (IPv4) or 16 (IPv6)
/// bytes in network order.
std::string ProcNetAddress(std::span<const std::uint8_t> address, std::uint16_t port);

struct SocketQueues {
    std::uint32_t tx = 0;  ///< TCP: sent and not yet acknowledged; UDP: memory of datagrams not yet sent
    std::uint32_t rx = 0;  ///< TCP: received and not yet read; UDP: memory of datagrams not yet read
};

/// The queues of the socket in `table` (the text of one of those files) whose local address is `local` and,
/// unless `remote` is empty, whose remote address is `remote`. Several matches (SO_REUSEPORT) are summed.
std::optional<SocketQueues> FindSocketQueues(std::string_view table, std::string_view local, std::string_view remote);

/// FindSocketQueues on the file at `path`; std::nullopt when it cannot be read or has no such socket.
std::optional<SocketQueues> ReadSocketQueues(const std::string& path, std::string_view local, std::string_view remote);

/// Bytes written to the TCP socket `fd` that the kernel has not sent yet (SIOCOUTQNSD); std::nullopt when it
/// cannot say. Unlike SIOCOUTQ (and the tx column of the tables) it leaves out bytes that were sent and not yet
/// acknowledged: a client that read everything but delays its ACK has read everything.
std::optional<std::uint32_t> UnsentBytes(int fd);

}  // namespace rollcall::sim
