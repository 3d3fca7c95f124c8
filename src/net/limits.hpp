#pragma once

#include "net/address_set.hpp"

#include <chrono>
#include <cstddef>

namespace rollcall::net {

/// Transport limits; each one is a named server setting (config/settings.cpp) and is tested.
struct Limits {
    std::size_t header_limit = std::size_t{8} * 1024;
    /// The body bytes all requests in flight may hold together: a body that does not fit is answered 503 unread.
    std::size_t body_budget = std::size_t{64} * 1024 * 1024;
    std::chrono::milliseconds request_timeout{10'000};
    std::chrono::milliseconds idle_timeout{120'000};
    std::chrono::milliseconds write_timeout{10'000};
    std::size_t max_connections = 10'000;
    /// Open connections from one client address (an IPv6 client: its /64); 0 is no cap.
    std::size_t max_connections_per_address = 256;
    /// Reverse proxies (http.trusted_proxies): each of their connections carries many clients, so the
    /// per-address cap does not apply to them.
    AddressSet trusted_proxies;
    /// Connections carrying the requests of one caller that admission names (Admission::caller); 0 is no cap.
    std::size_t max_connections_per_caller = 8;
    std::chrono::milliseconds drain_timeout{10'000};
    int io_threads = 2;
};

}  // namespace rollcall::net
