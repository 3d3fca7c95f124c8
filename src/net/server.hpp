#pragma once

#include "net/http_message.hpp"
#include "net/limits.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace rollcall::net {

/// The HTTP/1.1 server: one coroutine per connection on a small io thread pool, with the limits of
/// Limits enforced before any route code runs. Asio and Beast stay behind this interface.
class Server {
public:
    Server(Limits limits, Dispatcher& dispatcher);
    ~Server();  // NOLINT(bugprone-exception-escape): see the definition
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Binds and starts the io threads; returns the bound port (useful with port 0).
    std::uint16_t Start(const std::string& host, std::uint16_t port);
    /// Stops accepting, lets in-flight requests finish (up to drain_timeout), closes idle connections.
    void Stop();

    std::size_t ActiveConnections() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace rollcall::net
