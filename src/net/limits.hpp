#pragma once

#include <chrono>
#include <cstddef>

namespace rollcall::net {

/// Transport limits; each one is a named server setting (config/settings.cpp) and is tested.
struct Limits {
    std::size_t header_limit = std::size_t{8} * 1024;
    /// The largest body any route allows; Beast checks Content-Length against it when the header ends.
    std::size_t max_body_limit = std::size_t{8} * 1024 * 1024;
    std::chrono::milliseconds request_timeout{10'000};
    std::chrono::milliseconds idle_timeout{120'000};
    std::chrono::milliseconds write_timeout{10'000};
    std::size_t max_connections = 10'000;
    std::chrono::milliseconds drain_timeout{10'000};
    int io_threads = 2;
};

}  // namespace rollcall::net
